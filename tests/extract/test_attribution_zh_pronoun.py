"""其 opening a clause stands for the sentence's subject (bot.extract.figures)."""

from __future__ import annotations

import datetime as dt

from bot.extract import extract
from bot.extract.keyfig import key_figures

PUB = dt.date(2025, 11, 20)


def owners(text: str) -> list[tuple[str | None, float]]:
    return [(f.entity, f.value) for f in key_figures(extract(text, published=PUB), text)]


def test_qi_is_the_subject_not_the_nearest_name() -> None:
    text = "工业富联是鸿海集团的重要成员，担纲英伟达GB200机柜核心供应商，其在AI服务器市占约40%。"
    assert owners(text) == [("Foxconn Industrial Internet", 40.0)]
    text = "寒武紀是國產AI晶片龍頭，與華為競爭，其營收同比增長43倍。"
    assert owners(text) == [("Cambricon", 43.0)]


def test_qizhong_and_a_name_in_the_clause_are_unchanged() -> None:
    assert owners("英伟达发布财报，其中数据中心营收为512亿美元。") == [("Nvidia", 512e8)]
    assert owners("小米与英伟达合作，英伟达营收增长了20%。") == [("Nvidia", 20.0)]
