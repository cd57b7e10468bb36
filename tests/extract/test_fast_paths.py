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


def test_period_twins_have_no_upper_case_letters() -> None:
    for twin in periods._FOLDED_TWINS.values():
        source = re.sub(r"\[[^\]]*\]|\\.|\(\?P<\w+>", "", twin.pattern)
        assert not re.search(r"[A-Z]", source), twin.pattern


def test_year_patterns_match_their_lookbehind_first_forms() -> None:
    year = periods._YEAR
    plain = {
        19: re.compile(
            rf"(?<![\d.,$A-Za-z])(?P<y>{year})(?![\d%A-Za-z])(?!\s*(?:亿|万|billion|million))"
        ),
        16: re.compile(rf"(?<!\d)(?P<a>{year})\s*[-~至到]\s*(?P<b>{year})(?!\d)"),
    }
    texts = [*_corpus(), "x2025 .2025 2025-2026 12025 2019~2020年 $2020 2025亿 2026 billion a2020"]
    for i, pattern in plain.items():
        fast = periods._PATTERNS[i][0]
        for text in texts:
            assert [(m.span(), m.groups()) for m in fast.finditer(text)] == [
                (m.span(), m.groups()) for m in pattern.finditer(text)
            ], text


_PHRASE_WORDS = (
    "up to as much high at the most a an maximum of no not more than record peak least less "
    "fewer over above topped under below shy close just nearly about roughly approx. some "
    "estimated approximate rose fell rise increase growth by wiped out cut down higher "
    "year-on-year annual from a year earlier prior quarter sequentially yoy 约 超过 增长 了 达 "
    "Up TO Over , $ ~"
)


def _phrase_texts() -> list[str]:
    """Numbers after random runs of the words the qualifier/change/basis patterns use."""
    words = _PHRASE_WORDS.split()
    rng = random.Random(3)
    out = []
    for _ in range(3000):
        pre = "".join(rng.choice(words) + rng.choice([" ", "  ", "\n", ""]) for _ in range(6))
        out.append(pre + "5% " + " ".join(rng.choice(words) for _ in range(4)))
    # Every word that may come before "of"/"to" in a phrase, and a few that may not.
    before = "increase rise jump surge growth decrease drop decline fall loss maximum minimum "
    before += "record peak excess upwards north shy up close wiped raised lowered xup sup so"
    out += [f"a {a} {b} 5% x" for a in before.split() for b in ("of", "to", "by", "out")]
    return out


def test_word_lookups_agree_with_the_case_insensitive_searches() -> None:
    """On lower-cased text the qualifier/change/basis lookups skip or narrow the end-anchored
    searches (word tables, word counts, needed words); the IGNORECASE path does no such thing."""
    for text in _phrase_texts():
        low = fold(text)
        assert low is not None
        start = text.index("5%")
        end, hi = start + 2, len(text)
        for lo in (0, max(0, start - 10)):
            for fn in (qualifiers.qualifier, qualifiers.change, qualifiers.change_basis):
                assert fn(low, start, end, lo, hi, folded=True) == fn(
                    text, start, end, lo, hi, folded=False
                ), (fn.__name__, text, lo)
