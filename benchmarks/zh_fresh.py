"""Precision/recall of bot.extract on the fresh Chinese sentences of tests/extract/data/zh_fresh_s9.jsonl.

    .venv/bin/python benchmarks/zh_fresh.py [--verbose]

Each record has ``figures`` (value, unit, optional ``low``) and ``optional`` figures (restated
conversions, earlier guidance, intraday highs: neither required nor counted as spurious).
Pairs match on |value| and unit; sign and range low are scored over matched pairs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
from pathlib import Path

from bot.extract import extract

DATA = Path(__file__).resolve().parents[1] / "tests" / "extract" / "data" / "zh_fresh_s9.jsonl"
RATES = {"CNY": 0.1385, "TWD": 0.031, "HKD": 0.128, "JPY": 0.0067, "KRW": 0.00069, "EUR": 1.08}


def load(path: Path = DATA) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def score(records: list[dict], verbose: bool = False) -> dict[str, dict[str, float]]:
    tally: dict[str, list[int]] = {}

    def add(group: str, key: str, ok: int, n: int = 1) -> None:
        cell = tally.setdefault(f"{group}:{key}", [0, 0])
        cell[0] += ok
        cell[1] += n

    for rec in records:
        got = extract(rec["text"], published=dt.date.fromisoformat(rec["published"]), rates=RATES)
        free = list(got)
        pairs = []
        missed = []
        for e in rec["figures"]:
            hit = next(
                (f for f in free if f.unit == e["unit"] and _close(f.value, float(e["value"]))),
                None,
            )
            if hit is None:
                hit = next(
                    (
                        f
                        for f in free
                        if f.unit == e["unit"] and _close(abs(f.value), abs(float(e["value"])))
                    ),
                    None,
                )
            if hit is None:
                missed.append(e)
            else:
                free.remove(hit)
                pairs.append((e, hit))
        for o in rec.get("optional", []):
            hit = next(
                (f for f in free if f.unit == o["unit"] and _close(abs(f.value), abs(o["value"]))),
                None,
            )
            if hit is not None:
                free.remove(hit)
        for g in ("zh", f"zh-{rec['script']}"):
            add(g, "P", len(pairs), len(pairs) + len(free))
            add(g, "R", len(pairs), len(rec["figures"]))
            for e, f in pairs:
                add(g, "sign", int((f.value < 0) == (float(e["value"]) < 0)))
                if "low" in e:
                    add(g, "low", int(f.low is not None and _close(abs(f.low), abs(e["low"]))))
        bad_sign = [(e, f) for e, f in pairs if (f.value < 0) != (float(e["value"]) < 0)]
        bad_low = [
            (e, f)
            for e, f in pairs
            if "low" in e and not (f.low is not None and _close(abs(f.low), abs(e["low"])))
        ]
        if verbose and (missed or free or bad_sign or bad_low):
            print(f"\n[{rec['script']}] {rec['text']}")
            for e in missed:
                print(
                    f"    missed: {e['value']:g} {e['unit']}"
                    + (f" low {e['low']:g}" if "low" in e else "")
                )
            for f in free:
                print(f"    spurious: {f.value:g} {f.unit} ({f.metric}, {f.qualifier})")
            for e, f in bad_sign:
                print(f"    sign: got {f.value:g} want {e['value']:g} {e['unit']}")
            for e, f in bad_low:
                print(f"    low: got {f.low} want {e['low']:g} ({e['value']:g} {e['unit']})")
    out: dict[str, dict[str, float]] = {}
    for key, (ok, n) in tally.items():
        g, m = key.split(":")
        out.setdefault(g, {})[m] = ok / max(1, n)
        out[g][m + "_n"] = n
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    res = score(load(), verbose=args.verbose)
    print(f"{'':8} {'P':>6} {'R':>6} {'sign':>6} {'low':>6}  figures")
    for g in ("zh", "zh-hans", "zh-hant"):
        r = res.get(g, {})
        print(
            f"{g:8} {r.get('P', 0):6.3f} {r.get('R', 0):6.3f} {r.get('sign', 0):6.3f} "
            f"{r.get('low', 0):6.3f}  {r.get('R_n', 0)}"
        )


if __name__ == "__main__":
    main()
