"""Language guess for a piece of text: Chinese if CJK ideographs dominate the letters (pure)."""

from __future__ import annotations

from bot.models import Lang


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF


def detect_lang(text: str, sample: int = 4000) -> Lang:
    """'zh' when at least 30 % of the letters in the first ``sample`` chars are CJK ideographs."""
    cjk = latin = 0
    for ch in text[:sample]:
        if is_cjk(ch):
            cjk += 1
        elif ch.isalpha():
            latin += 1
    # One ideograph carries about as much as a word of ~4 Latin letters.
    return "zh" if cjk * 4 >= 0.3 * (cjk * 4 + latin) and cjk > 0 else "en"
