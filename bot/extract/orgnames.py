"""Organisations the lexicon does not know, found by the shape of their names (pure).

Conservative on purpose: a wrong company is worse than none (the article's subject or the
paragraph's company usually fills in). A name is accepted only with a signal that it is an
organisation:

- a legal or group suffix: "Nebius Group", "Crusoe Energy Systems Inc.", "Zhipu Holdings";
  "…集团", "…公司", "…控股" (the name before it stops at a function character such as
  的/该/这/家, so "该季度公司", "家总部位于北京的公司" and "这四家公司" give nothing; one opening
  with a reporting or forecasting verb, "预计公司", is a clause about "the company");
- a stock ticker after it: "Nebius (NASDAQ: NBIS)";
- weakest, only at the start of a sentence (its first, or a later one in the paragraph) and
  followed by the verb of a clause stating its own figure: a modal ("Nscale will", "could"), a
  present-tense business verb ("raises", "expects") or a past tense ("Nebius raised", "Zhongji
  Innolight reported", "Crusoe won") that is no verb of saying ("said", "noted", "told":
  "PitchBook said venture funding reached $209bn" is not PitchBook's figure; "CoreWeave said
  its revenue…" is CoreWeave's): capitalised words none of which is a common English word.

"Common" is decided by a word list from a well-kept source, wordfreq's frequency of the word in
English (Zipf >= 3.3: "despite", "capital", "management", "son", "trump", "free", "down"), so
common words, sentence adverbs and most first names never become companies without anyone
listing them. Metric names and known names (lexicon) are refused by the caller's ``is_known``.

This module is not compiled with mypyc (setup.py leaves it out): it calls into wordfreq.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Final

_COMMON_ZIPF: Final = 3.3

_SUFFIX: Final = (
    r"Inc\.?|Incorporated|Corp\.?|Corporation|Ltd\.?|Limited|LLC|L\.L\.C\.|PLC|plc|Group|"
    r"Holdings?|Co\.|N\.V\.|S\.A\.|AG|SE|GmbH|Technologies|Technology|Labs|Semiconductors?|"
    r"Networks|Systems|Platforms|Robotics|Computing|Energy|Therapeutics|Bancorp"
)
_NAME_WORD: Final = r"[A-Z][A-Za-z0-9&'\-]*(?:\.[a-z]{2,3})?"
_WITH_SUFFIX: Final = re.compile(
    rf"(?<![A-Za-z0-9])(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}}?),?\s+(?P<suf>{_SUFFIX})"
    r"(?![A-Za-z])"
)
_TICKER: Final = re.compile(
    rf"(?<![A-Za-z0-9])(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}})\s*\(\s*"
    r"(?:NASDAQ|Nasdaq|NYSE|NYSE American|TSX|LSE|HKEX|HKG|SEHK|TWSE|TPE|KRX|KOSDAQ|TYO|SSE|SZSE"
    r"|SHA|SHE|OTC|OTCQX|ASX|Euronext)\s*:\s*[A-Z0-9.]{1,8}\s*\)"
)
_LEAD: Final = re.compile(
    rf"^\s*(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}}?)(?:'s)?\s+"
    r"(?:(?:has|have|had|also|now|recently|just|then|reportedly|previously)\s+)*"
    r"(?P<verb>[a-z]+)\b(?P<after>[^.;:]{0,30})"
)
# What may follow the name for it to be the subject of a business clause: a modal, a
# present-tense business verb, or a past tense that is not a verb of saying.
_MODALS: Final = frozenset(
    ["will", "would", "could", "may", "might", "can", "should", "must", "plans", "aims"]
)
_PRESENT: Final = frozenset(
    [
        "raises", "reports", "posts", "records", "secures", "closes", "announces", "expects",
        "invests", "spends", "signs", "forecasts", "targets", "generates", "books", "borrows",
        "earns", "projects", "guides", "sees", "is", "agrees", "completes", "buys",
        "sells", "builds", "operates", "commits",
    ]
)  # fmt: skip
# Irregular past tenses of business verbs (the regular ones end in -ed).
_IRREGULAR_PAST: Final = frozenset(
    [
        "won", "spent", "lost", "sold", "bought", "made", "took", "got", "grew", "hit", "set",
        "cut", "put", "paid", "led", "struck", "drew", "brought", "built", "became", "began",
        "saw", "held", "kept", "rose", "fell", "ran", "sank", "shed", "swung", "forecast", "was",
        "bid", "undertook", "overtook", "outspent",
    ]
)  # fmt: skip
# Verbs of saying: the speaker's own figure only when it speaks of itself ("CoreWeave said its
# revenue…", "… said it raised"); "PitchBook said venture funding reached $209bn" is not
# PitchBook's figure. Nor is what a person "noted" or "highlighted".
_SPEAKER: Final = frozenset(
    [
        "said", "says", "told", "tells", "noted", "notes", "added", "adds", "stated", "states",
        "explained", "stressed", "emphasized", "emphasised", "highlighted", "warned", "argued",
        "suggested", "claimed", "commented", "remarked", "cautioned", "observed", "wrote",
        "insisted", "acknowledged", "admitted", "confirmed", "confirms", "mentioned", "pointed",
        "believed", "believes", "estimated", "estimates", "predicted", "predicts", "reckoned",
        "cited", "quoted", "disclosed", "revealed", "indicated", "indicates", "asked", "replied",
        "responded", "continued", "concluded", "described", "called", "named", "founded",
    ]
)  # fmt: skip
_ITSELF: Final = re.compile(
    r"\s+(?:on\s+\w+\s+|in\s+a\s+\w+\s+)?(?:that\s+)?(?:it|its|the\s+company(?:'s)?|the\s+firm(?:'s)?)\b"
)
_ADJECTIVE_ED: Final = frozenset(["based", "listed", "backed", "owned", "led", "funded", "related"])


def _business_verb(verb: str, after: str) -> bool:
    """Whether ``verb`` (the word after a name, ``after`` the text that follows it) makes the
    name the subject of a clause stating its own figure."""
    if verb in _SPEAKER:
        return verb in ("said", "says", "disclosed", "revealed", "confirmed", "confirms") and (
            _ITSELF.match(after) is not None
        )
    if verb in _MODALS or verb in _PRESENT or verb in _IRREGULAR_PAST:
        # "is"/"was" only as "is valued at": "Johor is rapidly becoming a hub" names a place
        return verb not in ("is", "was") or after.lstrip().startswith("valued")
    return verb.endswith("ed") and len(verb) > 4 and verb not in _ADJECTIVE_ED


_ZH_ORG: Final = re.compile(r"[\u4e00-\u9fff]{2,12}?(?:集团|公司|控股)")
# Characters that end a Chinese name: what comes before them is not part of it.
_ZH_STOP: Final = frozenset(
    "的该这那此其各某本我你他她它们家位于在是和与及对将已为向从被把让给等了也都而并据称说报道一二两三四五六七八九十几多每首前后上下内外各个年月日占属受惠要指出表示关于由因所但或比较"
)
_ZH_NOT_NAME: Final = frozenset(
    ["季度", "年度", "公司", "集团", "控股", "科技", "上市", "母", "子", "总", "分", "控股子"]
)
# A place opening the name makes it a description ("大陆科技公司": a mainland tech company).
_ZH_PLACES: Final = (
    "大陆",
    "中国",
    "美国",
    "国内",
    "海外",
    "全球",
    "本土",
    "台湾",
    "香港",
    "日本",
    "韩国",
    "欧洲",
    "北京",
    "上海",
    "深圳",
    "杭州",
    "科技",
    "互联网",
    "芯片",
)
# A verb of reporting or forecasting opening the name makes it a clause about "the company"
# ("预计公司2025年营收", "维持公司买入评级"), as in brokers' notes.
_ZH_VERBS: Final = (
    "预计", "预期", "预测", "估计", "认为", "显示", "指出", "表示", "透露", "宣布", "公布", "看好",
    "建议", "维持", "上调", "下调", "给予", "推动", "带动", "帮助", "支持", "导致", "使得", "令",
)  # fmt: skip
# Lower-cased words that stay in a name's first position only when something else follows.
_DETERMINERS: Final = frozenset(["the", "a", "an", "its", "their", "this", "that", "but", "and"])


@functools.cache
def _frequency() -> Callable[[str, str], float] | None:
    try:
        from wordfreq import zipf_frequency  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:  # pragma: no cover - wordfreq is a dependency
        return None
    return zipf_frequency  # type: ignore[no-any-return,unused-ignore]


@functools.lru_cache(maxsize=8192)
def is_common_word(word: str) -> bool:
    """Whether ``word`` is a common English word (wordfreq Zipf >= 3.3), case-insensitively.

    Without wordfreq, every word counts as common: no name is then found by its shape alone.
    """
    freq = _frequency()
    if freq is None:
        return True
    return freq(word.lower(), "en") >= _COMMON_ZIPF


def _clean_name(name: str, is_known: Callable[[str], bool]) -> str | None:
    words = name.split()
    while words and (words[0].lower() in _DETERMINERS or is_common_word(words[0])):
        words = words[1:]  # "The", "Despite", "Rival" before the name itself
    if not words:
        return None
    out = " ".join(words)
    if out.endswith("'s"):
        out = out[:-2]
    if is_known(out) or any(is_known(w) for w in words):
        return None
    return out


def strong_name(text: str, lo: int, hi: int, is_known: Callable[[str], bool]) -> str | None:
    """The last organisation in ``text[lo:hi]`` named with a suffix or a ticker, else None."""
    best: tuple[int, str] | None = None
    window = text[lo:hi]
    ascii_window = window.isascii()
    if any("A" <= c <= "Z" for c in window):
        for pattern, keep_suffix in ((_WITH_SUFFIX, True), (_TICKER, False)):
            for m in pattern.finditer(text, lo, hi):
                name = _clean_name(m.group("name"), is_known)
                if name is not None and not keep_suffix:
                    name = re.sub(rf"\s+(?:{_SUFFIX})$", "", name) or None
                if name is None:
                    continue
                if keep_suffix and m.group("suf").rstrip(".") in ("Group", "Holdings", "Holding"):
                    name = f"{name} {m.group('suf')}"
                if best is None or m.start() >= best[0]:
                    best = (m.start(), name)
    if not ascii_window:
        for z in _ZH_ORG.finditer(text, lo, hi):
            raw = z.group()
            cut = max((i for i, c in enumerate(raw) if c in _ZH_STOP), default=-1)
            name = raw[cut + 1 :]
            stem = name[:-2]
            if (
                len(stem) < 2
                or stem in _ZH_NOT_NAME
                or stem.startswith(_ZH_PLACES)
                or stem.startswith(_ZH_VERBS)
            ):
                continue
            if is_known(name) or is_known(stem):
                continue
            if best is None or z.start() >= best[0]:
                best = (z.start(), name)
    return None if best is None else best[1]


def lead_name(sentence: str, is_known: Callable[[str], bool]) -> str | None:
    """A capitalised name opening ``sentence`` before the verb of a business clause ("Nebius
    raised …", "Nscale will build …", "CoreWeave said its …"), whose words are all uncommon in
    English; else None."""
    m = _LEAD.match(sentence)
    if m is None or not _business_verb(m.group("verb"), m.group("after")):
        return None
    words = m.group("name").split()
    if words and words[0] == "The":
        words = words[1:]
    if not words or any(is_common_word(w.removesuffix("'s")) for w in words):
        return None
    if any(len(w) <= 4 and w.isupper() for w in words):
        return None  # an abbreviation ("RPO", "FCF") is a metric or a ticker, not a name here
    name = " ".join(words)
    return None if is_known(name) else name


_PLACE_LEAD: Final = re.compile(
    rf"^\s*(?:[A-Z][A-Z .]+:\s*)?(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}}?)(?:'s|’s)?\s+[a-z]"
)


def lead_place(sentence: str, is_known: Callable[[str], bool]) -> str | None:
    """The capitalised name opening ``sentence`` (after a dateline such as "KUALA LUMPUR:"),
    whatever its verb ("Johor is becoming a hub", "Texas leads"), when its words are all
    uncommon in English and the lexicon does not know it: the place or body a sum of projects
    is named after. None otherwise."""
    m = _PLACE_LEAD.match(sentence)
    if m is None:
        return None
    words = m.group("name").split()
    if not words or any(is_common_word(w) or (len(w) <= 4 and w.isupper()) for w in words):
        return None
    name = " ".join(words)
    return None if is_known(name) else name


_OBJECT_NAME: Final = re.compile(rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}}")


def object_name(text: str, pos: int, is_known: Callable[[str], bool]) -> str | None:
    """The capitalised name starting at ``pos`` ("for Vantage Data Centers" from "Vantage"),
    when its first word is no common English word and the lexicon does not know it; else
    None. The words after the first may be common ("Data Centers", "Capital")."""
    m = _OBJECT_NAME.match(text, pos)
    if m is None:
        return None
    words = m.group().split()
    if is_common_word(words[0]) or (len(words[0]) <= 4 and words[0].isupper()):
        return None
    name = " ".join(words).removesuffix("'s")
    return None if is_known(name) or is_known(words[0]) else name
