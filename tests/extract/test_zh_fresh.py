"""The fresh Chinese news sentences of session 9 (tests/extract/data/zh_fresh_s9.jsonl).

203 sentences from 70 pages on 45 sites (159 traditional script: Taiwanese and Hong Kong
results, monthly revenue, share moves, telecom operators, Taipower and HKMA numbers; 44
simplified: mainland chip makers' quarterly reports, operators' capex, compute and funding),
labelled from the text alone with (value, unit[, low]) before the extractor was run on them.
``optional`` figures (restated conversions, earlier guidance, an intraday high, bases the set's
conventions leave out) are neither required nor counted as spurious. The floors sit a little
below the scores the extractor reaches (benchmarks/zh_fresh.py prints them).
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from benchmarks.zh_fresh import load, score

RECORDS = load()


def test_corpus_shape() -> None:
    assert len(RECORDS) >= 150
    assert len({r["url"] for r in RECORDS}) >= 25
    assert len({urlparse(r["url"]).netloc for r in RECORDS}) >= 25
    for r in RECORDS:
        assert r["lang"] == "zh" and r["script"] in ("hans", "hant")
        assert r["url"].startswith("http")
        for f in r["figures"] + r.get("optional", []):
            assert set(f) <= {"value", "unit", "low"}
            assert "low" not in f or f["low"] <= f["value"]


@pytest.fixture(scope="module")
def scores() -> dict[str, dict[str, float]]:
    return score(RECORDS)


@pytest.mark.parametrize("group", ["zh", "zh-hans", "zh-hant"])
def test_precision_and_recall_floors(scores: dict[str, dict[str, float]], group: str) -> None:
    assert scores[group]["P"] >= 0.97
    assert scores[group]["R"] >= 0.97
    assert scores[group]["sign"] >= 0.99
