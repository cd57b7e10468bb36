"""Changes listed under one verb, each its own company's (bot.extract.figures._elided)."""

from __future__ import annotations

import datetime as dt

from bot.extract import extract

PUB = dt.date(2025, 11, 3)


def changes(text: str) -> list[tuple[str | None, str, float, bool]]:
    return [
        (f.entity, f.metric, f.value, f.is_change)
        for f in extract(text, published=PUB)
        if f.unit == "percent"
    ]


def test_an_elided_verb_carries_to_each_company() -> None:
    assert changes(
        "Capital spending climbed at Microsoft by 45%, Amazon by 61% and Meta by 50%."
    ) == [
        ("Microsoft", "capex", 45.0, True),
        ("Amazon", "capex", 61.0, True),
        ("Meta", "capex", 50.0, True),
    ]


def test_possessives_and_a_falling_verb() -> None:
    assert changes("Intel's capex fell by 20%, Samsung's by 12%.") == [
        ("Intel", "capex", -20.0, True),
        ("Samsung", "capex", -12.0, True),
    ]


def test_each_percent_is_the_company_named_right_after_it() -> None:
    assert changes("Cloud revenue grew 40% at Microsoft, 34% at Google and 20% at Amazon.") == [
        ("Microsoft", "revenue", 40.0, True),
        ("Google", "revenue", 34.0, True),
        ("Amazon", "revenue", 20.0, True),
    ]


def test_a_level_after_a_change_is_not_made_a_change() -> None:
    got = changes("Meta's revenue rose 26%, and its operating margin was 40%.")
    assert ("Meta", "revenue", 26.0, True) in got
    assert all(not c for _, _, v, c in got if v == 40.0)


def test_segments_named_after_their_percent_keep_their_company() -> None:
    got = [
        (f.entity, f.segment, f.value)
        for f in extract(
            "Cloud revenue grew 20% at AWS, 40% at Azure and 34% at Google Cloud.", published=PUB
        )
    ]
    assert got == [
        ("Amazon", "AWS", 20.0),
        ("Microsoft", "Azure", 40.0),
        ("Google", "Google Cloud", 34.0),
    ]
