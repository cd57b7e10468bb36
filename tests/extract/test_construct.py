"""extract() builds its Figures without re-validating them (figures._make_figure): each must be
exactly what pydantic's validation of the same values gives, with the same state."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from bot.extract import extract
from bot.models import Figure

DATA = Path(__file__).resolve().parents[1] / "data" / "extract"
SEED = Path(__file__).resolve().parents[2] / "archive" / "000_53212d8dde729521.txt"
PUB = dt.date(2026, 2, 4)


def _texts() -> list[str]:
    texts = [SEED.read_text(encoding="utf-8")]
    for name in ("labelled.jsonl", "real_dev.jsonl"):
        with (DATA / name).open(encoding="utf-8") as fh:
            texts += [json.loads(line)["text"] for line in fh if line.strip()]
    # Multiples (a figure with fewer fields given), conversions, ranges, integer-valued floats.
    texts += [
        "Revenue doubled in the quarter.",
        "腾讯营收翻倍。",
        "Capex of 160 billion yuan (about $23 billion), up from 5 to 7 percent.",
    ]
    return texts


def _state(f: Figure) -> tuple[object, ...]:
    return (
        type(f),
        list(f.__dict__.items()),
        [type(v) for v in f.__dict__.values()],
        f.__pydantic_fields_set__,
        f.__pydantic_extra__,
        f.__pydantic_private__,
    )


def test_figures_equal_their_validated_twins() -> None:
    n = 0
    for text in _texts():
        for f in extract(text, published=PUB, rates={"CNY": 0.1385, "TWD": 0.031}):
            given = {k: f.__dict__[k] for k in f.__pydantic_fields_set__}
            twin = Figure.model_validate(given)
            assert twin == f
            assert _state(twin) == _state(f), f
            assert hash(twin) == hash(f)
            assert f.to_json_dict() == twin.to_json_dict()
            n += 1
    assert n > 500  # the texts hold hundreds of figures: the check ran on them
