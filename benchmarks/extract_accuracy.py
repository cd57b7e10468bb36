"""Accuracy of bot.extract on labelled sentences, per part and per language/script.

    .venv/bin/python benchmarks/extract_accuracy.py [--part all|labelled|dev|heldout] [--verbose]

Parts (tests/data/extract/, see README.md there):
- ``labelled``: the original 142 sentences (tests/extract/test_accuracy.py asserts targets on them);
- ``dev``: real sentences from public pages, free to study while improving the extractor;
- ``heldout``: real sentences labelled before any tuning; score them only to report.

For each part and each of en / zh / zh-hans / zh-hant it prints: precision and recall of
(value, unit) pairs, the share of matched pairs whose sign is right, and among matched pairs the
share with the right entity, metric, qualifier, is_change and (where the label has them) period,
low, previous, kind, noun and the other optional fields. "clean" is the share of sentences
labelled with no key figure for which the extractor returns nothing.

Pairs match on |value| and unit (a figure whose sign is wrong still matches, and is counted
against ``sign``); exact-sign matches are preferred. ``score()`` and ``load()`` are also used by
tests/extract/test_accuracy.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
from collections.abc import Callable, Iterable
from pathlib import Path

from bot.extract import extract
from bot.models import Figure

DATA_DIR = Path(__file__).resolve().parents[1] / "tests" / "data" / "extract"
DATA = DATA_DIR / "labelled.jsonl"
PARTS = {
    "labelled": DATA,
    "dev": DATA_DIR / "real_dev.jsonl",
    "heldout": DATA_DIR / "real_heldout.jsonl",
}
RATES = {
    "CNY": 0.1385,
    "EUR": 1.08,
    "JPY": 0.0067,
    "KRW": 0.00069,
    "TWD": 0.031,
    "HKD": 0.128,
    "GBP": 1.27,
    "INR": 0.012,
    "MYR": 0.21,
    "SGD": 0.74,
}
FIELDS = ("entity", "metric", "qualifier", "is_change")
OPTIONAL = (
    "period",
    "low",
    "previous",
    "usd_value",
    "change_basis",
    "kind",
    "noun",
    "counterparty",
    "segment",
    "conversion",
)
GROUPS = ("en", "zh", "zh-hans", "zh-hant")


def load(path: Path = DATA) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def _same(field: str, got: object, want: object) -> bool:
    if field == "conversion":
        if want is None or got is None:
            return want is got
        assert isinstance(want, dict)
        return getattr(got, "unit", None) == want["unit"] and _close(
            getattr(got, "value", None), float(want["value"])
        )
    if isinstance(want, float | int) and not isinstance(want, bool):
        return isinstance(got, float | int) and _close(float(got), float(want))
    return got == want


def _match(expected: list[dict], got: list[Figure]) -> list[tuple[dict, Figure]]:
    """Pair labels with figures on (|value|, unit), exact-sign pairs first."""
    pairs: list[tuple[dict, Figure]] = []
    free = list(got)
    left = list(expected)
    for same_sign in (True, False):
        for e in list(left):
            want = float(e["value"])
            for f in free:
                if f.unit != e["unit"]:
                    continue
                ok = _close(f.value, want) if same_sign else _close(abs(f.value), abs(want))
                if ok:
                    pairs.append((e, f))
                    free.remove(f)
                    left.remove(e)
                    break
    return pairs


def group_of(rec: dict) -> str:
    """en, zh-hans or zh-hant (zh without a script label counts as zh only)."""
    if rec["lang"] == "zh" and rec.get("script") in ("hans", "hant"):
        return f"zh-{rec['script']}"
    return str(rec["lang"])


def _tally(t: dict[str, list[int]], key: str, ok: bool | int, n: int = 1) -> None:
    cell = t.setdefault(key, [0, 0])
    cell[0] += int(ok)
    cell[1] += n


def score(
    records: Iterable[dict],
    *,
    verbose: bool = False,
    group: Callable[[dict], Iterable[str]] | None = None,
    pairs_only: bool = False,
) -> dict[str, dict[str, float]]:
    """Per-group metrics (fractions in 0..1): precision, recall, sign, entity, metric, ...

    ``group`` maps a record to the group names it counts in; the default is its language
    ("en" / "zh"). A field is scored only on matched pairs whose label has it (entity, metric,
    qualifier and is_change always). "sentences" and "figures" are counts.
    """
    groups = group or (lambda rec: (rec["lang"],))
    tallies: dict[str, dict[str, list[int]]] = {}
    for rec in records:
        published = dt.date.fromisoformat(rec["published"]) if rec.get("published") else None
        got = extract(rec["text"], published=published, rates=RATES)
        expected = rec["figures"]
        pairs = _match(expected, got)
        problems = []
        for name in groups(rec):
            t = tallies.setdefault(name, {})
            _tally(t, "found", len(pairs), len(got))
            _tally(t, "wanted", len(pairs), len(expected))
            _tally(t, "sentences", 0)
            if not expected:
                _tally(t, "clean", not got)
            for e, f in pairs:
                sign_ok = (f.value < 0) == (float(e["value"]) < 0)
                _tally(t, "sign", sign_ok)
                if pairs_only and not sign_ok:
                    problems.append(f"sign: got {f.value:g} want {e['value']:g} {f.unit}")
                for field in FIELDS + OPTIONAL:
                    if field not in e and field not in FIELDS:
                        continue
                    want = e.get(field, False if field == "is_change" else None)
                    ok = _same(field, getattr(f, field), want)
                    _tally(t, field, ok)
                    if not ok and not pairs_only:
                        problems.append(
                            f"{field}: got {getattr(f, field)!r} want {want!r} "
                            f"({f.value:g} {f.unit})"
                        )
        if verbose and (problems or len(pairs) != len(expected) or len(pairs) != len(got)):
            print(f"\n[{group_of(rec)}] {rec['text']}")
            for p in dict.fromkeys(problems):
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
    for name, t in tallies.items():
        res = {
            "precision": t["found"][0] / max(1, t["found"][1]),
            "recall": t["wanted"][0] / max(1, t["wanted"][1]),
        }
        for field in ("sign", "clean", *FIELDS, *OPTIONAL):
            if field in t:
                res[field] = t[field][0] / max(1, t[field][1])
        res["sentences"] = t["sentences"][1]
        res["figures"] = t["wanted"][1]
        out[name] = res
    return out


def _groups_all(rec: dict) -> tuple[str, ...]:
    g = group_of(rec)
    return (rec["lang"], g) if g != rec["lang"] else (g,)


COLUMNS = (
    ("precision", "P"),
    ("recall", "R"),
    ("sign", "sign"),
    ("clean", "clean"),
    ("entity", "entity"),
    ("metric", "metric"),
    ("qualifier", "qual"),
    ("is_change", "chg"),
    ("period", "period"),
    ("low", "low"),
    ("previous", "prev"),
    ("kind", "kind"),
    ("noun", "noun"),
    ("change_basis", "basis"),
    ("usd_value", "usd"),
    ("conversion", "conv"),
    ("counterparty", "cparty"),
    ("segment", "segm"),
)


def report(part: str, results: dict[str, dict[str, float]]) -> str:
    """The printed table for one part (one row per group present)."""
    head = f"{'':<8}{'n':>5}{'figs':>6}" + "".join(f"{label:>7}" for _, label in COLUMNS)
    lines = [f"\n== {part} ==", head]
    for name in GROUPS:
        res = results.get(name)
        if res is None:
            continue
        cells = "".join(f"{res[key]:>7.3f}" if key in res else f"{'-':>7}" for key, _ in COLUMNS)
        lines.append(f"{name:<8}{int(res['sentences']):>5}{int(res['figures']):>6}{cells}")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--part",
        choices=("all", *PARTS),
        default="all",
        help="which labelled set to score (default: all three)",
    )
    ap.add_argument(
        "--verbose",
        action="store_true",
        help="print each labelled/dev sentence with a mistake (never the held-out ones)",
    )
    ap.add_argument(
        "--pairs-only",
        action="store_true",
        help="with --verbose: print only (value, unit) misses, spurious figures and wrong signs",
    )
    args = ap.parse_args()
    parts = list(PARTS) if args.part == "all" else [args.part]
    for part in parts:
        records = load(PARTS[part])
        verbose = args.verbose and part != "heldout"
        res = score(records, verbose=verbose, group=_groups_all, pairs_only=args.pairs_only)
        print(report(part, res))
    print(
        "\nP/R: (|value|, unit) pairs; sign: matched pairs with the right sign; clean: sentences"
        " without a key figure that yield none; other columns: matched pairs whose label has"
        " the field."
    )


if __name__ == "__main__":
    main()
