"""Instructions per sentence of bot.extract.extract, counted by valgrind's callgrind.

    .venv/bin/python benchmarks/extract_instructions.py [--passes 10] [--top 25]

Wall-clock and CPU rates on a shared machine move with the other jobs' load; the number of
instructions executed does not. This runs itself under ``valgrind --tool=callgrind`` (apt
package ``valgrind``): one warm-up pass over the English sentences of
``benchmarks/extract_speed.py`` (caches filled, patterns compiled), then ``--passes`` passes with
collection switched on only inside them (the passes run inside ``functools.reduce``, which the
extractor never calls, and callgrind toggles collection at that function's entry and exit).
Prints the total divided by the number of sentences extracted and, with ``--top``, the
inclusive instructions per sentence of the costliest compiled functions (``CPyDef_*``: mypyc's
names, ``module___function``). Use the compiled build (the default install); the pure-Python
build's functions all show as the interpreter's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def inner(passes: int) -> None:
    from extract_speed import english_sentences

    from bot.extract import extract

    pub = dt.date(2026, 2, 4)
    sentences = english_sentences()
    for s in sentences:  # warm-up, not counted
        extract(s, published=pub)

    def step(n: int, s: str) -> int:
        extract(s, published=pub)
        return n + 1

    done = functools.reduce(step, sentences * passes, 0)  # counted
    print(f"sentences extracted: {done}", file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--passes", type=int, default=10)
    ap.add_argument("--top", type=int, default=0, help="list this many functions")
    ap.add_argument("--out", help="keep the callgrind file here")
    ap.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.inner:
        inner(args.passes)
        return
    from extract_speed import english_sentences

    from bot.native import extractor_build

    n = len(english_sentences()) * args.passes
    out = args.out or tempfile.mktemp(prefix="callgrind.extract.")
    subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--collect-atstart=no",
            "--toggle-collect=functools_reduce",
            f"--callgrind-out-file={out}",
            sys.executable,
            __file__,
            "--inner",
            f"--passes={args.passes}",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    text = subprocess.run(
        ["callgrind_annotate", "--inclusive=yes", "--threshold=100", out],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    total = int(
        re.search(r"^([\d,]+) \(100\.0%\)\s+PROGRAM TOTALS", text, re.M)[1].replace(",", "")
    )
    print(f"extractor build: {extractor_build()}; {n} sentences ({args.passes} passes)")
    print(f"instructions per sentence: {total / n / 1000:.1f}k")
    if args.top:
        # A function can be listed more than once (under each source file it inlines): the
        # largest count is its inclusive one.
        rows: dict[str, int] = {}
        for line in text.splitlines():
            m = re.match(r"\s*([\d,]+) \([\d. ]+%\)\s+\S*:(CPyDef_\S+)", line)
            if m:
                rows[m[2]] = max(rows.get(m[2], 0), int(m[1].replace(",", "")))
        top = sorted(((count, name) for name, count in rows.items()), reverse=True)
        for count, name in top[: args.top]:
            print(f"{count / n / 1000:9.1f}k  {name.removeprefix('CPyDef_')}")
    if not args.out:
        Path(out).unlink()


if __name__ == "__main__":
    main()
