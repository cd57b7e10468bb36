"""A difference the extractor reads ("比去年多出600亿元", "$25 billion more than last year") is
shown in the digest as a change (▲ and a signed amount), never as the company's level."""

from __future__ import annotations

from datetime import date

import pytest

from bot.digest import render_markdown, select_digest
from bot.extract import extract
from bot.extract.keyfig import key_figures
from bot.models import Lang, Period
from tests.digest.seed import stored


@pytest.mark.parametrize(
    ("lang", "text", "shown", "not_shown"),
    [
        ("zh", "腾讯今年资本开支比去年多出600亿元。", "▲ +600 亿", "支出 600 亿"),
        ("zh", "騰訊今年資本開支比去年減少了600億元。", "▼ -600 亿", "支出 600 亿"),
        (
            "en",
            "Microsoft will spend $25 billion more on capex than last year.",
            "▲ +$25B",
            " $25B",
        ),
    ],
)
def test_a_difference_is_shown_as_a_change(
    lang: Lang, text: str, shown: str, not_shown: str
) -> None:
    keys = key_figures(extract(text, published=date(2026, 2, 4)), text)
    assert keys and all(f.is_change for f in keys), keys
    figs = [stored(f, id=i, lang=lang) for i, f in enumerate(keys, 1)]
    md = render_markdown(select_digest(figs, Period.parse("2026-W06")), lang)
    line = next(ln for ln in md.splitlines() if "Tencent" in ln or "Microsoft" in ln)
    assert shown in line, md
    assert not_shown not in line, md
