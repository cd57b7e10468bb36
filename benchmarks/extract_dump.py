"""Dump every figure the extractor finds in the test corpora, for identity checks across builds.

    .venv/bin/python benchmarks/extract_dump.py OUT.jsonl

Sentences of tests/data/extract/labelled.jsonl and real_dev.jsonl (each with its language and
without, so detection runs too), the bodies of tests/data/real_news/articles.jsonl (with their
titles) and the archive/ briefings. One JSON line per input: its id and every field of every
figure (spans and sentences included), then its key figures. An optimisation must leave the
file byte-identical (``cmp old.jsonl new.jsonl``). Nothing is scored here.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path

from bot.config import load_config
from bot.extract import extract
from bot.extract.keyfig import key_figures
from bot.native import extractor_build
from bot.pipeline import lexicon_for
from bot.sources.archive import briefing_date

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    cfg = load_config(os.environ)
    lex = lexicon_for(cfg)
    out = open(sys.argv[1], "w", encoding="utf-8")  # noqa: SIM115

    def emit(key: str, text: str, **kw: object) -> None:
        figs = extract(text, rates=cfg.rates, lexicon=lex, **kw)  # type: ignore[arg-type]
        keys = key_figures(figs, text)
        rec = {
            "id": key,
            "figures": [f.model_dump(mode="json") for f in figs],
            "key": [f.model_dump(mode="json") for f in keys],
        }
        out.write(json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n")

    for name in ("labelled", "real_dev"):
        path = ROOT / "tests" / "data" / "extract" / f"{name}.jsonl"
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            r = json.loads(line)
            pub = dt.date.fromisoformat(r["published"]) if r.get("published") else None
            emit(f"{name}:{i}:lang", r["text"], published=pub, lang=r.get("lang"))
            emit(f"{name}:{i}:detect", r["text"], published=pub)
    path = ROOT / "tests" / "data" / "real_news" / "articles.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        pub = dt.date.fromisoformat(r["published"])
        emit(f"article:{r['id']}", r["body"], published=pub, lang=r["lang"], title=r["title"])
        emit(f"article:{r['id']}:notitle", r["body"], published=pub)
    for p in sorted((ROOT / "archive").glob("*.txt")):
        text = p.read_text(encoding="utf-8-sig")
        emit(f"archive:{p.name}", text, published=briefing_date(text))
    out.close()
    print(f"{sys.argv[1]}: build {extractor_build()}", file=sys.stderr)


if __name__ == "__main__":
    main()
