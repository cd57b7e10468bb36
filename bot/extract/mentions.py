"""Quantity mentions: scan numbers with their currency/magnitude/unit, then merge neighbours.

One compiled scanner finds every ``[prefix] number [magnitude] [suffix]`` token in the
normalized text; :func:`scan` then merges adjacent tokens into one mention when the words between
them say so:

- conversion   ``160 billion yuan (about $23 billion)``   -> CNY 160e9, conversion USD 23e9
- move         ``from 380 billion yuan to as much as 480 billion yuan`` -> 480e9, previous 380e9
- range        ``$60-65bn``, ``600亿至650亿元``, ``between 5% and 7%`` -> value high, low
- comparison   ``$20 billion, up from $8.5 billion in 2025``, ``高于 2025 年的 85 亿美元``
               -> 20e9 with previous 8.5e9

and drops tokens that are not figures: bare numbers without a unit or magnitude (years, ordinals,
list numbers, ``5-year``, ``Q3``), numbers glued to letters (hashes, ``5nm``), and unit-less
counts below 1,000. Everything is linear: each token is looked at with bounded windows.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from types import EllipsisType
from typing import Final

from bot.extract import numbers as nb
from bot.extract import units
from bot.extract.textfold import given, twin
from bot.models import Conversion

# A token is a head (``[prefix] number [magnitude]``) and an optional unit after it. The unit
# alternation ignores case, which makes it the slowest part of a match (``re`` cannot skip its
# ~50 branches by their first character): the scanner matches the head, then the unit on its
# own with a twin on the lower-cased text (see textfold). The unit group is optional and last, so
# the head of a _TOKEN match is exactly a _HEAD match and its unit a _SUFFIX match at its end.
_WORDS_ALTERNATIVE: Final = (
    rf"|(?P<words>(?i:{nb.EN_NUMBER_WORDS}))(?=\s(?i:{nb.WORD_MAGNITUDE})(?![A-Za-z]))"
)
# A number glued to letters is a name ("H100", "GPT4"), but not after "EPS" ("EPS1.3美元",
# "前3季EPS32.25元": earnings per share, written without a space in Chinese copy).
_HEAD_PATTERN: Final = rf"""(?:(?<![A-Za-z0-9_.])|(?<=EPS))(?<!\d,)
    (?:(?P<pre>{units.PREFIX})\s?)?
    (?:(?P<num>{nb.NUMBER})
      WORDS
      |(?P<cjk>{nb.CJK_NUMERAL}))
    (?:[\s-]?(?P<wmag>(?i:{nb.WORD_MAGNITUDE}))(?![A-Za-z])
      |(?P<lmag>{nb.LETTER_MAGNITUDE})(?![A-Za-z0-9])
      |\s?(?P<duo>[多余餘几幾])?(?P<cmag>{nb.CJK_MAGNITUDE}))?"""
_SUFFIX_PATTERN: Final = rf"\s?(?P<suf>(?i:{units.SUFFIX}))"
_TOKEN: Final = re.compile(
    rf"{_HEAD_PATTERN.replace('WORDS', _WORDS_ALTERNATIVE)}(?:{_SUFFIX_PATTERN})?", re.VERBOSE
)  # the spec (tests)
_HEAD: Final = re.compile(_HEAD_PATTERN.replace("WORDS", _WORDS_ALTERNATIVE), re.VERBOSE)
# The head without number words ("two million"; the group stays, never matching): where a
# digit or Chinese numeral starts the number, the case-insensitive words cannot start a match,
# and trying them at each position costs more than the rest of the pattern.
_HEAD_NUM: Final = re.compile(_HEAD_PATTERN.replace("WORDS", "|(?P<words>(?!))"), re.VERBOSE)
_SUFFIX: Final = re.compile(_SUFFIX_PATTERN)
# SUFFIX's only escapes are "\s" and "\.", which lower() keeps.
_SUFFIX_F: Final = re.compile(rf"\s?(?P<suf>{units.SUFFIX.lower()})")
# Where a token can be: every _TOKEN match has, within its first _ANCHOR_REACH characters, a
# digit, a Chinese numeral, "half" or a magnitude word (the one after "two"/"a" in "two
# million"): prefix <= 5 chars ("U.S.$") + space, then the number, or a number word <= 7 chars
# ("fifteen") + space + magnitude. The pattern starts with one character class, so re skips
# straight to candidates, where _TOKEN itself (lookbehinds, ~40 prefixes) is slow everywhere.
_CJK_DIGITS: Final = "零〇○一二两兩三四五六七八九十百千万萬亿億廿卅"
_ANCHOR: Final = re.compile(
    rf"""[\d{_CJK_DIGITS}tTmMbBhH]
    (?:(?<=[\d{_CJK_DIGITS}])
      |(?<=[tT])(?i:housand|rillion|rn|n)
      |(?<=[mMbB])(?i:illion|ln|n)
      |(?<=[hH])(?i:alf))""",
    re.VERBOSE,
)
# The same anchors in the lower-cased text (see textfold): case-sensitive, so faster.
_ANCHOR_F: Final = re.compile(
    rf"""[\d{_CJK_DIGITS}tmbh]
    (?:(?<=[\d{_CJK_DIGITS}])
      |(?<=t)(?:housand|rillion|rn|n)
      |(?<=[mb])(?:illion|ln|n)
      |(?<=h)alf)""",
    re.VERBOSE,
)
# And in lower-cased ASCII text (where \d is [0-9]): an alternation of literals, whose first
# characters re gathers into a plain bitmap to skip ahead with (no Unicode digit test per
# character, no lookbehind at each "t", "m", "b" or "h").
_ANCHOR_WORDS: Final = (
    "thousand", "trillion", "trn", "tn", "million", "mln", "mn", "billion", "bln", "bn", "half",
)  # fmt: skip
_ANCHOR_ASCII: Final = re.compile("|".join([*"0123456789", *_ANCHOR_WORDS]))  # the spec (tests)
_ANCHOR_REACH: Final = 14
# ... and a digit or Chinese numeral anchor starts the number itself, which only a prefix (<= 5
# characters, ending in one of _PREFIX_LAST) and a space can precede.
_PREFIX_REACH: Final = 5
_PREFIX_LAST: Final = frozenset("$€£¥₩₹DYBRWPFMs.币幣元之圓圆镑鎊吉金")
# A _HEAD match is at most ~50 characters long (prefix, 30-character number, space, magnitude
# word, one character of lookahead): a search bounded this far past its start sees it whole.
_HEAD_SPAN: Final = 100
_PEOPLE: Final = re.compile(rf"\s{{0,2}}(?:{units.PEOPLE})", re.IGNORECASE)
# PEOPLE's only escapes are "\s", which lower() keeps: the twin for the lower-cased text.
_PEOPLE_F: Final = re.compile(rf"\s{{0,2}}(?:{units.PEOPLE.lower()})")
_COUNTED: Final = re.compile(rf"\s{{0,2}}(?:{units.COUNTED})")
_COUNTED_AFTER_WORDS: Final = re.compile(rf"\s{{1,2}}(?:{units.COUNTED_AFTER_WORDS})")
_COUNTED_HYPHEN: Final = re.compile(units.COUNTED_HYPHEN, re.IGNORECASE)
# Every _COUNTED_AFTER_WORDS match holds one of these (lower-cased) within 60 characters.
_KEY_STEMS: Final = (
    "gpu", "data", "datacent", "server", "chip", "rack", "accelerator", "supercomputer", "tpu",
    "h100", "h200", "b200", "a100",
)  # fmt: skip
_CJK_DIGIT: Final = re.compile(r"[零〇○一二两兩三四五六七八九廿卅]|^十")
_CJK_BIG: Final = re.compile(r"[万萬亿億兆]")
# A numeral without a digit ("千亿元", "百亿"): a magnitude, a figure only with a currency.
_CJK_ROUND: Final = re.compile(r"[百千万萬][万萬亿億兆]{1,2}")
# Counts the text does not report as figures: model sizes, token counts ("405 billion
# parameters", "30億參數", "15 trillion tokens"); matched on the lower-cased text after a count.
_NOT_COUNTED: Final = re.compile(
    r"\s{0,2}-?\s?(?:[a-z]+\s+)?(?:parameters?|params|tokens?|gpu[-\s]?(?:hours?|hrs?)|transistors"
    r"|cpu\s+cores|cores|threads"
    r"|square\s+(?:feet|foot|met(?:er|re)s)|sq\.?\s?f(?:ee)?t|acres|hectares)(?![a-z])"
    r"|\s?(?:平方米|平方公尺|平方英尺|亩|畝|公顷|公頃)"
    r"|\s?[个個颗顆]?(?:参数|參數|晶体管|晶體管|电晶体|電晶體|token|(?:[a-z]\d{2,3}\s?)?gpu\s?(?:小时|小時|时|時))"
)
# Illustrations: "enough to power 4 million homes", "可供 400 万户家庭用电".
_HOMES: Final = re.compile(r"\s{0,2}(?:[a-z]+\s+)?(?:homes|households)(?![a-z])|\s?[户戶](?:家庭)?")
_POWER_WORDS: Final = (
    "power", "供电", "供電", "用电", "用電", "耗电", "耗電", "电力", "電力", "enough", "足以",
    "相当于", "相當於",
)  # fmt: skip
# Price-band thresholds: "600美元以上价位段" is a segment of a market, not an amount spent.
_PRICE_BAND: Final = re.compile(
    r"\s?(?:及?以上|及?以下)?的?(?:价位|價位|价格段|價格段|价格带|價格帶|价格区间|價格區間|档|檔)"
    # "600美元以上高端市场", "3000元以下机型": a price above or below which a segment lies.
    r"|\s?(?:及?以上|及?以下)的?(?:(?:中?高端|中?低端|中端|旗舰|旗艦|入门级?|入門級?)的?)?"
    r"(?:市场|市場|机型|機型|手机|手機|智能手机|智慧型手機|产品|產品|区间|區間|段)"
    # "高端(3500 元以上)智能手机": the bounds of a segment named before them.
    r"|\s?(?:及?以上|及?以下)\s?[)）]"
)
_SEGMENT_BEFORE: Final = re.compile(r"(?:端|级|級|旗舰|旗艦|价位|價位)[（(]\s?$")
# Compute per chip is a spec, not capacity ("20 petaflops of FP4 per GPU", "单卡 1000 TFLOPS").
_PER_CHIP: Final = re.compile(
    r"per\s+(?:chip|gpu|card|accelerator|die|rack)|(?<![a-z])(?:each|single)(?![a-z])"
    r"|单卡|單卡|单芯片|單晶片|单颗|單顆|每颗|每顆|每张|每張|每块|每塊"
    # "該晶片效能達20PFLOPS", "这款GPU算力为": one chip named as the subject
    r"|(?:该|該|此|这款|這款|这颗|這顆|单一|單一)\s?(?:款|颗|顆)?\s?(?:ai)?\s?(?:芯片|晶片|gpu|显卡|顯卡|加速卡)"
)
_SIGN_BLOCKERS: Final = frozenset("零〇○一二两兩三四五六七八九十百千万萬亿億兆元%倍个個点點)]")

_OPEN_CONV: Final = re.compile(
    r"\s*(?:(?:\(\s*|,\s*or\s+|or\s+)(?:(?:about|around|approximately|approx\.|roughly|some|nearly|almost"
    r"|an\s+estimated|约|約|大约|大約|合約|合约|合|折合|相当于|相當於|约合|約合|~|≈"
    # "4,000億美元（逾新台幣12兆元）": the restated amount's own qualifier
    r"|逾|超过|超過|近|接近)\s*)?"
    # "1.98 trillion yen, approximately $12.9 billion": a comma, then a word of approximation
    r"|,\s*(?:or\s+)?(?:about|around|approximately|approx\.|roughly|nearly|almost|equivalent\s+to"
    r"|worth)\s+)",
    re.IGNORECASE,
)
_CLOSE_CONV: Final = re.compile(r"\s*\)")
_CONV_RANGE_TAIL: Final = re.compile(
    rf"\s*(?:-|–|to)\s*(?P<amt>(?:US\$|\$|€|£)?\s?(?:{nb.NUMBER})(?:\s?(?:{nb.WORD_MAGNITUDE}|[kKmMbB]n?))?)"
    r"\s*\)",
    re.IGNORECASE,
)
_FROM_BEFORE: Final = re.compile(
    r"(?:(?<![A-Za-z])from|由|从|從)\s*(?:(?:\d{4}\s*年|去年|上年|今年|第\s?[\d一二三四]\s?季度?"
    r"|上一?季|前一?季|首季|上半年|下半年)"
    r"(?:同期|底|末|初)?\s*的?)?"
    r"\s*(?:(?:about|around|roughly|nearly|接近|近|约|約)\s*)?$",
    re.IGNORECASE,
)
_MOVE_GAP: Final = re.compile(
    r"(?:\s+(?:in|for|during)\s+(?:fiscal\s+)?(?:\d{4}|last\s+year|a\s+year\s+(?:earlier|ago)))?"
    r"\s*(?:,\s*)?(?:to|[\u4e00-\u9fff]{0,4}[至到])\s*(?:\d{4}\s*年[^\d,;.]{0,6}?的\s*|\d{4}\s*年度?\s*"
    # "從第二季的23%提升至第三季的35%", "从去年的12%提升至今年的20%"
    r"|(?:第\s?[\d一二三四]\s?季度?|今年|明年|本季|首季|上半年|下半年)\s*的\s*)?"
    r"(?:(?:as\s+much\s+as|as\s+many\s+as|as\s+high\s+as|up\s+to|about|around|roughly|nearly|more\s+than"
    r"|最高|最多|约|約|逾|超过|超過|接近|近|高达|高達|至少)\s*)?",
    re.IGNORECASE,
)
_RANGING_AFTER: Final = re.compile(r"\s*(?:不等|之間|之间)")
_TOLERANCE: Final = re.compile(
    r"(?:plus\s+or\s+minus|±|\+/-|上下浮動|上下浮动|正負|正负)\s*(?:約|约)?\s*$", re.IGNORECASE
)
# ("升逾18%至近22%": the upper end's own qualifier after 至.)
_RANGE_GAP: Final = re.compile(r"\s*(?:-|~|to|(?:至|到)\s*(?:近|约|約|逾)?|and)\s*", re.IGNORECASE)
_BETWEEN_BEFORE: Final = re.compile(r"(?:between|介于|在)\s*$", re.IGNORECASE)
_COMPARE_GAP: Final = re.compile(
    r"""(?:\s*(?:in|for|during|by)\s+(?:fiscal\s+)?(?:\d{4}|this\s+year|next\s+year))?
    \s*[,(]?\s*(?:-{1,2}\s*)?(?P<marker>
      (?:(?:up|down|rising|falling|rose|fell|increasing|decreasing|higher|lower|compared|climbing|
          jumping|surging|sliding|dropping|declining|growing|an?\s+(?:increase|decrease|rise|drop|jump|decline)|
          narrowing|narrowed|widening|widened|shrinking|shrank|expanding|expanded|improving|improved)\s+
         (?:(?:sharply|substantially|significantly|slightly|markedly|strongly|considerably)\s+)?
         (?:from|with|to|than|over)
       |(?:from|versus|vs\.?|compared\s+(?:with|to))\s+an?\s+(?:net\s+|operating\s+)?(?:profit|income|gain|loss|deficit)\s+of
       |versus|vs\.?|against|from
       |(?:compared|up|down)\s+(?:from|with|to)\s+(?:about|around|roughly|nearly)
      )
     |(?:[,;]?\s*(?:而|且)?\s*(?:远|遠|大幅|明显|明顯|略)?(?:高于|高於|低于|低於|多于|多於|少于|少於|较|較|相比|相較於?|(?<![益值])比|对比|對比|去年同期为|去年同期為|上年同期为|上年同期為|上一年为|前一年为|同比)
        \s*(?:(?:\d{4}\s*年|去年|上年|前一年|上一年|上季度?|去年同期|上年同期)\s*(?:同期)?\s*的?\s*)?(?:约|約|近|逾|超过|超過)?)
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


# The merge patterns ignore case throughout: _try_merge runs these twins on the lower-cased text.
_OPEN_CONV_F: Final = twin(_OPEN_CONV)
_FROM_BEFORE_F: Final = twin(_FROM_BEFORE)
_MOVE_GAP_F: Final = twin(_MOVE_GAP)
_RANGE_GAP_F: Final = twin(_RANGE_GAP)
_BETWEEN_BEFORE_F: Final = twin(_BETWEEN_BEFORE)
_COMPARE_GAP_F: Final = twin(_COMPARE_GAP)


@dataclass(slots=True, init=False)
class Mention:
    """A quantity in the text, possibly merged from several tokens. Offsets are into the text."""

    start: int
    end: int
    value: float
    base: float  # the written number before its magnitude
    mag: float  # 1.0 when no magnitude was written
    mag_kind: str  # "", "word", "letter", "cjk"
    unit: str | None  # ISO code, "percent", "users", "count", "¥", or None (not written)
    low: float | None = None
    previous: float | None = None
    conversion: Conversion | None = None
    # Regions whose period mentions belong to a merged previous value, not to this figure.
    consumed: list[tuple[int, int]] = field(default_factory=list)
    is_move: bool = False
    noun: str | None = None  # the counted thing ("GPUs", "data centres") of a count
    qual: str | None = (
        None  # a qualifier the number itself states: 多/余 (more_than), 几/数 (vague)
    )
    bare_yuan: bool = False  # the unit was a bare 元 (CNY unless the text named another 元)
    factor: float = 1.0  # of the unit as written ("GW" 1e9), already in the value
    round_cjk: bool = False  # a numeral without a digit ("千亿"): a figure only as money
    # Where the value's own token starts (the high end, the new value); constructors pass the
    # start (no __post_init__: one call less per token).
    head: int = -1

    # Written out (init=False): compiled, this is native code, where the generated __init__
    # would run as interpreted Python for every token.
    def __init__(
        self,
        start: int,
        end: int,
        value: float,
        base: float,
        mag: float,
        mag_kind: str,
        unit: str | None,
        head: int = -1,
    ) -> None:
        self.start = start
        self.end = end
        self.value = value
        self.base = base
        self.mag = mag
        self.mag_kind = mag_kind
        self.unit = unit
        self.low = None
        self.previous = None
        self.conversion = None
        self.consumed = []
        self.is_move = False
        self.noun = None
        self.qual = None
        self.bare_yuan = False
        self.factor = 1.0
        self.round_cjk = False
        self.head = head


def _token(m: _Head, suf: str | None, end: int, text: str, folded: str | None) -> Mention | None:
    """The mention of a _HEAD match ``m`` with unit ``suf`` (ending at ``end``), or None (not a
    figure, or a bare year). ``folded``: ``textfold.fold(text)``."""
    pre, num, words, cjk, wmag, lmag, duo, cmag = m.groups
    if (
        m.start() > 2
        and text[m.start() - 1] == "/"
        and _MODEL_SLASH.search(text, max(0, m.start() - 12), m.start() - 1)
    ):
        return None  # "GB200/300機櫃", "B200/300": the second model of a pair, not a count
    round_cjk = False
    if suf is not None:
        low_suf = suf.lower()
        if low_suf in ("p", "e") and "算力" not in text[max(0, m.start() - 20) : end + 10]:
            suf, end = None, m.end()  # "5万P算力": P only where compute is the subject
        elif low_suf == "x" and end - m.end() > 1:
            suf, end = None, m.end()  # "10x" glued; "3 x 4" is a product
        elif low_suf == "成" and cjk == "一" and text[m.start() - 1 : m.start()] in _ONE_AS_WORD:
            return None  # "这一成就", "统一成本价", "唯一成长": 一 is a word's, not a numeral
    mega = False  # 兆 before 瓦 is mega: 兆瓦 = MW
    if num:
        base = nb.parse_digits(num)
    elif words:
        w = nb.en_number_word(words)
        if w is None:
            return None
        base = w
    else:
        if cjk is None:
            return None  # never: every head holds a number, number words or a numeral
        if suf == "瓦" and cjk.endswith("兆") and len(cjk) > 1:
            cjk, mega = cjk[:-1], True
        if not _CJK_DIGIT.search(cjk):
            if _CJK_ROUND.fullmatch(cjk) is None:
                return None
            round_cjk = True  # "千亿元": kept only with a currency (below)
        parsed = nb.parse_cjk_numeral(cjk)
        if parsed is None:
            return None
        base = parsed
    mag, kind = 1.0, ""
    if wmag:
        mag, kind = nb.en_magnitude(wmag), "word"
    elif lmag:
        mag, kind = nb.en_magnitude(lmag), "letter"
    elif cmag and suf is None and cmag[-1] == "百" and text.startswith(("分点", "分點"), end):
        # "年減14.1百分點": 百分點 without 個 is the unit, its 百 no hundred
        cmag, suf, end = cmag[:-1], "百分點", end + 2
        if not cmag:
            cmag = None
    if cmag:
        if suf == "瓦" and cmag.endswith("兆"):
            mag, kind = nb.cjk_magnitude(cmag[:-1]) * 1e6, "cjk"
        else:
            mag, kind = nb.cjk_magnitude(cmag), "cjk"
    if mega:
        mag, kind = 1e6, "cjk"
    if cjk and _CJK_BIG.search(cjk):
        kind = "cjk"
    unit: str | None = None
    if pre:
        unit = units.prefix_unit(pre)
    bare_yuan = False
    factor = 1.0
    if suf and not (unit and suf == "元"):
        unit = units.suffix_unit(suf)  # "新台币 5,057 亿元" stays TWD
        factor = units.suffix_factor(suf)
        bare_yuan = suf == "元"
        if (
            unit == "percent"
            and suf.lower() == "pct"
            and _CJK_NEAR.search(text, max(0, m.start() - 12), end + 12)
        ):
            unit = "percentage_points"  # Chinese analysts' "提升2.95pct" is 百分点 ("5 pct": %)
    index_points = (
        unit == "percentage_points" and suf is not None and suf[:1] in "Pp" and suf[1:2] in "Oo"
    )
    if index_points and not _POINTS_CONTEXT.search(
        hay_of(text, folded), max(0, m.start() - 60), end + 24
    ):
        return None  # "the Dow fell 300 points": index points, not percentage points
    if unit is None and text[end : end + 1] in ("瓦", "瓩"):
        return None  # 千瓦时 (kWh): energy, not a capacity
    if unit is None and not mega and (cjk or cmag) and "兆" in (cjk or "") + (cmag or ""):
        nxt = text[end : end + 1]
        if nxt and ((nxt.isascii() and nxt.isalpha()) or nxt in "赫字位比帕焦欧歐伏安像宽寬网網光"):
            return None  # 兆赫 (MHz), 兆字节 (MB), 千兆宽带 (gigabit): not 10^12
    if (
        cjk
        and kind != "cjk"
        and unit is None
        and _PCT_RANGE_BEFORE.search(text, max(0, m.start() - 14), m.start())
    ):
        unit = "percent"  # "百分之五十九至六十一": the upper end of a range in percent
    if cjk and kind != "cjk" and unit is None and not (text[end : end + 3].lstrip()[:1].isalpha()):
        return None  # "三个", "一周": a Chinese numeral needs 万/亿 or a unit to be a figure
    if end < len(text) and not suf and kind in ("", "cjk"):
        nxt = text[end]
        if nxt.isascii() and nxt.isalnum() and kind == "":
            return None  # glued to letters: a hash, "5nm", "8e5c"
    noun: str | None = None
    # Every _PEOPLE/_COUNTED match has a letter (or CJK character) after at most two spaces.
    if unit is None and text[end : end + 3].lstrip()[:1].isalpha():
        pm = _PEOPLE.match(text, end) if folded is None else _PEOPLE_F.match(folded, end)
        if pm:
            unit, end = "users", pm.end()
        else:
            cm = _COUNTED.match(text, end)
            if cm is None and text[end : end + 1].isspace():
                ahead = hay_of(text, folded)[end : end + 60]
                if any(k in ahead for k in _KEY_STEMS):
                    cm = _COUNTED_AFTER_WORDS.match(text, end)
            if (
                cm is not None
                and kind == ""
                and num is not None
                and len(num) == 4
                and 1900 <= base <= 2100
                and " " in cm.group().strip()
                and cm.group().lstrip()[:1].isascii()
            ):
                return None  # "in 2026 in data centres": a year, then words, then the noun
            if cm and cm.group().strip() in _ZH_MEASURES and _TIME_AFTER.match(text, cm.end()):
                return None  # "12至18个月", "3個小時": a measure word of time, a duration
            if cm:
                unit, end = "count", cm.end()
                noun = _noun(cm)
                measure = cm.group().strip()
                if measure in ("戶", "户") and _SUBSCRIBERS_BEFORE.search(
                    text, max(0, m.start() - 12), m.start()
                ):
                    unit = "users"  # "行動通信總客戶數達1323.8萬戶": subscribers
                # (座 counts buildings: a few data centres are a figure, "資料中心達5座")
                if noun is None and (base >= 10 or measure == "座") and measure in _ZH_MEASURES:
                    noun = _noun_before(text, folded, m.start())
                    if noun is not None and measure not in _NOUN_MEASURES.get(noun, measure):
                        noun = None  # "資料中心申請案件數達79件": applications, not centres
                if noun is None and measure in ("張", "张"):
                    # the card named after a model ("1万张昇腾910B加速卡") or before the count
                    after = _ZH_NOUN_BEFORE.search(text, end, _clause_end(text, end, 16))
                    noun = _noun(after) if after else _noun_before(text, folded, m.start())
                    if noun is not None and measure not in _NOUN_MEASURES.get(noun, ""):
                        noun = None
                if noun is None and measure in ("張", "张"):
                    # "成交量23.4萬張", "委買量超過4萬張": lots of shares (a 張 counts cards
                    # or chips only with its noun: "4萬張加速卡", "GPU採購2萬張")
                    return None
                if noun in _ACTOR_NOUNS and base < 10 and (cjk or noun != "projects"):
                    # "三家公司的资本开支", "有 3 家公司上市": prose names a few companies or
                    # cities; statistics count tens. Projects are counted in digits ("6个项目").
                    noun = None
                elif noun in _ACTOR_NOUNS and _TALLY_BEFORE.search(
                    text, max(0, m.start() - 60), m.start()
                ):
                    noun = None  # "埃克森美孚、英特爾、沃爾瑪…共21家公司": the size of a list
    elif (
        unit is None
        and text[end : end + 1] == "-"
        and num is not None
        and nb.scaled(base, mag) >= 1000
    ):
        hm = _COUNTED_HYPHEN.match(text, end)
        if hm is not None:
            unit, end, noun = "count", hm.end(), _noun(hm)
    if (
        noun in _PER_UNIT_NOUNS
        and num is not None
        and nb.scaled(base, mag) < 1000
        and _per_unit(hay_of(text, folded), m.start(), end)
    ):
        return None  # "the NVL72 rack holds 72 GPUs", "8 GPUs per server": a spec
    if cjk and kind != "cjk" and unit is None and not _CJK_RANGE_AFTER.match(text, end):
        # A bare numeral is no figure, but the lower end of a range of numerals takes the
        # upper end's unit ("五十四至五十九％", "五二〇至五六〇億美元").
        return None
    if round_cjk and unit is not None and not _is_money(unit):
        return None
    if (
        suf == "成"
        and cjk
        and text[end : end + 1] in _TENTH_DIGITS
        and text[end + 1 : end + 2] not in _NOT_TENTH_AFTER
    ):
        # "一成五", "三成五": tenths and a hundredth digit, 15 and 35 percent ("1成5" is joined
        # from two tokens in _try_merge)
        base, end = nb.scaled(base, 1.0) + _TENTH_DIGITS[text[end]] / 10, end + 1
    elif (
        suf == "成" and text[end : end + 1] == "半" and text[end + 1 : end + 2] not in "年月天日小"
    ):
        base, end = base + 0.5, end + 1  # "一成半", "兩成半": 15 and 25 percent
    start = m.start()
    value = nb.scaled(base, mag)
    if factor != 1.0:
        value = nb.scaled(value, factor)
    if start >= 1 and text[start - 1] in "-+" and _is_sign(text, start - 1):
        if text[start - 1] == "-":
            value = -value
        start -= 1
    if unit is None and kind == "" and num is not None and len(num) == 4 and 1900 <= value <= 2100:
        # "2025", "2026–2030": a year is never a figure nor a partner in a range or comparison.
        return None
    if unit is None or unit == "count":
        if _not_counted(text, folded, m.end(), end, start):
            return None
        if unit == "count" and start >= 1 and text[start - 1] in "第前":
            return None  # "第二座資料中心", "前三家公司": a rank, not a count
        if unit == "count" and _model_number(text, start, m.end(), kind, end):
            return None  # "昇腾910B芯片", "RTX 5090显卡": a product's model number
    elif (
        not text[end : end + 2].isascii()
        and _is_money(unit)
        and (m2 := _PRICE_BAND.match(text, end)) is not None
        and (
            m2.group().rstrip()[-1:] not in ")）"
            or _SEGMENT_BEFORE.search(text, max(0, start - 6), start) is not None
        )
    ):
        return None  # "600美元以上价位段" (its words are Chinese: ASCII text never has one)
    elif unit == "FLOPS" and _per_chip(text, folded, start, end, value):
        return None
    t = Mention(start, end, value, base, mag, kind, unit, head=start)
    if suf == "成" and cjk and len(cjk) == 1 and start >= 2:
        r = _TENTHS_RANGE_BEFORE.search(text, max(0, start - 4), start)
        if r is not None and _LOW_TENTHS[r.group(1)] * 10.0 < value:
            t.low, t.start = _LOW_TENTHS[r.group(1)] * 10.0, r.start()  # "二至三成": 20-30%
    t.noun = noun
    t.bare_yuan = bare_yuan
    t.factor = factor
    t.round_cjk = round_cjk
    if duo is not None:
        t.qual = "vague" if duo in "几幾" else "more_than"
    elif suf is not None and suf[:1] in "多余餘+":
        t.qual = "more_than"  # "70多倍", "150+MW"
    elif start >= 1 and text[start - 1] in "数數几幾" and (kind == "cjk" or unit == "count"):
        t.qual = "vague"  # 数十亿, 数十家: some billions, some tens, no exact value
    elif round_cjk and start >= 1 and text[start - 1] == "上":
        t.qual = "vague"  # 上百亿: "a hundred-odd 亿", no exact value
    return t


# Characters before 一 that make it part of a word or a determiner ("这一", "统一", "唯一",
# "第一", "之一", "万一"): its 成 is then no tenth.
_ONE_AS_WORD: Final = frozenset("这這那该該此其统統唯第之万萬单單同某每逐划劃")
_TENTH_DIGITS: Final = {c: i + 1 for i, c in enumerate("一二三四五六七八九")}
_LOW_TENTHS: Final = {**_TENTH_DIGITS, "兩": 2, "两": 2}
# The lower end of a range of tenths written once with 成: "二至三成", "兩到三成".
_TENTHS_RANGE_BEFORE: Final = re.compile(
    r"(?<![零〇○一二两兩三四五六七八九十百千\d])([一二两兩三四五六七八九])\s?[至到~]\s?$"
)
# After that digit: more of a numeral, a unit or a measure word make it another number.
_NOT_TENTH_AFTER: Final = frozenset(
    "零〇○一二两兩三四五六七八九十百千万萬亿億兆个個年月日天倍成%點点"
)
_PCT_RANGE_BEFORE: Final = re.compile(
    r"百分之[零〇○一二两兩三四五六七八九十百點点.]{1,8}\s?[至到~～]\s?$"
)
# A number of subscribers counted in 戶 ("客戶數達…萬戶", "用户数…户"; households are counted in
# 戶 too, so only with the subscribers named).
_SUBSCRIBERS_BEFORE: Final = re.compile(r"[客用訂订][戶户]數?|[客用訂订][戶户]数")
# After a bare Chinese numeral: 至/到 and another numeral, the upper end of its range.
_CJK_RANGE_AFTER: Final = re.compile(
    r"\s?[至到~～]\s?(?:近|约|約|逾)?[零〇○一二两兩三四五六七八九十百千]"
    r"(?![零〇○一二两兩三四五六七八九十百千]*成)"  # "二至三成": tenths, read by _TENTHS_RANGE_BEFORE
)
_POINTS_CONTEXT: Final = re.compile(r"margin|growth|share|rate|yield|毛利|份额|份額")


def hay_of(text: str, folded: str | None) -> str:
    return text if folded is None else folded


# The measure words each key noun is counted with (a noun written before the count).
_NOUN_MEASURES: dict[str, str] = {
    "data centres": "个個座家间間处處", "servers": "台臺部套", "GPUs": "块塊张張颗顆片个個",
    "accelerators": "块塊张張颗顆片个個", "chips": "块塊颗顆片个個", "racks": "组組个個台臺套櫃柜",
    "cities": "个個座", "projects": "个個项項件", "institutions": "家间間个個", "companies": "家间間个個",
}  # fmt: skip
# The tally of a list just named: "A、B和C等共21家公司".
_TALLY_BEFORE: Final = re.compile(r"、[^，,；;。]{1,40}?(?:共|共计|共計|合计|合計|总共|總共)$")
# Counted actors and projects (not infrastructure): figures when written in digits.
_ACTOR_NOUNS: Final = frozenset({"cities", "projects", "institutions", "companies"})
# Units of time after a measure word ("个月", "個小時", "个交易日"): the number is a duration.
_TIME_AFTER: Final = re.compile(
    r"(?:月|小时|小時|钟头|鐘頭|星期|礼拜|禮拜|季度|工作日|交易日|营业日|營業日|世纪|世紀|财年|財年)"
)
_ZH_MEASURES: Final = frozenset("台部辆輛块塊颗顆个個件套枚片张張家间間次名人座组組户戶櫃柜")
_ZH_NOUN_BEFORE: Final = re.compile(units.ZH_NOUN_BEFORE)


# A key noun written before a count ("智算中心超250个", "its GPU fleet doubled to 200,000").
_EN_NOUN_BEFORE: Final = re.compile(
    r"(?<![a-z])(?:(?P<gpu>gpus?|h100s?|h200s?|b200s?)|(?P<dc>data\s?cent(?:er|re)s?))(?![a-z])"
)


def _clause_end(text: str, start: int, reach: int) -> int:
    """Where the clause holding ``start`` ends, looking at most ``reach`` characters ahead."""
    hi = min(len(text), start + reach)
    for p in "，,；;。":
        k = text.find(p, start, hi)
        if k >= 0:
            hi = k
    return hi


def _noun_before(text: str, folded: str | None, start: int) -> str | None:
    """The key noun before ``start`` in its clause (the nearest), or None: 24 characters of
    Chinese ("中国智算中心项目(投运/在建/规划)超过300个"), 40 of English."""
    lo = max(0, start - 24)
    for p in "，,；;。":
        k = text.rfind(p, lo, start)
        if k >= lo:
            lo = k + 1
    hits = list(_ZH_NOUN_BEFORE.finditer(text, lo, start))
    if not hits and folded is not None:
        hits = list(_EN_NOUN_BEFORE.finditer(folded, max(0, start - 40), start))
    hit = hits[-1] if hits else None
    return None if hit is None else _noun(hit)


def _noun(m: re.Match[str]) -> str | None:
    """The canonical key noun of a _COUNTED (or noun-before) match, the word of another counted
    thing ("vehicles"), or None (a bare Chinese measure word)."""
    for name, value in m.groupdict().items():
        if value is not None:
            if name == "other":
                return value
            if name == "dc" and value[-1:] == "s" and value.rsplit(None, 1)[-1] != value:
                # "data center buildings", "data centre campuses": the thing counted
                last = value.rsplit(None, 1)[-1].lower()
                if not last.startswith(("centers", "centres")):
                    return "data centre " + last
            return units.KEY_NOUNS.get(name)
    return None


def _is_sign(text: str, at: int) -> bool:
    """Whether the ``-``/``+`` at ``at`` (glued to a number) is a sign: not after a number or
    unit ("25%-35%", "1亿-2亿" are ranges) nor inside a word ("COVID-19")."""
    if at < 1 or text[max(0, at - 3) : at] == "EPS":
        return True  # "EPS-0.85元": a loss per share
    p = text[at - 1]
    if p.isascii():
        return not p.isalnum() and p not in "%)]$"
    return p not in _SIGN_BLOCKERS


def _not_counted(text: str, folded: str | None, head_end: int, end: int, start: int) -> bool:
    """A count that is not a figure: a model size or token count, an illustration in homes."""
    if text[start - 1 : start] == "-" and _in_model_name(text, start - 1):
        return True  # "Llama-3-70B": part of a model name
    hay = text if folded is None else folded
    # Every _NOT_COUNTED / _HOMES match holds one of these within 30 characters (substring
    # tests on the window: cheaper than any search, and they skip both for nearly every count).
    w = hay[head_end : end + 30]
    if not (
        "param" in w
        or "token" in w
        or "transist" in w
        or "core" in w
        or "thread" in w
        or "gpu" in w
        or "sq" in w
        or "acre" in w
        or "hect" in w
        or "home" in w
        or "household" in w
        or not w.isascii()
    ):
        return False
    if _NOT_COUNTED.match(hay, end) or _NOT_COUNTED.match(hay, head_end):
        return True
    if not w.isascii() and _PARAMS_BEFORE.search(hay, max(0, start - 10), start):
        return True  # "晶体管数量达到 530 亿个": a chip's or a model's size
    h = _HOMES.match(hay, head_end)
    if h is None and end > head_end:
        h = _HOMES.match(hay, end)
    if h is not None:
        before = hay[max(0, start - 40) : start]
        return any(w in before for w in _POWER_WORDS)
    return False


# Chips counted in one rack, server or node are its spec, not a deployment.
# A model name before a slash ("GB200/300", "H100/200"): letters, then digits.
_MODEL_SLASH: Final = re.compile(r"(?<![A-Za-z])[A-Za-z]{1,4}\d{2,4}$")
# A CJK character: "pct" beside Chinese text is 百分点 ("毛利率提升2.95pct", "QoQ +2.95pct;第三季").
_CJK_NEAR: Final = re.compile(r"[\u4e00-\u9fff]")
_PER_UNIT_NOUNS: Final = frozenset({"GPUs", "chips", "accelerators"})
_UNIT_OF_KIT: Final = (
    r"(?:racks?|servers?|nodes?|trays?|boards?|superchips?|chassis|systems?|pods?|boxe?s?|cabinets?"
    r"|instances?|blades?|modules?|cards?|machines?)"
)
_PER_UNIT_AFTER: Final = re.compile(
    r"\s*,?\s*(?:per|each|in\s+(?:a|one|each|every|the|its)|into\s+(?:a|one|each|every|the|its)"
    rf"|inside\s+(?:a|one|each|every|the|its)|on\s+(?:a|one|each|every))\s+(?:single\s+)?(?:[a-z0-9-]+\s+)?"
    rf"{_UNIT_OF_KIT}(?![a-z])",
    re.IGNORECASE,
)
_PER_UNIT_BEFORE: Final = re.compile(
    rf"(?<![a-z]){_UNIT_OF_KIT}\s+(?:[a-z0-9-]+\s+)?(?:holds?|contains?|houses?|packs?|has|have|with"
    r"|integrates?|connects?|combines?|includes?|links?|featuring|features?|uses?|carr(?:y|ies)"
    r"|of|can\s+hold|fits?)\s+(?:up\s+to\s+|as\s+many\s+as\s+)?$",
    re.IGNORECASE,
)


# Verbs and quantity words that lead a count written without a measure word.
_COUNT_LEAD: Final = frozenset(
    "购購买買署建用有达達超约約近逾共计計了入进進出货貨装裝备備配到至为為过過量数數"
)


def _model_number(text: str, start: int, head_end: int, kind: str, end: int) -> bool:
    """Whether a count read before a Chinese noun with no measure word is a model number.

    Chinese counts a thing with a measure word ("2万颗芯片", "500台服务器"); a number glued to a
    noun without one is the noun's name when a Latin letter is glued to it: a letter magnitude
    before a Chinese character ("910B芯片": B is the model's letter, not billion) or a model
    word before it ("RTX 5090显卡", "H20芯片")."""
    nxt = text[head_end : head_end + 1]
    if kind == "letter" and nxt and not nxt.isascii():
        return True
    counted = text[head_end:end].lstrip()
    if not counted or counted[0].isascii() or counted[0] in _ZH_MEASURES or kind != "":
        return False
    j = start - 1
    if j >= 0 and text[j] == " ":
        j -= 1
        glued = False
    else:
        glued = True
    if glued and j >= 0 and not text[j].isascii() and text[j].isalpha() and text[j] >= "\u4e00":
        # "昇腾910芯片", "思元590芯片": digits between a name and a noun, with no measure word
        # and no magnitude (a count without one is written "10万卡", "2万颗芯片").
        return (
            counted[:1] != "卡"
            and head_end - start <= 4
            and text[j] not in _COUNT_LEAD  # "采购5000GPU", "部署了2000GPU": a count
        )
    if j < 0 or not (text[j].isascii() and text[j].isalnum()):
        return False
    if glued:
        return True
    w = j
    while w > 0 and text[w - 1].isascii() and (text[w - 1].isalnum() or text[w - 1] in "-."):
        w -= 1
    word = text[w : j + 1]
    return any(c.isupper() or c.isdigit() for c in word)


def _per_unit(hay: str, start: int, end: int) -> bool:
    """Whether the chip count ``hay[start:end]`` is said of one rack/server/node (see above)."""
    return (
        _PER_UNIT_AFTER.match(hay, end, end + 50) is not None
        or _PER_UNIT_BEFORE.search(hay, max(0, start - 50), start) is not None
    )


def _in_model_name(text: str, dash: int) -> bool:
    """Whether the hyphenated word ending at ``dash`` has a letter ("Llama-3-", "Qwen2.5-"),
    not only digits ("$60-65bn")."""
    j = dash
    while j > 0 and dash - j < 30 and (text[j - 1].isalnum() or text[j - 1] in ".-"):
        j -= 1
        if text[j].isascii() and text[j].isalpha():
            return True
    return False


def _per_chip(text: str, folded: str | None, start: int, end: int, value: float) -> bool:
    """Compute of one chip or card (a spec), not of a cluster: TFLOPS-sized, or said per chip."""
    if value < 1e15:
        return True
    hay = text if folded is None else folded
    if _PER_CHIP.search(hay, max(0, start - 40), min(len(hay), end + 40)) is not None:
        return True
    # "A single GB200 NVL72 rack ... delivers 1.4 exaflops", "The B200 offers 20 petaflops": the
    # subject is one rack, server or chip (lower-cased text only: the pattern is lower case).
    return (
        folded is not None and _UNIT_SUBJECT.search(folded, max(0, start - 80), start) is not None
    )


# One piece of hardware as the subject of a compute figure: its spec.
_UNIT_SUBJECT: Final = re.compile(
    r"(?:(?<![a-z])(?:a|an|the|each|one|single|per)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:rack|server|node|tray|chip|gpu|card|superchip|accelerator|board)"
    r"|(?<![a-z0-9])(?:g?[hba]\d{2,3}|gb\d{3}|mi\d{3}x?|tpu\s?v?\d+|blackwell|hopper|rubin)(?:\s+ultra)?)"
    r"\s+(?:\w+\s+){0,4}?(?:delivers?|offers?|provides?|achieves?|reaches|packs?|has|with|boasts?"
    r"|hits?|is\s+rated\s+at|rated\s+at)\s+(?:up\s+to\s+|about\s+|roughly\s+|nearly\s+|over\s+"
    r"|more\s+than\s+)?(?:[\d.,]+\s*(?:[a-z]+\s+)?)?$"
)


def _is_money(unit: str | None) -> bool:
    return unit is not None and (unit == "¥" or (len(unit) == 3 and unit.isupper()))


def _compatible(a: Mention, b: Mention) -> bool:
    if a.unit and b.unit:
        return a.unit == b.unit
    unitless, other = (a, b) if a.unit is None else (b, a)
    if other.unit == "percent":
        return unitless.mag_kind == ""
    return True


# A move's verb right before an amount: "raised its forecast by", "rose", "was up", "增加了".
_STEP_BEFORE: Final = re.compile(
    r"(?:(?<![a-z])(?:(?:rais|increas|lift|boost|hik|expand|widen|cut|reduc|lower|slash|trim"
    r"|narrow|decreas|grow|grew|rose|rise)[a-z]*\s+(?:[\w'-]+\s+){0,4}?by|rose|grew|jumped"
    r"|climbed|surged|fell|dropped|declined|slid|sank|increased|decreased|up|down)"
    r"(?:\s+(?:about|around|roughly|nearly|almost|some|over|more\s+than"
    r"|an?\s+(?:additional|extra|further)))?"
    r"|(?:增加|增长|增長|提高|提升|上升|上调|上調|调高|調高|减少|減少|下降|下调|下調|调低|調低|降低"
    r"|缩减|縮減|扩大|擴大)了?[约約近逾]?)"
    r"\s*(?:US|NT|HK)?\$?\s*$",
    re.IGNORECASE,
)
# A step is small beside the level it led to ("by $10 billion to $85 billion"); a range's ends
# are near each other ("$60 billion to $65 billion").
_STEP_SHARE: Final = 0.5


def _step_to_level(hay: str, cur: Mention, nxt: Mention, gap: str) -> bool:
    """ "rose $10 billion to $50 billion", "raised capex by $10 billion to $85 billion",
    "增加50亿元至900亿元": a step and the level it reached, not a range (money and counts)."""
    if gap.strip().lower() not in ("to", "至", "到") or cur.unit in _RATIO_UNITS:
        return False
    if not (0 < cur.value <= nxt.value * _STEP_SHARE):
        return False
    return _STEP_BEFORE.search(hay, max(0, cur.start - 60), cur.start) is not None


_RATIO_UNITS: Final = frozenset(["percent", "percentage_points", "times"])


def _inherit(low: Mention, high: Mention) -> None:
    """Give the lower/older of two tokens the magnitude and unit written only on the other."""
    if low.mag_kind == "" and high.mag_kind == "cjk" and high.mag == 1.0 and low.unit is None:
        # "五二〇至五六〇億美元": the upper end's 億 is inside its numeral (parsed whole); the
        # lower end takes the largest 万/亿/兆 that leaves it below the upper end.
        for scale in (1e12, 1e8, 1e4):
            if low.base * scale <= abs(high.value) and abs(high.value) / scale < 1e4:
                low.mag, low.mag_kind = scale, "cjk"
                low.value = (-1 if low.value < 0 else 1) * nb.scaled(low.base, scale)
                break
    elif low.mag_kind == "" and high.mag_kind:
        low.mag, low.mag_kind = high.mag, high.mag_kind
        low.value = (-1 if low.value < 0 else 1) * nb.scaled(low.base, low.mag)
    elif high.mag_kind == "" and low.mag_kind and high.unit is None:
        high.mag, high.mag_kind = low.mag, low.mag_kind
        high.value = nb.scaled(high.base, high.mag)
    if low.unit is None:
        low.unit = high.unit
        if high.factor != 1.0:  # "171 and 219 GW": both ends in watts
            low.value, low.factor = nb.scaled(low.value, high.factor), high.factor
    if high.unit is None:
        high.unit = low.unit
        if low.factor != 1.0:
            high.value, high.factor = nb.scaled(high.value, low.factor), low.factor


def _is_figure(m: Mention) -> bool:
    unit = m.unit
    if unit is not None and (_is_money(unit) or unit in _PLAIN_UNITS):
        return True
    if unit == "W":
        return abs(m.value) >= 1e7  # a chip's, a rack's or a building's watts are not capacity
    if unit in ("users", "count"):
        if (m.noun in _KEY_COUNTED or (m.noun or "").startswith("data centre ")) and abs(
            m.value
        ) >= 2:
            return True  # "五座資料中心", "500台服务器"
        return m.mag_kind in ("word", "cjk") or abs(m.value) >= 1000 or m.mag_kind == "letter"
    return m.mag_kind in ("word", "cjk")


_PLAIN_UNITS: Final = frozenset({"percent", "percentage_points", "times", "FLOPS"})
_KEY_COUNTED: Final = frozenset(units.KEY_NOUNS.values())


def _may_have_tolerance(text: str, folded: str | None) -> bool:
    """False when no _TOLERANCE match can exist in ``text`` (the usual case): skip its searches.

    ``folded`` is ``textfold.fold(text)``.
    """
    return (
        folded is None
        or "minus" in folded
        or "±" in text
        or "+/-" in text
        or "上下浮" in text
        or "正負" in text
        or "正负" in text
    )


def _token_matches(text: str, folded: str | None) -> list[tuple[_Head, str | None, int]]:
    """Exactly ``_TOKEN.finditer(text)``, as (head match, unit text or None, end) triples, but
    each search starts near the next anchor (``folded`` is ``textfold.fold(text)``).

    No match can start more than ``_ANCHOR_REACH`` characters before the first anchor at or
    after the search position, so starting the search there finds the same match.
    (A list, not a generator: compiled, a generator costs more than the few tuples.)
    """
    out: list[tuple[_Head, str | None, int]] = []
    fast: _AsciiAnchors | None = None
    if folded is None:
        anchor, hay = _ANCHOR, text
    else:
        anchor, hay = _ANCHOR_F, folded
        if folded.isascii() and text.isascii():
            fast = _AsciiAnchors(folded)
    suffix, suf_hay = (_SUFFIX, text) if folded is None else (_SUFFIX_F, folded)
    n = len(text)
    pos = 0
    while True:
        if fast is not None:
            at = fast.next(pos)
            if at < 0:
                break
        else:
            a = anchor.search(hay, pos)
            if a is None:
                break
            at = a.start()
        m: _Head | None
        if hay[at] in "tmbhTMBH百":  # a magnitude word, "half", or "百分之" (a prefix)
            m = _head(_HEAD.search(text, max(pos, at - _ANCHOR_REACH)))
        elif fast is not None:
            m = _ascii_number_head(text, hay, pos, at, fast.digits) or _head(
                _HEAD.search(text, at + 1)
            )
        else:
            m = _head(_number_head(text, pos, at) or _HEAD.search(text, at + 1))
        if m is None:
            break
        end = m.end()
        s = (
            suffix.match(suf_hay, end)
            if folded is None or _may_have_suffix(folded, end, n)
            else None
        )
        if s is None:
            out.append((m, None, end))
        else:
            out.append((m, text[s.start("suf") : s.end()], s.end()))
            end = s.end()
        pos = end  # never empty: a token holds a number
    return out


_GROUPS: Final = ("pre", "num", "words", "cjk", "wmag", "lmag", "duo", "cmag")


class _Head:
    """A _HEAD match: where it starts and ends, and its groups (in _GROUPS order)."""

    def __init__(self, start: int, end: int, groups: tuple[str | None, ...]) -> None:
        self.s = start
        self.e = end
        self.groups = groups

    def start(self) -> int:
        return self.s

    def end(self) -> int:
        return self.e

    def groupdict(self) -> dict[str, str | None]:
        return dict(zip(_GROUPS, self.groups, strict=True))


def _head(m: re.Match[str] | None) -> _Head | None:
    if m is None:
        return None
    # All groups in one call: reading them one by one costs more.
    return _Head(m.start(), m.end(), m.group(*_GROUPS))


# _HEAD's optional magnitude after the number, on its own.
_MAG_TAIL: Final = re.compile(
    _HEAD_PATTERN[_HEAD_PATTERN.index(r"(?:[\s-]?(?P<wmag>") :], re.VERBOSE
)
# Where a _MAG_TAIL match that is not empty can start: whitespace (str.isspace) or these.
_MAG_FIRST: Final = frozenset("-tmblcTMBLCkKT多余餘几幾十百千万萬亿億兆")
# The prefix of a _HEAD match ending where the search ends (its lookbehinds at its start).
_PREFIX_END: Final = re.compile(rf"(?<![A-Za-z0-9_.])(?<!\d,)(?P<pre>{units.PREFIX})\Z")
# Every ASCII text units.PREFIX matches (its other alternatives hold a non-ASCII character;
# its lookaheads after the codes see the end of a search ending there): test_speedups checks.
_ASCII_PREFIXES: Final = frozenset(
    (
        "US$", "U.S.$", "HK$", "NT$", "A$", "AU$", "C$", "CA$", "S$", "R$", "$", "USD", "CNY",
        "RMB", "EUR", "JPY", "KRW", "HKD", "TWD", "GBP", "INR", "MYR", "CHF", "CAD", "AUD", "SGD",
        "Rs", "Rs.", "RM",
    )
)  # fmt: skip
# The number pattern _ascii_number_head reads by hand (test_speedups checks they agree).
_ASCII_NUMBER: Final = r"\d{1,3}(?:,\d{3}){1,5}(?:\.\d{1,6})?|\d{1,15}(?:\.\d{1,6})?"


def _run_end(digits: str, at: int, stop: int) -> int:
    """End of the run of digits starting at ``at`` (``digits``: the _AsciiAnchors copy),
    at most ``stop``."""
    j = at
    while j < stop and digits[j] == "0":  # runs are short: cheaper than a bounded find
        j += 1
    return j


# _MAG_TAIL for lower-cased text: no IGNORECASE, and its letter magnitudes lower-cased ("T" is
# "t" there: the caller checks the letter in the text). None if _HEAD_PATTERN changed shape.
_LMAG: Final = f"(?P<lmag>{nb.LETTER_MAGNITUDE})"
_MAG_TAIL_F: Final = (
    re.compile(
        _MAG_TAIL.pattern.replace("(?i:", "(?:").replace(_LMAG, "(?P<lmag>[kmbt])"), re.VERBOSE
    )
    if _MAG_TAIL.pattern.count("(?i:") == 1 and _MAG_TAIL.pattern.count(_LMAG) == 1
    else None
)
_LMAG_CHARS: Final = "kKmMbBT"
# The first letters of _MAG_TAIL_F's magnitude words: in ASCII text a "-" or whitespace can
# start a match only before one of them (a letter magnitude is glued; CJK cannot be there).
_WMAG_FIRST: Final = "tmblc"


def _ascii_number_head(text: str, folded: str, pos: int, at: int, digits: str) -> _Head | None:
    """``_head(_number_head(text, pos, at))`` for ASCII ``text`` with an ASCII digit at ``at``
    (``folded``: ``text.lower()``; ``digits``: its _AsciiAnchors copy), with string methods for
    the number (nb.NUMBER: the regex backtracks through two alternatives of nested repeats at
    every number) and a regex only for a prefix or a magnitude that can be there."""
    stop = min(len(text), at + _HEAD_SPAN)  # the search's endpos
    b = at - 1 if at >= 1 and text[at - 1].isspace() else at
    pre: str | None = None
    start = at
    if b >= 1 and text[b - 1] in _PREFIX_LAST:
        # _PREFIX_END.search(text, max(pos, b - _PREFIX_REACH), b) without the regex: the
        # leftmost start whose text up to ``b`` is an ASCII prefix, with its lookbehinds.
        for s in range(max(pos, b - _PREFIX_REACH), b):
            if text[s:b] in _ASCII_PREFIXES and not (
                s >= 1
                and (
                    text[s - 1].isalnum()
                    or text[s - 1] == "_"
                    or text[s - 1] == "."
                    or (text[s - 1] == "," and s >= 2 and text[s - 2].isdigit())
                )
            ):
                pre, start = text[s:b], s
                break
    if pre is None and at >= 1:
        c = text[at - 1]
        if c.isalnum() or c == "_" or c == "." or (c == "," and at >= 2 and text[at - 2].isdigit()):
            return None  # _HEAD's lookbehinds: glued to a word or a number
    # nb.NUMBER: "1,234,567.89" (1 to 3 digits, 1 to 5 groups of three), else "1234.5".
    run = _run_end(digits, at, stop)
    j = -1
    if run - at <= 3 and run < stop and text[run] == ",":
        k = run
        groups = 0
        while groups < 5 and k + 4 <= stop and text[k] == "," and digits[k + 1 : k + 4] == "000":
            k += 4
            groups += 1
        if groups:
            j = k
    if j < 0:
        j = min(run, at + 15)
    if j + 1 < stop and text[j] == "." and digits[j + 1] == "0":
        j = min(_run_end(digits, j + 1, stop), j + 7)
    num = text[at:j]
    end = j
    wmag = lmag = duo = cmag = None
    if j < stop and (text[j] in _MAG_FIRST or text[j].isspace()):
        if _MAG_TAIL_F is None:
            mm = _MAG_TAIL.match(text, j, stop)
            if mm is not None and mm.end() > j:
                wmag, lmag, duo, cmag = mm.group("wmag", "lmag", "duo", "cmag")
                end = mm.end()
        elif (folded[j] == "-" or folded[j].isspace()) and (
            j + 1 >= stop or folded[j + 1] not in _WMAG_FIRST
        ):
            pass  # a separator not before a magnitude word ("5 percent"): nothing can match
        else:
            # On the lower-cased text (case-sensitive, faster); the words as the text has them.
            mm = _MAG_TAIL_F.match(folded, j, stop)
            if mm is not None and mm.end() > j:
                fw, fl = mm.group("wmag", "lmag")
                e = mm.end()
                if fw is not None:
                    wmag, end = text[e - len(fw) : e], e
                elif fl is not None and text[e - 1] in _LMAG_CHARS:
                    lmag, end = text[e - 1], e
                # else "t" (no magnitude; a CJK one cannot follow in ASCII text)
    return _Head(start, end, (pre, num, None, None, wmag, lmag, duo, cmag))


_ANCHOR_SHORT: Final = tuple(w for w in _ANCHOR_WORDS if not w.endswith("illion"))
# ASCII digits -> "0", every other byte -> " ": bytes.find(b"0") then finds the next digit.
_DIGIT_BYTES: Final = bytes(0x30 if 0x30 <= c <= 0x39 else 0x20 for c in range(256))


class _AsciiAnchors:
    """Where ``_ANCHOR_ASCII.search(hay, pos)`` matches, for one lower-cased ASCII ``hay``,
    without a regex: its alternatives are the ten digits (the next one found in a copy of
    "0"s and spaces) and the words of _ANCHOR_WORDS (every occurrence found once by
    ``str.find``). The regex stops at every "t", "m", "b" and "h" of the text to try its words.
    """

    def __init__(self, hay: str) -> None:
        # "0" for each digit, " " for anything else: str.find is a compiled primitive.
        self.digits = hay.encode("ascii").translate(_DIGIT_BYTES).decode("ascii")
        words: list[int] = []
        for w in _ANCHOR_SHORT:
            i = hay.find(w)
            while i >= 0:
                words.append(i)
                i = hay.find(w, i + 1)
        # "million", "billion", "trillion": one search for what they share.
        i = hay.find("illion")
        while i >= 0:
            if i >= 1 and (hay[i - 1] == "m" or hay[i - 1] == "b"):
                words.append(i - 1)
            elif i >= 2 and hay[i - 2 : i] == "tr":
                words.append(i - 2)
            i = hay.find("illion", i + 1)
        if len(words) > 1:
            words.sort()
        self.words = words

    def next(self, pos: int) -> int:
        """The start of the first anchor at or after ``pos``, or -1."""
        d = self.digits.find("0", pos)
        words = self.words
        k = bisect.bisect_left(words, pos) if words else 0
        if k < len(words) and (d < 0 or words[k] < d):
            return words[k]
        return d


# The first characters of the _SUFFIX_F alternatives (lower case): a unit can follow a head
# only where one of them comes right after it or after one whitespace character.
_SUFFIX_FIRST: Final = frozenset(
    "%+-abcdefghijkmnprstuwxyz个人令余個倍元兆円千卢台吉坡基多成新日欧歐港瑞瓦瓩百盧美英韓韩餘馬马"
)


def _may_have_suffix(folded: str, end: int, n: int) -> bool:
    """Whether a _SUFFIX_F match can start at ``end`` of lower-cased text (``n`` long)."""
    if end >= n:
        return False
    c = folded[end]
    if c.isspace() and end + 1 < n:  # str.isspace is exactly re's \s
        c = folded[end + 1]
    return c in _SUFFIX_FIRST


def _number_head(text: str, pos: int, at: int) -> re.Match[str] | None:
    """The _HEAD match starting in ``[pos, at]`` where ``at`` is a digit or Chinese numeral
    anchor (the first anchor at or after ``pos``; not the "百" of a "百分之" prefix), if any.

    Such a match is a number starting at ``at``, after a prefix (ending right before it or
    before one space) or not: unless a prefix's last character is there, only ``at`` is tried.
    """
    b = at - 1 if at >= 1 and text[at - 1].isspace() else at
    start = b - _PREFIX_REACH if b >= 1 and text[b - 1] in _PREFIX_LAST else at
    m = _HEAD_NUM.search(text, max(pos, start), at + _HEAD_SPAN)
    return m if m is not None and m.start() <= at else None


def _tokens(text: str, folded: str | None) -> list[Mention]:
    out: list[Mention] = []
    tolerance = _may_have_tolerance(text, folded)
    for m, suf, end in _token_matches(text, folded):
        t = _token(m, suf, end, text, folded)
        if t is None:
            continue
        if tolerance and _TOLERANCE.search(text, max(0, t.start - 16), t.start):
            continue  # "$9.8 billion, plus or minus $300 million": a tolerance, not a figure
        out.append(t)
    if _may_have_parens(text):
        extra = _paren_negatives(text)
        if extra:
            out = [t for t in out if not any(x.start < t.end and t.start < x.end for x in extra)]
            out = sorted(out + extra, key=lambda t: t.start)
    return out


# Accounting negatives: a number in parentheses right after a currency symbol or right before
# the percent sign ("a net loss of $(4.5) million", "EPS of $(0.25)", "operating margin of
# (4.5)%"). A parenthesis that holds more than the bare number ("(22% in constant currency)",
# "(about $23 billion)") is an aside, read as usual.
_PAREN_NEGATIVE: Final = re.compile(
    rf"""(?<![A-Za-z0-9_.])(?P<pre>US\$|\$|€|£|¥|₩|₹|HK\$|NT\$|S\$|A\$|C\$)\s?
      \((?P<num>{nb.NUMBER})\)
      (?:[\s-]?(?P<wmag>(?i:{nb.WORD_MAGNITUDE}))(?![A-Za-z])|(?P<lmag>{nb.LETTER_MAGNITUDE})(?![A-Za-z0-9]))?
    |(?<![\w.])\((?P<pnum>{nb.NUMBER})\)\s?(?:%|(?i:percent|per\s?cent)(?![A-Za-z]))""",
    re.VERBOSE,
)


def _may_have_parens(text: str) -> bool:
    """Whether a _PAREN_NEGATIVE match can be in ``text`` (cheap substring tests)."""
    if "(" not in text:
        return False
    return (
        "$(" in text
        or ")%" in text
        or ") %" in text
        or "€(" in text
        or "£(" in text
        or "¥(" in text
        or ") per" in text
        or ") Per" in text
        or "$ (" in text
    )


def _paren_negatives(text: str) -> list[Mention]:
    out: list[Mention] = []
    for p in _PAREN_NEGATIVE.finditer(text):
        num = p.group("num") or p.group("pnum")
        base = nb.parse_digits(num)
        mag, kind = 1.0, ""
        if p.group("wmag"):
            mag, kind = nb.en_magnitude(p.group("wmag")), "word"
        elif p.group("lmag"):
            mag, kind = nb.en_magnitude(p.group("lmag")), "letter"
        unit = units.prefix_unit(p.group("pre")) if p.group("pre") else "percent"
        value = -nb.scaled(base, mag)
        out.append(Mention(p.start(), p.end(), value, base, mag, kind, unit, head=p.start()))
    return out


def scan(text: str, folded: str | EllipsisType | None = ...) -> list[Mention]:
    """Quantity mentions in normalized ``text`` that are figures, in order of position.

    ``folded``: ``textfold.fold(text)`` if the caller has it (computed here otherwise).
    """
    folded = given(text, folded)
    toks = _tokens(text, folded)
    # The merge patterns run on the lower-cased text with their twins when there is one.
    low, is_folded = (text, False) if folded is None else (folded, True)
    if _may_have_words(low, is_folded):
        extra = _word_tokens(text, low, is_folded, toks)
        if extra:
            toks = sorted(toks + extra, key=lambda t: t.start)
    if _may_have_word_counts(low):
        extra = _word_counts(low, toks)
        if extra:
            toks = sorted(toks + extra, key=lambda t: t.start)
    if "位數" in text or "位数" in text:  # "三位數成長", "低雙位數百分比", "中個位數"
        extra = _triple_digit_tokens(text)
        if extra:
            toks = [t for t in toks if not any(x.start < t.end and t.start < x.end for x in extra)]
            toks = sorted(toks + extra, key=lambda t: t.start)
    if "半成" in text:  # "升逾半成": half of a tenth, 5 percent
        extra = _half_tenth_tokens(text)
        if extra:
            toks = sorted(toks + extra, key=lambda t: t.start)
    if len(toks) > 1 and _may_compound(text):
        toks = _join_compounds(text, toks)
    if len(toks) > 2 and ("/" in text or "、" in text):
        _share_list_unit(text, toks)
    out: list[Mention] = []
    # The money unit last written, for amounts whose currency the text leaves implied ("3 年
    # 3,800 亿" after yuan figures), and the 元 currency last named (新台幣 -> bare 元 is TWD).
    last_money: str | None = None
    last_money_end = -1
    named_yuan: str | None = None
    # A currency declared for the amounts below ("(人民幣，下同)") holds until another one is.
    declared = False
    # Hong Kong text quotes share prices, market values and offerings in 港元, written out, but
    # the mainland companies it covers report in 人民币, often left implied: a 港元 amount is HKD
    # alone and leaves the bare 元 amounts to _local_yuan (a quoted share price there is HKD).
    rmb_named = "人民" in text or "RMB" in text
    doubling = _may_double(low, is_folded)
    # The key noun of the last count, for later items of its list that leave it out.
    last_noun: str | None = None
    last_noun_end = -1
    i = 0
    n = len(toks)
    while i < n:
        cur = toks[i]
        j = i + 1
        # Look at the next token(s) and merge while the words between them say to.
        while j < n:
            nxt = toks[j]
            gap_start, gap_end = cur.end, nxt.start
            if gap_end < gap_start:
                j += 1  # inside what cur took in (the end of a converted range)
                continue
            if gap_end - gap_start > 60:
                break
            if _try_merge(text, low, is_folded, cur, nxt, gap_start, gap_end):
                j += 1
                continue
            break
        if doubling and cur.previous is None and cur.low is None and not cur.is_move:
            _doubled_to(low, cur)
        if (
            cur.unit is None
            and cur.mag_kind in ("word", "cjk")
            and cur.end < len(text)
            and text[cur.end] in _NOT_AMOUNT_AFTER
        ):
            cur.unit = None  # "收在3萬0810點": index points
        elif (
            cur.unit == "count"
            and cur.mag_kind == "cjk"
            and text[cur.end - 1 : cur.end] == "次"
            and _OPS_PER_SECOND.search(text, max(0, cur.start - 8), cur.end + 10)
        ):
            cur.unit = "FLOPS"  # "每秒1350億億次浮點運算": operations per second
            if text[max(0, cur.start - 2) : cur.start] == "每秒":
                cur.start -= 2  # "超過每秒…": the qualifier is read before 每秒
        elif cur.unit is None and cur.mag_kind in ("word", "cjk"):
            money_sized = abs(cur.value) >= 1e8 and not _COUNTISH.search(
                low, max(0, cur.start - 12), cur.start
            )
            if (
                money_sized
                and not cur.round_cjk
                and last_money is not None
                and cur.start - last_money_end <= _IMPLIED_REACH
            ):
                cur.unit = last_money
            elif (
                money_sized
                and cur.mag_kind == "cjk"
                and (
                    _ZH_MONEY_BEFORE.search(text, max(0, cur.start - 16), cur.start)
                    or _ZH_MONEY_AFTER.match(text, cur.end)
                )
            ):
                if _USD_BASIS.search(text, max(0, cur.start - 30), cur.start):
                    cur.unit = "USD"  # "若以美元計算，第3季營收331億"
                else:
                    cur.unit, cur.bare_yuan = "CNY", True  # "資本開支130億": an amount in 元
            elif cur.round_cjk or cur.qual == "vague":
                cur.unit = None  # "千亿级", "millions of users": no figure
            elif _PARAMS_BEFORE.search(low, max(0, cur.start - 10), cur.start):
                cur.unit = None  # "模型参数量达到1.8万亿": a model's size, not a figure
            else:
                cur.unit = "count"
        if (
            (cur.unit is None or cur.bare_yuan)
            and cur.mag_kind == "cjk"
            and text[cur.end : cur.end + 1] in "(（"
        ):
            same = _SAME_BELOW.match(text, cur.end)
            if same is not None:
                # "244.33亿(新台币,下同)": the currency of this and the bare amounts after it.
                cur.unit, cur.bare_yuan = units.prefix_unit(same.group(1)), False
                if cur.unit in _YUAN_FAMILY:
                    named_yuan, declared = cur.unit, True
        if cur.bare_yuan and _USD_BASIS_JUST_BEFORE.search(text, max(0, cur.start - 18), cur.start):
            cur.unit, cur.bare_yuan = "USD", False  # "美元營收達 318 至 330 億元": dollars
        elif cur.bare_yuan:
            cur.unit = named_yuan or _local_yuan(text, cur.start, cur.end, rmb_named)
        if (
            last_noun is not None
            and cur.unit is None
            and cur.mag_kind == ""
            and cur.start - last_noun_end <= 40
            and _elided_noun(text, low, cur)
        ):
            cur.unit, cur.noun = "count", last_noun  # "15 data centers, 11 under construction"
        if _is_figure(cur) and cur.unit is not None:
            if cur.unit == "count" and cur.noun in _KEY_COUNTED:
                last_noun, last_noun_end = cur.noun, cur.end
            out.append(cur)
            if _is_money(cur.unit):
                last_money, last_money_end = cur.unit, cur.end
                if (
                    not cur.bare_yuan
                    and not declared
                    and cur.unit in _YUAN_FAMILY
                    and cur.unit != "HKD"
                ):
                    named_yuan = cur.unit
        i = j
    if out and _may_not_be_figure(text, low):
        out = [m for m in out if not _not_a_figure(text, low, m)]
        out = [m for i, m in enumerate(out) if not _barrier(low, i, out)]
        out = [m for i, m in enumerate(out) if not _restated(low, i, out)]
    if len(out) > 1 and _may_compare(text, low):
        out = _drop_bases(text, low, out)
    if len(out) > 1 and ("：" in text or ":" in text):
        out = _comparative_periods(text, out)
    return out


# A later item of a list of counts whose noun is left out: "15 operational data centers, 11
# under construction, and 25 approved". The number follows a comma or "and" and is followed by
# the item's status (a participle or a status phrase), not by a noun of its own.
_ELIDED_BEFORE: Final = re.compile(r"(?:,|;|\s(?:and|or))\s*(?:(?:and|or|with|plus)\s+)?$")
_ELIDED_AFTER: Final = re.compile(
    r"\s+(?:more\s+)?(?:under\s+(?:construction|development|way)|in\s+(?:construction|development"
    r"|operation|planning|the\s+pipeline)|underway|planned|proposed|pending|operational|operating"
    r"|approved|announced|completed|awaiting|being\s+built|in\s+the\s+works|[a-z]{3,}ed)(?![a-z])"
)


def _elided_noun(text: str, low: str, cur: Mention) -> bool:
    """Whether the bare number ``cur`` is a later item of a list of counts (see _ELIDED_*)."""
    if not cur.value.is_integer() or cur.value < 1 or text[cur.start - 1 : cur.start] == "-":
        return False
    return (
        _ELIDED_BEFORE.search(low, max(0, cur.start - 8), cur.start) is not None
        and _ELIDED_AFTER.match(low, cur.end) is not None
    )


# Hong Kong filings give the comparative period's figure in parentheses after the current one:
# "约192.6百万港元(二零二二年财政年度:约223.2百万港元)", "（二零二三年：人民幣1.2億元）".
_PERIOD_COLON_BEFORE: Final = re.compile(
    r"[（(][^（）()，,。；;]{0,20}?[年期度季][：:]\s*(?:约|約)?\s*$"
)
_CLOSE_PAREN: Final = re.compile(r"\s*[)）]")


def _comparative_periods(text: str, out: list[Mention]) -> list[Mention]:
    """Fold each parenthesised comparative-period figure into the figure before it of the same
    unit, as its ``previous``."""
    kept: list[Mention] = []
    for m in out:
        prev = kept[-1] if kept else None
        if (
            prev is not None
            and prev.unit == m.unit
            and prev.previous is None
            and m.start - prev.end <= 40
            and _CLOSE_PAREN.match(text, m.end) is not None
            and _PERIOD_COLON_BEFORE.search(text, max(0, m.start - 26), m.start) is not None
        ):
            prev.previous = m.value
            prev.consumed.append((m.start, m.end))
            continue
        kept.append(m)
    return kept


_IMPLIED_REACH: Final = 400
_SAME_BELOW: Final = re.compile(
    r"[（(]\s*(人民币|人民幣|新台币|新台幣|台币|台幣|港币|港幣|港元|美元)\s*[,，、]\s*下同\s*[)）]"
)
_OPS_PER_SECOND: Final = re.compile(
    r"每秒[^，,；;。]{0,12}次[^，,；;。]{0,3}(?:浮點|浮点|運算|运算|計算|计算)"
)


# Items of a list of amounts that write the magnitude and unit once, on the last item:
# "营收分别为280/170/60亿元", "120、90、60億元".
_LIST_SEPS: Final = frozenset("/、")


def _share_list_unit(text: str, toks: list[Mention]) -> None:
    """Give each bare number of a list of three or more ("280/170/60亿元") the magnitude and
    unit of its last item, which writes them once. Two items ("3/5") are a date or a ratio."""
    k = len(toks) - 1
    while k >= 2:
        last = toks[k]
        if last.unit is None or (
            last.mag_kind not in ("cjk", "word")
            and last.unit not in ("percent", "percentage_points")
        ):
            k -= 1
            continue
        j = k
        while (
            j >= 1
            and text[toks[j - 1].end : toks[j].start].strip() in _LIST_SEPS
            and toks[j - 1].unit is None
            and toks[j - 1].mag_kind == ""
            and toks[j - 1].low is None
        ):
            j -= 1
        if k - j >= 2:
            for t in toks[j:k]:
                t.mag, t.mag_kind, t.unit = last.mag, last.mag_kind, last.unit
                t.factor, t.bare_yuan = last.factor, last.bare_yuan
                t.value = nb.scaled(nb.scaled(t.base, last.mag), last.factor)
        k = j - 1


def _may_compound(text: str) -> bool:
    return (
        "兆" in text or "億" in text or "亿" in text or "萬" in text or "万" in text or "成" in text
    )


# After a bare magnitude: index points ("收在3萬0810點") and shares ("回購3536萬股").
_NOT_AMOUNT_AFTER: Final = frozenset("點点股度")  # 度: kWh ("8.76億度"), energy
# Money words right before a bare Chinese amount ("资本开支 3,800 亿", "營收達 8 兆").
_ZH_MONEY_BEFORE: Final = re.compile(
    r"(?:资本开支|資本開支|资本支出|資本支出|营收|營收|收入|投资|投資|利润|利潤|净利|淨利|亏损|虧損"
    r"|开支|開支|支出|市值|估值|融资|融資|预算|預算|费用|費用|规模|規模|金额|金額"
    # Verbs of spending ("投3800亿", "投入1600亿", "砸 1000 亿", "烧钱5万亿", "斥资").
    r"|投|砸|烧钱|燒錢|斥资|斥資|耗资|耗資|募资|募資|募集|花费|花費|营业额|營業額|销售额|銷售額"
    r"|订单|訂單|资金|資金|成本)"
    r"[\u4e00-\u9fff]{0,4}?(?:[达達为為是约約超逾近至]|超过|超過|突破)?\s*$"
)
# Money words just after a bare Chinese amount ("3800亿三年AI投资计划", "1000亿资本开支").
_ZH_MONEY_AFTER: Final = re.compile(
    r"[^，,。；;、：:！!？?]{0,6}?(?:投资|投資|资本开支|資本開支|资本支出|資本支出|资金|資金|预算|預算)"
)
# Taiwanese money text: a bare 元 there is the New Taiwan dollar.
_TW_MARKERS: Final = re.compile(
    r"新台幣|新臺幣|台幣|臺幣|台積電|臺積電|鴻海|緯創|廣達|台電|聯發科|日月光|華碩|英業達|仁寶|和碩|技嘉"
    r"|微星|台達電|聯電|台股|臺股|法說會|櫃買|上市櫃|經濟部|金管會"
    # Taiwan's names for valuation ratios (Hong Kong and the mainland write 市盈率/市帳率/市净率).
    r"|本益比|股價淨值比|投信"
    # Taiwanese results wording (Hong Kong writes 按年/按季, the mainland 同比/环比).
    # ("9月增長198%" is growth in September, "年增長" annual growth: any script's wording).
    r"|(?<!按)[年季月][增減](?![長长加少])|營益率|稅後純益|每股純益|每股盈餘|財測"
    r"|法人預估|法人預期|上市上櫃|本業|營業利益|業外|稅後淨利|稅後淨損|淨損|每股虧損|每股純損"
    # Monthly revenue reports are Taiwan's ("國巨10月營收114.6億元").
    r"|\d{1,2}\s?月份?(?:合併)?營收|[（(][1-9]\d{3}(?:-KY|\.TWO?)[)）]"
    # Taiwanese terms in simplified script (converted Taiwanese copy: "营益率", "每股纯益"), and
    # shares counted in lots of a thousand (張, "处分7000张持股": Taiwan's trading unit).
    r"|营益率|税后纯益|每股纯益|每股盈余|法说会|财测|新台币|[張张]持股"
    # Rating and dividend wording of Taiwan ("買進」評等", "配發現金股利", "股息配發率"; Hong
    # Kong writes 評級/派息, the mainland 评级/派发).
    r"|評等|配發現金|現金股利|股息配發率|配息"
)
# Taiwanese results wording that needs traditional script around it: "EPS" quoted in 元, 單季,
# 成長 for growth (Hong Kong writes 增長, the mainland 增长): with no mainland or Hong Kong marker
# near, a bare 元 there is the New Taiwan dollar ("全年營收1,987.6億元，EPS 4.77元").
_TW_HANT_WORDS: Final = re.compile(r"EPS|單季|成長")
# Common characters written only in traditional script.
_HANT_CHARS: Final = re.compile(r"[億萬營額應佔華陸業幣單達優預與為這個們會過還從發電資產實報價較]")
_MAINLAND_MARKERS: Final = re.compile(
    r"同比|環比|环比|人民|A股|內地|内地|大陸|大陆|陸企|\.S[HZ]|歸母|归母|滬|沪|深交所|上交所|科創板|科创板"
    r"|央企|國資|国资|財聯社|财联社"
    # Hong Kong's change wording, used for the mainland companies it covers (reporting in 人民币).
    r"|按年|按季"
    # Mainland vocabulary (Taiwan writes 人工智慧/伺服器/晶片/資料中心), and 于 as a preposition:
    # mainland copy converted to traditional script ("受益于").
    r"|人工智能|服務器|服务器|芯片|數據中心|数据中心|[受位由對对屬属基關关等]于"
)
# A four-digit stock code after a company's name ("奇鋐（3017）"; not a year): Taiwan's, unless
# the text names 人民币 or Hong Kong, whose codes have four digits too; Hong Kong's secondary
# listings of mainland companies are all 9xxx ("阿里巴巴(9988)", "百度(9888)").
_TW_CODE: Final = re.compile(r"[（(](?!19\d\d|20[0-3]\d)[1-8]\d{3}[)）]")
_HK_NAMED: Final = re.compile(r"港|恒指|恆指|恒生|恆生|\.HK|HK\$")
_USD_BASIS: Final = re.compile(r"以美元計|以美元计|美元營收|美元营收")
# The same, in the clause of an amount written "億元" (the 元 is then the dollar's).
_USD_BASIS_JUST_BEFORE: Final = re.compile(
    r"(?:以美元計算?[，,]?|以美元计算?[，,]?|美元營收|美元营收)[^，,；;。元億亿%％]{0,10}$"
)


def _local_yuan(text: str, start: int, end: int, rmb_named: bool) -> str:
    """The currency of a bare 元 with no 元 currency named before it: HKD for a share price
    in Hong Kong market text ("騰訊(00700)升3.07%，報538元"), TWD in Taiwanese text (a marker
    within 300 characters before or 100 after, or an amount in 兆 when ``rmb_named`` is False:
    the text names no 人民币), HKD in a Hong Kong company's results (溢利 in Hong Kong or
    traditional-script text naming no 人民币), else CNY."""
    if _QUOTED_AT.search(text, max(0, start - 6), start) and _HK_MARKERS.search(
        text, max(0, start - 300), end + 100
    ):
        return "HKD"
    if not rmb_named and "兆" in text[start:end]:
        return "TWD"  # 兆 for 10^12 is Taiwan's (the mainland and Hong Kong write 万亿/萬億)
    if _TW_MARKERS.search(text, max(0, start - 300), end + 100):
        return "TWD"
    lo, hi = max(0, start - 300), end + 100
    if (
        not rmb_named
        and _TW_HANT_WORDS.search(text, lo, hi)
        and _HANT_CHARS.search(text, lo, hi)
        and not _MAINLAND_MARKERS.search(text, lo, hi)
        and not _HK_ARTICLE.search(text, lo, hi)
        and not _HK_RESULTS.search(text, lo, hi)
    ):
        return "TWD"
    if not rmb_named and _HK_MONEY.search(text, lo, hi):
        return "HKD"  # "金管局…注入1294億元", "本港…": Hong Kong's money
    if (
        not rmb_named
        and _HK_RESULTS.search(text, max(0, start - 300), end + 100)
        and (
            _HK_ARTICLE.search(text) is not None
            or _TRADITIONAL.search(text, max(0, start - 300), end + 100) is not None
        )
    ):
        # Hong Kong results wording (溢利) in a Hong Kong article (港股, 联交所,
        # HK$ ...) or in traditional script, naming no 人民币: a Hong Kong company's report, in
        # 港元 ("股東應佔溢利為3.693億元，按年上升9%"). A mainland company keeps its own
        # reporting currency (figures: the lexicon's currency).
        return "HKD"
    if (
        not rmb_named
        and _TW_CODE.search(text, max(0, start - 300), end + 100)
        and not _HK_NAMED.search(text, max(0, start - 300), end + 100)
    ):
        return "TWD"
    return "CNY"


# Hong Kong's word for profit (the mainland writes 利润, Taiwan 獲利/淨利); 按年/按季 alone is
# Hong Kong wording for any company, mainland ones (reporting in 人民币) included.
_HK_RESULTS: Final = re.compile(r"溢利")
_HK_ARTICLE: Final = re.compile(
    r"[（(]0\d{4}[)）]|港股|恒指|恆指|恒生|恆生|港交所|联交所|聯交所|HK\$|港元|港币|港幣|香港"
)
_TRADITIONAL: Final = re.compile(r"[億萬營額應佔華陸業幣]")
_HK_MARKERS: Final = re.compile(
    # Hong Kong's word for a share's rise (Taiwan writes 漲幅, the mainland 涨幅).
    # ("調升幅度" is a raise's size, any script's).
    r"[（(]0\d{4}[)）]|港股|恒指|恆指|恒生|恆生|港交所|联交所|聯交所|(?<![調调上提拉])升幅(?!度)"
)
_QUOTED_AT: Final = re.compile(r"報|报|股價|股价|每股|造|見|见")
# Hong Kong's monetary system: the Monetary Authority, "本港", the 港元 money market.
_HK_MONEY: Final = re.compile(
    r"金管局|金融管理局|本港|港元(?:拆息|資金|资金|總結餘|总结余)|香港銀行|香港银行"
)


_YUAN_FAMILY: Final = frozenset({"CNY", "TWD", "HKD"})
_PARAMS_BEFORE: Final = re.compile(
    r"(?:参数|參數|token|tokens|上下文|晶体管|晶體管|電晶體)[量数數]?(?:规模|規模)?[^，,；;。\d]{0,4}$"
)
# Words before a bare magnitude that make it a count, not an amount of the implied currency.
_COUNTISH: Final = re.compile(
    r"出货|出貨|销量|銷量|用户|用戶|人口|人次|下载|下載|访问|訪問|参数|參數|装机|裝機|token"
    r"|shipments|units|users|people|downloads|visits|parameters|subscribers|devices"
)
_DOUBLED_TO: Final = re.compile(
    r"(?:(?P<d>doubled)|(?P<t>tripled)|(?P<q>quadrupled)|(?P<h>halved)"
    r"|(?P<zd>翻倍|翻番|翻了一番|翻了一倍|增加一倍)|(?P<zq>翻两番|翻兩番))"
    # ... with its object between: "tripled its GPU count to 200,000"
    r"(?:\s+(?:its|their|the|our|his|her)(?:\s+[a-z][a-z-]*){1,3})?"
    r"\s*(?:,\s*)?(?:to|至|到|达到?|達到?)\s*"
    r"(?:(?:over|more\s+than|about|nearly|almost|around|roughly|some|超过|超過|逾|约|約|近)\s*)?$"
)
_DOUBLE_FACTORS: Final = {"d": 2.0, "t": 3.0, "q": 4.0, "h": 0.5, "zd": 2.0, "zq": 4.0}


def _may_double(low: str, folded: bool) -> bool:
    if not folded:
        return True
    return "doubl" in low or "tripl" in low or "quadrupl" in low or "halv" in low or "翻" in low


def _doubled_to(low: str, cur: Mention) -> None:
    """ "doubled to over 200,000", "翻倍至 400 亿": the earlier value is the new one halved."""
    dm = _DOUBLED_TO.search(low, max(0, cur.start - 60), cur.start)
    if dm is None:
        return
    group = next(k for k, v in dm.groupdict().items() if v is not None)
    if cur.unit is None and cur.mag_kind == "" and abs(cur.value) >= 1000:
        cur.unit = "count"
    cur.previous = cur.value / _DOUBLE_FACTORS[group]
    if cur.unit == "count" and cur.noun is None:
        cur.noun = _noun_before(low, low, cur.start)
    cur.consumed.append((dm.start(), dm.end()))


# Amounts in words, which the number scanner leaves: "several billion dollars", "tens of billions
# of yuan" (vague: no exact value), "threefold", "ten times more" (multiples).
_WORD_NEEDS: Final = (
    "several",
    "few",
    "tens of",
    "hundreds of",
    "dozens of",
    "ions of",
    "fold",
    "times",
)
_EN_WORD_NUMBERS: Final = (
    "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty"
    "|fifty|hundred|thousand"
)
_WORD_AMOUNT: Final = re.compile(
    r"(?<![a-z])(?P<pre>us\$|\$|€|£)?\s?"
    r"(?:(?:(?P<few>several|a\s+few|a\s+couple\s+of|multiple)\s+(?P<h>hundred\s+)?|(?P<multi>multi)-?)"
    r"(?P<m1>million|billion|trillion)"
    r"|(?P<tens>tens|hundreds|dozens)\s+of\s+(?P<m2>millions|billions|trillions)"
    r"|(?P<m3>millions|billions|trillions))"
    r"(?:\s+of)?[-\s]+(?P<cur>(?:u\.?s\.?\s+)?dollars?|yuan|renminbi|euros|yen|won|pounds|rupees|ringgit)?"
    rf"|(?<![a-z-])(?P<watts>one|an?|{_EN_WORD_NUMBERS})[-\s](?P<wunit>giga|mega)watts?(?![-\s]?hours?)(?![a-z])"
    rf"|(?<![a-z-])(?P<times>{_EN_WORD_NUMBERS})(?:[-\s]?fold(?![a-z])"
    r"|\s+times\s+(?=(?:more|higher|larger|bigger|greater|faster)(?![a-z])))"
    # Points in words: "two percentage points", "fifty basis points", "six points of growth".
    rf"|(?<![a-z-])(?P<pts>one|{_EN_WORD_NUMBERS.replace('|hundred|thousand', '')})[-\s]+"
    r"(?P<punit>percentage[-\s]points?|basis\s+points?"
    r"|points?(?=\s+(?:of\s+)?(?:(?:revenue|sales|gross|operating|profit|market)\s+)?"
    r"(?:growth|margins?|share)(?![a-z])))(?![a-z])"
)
_WORD_VALUES: Final = {
    "two": 2.0, "three": 3.0, "four": 4.0, "five": 5.0, "six": 6.0, "seven": 7.0, "eight": 8.0,
    "nine": 9.0, "ten": 10.0, "eleven": 11.0, "twelve": 12.0, "fifteen": 15.0, "twenty": 20.0,
    "thirty": 30.0, "forty": 40.0, "fifty": 50.0, "hundred": 100.0, "thousand": 1000.0,
    "tens": 10.0, "hundreds": 100.0, "dozens": 10.0,
}  # fmt: skip
_WORD_CURRENCY: Final = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP"}
_FEW: Final = ("few ", "several ", "many ", "some ")


# Counts of key things in words: "five data center buildings", "two supercomputers".
_WORD_COUNT: Final = re.compile(
    rf"(?<![a-z-])(?P<n>{_EN_WORD_NUMBERS.replace('|hundred|thousand', '')})\s+"
    r"(?:(?:new|more|additional|large|larger|hyperscale|ai|planned|existing|operational|giant"
    r"|massive|separate|modular|regional)\s+){0,2}"
    r"(?:data[\s-]?cent(?:er|re)s|datacent(?:er|re)s"
    r"|(?:data[\s-]?|datacent)cent(?:er|re)\s+(?:buildings|facilities|campuses|sites|halls)"
    r"|supercomputers)(?![a-z])",
    re.IGNORECASE,
)


def _may_have_word_counts(low: str) -> bool:
    if "supercomputers" in low:
        return True
    return "cent" in low and ("data cent" in low or "datacent" in low or "data-cent" in low)


def _word_counts(low: str, toks: list[Mention]) -> list[Mention]:
    out: list[Mention] = []
    for m in _WORD_COUNT.finditer(low):
        s, e = m.span()
        if any(t.start < e and s < t.end for t in toks):
            continue
        v = _WORD_VALUES[m.group("n").lower()]
        t = Mention(s, e, v, v, 1.0, "", "count", head=s)
        last = m.group().rsplit(None, 1)[-1].lower()
        if last == "supercomputers":
            t.noun = last
        elif last.startswith(("centers", "centres", "datacent")):
            t.noun = "data centres"
        else:
            t.noun = "data centre " + last  # "five data center buildings"
        out.append(t)
    return out


def _may_have_words(low: str, folded: bool) -> bool:
    if not folded:
        return True
    return (  # spelled out: a generator costs more than the tests (this runs for every text)
        "watt" in low
        or "several" in low
        or "few" in low
        or "multi" in low
        or "tens of" in low
        or "hundreds of" in low
        or "dozens of" in low
        or "ions of" in low
        or "fold" in low
        or "times" in low
        or "point" in low
    )


def _word_tokens(text: str, low: str, folded: bool, toks: list[Mention]) -> list[Mention]:
    """Mentions of amounts in words (see _WORD_AMOUNT) that overlap no scanned token."""
    out: list[Mention] = []
    pattern = _WORD_AMOUNT if folded else _WORD_AMOUNT_I
    taken = [(t.start, t.end) for t in toks]
    for m in pattern.finditer(low):
        s, e = m.span()
        if any(a < e and s < b for a, b in taken):
            continue
        if m.group("watts"):
            w = m.group("watts").lower()
            v = 1.0 if w in ("one", "a", "an") else _WORD_VALUES[w]
            f = 1e9 if m.group("wunit").lower() == "giga" else 1e6
            t = Mention(s, e, v * f, v, 1.0, "", "W", head=s)
            t.factor = f
            if w in ("hundred", "thousand") and low[max(0, s - 9) : s].endswith(_FEW):
                t.qual = "vague"  # "a few hundred megawatts": no exact value
            out.append(t)
            continue
        if m.group("pts"):
            v = 1.0 if m.group("pts").lower() == "one" else _WORD_VALUES[m.group("pts").lower()]
            f = 0.01 if m.group("punit").lower().startswith("basis") else 1.0
            t = Mention(s, e, nb.scaled(v, f), v, 1.0, "", "percentage_points", head=s)
            t.factor = f
            out.append(t)
            continue
        if m.group("times"):
            v = _WORD_VALUES[m.group("times").lower()]
            end = m.end() if "fold" in m.group().lower() else m.end() - 1
            t = Mention(s, end, v, v, 1.0, "", "times", head=s)
            out.append(t)
            continue
        unit = None
        if m.group("pre"):
            unit = _WORD_CURRENCY[m.group("pre").lower()]
        if m.group("cur"):
            unit = units.suffix_unit(m.group("cur"))
        mag_word = (m.group("m1") or m.group("m2") or m.group("m3")).lower().rstrip("s")
        mag = nb.en_magnitude(mag_word)
        v = mag * _WORD_VALUES.get((m.group("tens") or "").lower(), 1.0)
        if m.group("h"):
            v, mag = v * 100, mag * 100  # "several hundred million dollars": 1e8, vague
        t = Mention(
            s if not m.group("pre") else m.start("pre"), m.end(), v, v / mag, mag, "word", unit
        )
        t.head = t.start
        t.qual = "vague"
        out.append(t)
    return out


_WORD_AMOUNT_I: Final = re.compile(_WORD_AMOUNT.pattern, re.IGNORECASE)


def _try_merge(
    text: str, hay: str, folded: bool, cur: Mention, nxt: Mention, gs: int, ge: int
) -> bool:
    """Merge ``nxt`` into ``cur`` if the gap ``text[gs:ge]`` says to; whether it did.

    ``hay`` is the lower-cased text when ``folded`` (the patterns' twins then run on it), else
    the text itself.
    """
    # The same quantity restated in parentheses: "提升170個基點（1.7個百分點）", "170 bps (1.7
    # percentage points)": one figure.
    if (
        cur.unit is not None
        and nxt.unit == cur.unit
        and nxt.value == cur.value
        and _OPEN_SAME.fullmatch(text, gs, ge)
        and (close := _CLOSE_SAME.match(text, nxt.end)) is not None
    ):
        cur.end = close.end()
        return True
    # Conversion: "160 billion yuan (about $23 billion)".
    if cur.conversion is None and _is_money(nxt.unit) and nxt.unit != cur.unit:
        om = (_OPEN_CONV_F if folded else _OPEN_CONV).fullmatch(hay, gs, ge)
        if om and (_is_money(cur.unit) or cur.unit is None):
            close = _CLOSE_CONV.match(text, nxt.end)
            if close is None and "(" in om.group():
                # "¥20 billion to ¥30 billion ($125 million to $190 million)": the range
                # converted; the conversion is its upper end, as the value is.
                tail = _CONV_RANGE_TAIL.match(text, nxt.end, nxt.end + 40)
                q = units.parse_quantity(tail.group("amt")) if tail is not None else None
                if tail is not None and q is not None and q[1] in (nxt.unit, None):
                    nxt.value, close = q[0], tail
            if close or "(" not in om.group():
                conv_unit = nxt.unit if nxt.unit != "¥" else "JPY"
                cur.conversion = Conversion(value=nxt.value, unit=conv_unit or "USD")
                cur.end = close.end() if close else nxt.end
                return True
    # Move: "from A to (as much as) B" ("從22％至32％不等" is a range: "ranging from A to B").
    if (
        not cur.is_move
        and _from_before(hay, cur.start, folded)
        and not _RANGING_AFTER.match(text, nxt.end)
        and (_MOVE_GAP_F if folded else _MOVE_GAP).fullmatch(hay, gs, ge)
        and _compatible(cur, nxt)
    ):
        _inherit(cur, nxt)
        _absorb(cur, nxt, previous=cur.value)
        cur.is_move = True
        return True
    # Range: "$60-65bn", "600亿至650亿元", "between 5% and 7%".
    rg = (_RANGE_GAP_F if folded else _RANGE_GAP).fullmatch(hay, gs, ge)
    if rg and nxt.bare_yuan and not cur.bare_yuan and cur.unit in _YUAN_FAMILY:
        nxt.unit, nxt.bare_yuan = cur.unit, False  # "新台幣1兆933億元到1兆1312億元": both TWD
    if rg and cur.low is None and not cur.is_move and _compatible(cur, nxt):
        is_and = "and" in rg.group().lower()
        between = _BETWEEN_BEFORE_F if folded else _BETWEEN_BEFORE
        if not is_and or between.search(hay, max(0, cur.start - 10), cur.start):
            low, high = cur, nxt
            saved = (
                low.value,
                low.mag,
                low.mag_kind,
                low.unit,
                high.value,
                high.mag,
                high.mag_kind,
                high.unit,
            )
            _inherit(low, high)
            if (
                low.value < high.value
                and low.unit == high.unit
                and not _step_to_level(hay, cur, nxt, rg.group())
            ):
                _absorb(cur, nxt, low=low.value)
                return True
            if (
                low.value > high.value >= 0
                and low.unit == high.unit
                and low.unit in ("percent", "percentage_points")
                and rg.group().strip() in ("至", "到", "~")
            ):
                # "下滑8%至2%": a range of declines written from the larger (the sign comes
                # later, from the verb); the value stays the upper end, the low the lower.
                big = low.value
                _absorb(cur, nxt, low=high.value)
                cur.value = big
                return True
            (low.value, low.mag, low.mag_kind, low.unit,
             high.value, high.mag, high.mag_kind, high.unit) = saved  # fmt: skip
    # Comparison: "X, up from Y in 2025" / "X,高于 2025 年的 Y" -> X with previous Y.
    if (
        cur.previous is None
        and cur.unit is not None
        and (nxt.unit is None or nxt.unit == cur.unit)
        and (cm := (_COMPARE_GAP_F if folded else _COMPARE_GAP).fullmatch(hay, gs, ge)) is not None
        and _is_figure(cur)
        and not _expected(hay, gs, nxt.end)
    ):
        if nxt.unit is None and nxt.mag_kind == "" and cur.mag_kind:
            nxt.value = nxt.base * cur.mag
        cur.previous = nxt.value
        cur.consumed.append((cm.start("marker"), min(len(text), nxt.end + 14)))
        return True
    return False


_CLOSE_SAME: Final = re.compile(r"\s*[)）]")
_OPEN_SAME: Final = re.compile(r"\s*[（(]\s*(?:約|约|即|or\s|i\.e\.,?\s)?\s*")
_LAST_MAG: Final = {"兆": 1e12, "億": 1e8, "亿": 1e8, "萬": 1e4, "万": 1e4}


def _compound(text: str, cur: Mention, nxt: Mention) -> bool:
    """Merge ``nxt`` into ``cur`` if together they write one number; whether it did."""
    gs, ge = cur.end, nxt.start
    # Compound: "3兆8090億元" (3.809e12), "5億3000萬" (5.3e8): a big unit then a smaller one.
    # Also "新台幣1兆933.6億元", "1 兆 1312 億元", and 萬 with four digits: "3萬0810".
    if (
        (gs == ge or (ge - gs == 1 and text[gs] == " "))
        and cur.mag_kind == "cjk"
        and (last := _LAST_MAG.get(text[cur.end - 1 : cur.end])) is not None
        # (the magnitude written last, not cur.mag: a compound already joined has mag 1, and
        # "2 兆 7,629 億 6,400 萬元" goes on after its 億)
        and (
            (nxt.mag_kind == "cjk" and 0 < nxt.mag < last)
            or (
                nxt.mag_kind == ""
                and last == 1e4
                and text[nxt.start : nxt.start + 4].isdigit()
                and not text[nxt.start + 4 : nxt.start + 5].isdigit()
            )
        )
        and (cur.unit is None or nxt.unit is None or nxt.unit == cur.unit or nxt.bare_yuan)
        and cur.low is None
        and cur.previous is None
        and 0 <= nxt.value < last
    ):
        value = cur.value + nxt.value
        unit = cur.unit
        _absorb(cur, nxt)
        cur.noun = cur.noun or nxt.noun
        if unit is not None:
            cur.unit, cur.bare_yuan = unit, False
        cur.head = cur.start
        cur.value, cur.base, cur.mag, cur.mag_kind = value, value, 1.0, "cjk"
        return True
    # "1成2": one and two tenths of a whole, 12 percent.
    if (
        gs == ge
        and cur.unit == "percent"
        and cur.factor == 10.0
        and nxt.unit is None
        and nxt.mag_kind == ""
        and nxt.end - nxt.start == 1
        and cur.low is None
        and cur.previous is None
    ):
        value = nb.scaled(cur.base * 10 + nxt.base, 1.0)
        cur.end = nxt.end
        cur.value, cur.base = (-value if cur.value < 0 else value), value
        return True
    return False


def _join_compounds(text: str, toks: list[Mention]) -> list[Mention]:
    """``toks`` with compound numbers joined first, so that ranges see them whole
    ("1 兆 933 億元至 1 兆 1312 億元")."""
    out: list[Mention] = []
    for t in toks:
        if not (out and _compound(text, out[-1], t)):
            out.append(t)
    return out


def _from_before(hay: str, start: int, folded: bool) -> bool:
    r"""Whether "from" (or 由/从) ends the 8 characters before ``start`` (then only spaces).

    On lower-cased text, a string test first: the window stripped of its trailing whitespace
    (what the pattern's final ``\s*`` takes) must end with one of the words.
    """
    lo = max(0, start - 16)
    window = hay[lo:start]
    if folded and not ("from" in window or "由" in window or "从" in window or "從" in window):
        return False
    return (_FROM_BEFORE_F if folded else _FROM_BEFORE).search(hay, lo, start) is not None


def _absorb(
    cur: Mention, nxt: Mention, *, low: float | None = None, previous: float | None = None
) -> None:
    """Make ``cur`` the merged mention: value/unit of ``nxt``, span over both."""
    cur.value, cur.base, cur.mag, cur.mag_kind, cur.unit = (
        nxt.value, nxt.base, nxt.mag, nxt.mag_kind, nxt.unit,
    )  # fmt: skip
    cur.end = nxt.end
    cur.head = nxt.start
    cur.bare_yuan, cur.factor = nxt.bare_yuan, nxt.factor
    if nxt.noun is not None:
        cur.noun = nxt.noun  # "50,000 to 100,000 Nvidia GPUs": the counted thing of both
    if low is not None:
        cur.low = low
    if previous is not None:
        cur.previous = previous


# Amounts that are not figures of their own: exchange rates ("1美元兌新台幣31.6元", "匯率
# 31.01元"), unit prices ("單價約2萬美元", "2美元/小時", "0.02 元/千 tokens"), trading turnover
# ("成交額112.8億港元"), and capacities that illustrate, bound or price a unit of something
# ("100千瓩...相當於10萬戶", "a 60MW limit", "$15 billion for every 1GW").
_RATE_BEFORE: Final = re.compile(
    r"(?:兌|兑|匯率|汇率|exchange\s+rate|單價|单价|要價|要价|售價|售价|定價|定价|成交額|成交额|成交量|成交金額|成交金额|成交值|量能|每天|每日|一天|一日|月薪|年薪|时薪|時薪|買超|賣超|买超|卖超"
    r"|每千瓦时|每千瓦時|每度电|每度電|per\s+kwh|per\s+kilowatt-hour"
    # Prices per token or per hour: "每百万tokens 2元", "每小时租金约2美元".
    r"|每(?:百万|百萬|千|万|萬)?\s?(?:tokens?|个token|個token)|每小时|每小時"
    r"|turnover|trading\s+volume)[^，,；;。]{0,8}$"
)
_RATE_AFTER: Final = re.compile(
    r"\s*(?:(?:約|约)?可?(?:兌換|兑换|兌|兑)|/\s*(?:小時|小时|時|时|hour|hr|千|百万|百萬|万|萬|token|kwh|度|gb|tb|month|月"
    r"|张|張|卡|颗|顆|片|块|塊))"
)
_BOUND_BEFORE: Final = re.compile(
    r"(?:(?<![a-z])(?:every|each|per)\s+(?:single\s+)?|大于|大於|小于|小於|[>≥<≤]\s?"
    r"|(?<![a-z])equals\s+|等于|等於)$"
    # (not after a verb that builds or opens it: "建设一座60兆瓦数据中心" is that project's size)
    r"|(?<!建设)(?<!建設)(?<!兴建)(?<!興建)(?<!新建)(?<!打造)(?<!部署)(?<!投资)(?<!投資)(?<!启用)"
    r"(?<!啟用)(?<!设立)(?<!設立)(?<!落成)(?:一座|一个|一個)[^，,；;。]{0,12}$"
    r"|(?:單一|单一|(?<![a-z])a\s+single|(?<![a-z])each)[^，,；;。]{0,12}$"
    # "每座資料中心約需100MW", "每個機櫃功耗達130千瓦": what each one needs, a spec
    r"|每[座个個台臺柜櫃组組颗顆张張片块塊間间][^，,；;。]{0,12}$"
)
_BOUND_AFTER: Final = re.compile(r"\s*(?:limit|cap|threshold|門檻|门槛|equals(?![a-z])|等于|等於)")
# A round amount as a barrier passed ("突破8兆元關卡", "站回230元關卡"), not the figure itself.
_BARRIER_AFTER: Final = re.compile(r"\s*(?:關卡|关卡|大關|大关|之下|之上)")
# An amount restated in another currency: "358億美元…換算新台幣1兆1312.8億元" (a conversion).
_RESTATED_BEFORE: Final = re.compile(r"(?:換算|换算|折合|約合|约合)[^，,；;。0-9]{0,6}$")
_ILLUSTRATED: Final = re.compile(
    r"^[^，,；;。]{0,40}?(?:相當於|相当于|enough\s+(?:power\s+)?to\s+(?:power|supply)|足以)"
)
# What one unit holds ("一組 AI 機櫃通常搭載超過 72 顆 GPU", "每台伺服器配備8顆GPU"): a spec.
_COMPOSED_BEFORE: Final = re.compile(
    r"(?:[一每单單][组組台臺套柜櫃颗顆片张張]|(?:[一每]|單一|单一)[个個]?(?:AI\s?)?"
    r"(?:節點|节点|機櫃|机柜|伺服器|服务器|服務器|機架|机架|主機|主机|板卡))[^，,；;。\d]{0,12}?"
    r"(?:搭載|搭载|配備|配备|內建|内建|內置|内置|裝載|装载|容納|容纳|整合|集成|配置|搭配|放置)"
    r"[了有]?\s?(?:超過|超过|約|约|近|逾|最多|高達|高达)?\s*$"
    # A product's make-up: "GB200 NVL72包含72颗Blackwell GPU和36颗Grace CPU".
    # "每機櫃576顆GPU", "每台伺服器8顆": so many in each unit of kit, without a verb
    r"|每[个個]?(?:AI\s?)?(?:節點|节点|機櫃|机柜|伺服器|服务器|服務器|機架|机架|主機|主机|櫃|柜)"
    r"(?:約|约|最多|可|可容納|可容纳)?\s*$"
    # "NVL72機櫃搭載72顆GPU": the model may be named with its kind of kit.
    r"|(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9-]*\d[A-Za-z0-9-]*\s?(?:(?:AI\s?)?(?:機櫃|机柜|伺服器"
    r"|服务器|服務器|機架|机架|節點|节点|系統|系统|平台|主機|主机)\s?)?(?:包含|含有|搭載|搭载|配備|配备"
    r"|內建|内建|內置|内置|整合|集成)[了有]?[^，,；;。]{0,24}?$"
)
# A count that likens a figure to something familiar: "相當於3座核電廠", "約為2700萬臺個人
# 計算機的算力" (約為/等於 only with the measured quantity named after the count).
_LIKENED_BEFORE: Final = re.compile(
    r"(?:相當於|相当于|等同於|等同于|約為|约为|等於|等于)\s?(?:約|约)?\s*$"
)
_LIKENED_AFTER: Final = re.compile(
    r"[^，,；;。\d]{0,12}?的(?:算力|運算能力|运算能力|用電量?|用电量?|耗電量?|耗电量?|發電量|发电量|總和|总和)"
)
# One unit of a currency stated as worth an amount of another: an exchange rate.
_ONE_RATE_AFTER: Final = re.compile(
    r"\s?(?:約|约|大約|大约)?(?:合|折合|等於|等于|相當於|相当于|=|＝)\s?\d"
)
_ONE_RATE_BEFORE: Final = re.compile(
    r"(?<![\d.,])1\s?[^\d，,；;。]{1,4}?(?:約|约|大約|大约)?(?:合|折合|等於|等于|相當於|相当于|=|＝)"
    r"[^\d，,；;。]{0,4}$"
)
_PER_BEFORE: Final = re.compile(
    r"每(?:投资|投資|投入|花费|花費|支出)?\s*$"
    # A price per unit of a good ("金價每盎司2650美元", "每桶75美元", "每片約2萬美元").
    r"|每(?:盎司|桶|噸|吨|公噸|公吨|公斤|千克|磅|片|颗|顆|张|張)[^，,；;。\d]{0,2}$"
)
_IMPACT_BEFORE: Final = re.compile(
    r"每[^，,；;。]{0,12}?(?:带动|帶動|带来|帶來|创造|創造|产生|產生|拉动|拉動)[^，,；;。\d]{0,4}$"
)
_DISTANCE_BEFORE: Final = re.compile(r"(?:离|離|距离|距離)[^，,；;。\d]{0,6}$")
_DISTANCE_AFTER: Final = re.compile(r"\s*(?:還有|还有|尚有|仍有|還差|还差|仍差|尚差)")
_FIGURE_CUES: Final = (
    "兌", "兑", "匯率", "汇率", "exchange rate", "tokens", "每小时", "每小時", "單價", "单价", "要價", "要价", "售價", "售价", "定價", "定价", "買超", "賣超", "买超", "卖超", "成交", "turnover",
    "trading volume", "/", "every", "each", "per ", "limit", "cap", "threshold", "門檻", "门槛",
    "相當於", "相当于", "等同", "enough", "足以", "每天", "每日", "大于", "大於", "小于", "小於", "一座",
    "一个", "一個", "單一", "单一", "single", "每", "一天", "一日", "倍", "薪", ">", "≥", "<",
    "≤", "equals", "等于", "等於", "must", "need", "require", "shall", "subject to", "qualif", "cost", "约为", "約為", "搭载", "搭載", "配备", "配備", "内置", "內置",
    "內建", "内建", "装载", "裝載", "容纳", "容納", "整合", "集成", "配置", "搭配", "包含", "含有", "還有", "还有", "尚有", "仍有", "還差", "还差", "仍差", "尚差",
    "放置", "量能", "=", "＝", "换手率", "換手率", "kwh", "kilowatt-hour", "關卡", "关卡", "大關", "大关", "之下", "之上", "換算", "换算", "折合", "約合", "约合",
)  # fmt: skip


_FIGURE_CUES_RE: Final = re.compile("|".join(re.escape(c) for c in _FIGURE_CUES))


_FIGURE_CUES_A: Final = tuple(c for c in _FIGURE_CUES if c.isascii())


def _may_not_be_figure(text: str, low: str) -> bool:
    """False when no _not_a_figure cue is in the text (the usual case): skip the checks."""
    if low.isascii():
        # Only the Latin cues can be there: a substring test each is far cheaper than the
        # alternation, which tries its branches at almost every character.
        for c in _FIGURE_CUES_A:  # noqa: SIM110 - compiled, a loop beats any()
            if c in low:
                return True
        return False
    return _FIGURE_CUES_RE.search(low) is not None


# Thresholds of a rule: "projects above 75 MW must file", "data centers larger than 50 MW need a
# permit" (a comparison before the capacity, a requirement after it).
_THRESHOLD_BEFORE: Final = re.compile(
    r"(?<![a-z])(?:above|over|exceeding|(?:larger|bigger|greater|more|smaller|less)\s+than|at\s+least"
    r"|under|below|up\s+to)\s+$"
)
_THRESHOLD_AFTER: Final = re.compile(
    r"\s*(?:(?:or\s+(?:more|larger|above|greater|less|below)|of\s+[a-z]+)\s+)?"
    r"(?:(?!(?:that|which|and|but|who|it|they)\s)[a-z]+\s+){0,3}?"
    r"(?:must|need|needs|require|requires|required|shall|have\s+to|has\s+to|are\s+subject|is\s+subject"
    r"|will\s+need|qualify|qualifies)(?![a-z])"
)
# A unit of capacity and what it costs or needs: "a gigawatt of AI capacity costs roughly $50
# billion", "each 100 MW of capacity costs about $1 billion".
_EACH_BEFORE: Final = re.compile(r"(?<![a-z])(?:each|every|per|one)\s+$")
_COSTS_AFTER: Final = re.compile(
    r"(?:\s+of\s+[a-z\s-]{0,30}?)?\s+(?:costs?|costing|requires?|needs?|can\s+power|powers|is\s+enough)"
    r"(?![a-z])"
)
_UNIT_COST_BEFORE: Final = re.compile(
    r"(?<![a-z])(?:a|an|each|every|per|one)\s+(?:[\d.,]+\s*)?(?:gigawatts?|megawatts?|gw|mw)"
    r"(?:\s+of\s+[a-z\s-]{0,30}?)?\s+(?:costs?|costing|requires?|needs?)\s+(?:about\s+|roughly\s+"
    r"|around\s+|approximately\s+|some\s+|nearly\s+|up\s+to\s+|an\s+estimated\s+|between\s+)?$"
)


# A share's turnover rate, the word right before the percentage ("换手率1.73%", "換手率達5%").
# (A holding, a debt ratio or a balance-sheet total can be a labelled key figure: kept.)
_TURNOVER_RATE_BEFORE: Final = re.compile(
    r"(?:换手率|換手率)\s?(?:为|為|达|達|约|約|超过|超過|逾|近|仅|僅|高达|高達)?\s?$"
)


def _not_a_figure(text: str, low: str, m: Mention) -> bool:
    """Whether the figure ``m`` is a rate, a unit price, a turnover or a bound (see above)."""
    # ASCII text holds none of the Chinese cues: their searches are skipped.
    zh = not low.isascii()
    if _is_money(m.unit) or m.unit == "count":
        if _RATE_BEFORE.search(low, max(0, m.start - 16), m.start):
            return True
        if _RATE_AFTER.match(low, m.end):
            return True
        if zh and _PER_BEFORE.search(low, max(0, m.start - 6), m.start):
            return True  # "每1元投入", "每投資1美元": per unit
        if zh and _IMPACT_BEFORE.search(low, max(0, m.start - 24), m.start):
            return True  # "每1元投入带动3-4元经济增长": a ratio, not an amount
        if (
            zh
            and _DISTANCE_AFTER.match(low, m.end)
            and _DISTANCE_BEFORE.search(low, max(0, m.start - 8), m.start)
        ):
            return True  # "全年規模離1000億還有很遠距離": a mark not reached
    if _is_money(m.unit) and m.value == 1.0 and _ONE_RATE_AFTER.match(low, m.end):
        return True  # "1美元約合7.2元人民幣": the base of an exchange rate
    if _is_money(m.unit) and _ONE_RATE_BEFORE.search(low, max(0, m.start - 16), m.start):
        return True  # … and its rate
    if m.unit == "count":
        if zh and _COMPOSED_BEFORE.search(low, max(0, m.start - 24), m.start):
            return True  # "一組機櫃通常搭載超過72顆GPU": what one unit holds, a spec
        if (
            zh
            and _LIKENED_BEFORE.search(low, max(0, m.start - 8), m.start)
            and (
                low[max(0, m.start - 6) : m.start].find("相") >= 0
                or low[max(0, m.start - 6) : m.start].find("等同") >= 0
                or _LIKENED_AFTER.match(low, m.end) is not None
            )
        ):
            return True  # "約為2700萬臺個人計算機的算力", "相當於3座核電廠": an illustration
    if m.unit == "times" and m.value == 1.0 and "倍" in low[m.start : m.end]:
        return True  # "增一倍": doubled, which without a number is not a figure
    if m.unit == "percent" and _TURNOVER_RATE_BEFORE.search(low, max(0, m.start - 8), m.start):
        return True  # "换手率1.73%": a day's trading, like its 成交额, is no key figure
    if _is_money(m.unit) and _UNIT_COST_BEFORE.search(low, max(0, m.start - 70), m.start):
        return True  # "a gigawatt of AI capacity costs roughly $50 billion": a unit cost
    if m.unit == "W" and (
        (
            _THRESHOLD_BEFORE.search(low, max(0, m.start - 24), m.start)
            and _THRESHOLD_AFTER.match(low, m.end, m.end + 50)
        )
        or (
            (
                low.startswith(("a ", "an ", "one "), m.start)
                or _EACH_BEFORE.search(low, max(0, m.start - 8), m.start)
            )
            and _COSTS_AFTER.match(low, m.end, m.end + 50)
        )
    ):
        return True  # "projects above 75 MW must file", "each 100 MW costs $1 billion"
    if m.unit in ("W", "FLOPS"):
        if _BOUND_BEFORE.search(low, max(0, m.start - 16), m.start):
            return True
        if _BOUND_AFTER.match(low, m.end):
            return True
        if _ILLUSTRATED.search(low[m.end : m.end + 60]):
            return True
    return False


# A base of comparison: "較去年第3季資本支出97億美元(增加18.6%)", "高於去年同期的2.53元",
# "up from $35 billion", "compared with 3% in 2022". The figure it compares with (the nearest
# earlier figure of the same unit) takes it as ``previous``; it is not a figure of its own.
_BASE_MARKER: Final = re.compile(
    r"較|较|相比|對比|对比|高於|高于|優於|优于|低於|低于|多於|多于|少於|少于|不及"
    r"|(?<![占佔对對之百分正反益值])比(?![例重率])|接近(?=去年|上年|前一?年|上季|前一?季|首季|同期)"
    # "上年同期为…", and the year-earlier result named by its kind ("上年同期亏损5.36亿元",
    # "上年同期盈利1.08亿元"): the base of the figure before it.
    r"|(?:去年|上年)同期(?:[為为]|(?=\s*(?:亏损|虧損|盈利|獲利|获利|淨利|净利|蝕|蚀|淨損|净损)))"
    r"|此前|遠超|远超"
    r"|(?<![a-z])(?:up\s+from|down\s+from|compared\s+(?:to|with)|versus|vs\.?)(?![a-z])"
    # "a budget of $35 billion, a figure that more than doubles the $14.9 billion spent in 2025"
    r"|(?<![a-z])(?:doubles|doubling|triples|tripling|quadruples|quadrupling)"
    r"\s+(?:the|its|their|last\s+year's)(?![a-z])"
    # "raised its forecast to $68 billion ... from its prior target of $62.5 billion"
    r"|(?<![a-z])from\s+(?:its|their|the|an?)\s+(?:prior|previous|earlier|initial|original|old)"
    r"(?:\s+[a-z-]+){0,2}?(?:\s+of)?(?![a-z])"
    # "$39.3 billion, up 78% from $22.1 billion": the change between, the base after it.
    r"|(?<![a-z])(?:up|down|rising|falling|increasing|decreasing|climbing|dropping|declining"
    r"|growing|an?\s+(?:increase|decrease|rise|drop|jump|decline|gain)\s+of)\s+"
    r"(?:about\s+|nearly\s+|roughly\s+|some\s+|almost\s+)?\d[\d.,]{0,8}\s?(?:%|percent|per\s+cent)"
    r"\s+(?:from|compared\s+(?:to|with)|versus|vs\.?)(?![a-z])"
)
_CHANGE_VERB: Final = re.compile(
    r"增|減|减|升|降|漲|涨|跌|成長|成长|提高|下滑|衰退|擴大|扩大|收窄|縮小|缩小"
    r"|(?<![a-z])(?:rose|fell|rise|fall|grew|grow|increase|decrease|gain|jump|drop)"
)
_CLAUSE_END: Final = "，,；;。！？!?\n"
# A base that was a loss ("同比扭亏为盈(去年同期亏损5亿元)"): the previous value is negative.
_LOSS_JUST_BEFORE: Final = re.compile(
    r"(?:亏损|虧損|净亏|淨虧|蚀|蝕|(?<![a-z])(?:net\s+)?loss(?:\s+of)?)\s*(?:约|約|近|逾)?\s*$"
)
_COMPARE_CUES: Final = (
    "較", "较", "相比", "對比", "对比", "高於", "高于", "優於", "优于", "低於", "低于", "多於",
    "多于", "少於", "少于", "不及", "比", "接近", "同期", "此前", "遠超", "远超", "from", "compared",
    "versus", "vs",
    "doubl", "tripl", "quadrupl",
)  # fmt: skip


_COMPARE_CUES_RE: Final = re.compile("|".join(re.escape(c) for c in _COMPARE_CUES))


_COMPARE_CUES_A: Final = tuple(c for c in _COMPARE_CUES if c.isascii())


def _may_compare(text: str, low: str) -> bool:
    if low.isascii():
        # Only the Latin cues can be there: a substring test each is far cheaper than the
        # alternation, which is tried at every character.
        for c in _COMPARE_CUES_A:  # noqa: SIM110 - compiled, a loop beats any()
            if c in low:
                return True
        return False
    return _COMPARE_CUES_RE.search(low) is not None


def _drop_bases(text: str, low: str, out: list[Mention]) -> list[Mention]:
    """``out`` without the bases of comparison, each given as ``previous`` to its figure."""
    kept: list[Mention] = []
    dropped: list[Mention] = []
    for m in out:
        lo = max(0, m.start - 40)
        for k in range(m.start - 1, lo - 1, -1):
            if text[k] in _CLAUSE_END:
                lo = k + 1
                break
        marker = None
        for hit in _BASE_MARKER.finditer(low, lo, m.start):
            marker = hit
        if (
            marker is not None
            and marker.group(0) == "比"
            and low[marker.start() - 1 : marker.start()] in ("同", "环", "環")
            and not low[marker.end() : m.start].strip(" +-")
        ):
            # 同比/环比 ("year-on-year", "quarter-on-quarter") right before a rate name the
            # basis of a change, not a base: "营收495亿元(同比+17.4%)" is a change of its own.
            marker = None
        if marker is not None and not _CHANGE_VERB.search(low, marker.end(), m.start):
            # The nearest earlier figure of the same unit, within 200 characters, with no other
            # figure between the marker and this one (bounded: linear in the text).
            target: Mention | None = None
            for o in reversed(kept):
                if o.end < m.start - 200 or o.start >= marker.end():
                    break
                if o.unit == m.unit and o.end <= marker.start():
                    target = o
                    break
            if target is not None and not _expected(low, target.end, m.end):
                if target.previous is None:
                    loss = _LOSS_JUST_BEFORE.search(low, max(marker.end(), m.start - 12), m.start)
                    target.previous = -abs(m.value) if loss is not None else m.value
                    target.consumed.append((marker.start(), m.end))
                dropped.append(m)
                continue
        kept.append(m)
    return kept


_EXPECTED: Final = (
    "預期", "预期", "預估", "预估", "預測", "预测", "forecast", "consensus", "estimate", "expect",
)  # fmt: skip


def _expected(low: str, start: int, end: int) -> bool:
    """Whether the words from ``start`` to the end of the clause after ``end`` name an
    expectation: a forecast compared with is a figure (an estimate), not a base."""
    stop = end
    while stop < len(low) and stop - end < 16 and low[stop] not in _CLAUSE_END:
        stop += 1
    window = low[start:stop]
    return any(w in window for w in _EXPECTED)


def _restated(low: str, i: int, out: list[Mention]) -> bool:
    """Whether money ``out[i]`` restates ("換算新台幣…") the nearest earlier amount in another
    currency; it becomes that amount's conversion (the high end of a restated range)."""
    m = out[i]
    if not _is_money(m.unit) or not _RESTATED_BEFORE.search(low, max(0, m.start - 12), m.start):
        return False
    for k in range(i - 1, -1, -1):
        o = out[k]
        if m.start - o.end > 120:
            break
        if o.end <= m.start and _is_money(o.unit) and o.unit != m.unit:
            if o.conversion is None:
                o.conversion = Conversion(value=m.value, unit=m.unit or "USD")
            return True
    return False


# "半成": half of one tenth (5 percent), not after a numeral ("一成半" is read with its 成) and not
# in words that begin with 成 (成本, 成交 ...).
_HALF_TENTH: Final = re.compile(
    r"(?<![零〇○一二两兩三四五六七八九十\d])半成(?![" + units.CHENG_WORDS + "])"
)


def _half_tenth_tokens(text: str) -> list[Mention]:
    """Percent mentions of 半成 (5 percent), for the merge and qualifier steps to read."""
    return [
        Mention(m.start(), m.end(), 5.0, 5.0, 1.0, "", "percent", head=m.start())
        for m in _HALF_TENTH.finditer(text)
    ]


# "三位數成長", "年增3位數的成長", "三位數百分比": triple-digit growth, a vague 100 percent.
_TRIPLE_DIGIT: Final = re.compile(
    # Double digits only as a band ("低雙位數百分比", "高雙位數按年增長"): a bare "兩位數成長"
    # says little more than "grew a lot".
    r"(?:(?P<d>[三3])|(?<=[低中高])(?P<one>[個个單单])|(?<=[低中高])[雙双兩两2])\s?位[數数]"
    r"(?:百分比|(?=(?:以上)?的?(?:按年|按季|同比|环比|環比|年|季)?(?:成長|成长|增長|增长|增幅|增速)))"
)


def _triple_digit_tokens(text: str) -> list[Mention]:
    """Vague percent mentions of triple- and double-digit growth ("三位數成長" 100, "高雙位數
    按年增長" 10; they replace the "3" scanned in them)."""
    out: list[Mention] = []
    for m in _TRIPLE_DIGIT.finditer(text):
        s, e = m.span()
        if s >= 1 and text[s - 1] in "低中高":
            s -= 1  # the band is part of the mention: "季減中個位數" reads 季減 before it
        v = 100.0 if m.group("d") else 1.0 if m.group("one") else 10.0
        t = Mention(s, e, v, v, 1.0, "", "percent", head=s)
        t.qual = "vague"
        out.append(t)
    return out


def _barrier(low: str, i: int, out: list[Mention]) -> bool:
    """Whether ``out[i]`` is a round barrier passed ("突破200億元大關", "站回230元關卡") in a
    sentence that also gives the amount itself (another figure of its unit within 80 characters;
    the neighbours are walked outwards only that far, so this stays linear)."""
    m = out[i]
    if not _BARRIER_AFTER.match(low, m.end):
        return False
    for step in (-1, 1):
        k = i + step
        while 0 <= k < len(out) and abs(out[k].start - m.start) <= 80:
            if out[k].unit == m.unit:
                return True
            k += step
    return False
