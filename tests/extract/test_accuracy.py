"""The labelled sentences meet the accuracy targets (benchmarks/extract_accuracy.py prints them)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).parents[2] / "benchmarks" / "extract_accuracy.py"


@pytest.fixture(scope="module")
def results() -> dict[str, dict[str, float]]:
    spec = importlib.util.spec_from_file_location("extract_accuracy", BENCH)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    records = mod.load()
    assert len(records) >= 80
    assert {r["lang"] for r in records} == {"en", "zh"}
    return mod.score(records)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_targets(results: dict[str, dict[str, float]], lang: str) -> None:
    r = results[lang]
    assert r["precision"] >= 0.95, r
    assert r["recall"] >= 0.95, r
    assert r["entity"] >= 0.9, r
    assert r["metric"] >= 0.85, r
