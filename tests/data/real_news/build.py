"""Build ``articles.jsonl`` from the hand-labelled sources in ``src/*.txt``.

Why a source format: the labels are written by people, and a compact line per fact is easier to
write and review than JSON. The JSONL is what the benchmark and tests read; regenerate it with
``python tests/data/real_news/build.py`` after editing ``src/``.

Source format (one article per block)::

    @@ https://example.com/article
    outlet: Example News | lang: zh | script: hant | date: 2026-01-15
    title: 台積電今年資本支出...
    F: TSMC | capex | 56B | USD | 2026 | guidance | 1 | low=52B
    body:
    the article text, as stored ...

``date: 2026-01-15 ~`` marks an estimated date. Fact fields: entity | metric | value | unit |
period (``-`` for none) | kind | importance, then optional ``key=value`` extras: ``low``,
``q`` (qualifier), ``cp`` (counterparty), ``seg`` (segment), ``cal`` (the calendar period of a
fiscal one), ``chg`` (a percent change), ``noun``. Values take k/M/B/T suffixes.

The split is fixed by the URL alone (``sha1(url) % 3 == 0`` -> heldout), so adding articles
never moves an existing one between splits.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SUFFIX = {"k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18}


def split_of(url: str) -> str:
    return "heldout" if int(hashlib.sha1(url.encode()).hexdigest(), 16) % 3 == 0 else "dev"


def number(text: str) -> float:
    text = text.strip().replace(",", "")
    if text and text[-1] in SUFFIX:
        return round(float(text[:-1]) * SUFFIX[text[-1]], 6)
    return float(text)


def parse_fact(line: str, where: str) -> dict[str, object]:
    parts = [p.strip() for p in line.split("|")]
    if len(parts) < 7:
        raise SystemExit(f"{where}: a fact needs 7 fields: {line!r}")
    entity, metric, value, unit, period, kind, imp = parts[:7]
    fact: dict[str, object] = {
        "entity": entity,
        "metric": metric,
        "value": number(value),
        "unit": unit,
        "period": None if period in ("-", "") else period,
        "kind": kind,
        "importance": int(imp),
    }
    for extra in " ".join(parts[7:]).split():
        key, _, val = extra.partition("=")
        if key == "chg":
            fact["is_change"] = True
        elif key == "low":
            fact["low"] = number(val)
        elif key == "q":
            fact["qualifier"] = val
        elif key == "cp":
            fact["counterparty"] = val.replace("_", " ")
        elif key == "seg":
            fact["segment"] = val.replace("_", " ")
        elif key == "cal":
            fact["calendar_period"] = val
        elif key == "noun":
            fact["noun"] = val.replace("_", " ")
        else:
            raise SystemExit(f"{where}: unknown fact extra {extra!r}")
    return fact


def parse_block(block: str, where: str) -> dict[str, object]:
    head, _, body = block.partition("\nbody:\n")
    lines = head.strip().splitlines()
    url = lines[0].strip()
    meta = dict(
        (k.strip(), v.strip()) for k, _, v in (p.partition(":") for p in lines[1].split(" | "))
    )
    title = ""
    facts = []
    for ln in lines[2:]:
        if ln.startswith("title:"):
            title = ln[len("title:") :].strip()
        elif ln.startswith("F:"):
            facts.append(parse_fact(ln[2:], where))
        elif ln.strip():
            raise SystemExit(f"{where}: unexpected line {ln!r}")
    date = meta["date"]
    art: dict[str, object] = {
        "id": "rn-" + hashlib.sha1(url.encode()).hexdigest()[:10],
        "url": url,
        "outlet": meta["outlet"],
        "lang": meta["lang"],
        "script": meta["script"],
        "published": date.rstrip(" ~"),
    }
    if date.endswith("~"):
        art["date_estimated"] = True
    art |= {"title": title, "body": body.strip(), "split": split_of(url), "facts": facts}
    if not title or not art["body"]:
        raise SystemExit(f"{where}: {url} needs a title and a body")
    if meta["lang"] not in ("en", "zh") or meta["script"] not in ("latin", "hans", "hant"):
        raise SystemExit(f"{where}: bad lang/script")
    if not re.fullmatch(r"20(24|25|26)-\d\d-\d\d", str(art["published"])):
        raise SystemExit(f"{where}: bad date {date!r}")
    return art


def build() -> list[dict[str, object]]:
    arts: list[dict[str, object]] = []
    seen: set[str] = set()
    for src in sorted((HERE / "src").glob("*.txt")):
        blocks = re.split(r"^@@ ", src.read_text(encoding="utf-8"), flags=re.M)
        for i, block in enumerate(blocks[1:], 1):
            art = parse_block(block, f"{src.name} block {i}")
            if art["url"] in seen:
                raise SystemExit(f"{src.name}: duplicate url {art['url']}")
            seen.add(str(art["url"]))
            arts.append(art)
    return arts


def main() -> int:
    arts = build()
    with open(HERE / "articles.jsonl", "w", encoding="utf-8") as fh:
        for a in arts:
            fh.write(json.dumps(a, ensure_ascii=False) + "\n")
    counts: dict[str, int] = {}
    for a in arts:
        for key in (a["split"], a["lang"], f"{a['split']}/{a['script']}"):
            counts[str(key)] = counts.get(str(key), 0) + 1
    outlets = {a["outlet"] for a in arts}
    print(f"{len(arts)} articles, {len(outlets)} outlets,", json.dumps(counts, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
