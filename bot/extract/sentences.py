"""Text layout for extraction: same-length normalization, segments (sentences), clauses, language.

``normalize`` maps full-width digits and punctuation, dash variants, odd spaces and control
characters one-for-one to ASCII, so every offset in the normalized text is an offset in the
original (figure spans index the caller's text).

A *segment* is what a reader calls a sentence: text between ``。!?;:`` (ASCII or full-width), a
``.`` that ends a sentence, or a blank line. Semicolons and colons split because briefings chain
one fact per clause ("... capex in 2026: Meta says ...; Tesla plans ..."). A *clause* is a
segment part between commas (``,``/``，`` not inside a number). A *paragraph* ends at a blank line.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Final

from bot.models import Lang

_MAP: dict[int, str] = {}
for _i in range(10):
    _MAP[0xFF10 + _i] = str(_i)  # full-width digits
for _i in range(26):
    _MAP[0xFF21 + _i] = chr(0x41 + _i)
    _MAP[0xFF41 + _i] = chr(0x61 + _i)
_MAP.update(
    {
        ord(k): v
        for k, v in {
            "，": ",", "．": ".", "％": "%", "＄": "$", "￥": "¥", "（": "(", "）": ")",
            "：": ":", "；": ";", "～": "~", "－": "-", "＋": "+", "！": "!", "？": "?",
            "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-", "﹣": "-",
            "\u00a0": " ", "\u3000": " ", "\u2009": " ", "\u202f": " ", "\u2007": " ",
            "\u200b": " ", "\ufeff": " ", "’": "'", "‘": "'", "＆": "&", "／": "/",
            "﹒": ".", "﹐": ",", "﹪": "%", "﹩": "$",
        }.items()
    }
)  # fmt: skip
# Small form variants (U+FE50..): Hong Kong filings write "營業額增長9﹒9%至29﹒38億元", "77﹐709片".
for _c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F]:
    _MAP[_c] = " "
_MAP[0x0D] = "\n"
_MAP[0x09] = " "


# Most characters map to themselves: replacing only the few that do is far cheaper than
# ``str.translate``, which looks every character up in the table.
_MAPPED: Final = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_MAP)) + "]")


def _mapped(m: re.Match[str]) -> str:
    return _MAP[ord(m.group())]


def normalize(text: str) -> str:
    """Same-length ASCII-fication of digits, punctuation, dashes and spaces (offsets preserved).

    In Chinese text a decimal point followed by a space that PDF and HTML extraction left
    ("同比增长90. 05%", "42. 44亿元") is closed up, the space moved after the number
    ("90.05 %"): one number, and no sentence ends at its point."""
    if text.isascii() and text.isprintable():
        return text  # the only ASCII characters mapped are control characters (not printable)
    out = _MAPPED.sub(_mapped, text)
    if ". " in out:
        out = _SPLIT_DECIMAL.sub(_closed_decimal, out)
    return out


# A number split after its decimal point, in Chinese text: after a CJK character, CJK
# punctuation or the "/" of a list ("30.36/36.30/42. 44亿元"), and before a percent sign or a
# Chinese magnitude or currency. An English sentence ending in a number ("in 2025. 10% of")
# follows a space or a Latin letter, not a CJK character.
_SPLIT_DECIMAL: Final = re.compile(
    r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef/,(])(\d{1,4})\. (\d{1,6})"
    r"(?=%|\s?(?:[亿億万萬兆元倍]|个百分点|個百分點))"
)


def _closed_decimal(m: re.Match[str]) -> str:
    return m.group(1) + "." + m.group(2) + " "


# Every alternative starts with its literal (a lookbehind checks what precedes it), which lets
# re skip straight to candidate characters: ":(?<!\d:)" is "(?<!\d):". The single characters
# are separate alternatives, not a class ("[。!?;…]"): re only skips ahead when every
# alternative starts with a literal.
# A full stop also ends a sentence glued to the next one ("(HBM).The Korean chipmaker",
# "in 2023.Annual sales").
_BOUNDARY: Final = re.compile(
    r"\n[ \t]*\n|\n|。|!|\?|;|…|:(?!\d)|:(?<!\d:)|\.(?=\s|$|[\"')\]])"
    r"|\.(?<=[a-z0-9)\]]\.)(?=[A-Z][a-z])"
)
_LOWER: Final = "abcdefghijklmnopqrstuvwxyz"
_LOWER_DIGITS: Final = _LOWER + "0123456789"
_UPPER: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _boundaries(text: str) -> list[int]:
    """Start and end of each _BOUNDARY match, flat (``[s0, e0, s1, e1, …]``).

    On ASCII text (most English) with ``str.find`` per boundary character instead of the
    regex, whose scan tries its eleven alternatives at every candidate character and builds a
    match object for each: the same matches (ASCII holds no "。" or "…"; ``str.isspace`` and
    ``str.isdigit`` are ``\\s`` and ``\\d`` on ASCII characters).
    """
    out: list[int] = []
    if not text.isascii():
        for m in _BOUNDARY.finditer(text):
            out.append(m.start())
            out.append(m.end())
        return out
    cands: list[int] = []
    for ch in "\n!?;:.":
        i = text.find(ch)
        while i >= 0:
            cands.append(i)
            i = text.find(ch, i + 1)
    if len(cands) > 1:
        cands.sort()
    n = len(text)
    last = 0
    for i in cands:
        if i < last:
            continue  # inside the blank line matched before it
        c = text[i]
        e = i + 1
        if c == "\n":
            j = e
            while j < n and (text[j] == " " or text[j] == "\t"):
                j += 1
            if j < n and text[j] == "\n":
                e = j + 1  # a blank line
        elif c == ":":
            if i > 0 and e < n and text[i - 1].isdigit() and text[e].isdigit():
                continue  # "10:30"
        elif c == ".":
            nxt = text[e] if e < n else ""
            if not (
                e == n
                or nxt.isspace()
                or nxt in "\"')]"
                or (
                    i > 0
                    and (text[i - 1] in _LOWER_DIGITS or text[i - 1] == ")" or text[i - 1] == "]")
                    and nxt in _UPPER
                    and e + 1 < n
                    and text[e + 1] in _LOWER
                )
            ):
                continue
        out.append(i)
        out.append(e)
        last = e
    return out


_ABBREV: Final = frozenset(
    [
        "inc",
        "corp",
        "co",
        "ltd",
        "plc",
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "vs",
        "etc",
        "approx",
        "no",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "est",
        "e.g",
        "i.e",
        "u.s",
        "u.k",
        "u.n",
        "fig",
        "bros",
        "jr",
        "sr",
    ]
)
_TICKER_COLON: Final = re.compile(
    r"\((?:NASDAQ|Nasdaq|NYSE|NYSE American|TSX|LSE|HKEX|HKG|SEHK|TWSE|TPE|KRX|KOSDAQ|TYO|SSE"
    r"|SZSE|SHA|SHE|OTC|OTCQX|ASX|Euronext)\s*$"
)
_CLAUSE: Final = re.compile(r",(?!\d{3}(?!\d))|,(?<!\d,)")
_CJK_SPACE: Final = re.compile(r"(?<=[\u3400-\u9fff])[ \u3000]+(?=[\u3400-\u9fff])")
_CJK_RUN: Final = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_LATIN_RUN: Final = re.compile(r"[A-Za-z]+")


@dataclass(slots=True, init=False)
class Layout:
    """Segment, clause and paragraph boundaries of one (normalized) text, for bisect lookups."""

    seg_starts: list[int]
    seg_ends: list[int]
    seg_para: list[int]
    clause_starts: list[int]
    para_starts: list[int]

    # Written out (init=False): compiled, this is native code, where the generated __init__
    # (of a frozen dataclass, all object.__setattr__ calls) would run as interpreted Python.
    def __init__(
        self,
        seg_starts: list[int],
        seg_ends: list[int],
        seg_para: list[int],
        clause_starts: list[int],
        para_starts: list[int],
    ) -> None:
        self.seg_starts = seg_starts
        self.seg_ends = seg_ends
        self.seg_para = seg_para
        self.clause_starts = clause_starts
        self.para_starts = para_starts

    def segment(self, pos: int) -> int:
        return bisect.bisect_right(self.seg_starts, pos) - 1

    def clause_bounds(self, pos: int) -> tuple[int, int]:
        """(start, end) of the clause holding ``pos`` (clipped to its segment)."""
        s = bisect.bisect_right(self.seg_starts, pos) - 1  # self.segment(pos), inlined
        i = bisect.bisect_right(self.clause_starts, pos) - 1
        start = max(self.clause_starts[i] if i >= 0 else 0, self.seg_starts[s])
        end = self.clause_starts[i + 1] if i + 1 < len(self.clause_starts) else self.seg_ends[s]
        return start, min(end, self.seg_ends[s])

    def para_bounds(self, pos: int) -> tuple[int, int]:
        p = self.seg_para[self.segment(pos)]
        start = self.para_starts[p]
        end = self.para_starts[p + 1] if p + 1 < len(self.para_starts) else self.seg_ends[-1]
        return start, end


_WORD_CHARS: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz."


def _is_abbreviation(text: str, dot: int) -> bool:
    # What ``_LAST_WORD.search(text, max(0, dot - 12), dot)`` finds ("$" also matches before a
    # final newline), with string methods: an end-anchored search tries every position.
    before = text[dot - 1 : dot]
    if not before or (before not in _WORD_CHARS and before != "\n"):
        return False  # no word right before the dot ("2025.", "5%."): the usual sentence end
    chunk = text[max(0, dot - 12) : dot]
    if chunk.endswith("\n"):
        chunk = chunk[:-1]
    run = chunk[len(chunk.rstrip(_WORD_CHARS)) :]
    if not run:
        return False
    word = run.lower().strip(".")
    # "U.S." and single letters ("J. Smith") do not end sentences.
    return word in _ABBREV or len(word) == 1 or "." in word


_WRAP_MIN, _WRAP_MAX = 50, 80  # the widths wire copy is hard-wrapped at
_LINE_ENDS: Final = frozenset(".!?:;\"')]")
_BULLETS: Final = frozenset("-*•·#|>")


def hard_wrapped(text: str) -> bool:
    """Whether ``text`` is English prose hard-wrapped at a fixed width (wire copy: "reported a
    net profit of 506 billion new" / "Taiwan dollars ($16 billion) ..."): at least three lines
    of 50-80 characters ending mid-sentence, and most of the lines that could be."""
    if text.count("\n") < 3:
        return False
    wrapped = full = 0
    for line in text.split("\n"):  # a feed's paragraphs are blank-line separated: "" skipped
        n = len(line)
        if _WRAP_MIN <= n <= _WRAP_MAX and line.isascii():
            full += 1
            if line[-1] not in _LINE_ENDS:
                wrapped += 1
    return wrapped >= 3 and 2 * wrapped >= full


def _wraps(text: str, b: int, after: int) -> bool:
    """The line ending at ``b`` is a full-width line cut mid-sentence, and the next one (from
    ``after``) goes on with no bullet."""
    line = text[text.rfind("\n", 0, b) + 1 : b]
    return (
        _WRAP_MIN <= len(line) <= _WRAP_MAX
        and line[-1] not in _LINE_ENDS
        and text[after : after + 1] not in _BULLETS
        and text[after : after + 1] not in ("", "\n")
    )


def layout(text: str) -> Layout:
    """Split normalized ``text`` into segments, clauses and paragraphs (linear time). In
    hard-wrapped text a single line break inside a sentence is a space."""
    seg_starts: list[int] = []
    seg_ends: list[int] = []
    seg_para: list[int] = []
    para_starts = [0]
    start = 0
    para = 0
    wrapped = "\n" in text and hard_wrapped(text)
    bounds = _boundaries(text)
    for k in range(0, len(bounds), 2):
        b = bounds[k]
        g = text[b : bounds[k + 1]]
        if g == "." and _is_abbreviation(text, b):
            continue
        if wrapped and g[0] == "\n" and _wraps(text, b, bounds[k + 1]):
            continue  # a wrapped line goes on (a line break or, from a feed's <p>, a blank line)
        if g == ":" and _TICKER_COLON.search(text, max(0, b - 16), b) is not None:
            continue  # "(NASDAQ: NBIS)" names a stock, it ends no sentence
        # A sentence keeps its full stop; ";" and ":" only separate (and newlines are not text).
        end = b + 1 if g in ".。!?…" else b
        if end > start:
            seg_starts.append(start)
            seg_ends.append(end)
            seg_para.append(para)
        start = bounds[k + 1]
        if len(g) > 1:  # a blank line (the only boundary longer than one character)
            para += 1
            para_starts.append(start)
    if start < len(text) or not seg_starts:
        seg_starts.append(start)
        seg_ends.append(len(text))
        seg_para.append(para)
    clause_starts = _clause_starts(text) if "," in text else []
    if not text.isascii() and " " in text:
        # A space between two Chinese characters separates clauses, as in headlines
        # ("台积电今年资本支出560亿美元 本季营收续创新高").
        spaced = [m.end() for m in _CJK_SPACE.finditer(text)]
        if spaced:
            clause_starts = sorted(clause_starts + spaced)
    return Layout(seg_starts, seg_ends, seg_para, clause_starts, para_starts)


def _clause_starts(text: str) -> list[int]:
    """``[m.end() for m in _CLAUSE.finditer(text)]`` with string methods: after every comma but
    a thousands separator (a digit before it, exactly three after it). No match object per comma;
    ``str.isdecimal`` is exactly what re's ``\\d`` matches (Unicode category Nd)."""
    out: list[int] = []
    n = len(text)
    i = text.find(",")
    while i >= 0:
        j = i + 4
        if not (
            i > 0
            and text[i - 1].isdecimal()
            and j <= n
            and text[i + 1 : j].isdecimal()
            and not (j < n and text[j].isdecimal())
        ):
            out.append(i + 1)
        i = text.find(",", i + 1)
    return out


def segment_text(original: str, lay: Layout, index: int) -> tuple[int, str]:
    """(offset, stripped text) of segment ``index`` taken from the caller's original text."""
    s, e = lay.seg_starts[index], lay.seg_ends[index]
    raw = original[s:e]
    lead = len(raw) - len(raw.lstrip())
    return s + lead, raw.strip()


def detect_lang(text: str) -> Lang:
    """``"zh"`` when CJK characters make up at least a fifth of the letters, else ``"en"``."""
    if text.isascii():
        return "en"  # no CJK character: skip the two scans
    cjk = sum(len(r) for r in _CJK_RUN.findall(text))
    if cjk == 0:
        return "en"
    latin = sum(len(r) for r in _LATIN_RUN.findall(text))
    return "zh" if cjk * 5 >= cjk + latin else "en"
