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
from decimal import Decimal
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
    "mil": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "bln": 1e9,
    "bil": 1e9,  # Malaysian and Singaporean press: "US$25bil", "RM10bil", "RM1.2mil"
    "b": 1e9,
    "trillion": 1e12,
    "lakh": 1e5,
    "lakhs": 1e5,
    "crore": 1e7,
    "crores": 1e7,
    "lakh crore": 1e12,
    "lakh crores": 1e12,
    "tn": 1e12,
    "trn": 1e12,
    "t": 1e12,
}
WORD_MAGNITUDE = (
    r"(?:thousand|million|billion|trillion|bn|mn|mln|bln|bil|mil|tn|trn|lakh\s+crores?|crores?"
    r"|lakhs?)"
)
LETTER_MAGNITUDE = r"[kKmMbBT]"
# 兆 is 10^12 (Taiwan, Malaysia, Japan: "三點三四兆", "2兆美元"); before 瓦 it is "mega" (兆瓦 =
# MW), which the scanner handles.
# 百 before 分点 is the unit "percentage point" ("年減14.1百分點"), not a hundred.
CJK_MAGNITUDE = r"[十百千万萬亿億兆]{1,4}"

_CJK_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_CJK_SMALL_UNITS: dict[str, int] = {"十": 10, "百": 100, "千": 1000}
_CJK_BIG_UNITS: dict[str, int] = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8, "兆": 10**12}
CJK_MULTIPLIERS: dict[str, float] = {
    **{k: float(v) for k, v in _CJK_SMALL_UNITS.items()},
    **{k: float(v) for k, v in _CJK_BIG_UNITS.items()},
}
_CJK_POINTS: Final = "点點."  # "二八○六．二四億" (a full-width point, normalized to ".")

# A Chinese numeral as written in running text: at least one digit character, and either a
# big unit (万/亿) somewhere or a small unit. "三千八百亿", "两万", "十二亿", "三點三四兆",
# "一三五點五八億" (digit by digit), "一一三○億" (○ for zero).
CJK_NUMERAL = r"[零〇○一二两兩三四五六七八九十百千万萬亿億兆廿卅]{1,12}(?:[点點.][零〇○一二三四五六七八九]{1,6}[万萬亿億兆]{0,2})?"

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


def scaled(base: float, mag: float) -> float:
    """``base * mag`` without binary float artefacts: ``scaled(129.83, 1e8) == 12983000000.0``.

    A float's repr is the shortest decimal that reads back as it (what the text wrote, for
    numbers parsed from text), so the product is computed on that decimal and rounded once.
    Whole numbers (the usual case) multiply exactly as floats.
    """
    if mag == 1.0 or (base.is_integer() and mag.is_integer()):
        return base * mag
    b, m = repr(base), repr(mag)
    if "e" in b or "e" in m or "n" in b or "n" in m:  # 1e-07, inf, nan: rare, let decimal do it
        return float(Decimal(b) * Decimal(m))
    # The decimal digits as integers, one division: int / int rounds once, correctly.
    bi, _, bf = b.partition(".")
    mi, _, mf = m.partition(".")
    return int(bi + bf) * int(mi + mf) / 10 ** (len(bf) + len(mf))


def _section(text: str) -> int | None:
    """An integer below 万 written with 十/百/千 ("三千八百", "十二") or digit by digit
    ("一一三○", "二〇二五"); None if malformed. "" is 0."""
    if not text:
        return 0
    if len(text) > 1 and all(ch in _CJK_DIGITS for ch in text):
        value = 0
        for ch in text:
            value = value * 10 + _CJK_DIGITS[ch]
        return value
    value = 0
    digit: int | None = None
    for ch in text:
        if ch in _CJK_DIGITS:
            digit = _CJK_DIGITS[ch]
        elif ch in _CJK_SMALL_UNITS:
            value += (1 if digit is None else digit) * _CJK_SMALL_UNITS[ch]
            digit = None
        else:
            return None
    return value + (digit or 0)


def parse_cjk_numeral(text: str) -> float | None:
    """``"三千八百亿"`` -> 3.8e11, ``"十二"`` -> 12, ``"两万"`` -> 2e4, ``"三點三四兆"`` -> 3.34e12,
    ``"一三五點五八億"`` -> 1.3558e10, ``"一一三○億"`` -> 1.13e11; None if malformed.

    Exact: computed on integers (a decimal part as a fraction of a power of ten), rounded once.
    """
    if "廿" in text or "卅" in text:  # "廿三" is 23
        text = text.replace("廿", "二十").replace("卅", "三十")
    frac_digits = ""
    frac_units = ""
    for p in _CJK_POINTS:
        if p in text:
            text, _, rest = text.partition(p)
            i = 0
            while i < len(rest) and rest[i] in _CJK_DIGITS:
                i += 1
            frac_digits, frac_units = rest[:i], rest[i:]
            if not frac_digits or not text or any(c not in _CJK_BIG_UNITS for c in frac_units):
                return None
            if any(c in _CJK_BIG_UNITS for c in text):
                return None
            break
    result = 0  # the part already scaled by a big unit (万/亿/兆)
    last_big = 0
    section = ""
    for ch in text:
        if ch in _CJK_BIG_UNITS:
            unit = _CJK_BIG_UNITS[ch]
            sec = _section(section)
            if sec is None or (sec == 0 and result == 0):
                return None
            # "一万二千亿": a bigger unit after a smaller one scales everything so far.
            result = (result + sec) * unit if unit > last_big > 0 else result + sec * unit
            last_big = unit
            section = ""
        elif ch in _CJK_DIGITS or ch in _CJK_SMALL_UNITS:
            section += ch
        else:
            return None
    sec = _section(section)
    if sec is None:
        return None
    value = result + sec
    if frac_digits:
        scale = 1
        for c in frac_units:
            scale *= _CJK_BIG_UNITS[c]
        num = value * 10 ** len(frac_digits) + int(
            "".join(str(_CJK_DIGITS[c]) for c in frac_digits)
        )
        return num * scale / 10 ** len(frac_digits)
    return float(value) if value > 0 or text in ("零", "〇", "○") else None


def cjk_magnitude(text: str) -> float:
    """Multiplier of a magnitude suffix such as ``"亿"``, ``"万亿"``, ``"千亿"`` (product)."""
    factor = 1.0
    for ch in text:
        factor *= CJK_MULTIPLIERS[ch]
    return factor


def en_magnitude(word: str) -> float:
    """Multiplier of an English magnitude word or abbreviation; 1.0 when unknown."""
    return EN_MAGNITUDES.get(" ".join(word.lower().split()), 1.0)


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
