"""Numbers and magnitudes: ``"1,350 亿"`` -> 1.35e11, ``"37.5 billion"`` -> 3.75e10.

Pure and regex-based. The pieces (``NUMBER``, ``MAGNITUDE``, ``CJK_NUMERAL``) are reused by the
mention scanner in :mod:`bot.extract.mentions`; :func:`parse_amount` is the public entry point
that the rules engine uses for thresholds::

    >>> parse_amount("1.2万亿"), parse_amount("100B"), parse_amount("三千八百亿")
    (1200000000000.0, 100000000000.0, 380000000000.0)

Every pattern here is bounded (``\\d{1,15}`` rather than ``\\d+``) so that hostile input such as
ten megabytes of digits is scanned in linear time and never handed whole to ``float()``.
"""

from __future__ import annotations

import re
from typing import Final

from bot.extract.sentences import normalize

# Digits with optional thousands separators and decimals. Bounded repetition keeps scanning
# linear; a digit run longer than 15 is not a figure anyone writes.
NUMBER = r"\d{1,3}(?:,\d{3}){1,5}(?:\.\d{1,6})?|\d{1,15}(?:\.\d{1,6})?"

# English magnitude words and abbreviations -> multiplier. Single letters (k/m/b/t) are only
# accepted glued to the number ("$10m", "100B"), which the scanner enforces.
EN_MAGNITUDES: dict[str, float] = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "bln": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
    "trn": 1e12,
    "t": 1e12,
}
WORD_MAGNITUDE = r"(?:thousand|million|billion|trillion|bn|mn|mln|bln|tn|trn)"
LETTER_MAGNITUDE = r"[kKmMbBT]"
CJK_MAGNITUDE = r"[十百千万萬亿億]{1,4}"

_CJK_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_CJK_SMALL_UNITS: dict[str, int] = {"十": 10, "百": 100, "千": 1000}
_CJK_BIG_UNITS: dict[str, float] = {"万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8}
CJK_MULTIPLIERS: dict[str, float] = {**_CJK_SMALL_UNITS, **_CJK_BIG_UNITS}

# A Chinese numeral as written in running text: at least one digit character, and either a
# big unit (万/亿) somewhere or a small unit. "三千八百亿", "两万", "十二亿".
CJK_NUMERAL = r"[零〇一二两兩三四五六七八九十百千万萬亿億]{1,12}"

_EN_WORDS: dict[str, float] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
    "several": 0, "half": 0.5,
}  # fmt: skip
EN_NUMBER_WORDS = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
    r"thirty|forty|fifty|a|an|half\s+a)"
)


def parse_digits(text: str) -> float:
    """``"1,350"`` -> 1350.0; ``"37.5"`` -> 37.5 (ASCII input as matched by ``NUMBER``)."""
    return float(text.replace(",", ""))


def parse_cjk_numeral(text: str) -> float | None:
    """``"三千八百亿"`` -> 3.8e11, ``"十二"`` -> 12, ``"两万"`` -> 2e4; None if malformed."""
    result = 0.0  # the part already scaled by a big unit (万/亿)
    section = 0.0  # the part below the next big unit
    digit: float | None = None
    last_big = 0.0
    for ch in text:
        if ch in _CJK_DIGITS:
            digit = float(_CJK_DIGITS[ch])
        elif ch in _CJK_SMALL_UNITS:
            section += (1.0 if digit is None else digit) * _CJK_SMALL_UNITS[ch]
            digit = None
        elif ch in _CJK_BIG_UNITS:
            unit = _CJK_BIG_UNITS[ch]
            section += digit or 0.0
            digit = None
            if section == 0.0 and result == 0.0:
                return None
            # "一万二千亿": a bigger unit after a smaller one scales everything so far.
            result = (result + section) * unit if unit > last_big > 0 else result + section * unit
            last_big = unit
            section = 0.0
        else:
            return None
    value = result + section + (digit or 0.0)
    return value if value > 0 or text in ("零", "〇") else None


def cjk_magnitude(text: str) -> float:
    """Multiplier of a magnitude suffix such as ``"亿"``, ``"万亿"``, ``"千亿"`` (product)."""
    factor = 1.0
    for ch in text:
        factor *= CJK_MULTIPLIERS[ch]
    return factor


def en_magnitude(word: str) -> float:
    """Multiplier of an English magnitude word or abbreviation; 1.0 when unknown."""
    return EN_MAGNITUDES.get(word.lower(), 1.0)


def en_number_word(word: str) -> float | None:
    """``"two"`` -> 2.0, ``"half a"`` -> 0.5; None when not a number word."""
    w = " ".join(word.lower().split())
    if w == "half a":
        return 0.5
    v = _EN_WORDS.get(w)
    return None if v is None or v == 0 else float(v)


_AMOUNT: Final = re.compile(
    rf"""\s*(?P<sign>[-+])?\s*(?:US\$|\$|€|£|¥|₩)?\s*
    (?:(?P<num>{NUMBER})|(?P<cjk>{CJK_NUMERAL}))
    \s*(?:(?P<word>{WORD_MAGNITUDE}|[kKmMbBtT])|(?P<cjkmag>{CJK_MAGNITUDE}))?\s*""",
    re.VERBOSE | re.IGNORECASE,
)


def parse_amount(text: str) -> float | None:
    """The value of a number with an optional magnitude, or None if ``text`` is not one.

    Accepts ASCII and full-width digits, thousands separators, English magnitudes
    (thousand/million/billion/trillion, k/m/mn/bn/b/tn/T, case-insensitive), Chinese magnitudes
    (万/亿/万亿/千亿 ...) and Chinese numerals, with an optional sign or leading currency symbol::

        parse_amount("1,350 亿") == 1.35e11; parse_amount("10M") == 1e7; parse_amount("x") is None
    """
    if len(text) > 200:
        return None
    m = _AMOUNT.fullmatch(normalize(text))
    if m is None:
        return None
    if m.group("num"):
        value = parse_digits(m.group("num"))
    else:
        cjk = parse_cjk_numeral(m.group("cjk"))
        if cjk is None:
            return None
        value = cjk
    if m.group("word"):
        value *= en_magnitude(m.group("word"))
    elif m.group("cjkmag"):
        value *= cjk_magnitude(m.group("cjkmag"))
    return -value if m.group("sign") == "-" else value
