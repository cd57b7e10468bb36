"""The substring gates of bot/extract/gates.py never skip a search that would have matched.

Each gate stands in front of one regex: wherever that regex matches, its gate must say "may".
Checked on every labelled and dev sentence (as extract sees them: normalized, simplified,
lower-cased), on sentences written to hit each regex, and on random text built from the regexes'
own words (hypothesis); and extract finds the same figures with the gates switched off.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.extract import extract, figures, gates, qualifiers
from bot.extract.sentences import normalize
from bot.extract.textfold import fold, simplified

DATA = Path(__file__).resolve().parents[1] / "data" / "extract"

# The regex behind each text-wide gate.
GATED: dict[int, list[re.Pattern[str]]] = {
    gates.MARKET_SIZE: [figures._MARKET_SIZE],
    gates.EXCLUDED: [figures._EXCLUDED],
    gates.POSSESSIVE: [figures._OBJECT_POSSESSIVE],
    gates.EXCHANGE: [figures._EXCHANGE_AFTER],
    gates.COST: [figures._COST_NOUN],
    gates.QUARTER: [figures._THIS_QUARTER, figures._STEP_QUARTER],
    gates.STAKE: [figures._STAKE_WORD],
}

WRITTEN = [
    "China's internet advertising 市场规模达1875亿元, and the market size is $40 billion.",
    "The size of the global AI chip market reached $120 billion; AI产业规模可能达到1万亿美元.",
    "剔除爱奇艺后为2904亿元，不包括阿里云，不含税，扣除费用后，除去成本，除了腾讯.",
    "Revenue excluding iQIYI was $4 billion (excl. one-offs), led by Japan's SoftBank.",
    "Nvidia (Nasdaq: NVDA) and the Nasdaq-listed firm, listed in Hong Kong, rose 5%.",
    "This quarter revenue rose 8%; the current quarter, last quarter and NEXT QUARTER too.",
    "本季度收入增长8%，这一季、该季度、单季和当季度的利润，本财季 up from a year ago.",
    "OpenAI takes a 10% stake in AMD, close to 10% ownership, a modest 20 per cent slice.",
    "Net sales of $4.60 billion versus $5.68 billion, vs. $3 billion, compared with $2 billion.",
    "自由现金流转为负47亿元，净利润为负3亿元，经营利润: 负5亿元，負2億元。",
    "Sales rose to $5 billion from $4 billion, more than $3 billion, against $2 billion.",
]


def _texts() -> list[str]:
    out = list(WRITTEN)
    for name in ("labelled.jsonl", "real_dev.jsonl"):
        with (DATA / name).open(encoding="utf-8") as fh:
            out += [json.loads(line)["text"] for line in fh if line.strip()]
    return out


def _lows(text: str) -> list[tuple[str, bool]]:
    """The copies extract searches: the lower-cased one (folded) or the text itself."""
    norm = simplified(normalize(text))
    folded = fold(norm)
    return [(norm, False)] if folded is None else [(folded, True), (norm, False)]


# Regexes anchored at the end of the searched window ("excluding $", "from China's $").
ENDING = {gates.EXCLUDED, gates.POSSESSIVE}


def _matches(i: int, low: str) -> bool:
    ends = range(len(low) + 1) if i in ENDING else [len(low)]
    return any(p.search(low, 0, end) is not None for p in GATED[i] for end in ends)


def _check_text_gates(text: str) -> None:
    for low, folded in _lows(text):
        g = gates.Gates(low, folded)
        for i in GATED:
            if _matches(i, low):
                assert g.may(i), (i, text)


def _check_window_gates(text: str) -> None:
    for low, _ in _lows(text):
        for m in figures._COMPARED_GAP.finditer(low):
            assert gates.has_any_in(low, gates.COMPARED_WORDS, m.start(), m.end()), text
        for end in range(len(low) + 1):
            start = max(0, end - 4)
            if qualifiers._NEGATIVE_ZH.search(low, start, end) is not None:
                assert gates.may_be_negative_zh(low, start, end), text


def test_written_sentences_open_every_gate() -> None:
    for text in WRITTEN:
        _check_text_gates(text)
        _check_window_gates(text)
    hits = {i for t in WRITTEN for i in GATED if _matches(i, fold(t) or t)}
    assert hits == set(GATED)  # each regex matches somewhere: the checks above are not empty


def test_gates_never_reject_a_labelled_or_dev_sentence() -> None:
    for text in _texts():
        _check_text_gates(text)
        _check_window_gates(text)


_PIECES = [
    "size", "market", " ", "the ", "of ", "规模", "产值", "市场", "的", "除", "不包括", "不含",
    "excl.", "excluding", "from ", "china", "'s", "’s", "nasdaq", ":", "-listed", "listed",
    "费用", "成本", "this", "THIS ", "the current", "quarter", "QUARTER", "last", "next", "本",
    "该", "季", "财", "个", "ing", "stake", "ownership", "slice", "versus", "vs", "compared",
    "with", "against", "than", "1", "$5", "负", "負", "为", "，", ",", "(", "ſ", "K",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=14))
def test_gates_on_random_text(pieces: list[str]) -> None:
    text = "".join(pieces)
    _check_text_gates(text)
    _check_window_gates(text)


@pytest.mark.parametrize("name", ["labelled.jsonl", "real_dev.jsonl"])
def test_same_figures_without_gates(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The figures of every sentence with figures are the same when every gate says "may"."""
    with (DATA / name).open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    pub = dt.date(2026, 2, 4)
    gated = [extract(r["text"], published=pub) for r in rows]
    if not isinstance(gates.Gates.may, type(test_gates_on_random_text)):
        pytest.skip("compiled gates cannot be switched off (the pure-Python run checks this)")
    monkeypatch.setattr(gates.Gates, "may", lambda self, i: True)
    monkeypatch.setattr(gates, "has_any_in", lambda text, words, start, end: True)
    monkeypatch.setattr(gates, "may_be_negative_zh", lambda text, start, end: True)
    monkeypatch.setattr(qualifiers, "may_be_negative_zh", lambda text, start, end: True)
    open_ = [extract(r["text"], published=pub) for r in rows]
    assert [len(f) for f in gated if f] and gated == open_
