"""Accuracy of bot.extract on the labelled sentences (tests/data/extract/labelled.jsonl).

    .venv/bin/python benchmarks/extract_accuracy.py [--verbose]

Prints, per language: precision and recall of (value, unit) pairs, then among matched pairs the
share with the right entity, metric, qualifier and is_change, and (where labelled) period, low,
previous and usd_value. ``score()`` is also used by tests/extract/test_accuracy.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
from collections.abc import Iterable
from pathlib import Path

from bot.extract import extract
from bot.models import Figure

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "extract" / "labelled.jsonl"
RATES = {"CNY": 0.1385, "EUR": 1.08, "JPY": 0.0067, "KRW": 0.00069, "TWD": 0.031, "HKD": 0.128}
FIELDS = ("entity", "metric", "qualifier", "is_change")
OPTIONAL = ("period", "low", "previous", "usd_value", "change_basis")


def load(path: Path = DATA) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def _same(field: str, got: object, want: object) -> bool:
    if isinstance(want, float | int) and not isinstance(want, bool):
        return isinstance(got, float | int) and _close(float(got), float(want))
    return got == want


def _match(expected: list[dict], got: list[Figure]) -> list[tuple[dict, Figure]]:
    pairs = []
    free = list(got)
    for e in expected:
        for f in free:
            if f.unit == e["unit"] and _close(f.value, float(e["value"])):
                pairs.append((e, f))
                free.remove(f)
                break
    return pairs


def score(records: Iterable[dict], *, verbose: bool = False) -> dict[str, dict[str, float]]:
    """Per-language metrics: precision, recall, entity, metric, ... (fractions in 0..1)."""
    tallies: dict[str, dict[str, list[int]]] = {}
    for rec in records:
        published = dt.date.fromisoformat(rec["published"]) if rec.get("published") else None
        got = extract(rec["text"], published=published, rates=RATES)
        expected = rec["figures"]
        pairs = _match(expected, got)
        t = tallies.setdefault(rec["lang"], {})
        t.setdefault("found", [0, 0])
        t["found"][0] += len(pairs)
        t["found"][1] += len(got)
        t.setdefault("wanted", [0, 0])
        t["wanted"][0] += len(pairs)
        t["wanted"][1] += len(expected)
        problems = []
        for e, f in pairs:
            for field in FIELDS + OPTIONAL:
                if field not in e and field not in FIELDS:
                    continue
                want = e.get(field, False if field == "is_change" else None)
                ok = _same(field, getattr(f, field), want)
                t.setdefault(field, [0, 0])
                t[field][0] += ok
                t[field][1] += 1
                if not ok:
                    problems.append(
                        f"{field}: got {getattr(f, field)!r} want {want!r} ({f.value:g} {f.unit})"
                    )
        if verbose and (problems or len(pairs) != len(expected) or len(pairs) != len(got)):
            print(f"\n[{rec['lang']}] {rec['text']}")
            for p in problems:
                print("   ", p)
            matched = {id(f) for _, f in pairs}
            for f in got:
                if id(f) not in matched:
                    print(f"    spurious: {f.value:g} {f.unit} {f.entity} {f.metric}")
            got_e = [id(e) for e, _ in pairs]
            for e in expected:
                if id(e) not in got_e:
                    print(f"    missed: {e['value']:g} {e['unit']} {e['entity']} {e['metric']}")
    out: dict[str, dict[str, float]] = {}
    for lang, t in tallies.items():
        res = {
            "precision": t["found"][0] / max(1, t["found"][1]),
            "recall": t["wanted"][0] / max(1, t["wanted"][1]),
        }
        for field in FIELDS + OPTIONAL:
            if field in t:
                res[field] = t[field][0] / max(1, t[field][1])
        res["sentences"] = sum(1 for _ in ())
        out[lang] = res
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--verbose", action="store_true", help="print each sentence with a mistake")
    args = ap.parse_args()
    records = load()
    results = score(records, verbose=args.verbose)
    counts = {lang: sum(1 for r in records if r["lang"] == lang) for lang in results}
    print(
        f"\n{'lang':<5}{'n':>4} "
        + " ".join(f"{k:>10}" for k in ("precision", "recall", *FIELDS, *OPTIONAL))
    )
    for lang, res in sorted(results.items()):
        cells = " ".join(
            f"{res[k]:>10.3f}" if k in res else f"{'-':>10}"
            for k in ("precision", "recall", *FIELDS, *OPTIONAL)
        )
        print(f"{lang:<5}{counts[lang]:>4} {cells}")


if __name__ == "__main__":
    main()
