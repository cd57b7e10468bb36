"""Feed corpus benchmark: Briefbot's ``parse_feed`` against ``feedparser.parse`` on feedparser's
own test corpus (``../shared/feedparser-tests``: ~2,100 small documents, every corner of RSS, Atom,
encodings and entities), in this process, one after the other, each given the same bytes and
HTTP headers. Briefbot's time includes everything it does beyond feedparser: charset detection,
the entity/nesting guard, HTML to text, control/bidi cleaning, and building Items.

Run: ``.venv/bin/python benchmarks/feed_corpus.py`` (prints both times and the ratio).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.sources import fpcorpus  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3, help="best of N rounds")
    args = ap.parse_args()
    cases = list(fpcorpus.cases())
    if not cases:
        sys.exit(f"feedparser's test corpus not found at {fpcorpus.FEEDPARSER_TESTS}")
    for c in cases[:50]:  # warm imports and caches on both sides
        fpcorpus.ours(c)
        fpcorpus.feedparser_result(c)
    ours = theirs = float("inf")
    for _ in range(args.rounds):
        t = time.perf_counter()
        for c in cases:
            fpcorpus.feedparser_result(c)
        theirs = min(theirs, time.perf_counter() - t)
        t = time.perf_counter()
        for c in cases:
            fpcorpus.ours(c)
        ours = min(ours, time.perf_counter() - t)
    size = sum(len(c.data) for c in cases) / 1024
    print(f"feedparser's corpus: {len(cases)} files, {size:.0f} KB (best of {args.rounds})")
    print(f"  feedparser.parse       {theirs:6.2f} s")
    print(f"  Briefbot parse_feed    {ours:6.2f} s")
    print(f"  Briefbot takes {ours / theirs:.2f}x feedparser's time ({theirs / ours:.1f}x faster)")


if __name__ == "__main__":
    main()
