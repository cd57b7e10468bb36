"""Speed of bot.extract.extract vs quantulum3's parser on the same English text, one process.

    .venv/bin/python benchmarks/extract_speed.py [--seconds 2]

Prints sentences per second for both and the ratio (target: extract >= 50x quantulum3), then the
time to extract a ~1 MB briefing (the seed briefing repeated) and its peak memory (tracemalloc).
quantulum3 is a dev-only comparison: without it the comparison is skipped with a message.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from bot.extract import extract

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "archive" / "000_53212d8dde729521.txt"
LABELLED = ROOT / "tests" / "data" / "extract" / "labelled.jsonl"


def english_sentences() -> list[str]:
    """The seed's English half split into sentences, plus the English labelled sentences."""
    import json

    text = SEED.read_text(encoding="utf-8")
    english = text[text.index("Big Tech shows") :]
    out = [s.strip() for s in re.split(r"(?<=[.;:])\s+", english) if len(s.strip()) > 20]
    with LABELLED.open(encoding="utf-8") as fh:
        out += [r["text"] for r in map(json.loads, fh) if r["lang"] == "en"]
    return out


def rate(fn: Callable[[str], object], sentences: list[str], seconds: float) -> float:
    """Sentences per second over at least ``seconds`` (whole passes over the list)."""
    for s in sentences[:5]:
        fn(s)  # warm-up: compiled patterns, loaded models
    n = 0
    t0 = time.perf_counter()
    while True:
        for s in sentences:
            fn(s)
        n += len(sentences)
        elapsed = time.perf_counter() - t0
        if elapsed >= seconds:
            return n / elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=2.0, help="time per measurement")
    args = ap.parse_args()
    sentences = english_sentences()
    pub = dt.date(2026, 2, 4)
    ours = rate(lambda s: extract(s, published=pub), sentences, args.seconds)
    print(f"sentences: {len(sentences)} English")
    print(f"bot.extract     {ours:12,.0f} sentences/s")
    try:
        from quantulum3 import parser as qparser
    except ImportError:
        print("quantulum3 not importable: comparison skipped (pip install quantulum3 to run it)")
    else:
        theirs = rate(qparser.parse, sentences, args.seconds)
        print(f"quantulum3      {theirs:12,.0f} sentences/s")
        print(f"ratio           {ours / theirs:12,.1f}x  (target >= 50x)")

    seed = SEED.read_text(encoding="utf-8")
    big = (seed + "\n\n") * (1_000_000 // (len(seed) + 2) + 1)
    big = big[:1_000_000]
    extract(seed, published=pub)
    t0 = time.perf_counter()
    figs = extract(big, published=pub)
    elapsed = time.perf_counter() - t0
    tracemalloc.start()
    extract(big, published=pub)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"1 MB briefing   {elapsed:12.3f} s  ({len(big):,} chars, {len(figs):,} figures, "
        f"peak {peak / 1e6:.1f} MB traced)"
    )


if __name__ == "__main__":
    main()
