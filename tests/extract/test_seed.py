"""The seed briefing (Chinese half + English half) gives the issue's table, and nothing spurious."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.extract import extract
from bot.models import Figure

SEED = Path(__file__).parents[2] / "archive" / "000_53212d8dde729521.txt"
PUBLISHED = dt.date(2026, 2, 4)

# entity, metrics accepted, value, unit, qualifier, period, extra checks
TABLE: list[tuple[str, tuple[str, ...], float, str, str, str, dict[str, object]]] = [
    ("Meta", ("capex",), 135e9, "USD", "up_to", "2026", {}),
    ("Tesla", ("capex", "spending"), 20e9, "USD", "more_than", "2026", {"previous": 8.5e9}),
    ("Microsoft", ("capex",), 37.5e9, "USD", "exact", "2025-Q4", {}),
    (
        "Microsoft",
        ("capex",),
        66,
        "percent",
        "exact",
        "2025-Q4",
        {"is_change": True, "change_basis": "yoy"},
    ),
    ("ByteDance", ("capex",), 160e9, "CNY", "exact", "2026", {"usd_value": 23e9}),
    ("Alibaba", ("investment",), 480e9, "CNY", "up_to", "three-year", {"previous": 380e9}),
    ("Tencent", ("capex",), 59.7e9, "CNY", "exact", "2025-Q1..Q3", {}),
    ("Dola", ("users",), 10e6, "users", "more_than", "end-2025", {}),
    ("Microsoft", ("share_price",), -10, "percent", "exact", "1-week", {"is_change": True}),
    ("Oracle", ("borrowing",), 50e9, "USD", "up_to", "2026", {}),
    ("Oracle", ("share_price",), -50, "percent", "exact", "since 2025-09", {"is_change": True}),
]


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def by_lang(seed_text: str) -> dict[str, list[Figure]]:
    figs = extract(seed_text, published=PUBLISHED, rates={"CNY": 0.1385})
    return {lang: [f for f in figs if f.lang == lang] for lang in ("zh", "en")}


def _find(figs: list[Figure], entity: str, value: float, unit: str) -> Figure:
    hits = [
        f
        for f in figs
        if f.entity == entity
        and f.unit == unit
        and abs(f.value - value) < 1e-6 * max(1.0, abs(value))
    ]
    assert len(hits) == 1, f"{entity} {value} {unit}: {hits}"
    return hits[0]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("row", TABLE, ids=[f"{r[0]}-{r[2]:g}" for r in TABLE])
def test_seed_table(by_lang: dict[str, list[Figure]], lang: str, row: tuple) -> None:
    entity, metrics, value, unit, qualifier, period, extra = row
    f = _find(by_lang[lang], entity, value, unit)
    assert f.metric in metrics
    assert f.qualifier == qualifier
    assert f.period == period
    for key, expected in extra.items():
        assert (
            getattr(f, key) == pytest.approx(expected)
            if isinstance(expected, float)
            else getattr(f, key) == expected
        )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_seed_nothing_spurious(by_lang: dict[str, list[Figure]], lang: str) -> None:
    figs = by_lang[lang]
    assert len(figs) == len(TABLE), [(f.entity, f.value, f.unit) for f in figs]
    assert not any(1900 <= abs(f.value) <= 2100 for f in figs)  # no years
    dola = _find(figs, "Dola", 10e6, "users")
    assert dola.usd_value is None and dola.conversion is None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_seed_conversion_is_one_figure(by_lang: dict[str, list[Figure]], lang: str) -> None:
    bytedance = [f for f in by_lang[lang] if f.entity == "ByteDance"]
    assert len(bytedance) == 1
    conv = bytedance[0].conversion
    assert conv is not None and conv.unit == "USD" and conv.value == pytest.approx(23e9)


def test_seed_spans_and_sentences(seed_text: str, by_lang: dict[str, list[Figure]]) -> None:
    for figs in by_lang.values():
        for f in figs:
            start, end = f.span
            assert 0 <= start < end <= len(seed_text)
            assert seed_text[start:end] in f.sentence
            assert f.sentence in seed_text
    meta = _find(by_lang["en"], "Meta", 135e9, "USD")
    assert (
        meta.sentence
        == "Meta says it will nearly double capex this year to as much as $135 billion"
    )
    assert seed_text[meta.span[0] : meta.span[1]] == "$135 billion"


def test_seed_usd_from_rates(by_lang: dict[str, list[Figure]]) -> None:
    tencent = _find(by_lang["en"], "Tencent", 59.7e9, "CNY")
    assert tencent.usd_value == pytest.approx(59.7e9 * 0.1385)
    assert _find(by_lang["en"], "Oracle", -50, "percent").usd_value is None
