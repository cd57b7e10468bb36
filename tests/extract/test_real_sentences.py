"""Integrity of the real-sentence sets (tests/data/extract/real_dev.jsonl, real_heldout.jsonl).

Checks the data, not the extractor: every record is well formed, every figure uses the units,
metrics, qualifiers and kinds of DESIGN.md's figure contract, the split follows its rule, and the
counts meet issue 14's targets. Accuracy is printed by benchmarks/extract_accuracy.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

import pytest

from bot.models import KINDS, METRICS, QUALIFIERS

DATA = Path(__file__).parents[1] / "data" / "extract"
CURRENCIES = {"USD", "CNY", "TWD", "HKD", "MYR", "JPY", "KRW", "EUR", "GBP", "INR", "SGD"}
UNITS = CURRENCIES | {"percent", "percentage_points", "W", "FLOPS", "count", "times", "users"}
RECORD_KEYS = {
    "text",
    "lang",
    "script",
    "published",
    "date_estimated",
    "url",
    "figures",
    "non_figures",
}
FIGURE_KEYS = {
    "value",
    "unit",
    "entity",
    "metric",
    "qualifier",
    "is_change",
    "kind",
    "change_basis",
    "low",
    "previous",
    "period",
    "noun",
    "counterparty",
    "segment",
    "usd_value",
    "conversion",
}


def _read(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.fixture(scope="module")
def dev() -> list[dict]:
    return _read("real_dev.jsonl")


@pytest.fixture(scope="module")
def heldout() -> list[dict]:
    return _read("real_heldout.jsonl")


@pytest.fixture(scope="module")
def labelled() -> list[dict]:
    return _read("labelled.jsonl")


def _is_number(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _exact(v: float) -> bool:
    """No binary-float artefacts: the JSON number has at most 4 decimals."""
    return -Decimal(repr(v)).normalize().as_tuple().exponent <= 4  # type: ignore[operator]


def _check_record(rec: dict) -> list[str]:
    errs = []
    if set(rec) - RECORD_KEYS:
        errs.append(f"unknown keys {set(rec) - RECORD_KEYS}")
    if not isinstance(rec.get("text"), str) or not rec["text"].strip():
        errs.append("empty text")
    if rec.get("lang") not in ("en", "zh"):
        errs.append(f"lang {rec.get('lang')!r}")
    if rec.get("lang") == "zh" and rec.get("script") not in ("hans", "hant"):
        errs.append("zh without script hans|hant")
    try:
        dt.date.fromisoformat(rec["published"])
    except (KeyError, TypeError, ValueError):
        errs.append(f"published {rec.get('published')!r}")
    url = urlparse(rec.get("url") or "")
    if url.scheme not in ("http", "https") or not url.hostname:
        errs.append(f"url {rec.get('url')!r}")
    for token in rec.get("non_figures", []):
        if token not in rec["text"]:
            errs.append(f"non_figure {token!r} not in text")
    if not isinstance(rec.get("figures"), list):
        return [*errs, "figures not a list"]
    for f in rec["figures"]:
        where = f"figure {f.get('value')} {f.get('unit')}"
        if set(f) - FIGURE_KEYS:
            errs.append(f"{where}: unknown keys {set(f) - FIGURE_KEYS}")
        for key in ("value", "unit", "entity", "metric", "qualifier", "is_change", "kind"):
            if key not in f:
                errs.append(f"{where}: missing {key}")
        if not _is_number(f.get("value")) or not _exact(f["value"]):
            errs.append(f"{where}: value not an exact number")
        if f.get("unit") not in UNITS:
            errs.append(f"{where}: unit")
        if f.get("metric") not in METRICS:
            errs.append(f"{where}: metric {f.get('metric')!r}")
        if f.get("qualifier") not in QUALIFIERS:
            errs.append(f"{where}: qualifier {f.get('qualifier')!r}")
        if f.get("kind") not in KINDS:
            errs.append(f"{where}: kind {f.get('kind')!r}")
        if not isinstance(f.get("is_change"), bool):
            errs.append(f"{where}: is_change not a bool")
        if f.get("entity") is not None and not isinstance(f["entity"], str):
            errs.append(f"{where}: entity")
        if f.get("change_basis") not in (None, "yoy", "qoq"):
            errs.append(f"{where}: change_basis {f.get('change_basis')!r}")
        for key in ("low", "previous", "usd_value"):
            if f.get(key) is not None and not (_is_number(f[key]) and _exact(f[key])):
                errs.append(f"{where}: {key} not an exact number")
        if f.get("low") is not None and _is_number(f.get("value")) and f["low"] > f["value"]:
            errs.append(f"{where}: low > value")
        if f.get("unit") == "count" and not isinstance(f.get("noun"), str):
            errs.append(f"{where}: count without noun")
        conv = f.get("conversion")
        if conv is not None and not (
            isinstance(conv, dict) and conv.get("unit") in CURRENCIES and _is_number(conv["value"])
        ):
            errs.append(f"{where}: conversion {conv!r}")
    return errs


@pytest.mark.parametrize("name", ["real_dev.jsonl", "real_heldout.jsonl"])
def test_records_are_well_formed(name: str) -> None:
    problems = {}
    for i, rec in enumerate(_read(name), 1):
        errs = _check_record(rec)
        if errs:
            problems[f"{name}:{i}"] = errs
    assert not problems, problems


def _part(rec: dict) -> str:
    h = hashlib.sha1((rec["url"] + "\n" + rec["text"]).encode("utf-8")).hexdigest()
    return "heldout" if int(h, 16) % 2 == 0 else "dev"


def test_split_follows_the_rule(dev: list[dict], heldout: list[dict]) -> None:
    assert {_part(r) for r in dev} == {"dev"}
    assert {_part(r) for r in heldout} == {"heldout"}


def test_no_sentence_twice(dev: list[dict], heldout: list[dict], labelled: list[dict]) -> None:
    texts = [r["text"] for r in dev + heldout]
    assert len(texts) == len(set(texts)), [t for t, n in Counter(texts).items() if n > 1]
    assert not {r["text"] for r in dev} & {r["text"] for r in heldout}
    assert not set(texts) & {r["text"] for r in labelled}


def test_counts_meet_the_targets(
    dev: list[dict], heldout: list[dict], labelled: list[dict]
) -> None:
    everything = labelled + dev + heldout
    assert len(labelled) == 142
    assert len(everything) >= 600
    zh = [r for r in everything if r["lang"] == "zh"]
    assert len(zh) >= 250
    assert sum(1 for r in zh if r.get("script") == "hant") >= 60
    not_key = [r for r in dev + heldout if not r["figures"] or r.get("non_figures")]
    assert len(not_key) >= 100
    hosts = {urlparse(r["url"]).hostname for r in dev + heldout}
    assert len(hosts) >= 40


def test_heldout_covers_both_languages_and_scripts(heldout: list[dict]) -> None:
    assert len(heldout) >= 200
    groups = Counter(r["lang"] + "-" + r.get("script", "") for r in heldout)
    assert groups["en-"] >= 50, groups
    assert groups["zh-hans"] >= 30, groups
    assert groups["zh-hant"] >= 30, groups


def test_the_checks_catch_bad_records() -> None:
    good = {
        "text": "Meta plans $135 billion.",
        "lang": "en",
        "published": "2026-01-01",
        "url": "https://example.com/a",
        "figures": [
            {
                "value": 135000000000,
                "unit": "USD",
                "entity": "Meta",
                "metric": "capex",
                "qualifier": "exact",
                "is_change": False,
                "kind": "plan",
            }
        ],
    }
    assert _check_record(good) == []
    bad_fig = dict(good["figures"][0], unit="USDollars", low=2e11, value=12983000000.000002)
    bad = dict(good, url="example.com", figures=[bad_fig], non_figures=["H100"])
    errs = " ".join(_check_record(bad))
    for expected in ("url", "unit", "low > value", "exact number", "non_figure"):
        assert expected in errs, errs
