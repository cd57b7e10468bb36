"""The speed-ups give the same answers as the plain forms they replace (see each module)."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from pathlib import Path

import pytest

from bot.extract import entities, mentions, periods, qualifiers
from bot.extract.sentences import normalize
from bot.extract.textfold import ascii_lower, fold

LABELLED = Path(__file__).resolve().parents[1] / "data" / "extract" / "labelled.jsonl"
TRICKY = [
    "the quarter ended Sept. 30, 2025; Q3 2025: H1 2026 (fiscal 2025) 2026–2030",
    "revenue rose in June. 2025 sales; first half\n\n2025 and year-end 2025",
    "2025 年第三季度、前三季、上半年、截至 9 月的三个月;去年 9 月以来 5%",
    "US$ 1.5 bn, half  a million users, two million, HALF A BILLION, 三千八百亿元",
    "abc123 5nm 8e5c $60-65bn U.S.$5 Rs. 300 crore 1,350 亿美元",
    "UP TO $5 BILLION, More Than 10%, SOME 3 million; ſecond Kelvin \u212a 1 bıllion",
]


def _corpus() -> list[str]:
    texts = [json.loads(line)["text"] for line in LABELLED.open(encoding="utf-8")]
    rng = random.Random(7)
    joined = [rng.choice(["\n\n", " ", "; ", ". "]).join(rng.sample(texts, 6)) for _ in range(40)]
    return [normalize(t) for t in texts + joined + TRICKY]


def test_fold_refuses_texts_where_lower_disagrees_with_ignorecase() -> None:
    assert fold("Q3 Revenue") == "q3 revenue"
    for ch in ("\u0130", "\u0131", "\u017f", "\u212a"):
        assert fold(f"a{ch}b") is None
    assert ascii_lower("AbC ÉÜ 微软 \u212a") == "abc ÉÜ 微软 \u212a"


def _plain_periods(text: str, pub: dt.date) -> list[tuple[int, int, str | None]]:
    """Every pattern over the whole text, gated as before blocks existed."""
    present = {h.lower() for h in periods._TRIGGER_RE.findall(text)}
    found = []
    for (pattern, handler), triggers in zip(periods._PATTERNS, periods._TRIGGER_SETS, strict=True):
        if present.isdisjoint(triggers):
            continue
        for m in pattern.finditer(text):
            if m.end() > m.start():
                found.append((m.start(), -m.end(), handler(m, pub)))
    return found


@pytest.mark.parametrize("pub", [dt.date(2026, 2, 4)])
def test_period_blocks_find_what_whole_text_scans_find(pub: dt.date) -> None:
    for text in _corpus():
        assert sorted(periods._raw_matches(text, pub)) == sorted(_plain_periods(text, pub)), text


def test_token_anchors_find_what_finditer_finds() -> None:
    for text in _corpus():
        plain = [(m.span(), m.groupdict()) for m in mentions._TOKEN.finditer(text)]
        fast = [(m.span(), m.groupdict()) for m in mentions._token_matches(text)]
        assert fast == plain, text


def _plain_lexicon_regex(words: list[str]) -> re.Pattern[str]:
    latin = [w for w in words if entities._is_latin(w)]
    other = [w for w in words if not entities._is_latin(w)]
    parts = [r"(?<![A-Za-z0-9])" + entities._trie_regex(latin) + r"(?![A-Za-z0-9])"]
    parts.append(entities._trie_regex(other))
    return re.compile("|".join(parts))


def test_lexicon_regex_matches_like_the_plain_alternation() -> None:
    words = ["Meta", "Meta Platforms", "Meta平台", "A股份", "AB", "A", "Amazon.com", "微软", "x"]
    fast, plain = entities._compile(words), _plain_lexicon_regex(sorted(set(words)))
    for text in [*_corpus(), "Meta平台 A股份 AB A Amazon.com.cn xA Ax 微软x", "MetaPlatforms"]:
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_lower_case_twins_have_no_upper_case_letters() -> None:
    """A twin runs on lower-cased text, so an upper-case letter in it could never match."""
    for twin in (
        qualifiers._QUAL_BEFORE_F,
        qualifiers._QUAL_AFTER_F,
        qualifiers._CHANGE_BEFORE_F,
        qualifiers._CHANGE_AFTER_F,
        qualifiers._BASIS_F,
    ):
        source = re.sub(r"\[[^\]]*\]|\\.|\(\?P<\w+>", "", twin.pattern)
        assert not re.search(r"[A-Z]", source), twin.pattern
