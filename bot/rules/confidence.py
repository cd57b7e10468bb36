"""Alert-grade figures: what a rule fires on unless it asks for less (``confidence:any``).

A digest line can show a figure whose reading is plausible; an alert interrupts a reader, who
leaves after the first wrong one. So a threshold rule fires only on a figure whose own sentence
backs each part of its reading, as a careful reader would check before forwarding it:

- **A known company.** ``entity_known`` false is a name found only by its shape ("Johor Corp",
  a capitalised word before "secures"): digest material, not an alert, unless the rule names
  that company itself ("Fabrikam capex > 1B").
- **The metric asked for, in the figure's own clause.** An amount takes its metric from its
  clause ("capex rose to $37.5B", "$180B of capital expenditure"). When the metric word stands
  in another clause of the sentence and the figure's clause has a subject of its own, the
  label was carried over: in "将资本支出指引上修至1,350亿美元, 全年总费用预估为1,690亿美元" the
  second amount is total expenses, not capex. A clause that only continues the previous one
  ("revenue rose 38%, to $8.05 billion", "同比增长10%, 至582亿元", "up from $40 billion") keeps
  the metric. Moves (percent changes) are not checked: "营收570亿美元, 同比增长63%" states the
  move of the level before it, in the next clause by habit.
- **The company's own number, not someone's expectation of it.** An expectation word bound to
  the amount ("the market expected $111.4B", "vs. $8.87 billion expected", "beating the
  Street's target of $7.9B", "市场普遍预料的约1,900亿元", "分析师预估") marks it as an estimate
  even when the extractor read it as the company's: an alert needs no doubt there. So does a
  sentence where someone else forecasts before the amount ("we raise our forecast: revenue of
  …", "第一上海证券…预测…净利润分别为…"), unless it turns to what the company did ("but it
  reported …", "但", "实际").
- **Stated, not hedged.** A possibility in the amount's clause ("could value xAI at $200B",
  "upside potentially exceeding $100B", "或许能挑战2.1兆元", "有望突破2200亿美元") is nobody's
  number yet.
  Nor is a ceiling ("as much as", "up to", "高达") with a hedge anywhere before it in the
  sentence ("Amazon could, analysts say, spend as much as $200B"), nor an amount a need frames
  ("to deliver 4.5 GW it needs to buy 3M GPUs, $156B of capex", "需要采购…资本支出就高达1560亿美元"):
  a requirement worked out, not money spent. A turn ("but", "但") ends a hedge's or need's reach.
- **A level, not a difference.** The size of a gap or a move read as a level would cross a
  level threshold: "$30 billion more than last year", "$55 billion above estimates", "raised
  capex by $60 billion", "a $10 billion hike", "比去年多出600亿元". The extractor reads these
  (``bot.extract.qualifiers.difference``) and marks the figure ``is_change``, which level rules
  never take (it is for percent rules). The check here only re-reads a figure that is not
  marked with that same function: a figure stored before the extractor marked differences, or
  one built by hand; it holds no wording of its own.

Not conditions, because they did not separate right from wrong alerts on the dev split: where
the company came from (named in the sentence, an anaphor, or the headline's company carried to
a sentence naming none: right 4 times in 5 each way), and a guidance figure for a period already
over (a company's preliminary results, "业绩预告", are news).

A fact fires when any of its mentions is alert-grade (``evaluate``): a second outlet stating the
same number plainly is enough. The checks re-read the stored sentence with the extractor's own
number scanner, layout and metric lexicon (pure; cached per sentence). A figure the re-reading
cannot find in its sentence is judged on the checks it can make (the company), not dropped.

Measured on the dev split of the real-news set (``benchmarks/real_news_fast.py``) and unit-tested
on sentences written for each rule (``tests/rules/test_confidence.py``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from bot.extract import roles
from bot.models import Figure

# Metrics a money-raising verb gives ("raised $6 billion", "融资 10 亿美元").
_RAISED: Final = frozenset({"funding", "borrowing"})

# Words a clause may hold before its amount and still only continue the clause before it:
# prepositions, qualifiers, move verbs and their objects of time, articles, "which was".
_CONTINUATION_EN: Final = frozenset(
    [
        "a",
        "about",
        "above",
        "additional",
        "again",
        "almost",
        "also",
        "an",
        "and",
        "another",
        "approximately",
        "around",
        "as",
        "at",
        "be",
        "been",
        "being",
        "below",
        "by",
        "compared",
        "down",
        "each",
        "estimated",
        "even",
        "falling",
        "from",
        "further",
        "grew",
        "growing",
        "high",
        "higher",
        "in",
        "increase",
        "increasing",
        "is",
        "it",
        "just",
        "less",
        "low",
        "lower",
        "many",
        "more",
        "nearly",
        "new",
        "or",
        "over",
        "reaching",
        "record",
        "rising",
        "roughly",
        "rose",
        "some",
        "still",
        "than",
        "that",
        "the",
        "then",
        "this",
        "to",
        "totaling",
        "totalling",
        "under",
        "up",
        "versus",
        "vs",
        "was",
        "were",
        "which",
        "while",
        "with",
        "year",
        "yet",
    ]
)
# Chinese function characters of the same kind (one character each): to, reach, be, about,
# over, from, or, and, compared with, rise/fall, year-on-year, quarter-on-quarter, of.
_CONTINUATION_ZH: Final = frozenset(
    "至达到为约逾超过近从由或及和与较比增长升降跌减少幅同环年季度了的已再又仍亦并将更高新创录得"
)
# A clause whose own words before the amount outweigh this many is a clause with its own
# subject (a CJK character counts half: two make a word).
_OWN_WORDS: Final = 2.0

# Expectation words: someone else's number about the company, bound to the amount when they
# stand right before it in its clause (a few words) or right after it; a forecast participle
# naming the amount ("its projected 2025 capex of $110 billion", not "it projected capex of").
# Only words that name a third party or its expectation: "expects"/"预计"/"预期" alone are the
# company's guidance too.
_EXPECT_BEFORE: Final = re.compile(
    r"\b(?:street|analysts?|consensus|estimates|expectations|lseg|factset|polled)(?:'s)?"
    r"(?:\s+[\w-]+){0,3}\s*$"
    r"|\b(?:market|investors|traders|analysts?)\s+(?:had\s+)?"
    r"(?:expected|anticipated|forecast|estimated|projected|predicted)(?:\s+[\w-]+){0,2}\s*$"
    r"|\btarget\s+of\s*$"
    r"|(?:\b(?:its|the|their|a|an)|'s)\s+"
    r"(?:projected|expected|estimated|anticipated|forecast|predicted)\s+(?:[\w-]+\s+){0,3}"
    r"(?:of|at)\s*$"
    r"|(?:市场|外界|华尔街|分析师|法人|券商|机构)[^,]{0,4}?"
    r"(?:预期|预估|预料|预计|估计|预测|共识)[^,]{0,6}$"
    r"|一致预期[^,]{0,6}$",
    re.IGNORECASE,
)
_EXPECT_AFTER: Final = re.compile(
    r"\s*(?:\b(?:expected|estimated|est\.|consensus|forecast)\b|\s*的?(?:市场)?预期)",
    re.IGNORECASE,
)


# A hedge bound to the amount: a possibility, not a number anyone stands behind ("could value
# xAI at $200 billion", "upside potentially exceeding $100 billion", "或许能挑战2.1兆元",
# "若顺利达成…有望突破2200亿美元"). Looked for in the amount's clause, before it.
_HEDGE: Final = re.compile(
    r"\b(?:could|might|may|[Pp]otentially|[Pp]ossibly|[Pp]erhaps|[Ii]f)\b"
    r"|或许|可能|有机会|有望|若|假如|如果|倘若",
)  # case-sensitive: "May 2026" is a month
# What something would take, not what anyone spends: a need earlier in the sentence frames the
# amount as a requirement worked out ("to deliver 4.5 GW it would need 3 million GPUs, $156
# billion of capex for that order alone", "为了兑现承诺,甲骨文需要采购300万块GPU,仅这一单的资本支出
# 就高达1560亿美元"). A turn to what the company did ends its reach, as for forecasters.
_NEED: Final = re.compile(
    r"\b(?:needs?|needed|would\s+have|will\s+have|has|have)\s+to\s+(?:buy|spend|invest|raise|"
    r"purchase|procure|build|find|borrow|pour|commit)\b"
    r"|\bwould\s+(?:need|require|cost|take)\b"
    r"|需要(?:采购|购买|投入|投资|花费|斥资|融资|筹集|建设|建造)|需(?:投入|斥资|花费|筹集)|必须(?:投入|斥资|花费)",
    re.IGNORECASE,
)
# Someone else forecasting, anywhere before the amount in its sentence: the writer ("we",
# "我们", a research note), analysts, a broker ("第一上海证券…预测"). A turn to what the company
# did ("but", "但", "实际") ends its reach.
_FORECASTER: Final = re.compile(
    r"\b(?:we|analysts?|brokers?|strategists?|economists?)\s+(?:\w+\s+){0,2}?"
    r"(?:expect|estimate|forecast|project|predict|see|anticipate)(?:s|ed|ing)?\b"
    r"|(?:我们|证券|券商|研究所|研报|分析师|机构)[^,。]{0,16}?(?:预测|预计|预期|预估|估计)",
    re.IGNORECASE,
)
_TURN: Final = re.compile(r"\b(?:but|however|instead|actually|reported)\b|但|然而|实际|公布", re.I)


def alert_grade(fig: Figure, *, estimates: bool = False, named: bool = False) -> bool:
    """Whether a careful reader would alert on ``fig`` as its company's own number (module doc).

    ``estimates``: the rule asks for estimates (``kind:estimate``), so expectation wording is
    no reason to hold the alert back. ``named``: the rule names the company itself
    ("Fabrikam capex > 1B"), so a name found by its shape is the one the reader asked for.
    """
    if not fig.entity_known and not named:
        return False
    if not fig.sentence:
        return True
    ceiling = fig.qualifier == "up_to"
    return _sentence_backs(
        fig.sentence, fig.value, fig.low, fig.metric, fig.is_change, estimates, ceiling
    )


@lru_cache(maxsize=4096)
def _sentence_backs(
    sentence: str,
    value: float,
    low: float | None,
    metric: str,
    is_change: bool,
    estimates: bool,
    ceiling: bool = False,
) -> bool:
    from bot.extract.mentions import scan
    from bot.extract.sentences import layout, normalize
    from bot.extract.textfold import simplified

    norm = simplified(normalize(sentence))
    # (start, end, the figure is the far end of a range "X to Y" it does not keep the start of)
    spots = [
        (m.start, m.end, m.low is not None and low is None)
        for m in scan(norm)
        if _same_amount(m.value, m.low, value, low)
    ]
    if not spots:
        return True  # not found again: nothing in the sentence speaks against it
    lay = layout(norm)
    lowered = norm.lower()
    mets = [
        (m.start(), m.end(), _metric_words()[1][_space(m.group())])
        for m in _metric_words()[0].finditer(lowered)
    ]
    return any(
        _own_metric(norm, lay.clause_bounds(s), s, e, metric, mets, is_change)
        and (estimates or not _expected(norm, lay.clause_bounds(s), s, e))
        and not _hedged(norm, lay.clause_bounds(s)[0], s, ceiling)
        and (is_change or not _difference(norm, lay.clause_bounds(s), s, e, far))
        for s, e, far in spots
    )


def _space(words: str) -> str:
    return " ".join(words.split())


@lru_cache(maxsize=1)
def _metric_words() -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern over the built-in metric words (``lexicon_data.METRICS``; English words on
    word boundaries) and each word's metric. Small, compiled on first use: not the whole
    lexicon, whose compilation would hold the interpreter for a second inside an alert pass."""
    from bot.extract.lexicon_data import METRICS

    label: dict[str, str] = {}
    for metric, words in METRICS.items():
        for w in words:
            label.setdefault(_space(w.lower()), metric)
    parts = []
    for w in sorted(label, key=len, reverse=True):
        body = r"\s+".join(re.escape(p) for p in w.split())
        parts.append(rf"(?<![a-z0-9]){body}(?![a-z0-9])" if w.isascii() else body)
    return re.compile("|".join(parts)), label


def _same_amount(v: float, lo: float | None, value: float, low: float | None) -> bool:
    """The scanned amount is the figure's (signs aside: a fall or a loss is signed later)."""

    def close(a: float, b: float) -> bool:
        return abs(abs(a) - abs(b)) <= 1e-6 * max(1.0, abs(b))

    return close(v, value) or (lo is not None and low is not None and close(lo, low))


def _own_metric(
    norm: str,
    clause: tuple[int, int],
    start: int,
    end: int,
    metric: str,
    mets: list[tuple[int, int, str]],
    is_change: bool,
) -> bool:
    """The metric word is in the figure's clause (or the amount's own clause continues the one
    holding it); True when the sentence holds no word for the metric (a role or verb gave it)."""
    if is_change or metric == "other":
        return True
    cs, ce = clause
    words = [a for a, _, m in mets if m == metric]
    if not words or any(cs <= a < ce for a in words):
        return True
    if metric in _RAISED and roles.raises(norm.lower(), cs, start):
        return True  # "…发行180亿美元债券, 又融资580亿美元": money raised, its verb in the clause
    return _continues(norm[cs:start])


def _continues(prefix: str) -> bool:
    """Whether a clause's words before its amount only continue the previous clause."""
    own = 0.0
    for word in re.findall(r"[A-Za-z]+(?:'[a-z]+)?", prefix):
        if word.casefold() not in _CONTINUATION_EN:
            own += 1
    for ch in prefix:
        if "\u4e00" <= ch <= "\u9fff" and ch not in _CONTINUATION_ZH:
            own += 0.5
    return own < _OWN_WORDS


def _expected(norm: str, clause: tuple[int, int], start: int, end: int) -> bool:
    """An expectation word bound to the amount at [start, end) (not the company's own)."""
    cs, ce = clause
    before = norm[max(cs, start - 40) : start]
    # The currency sign or word opening the amount ("US$", "$") is part of it.
    before = re.sub(r"(?:US|NT|HK|A|C|S)?\$\s*$|(?:人民币|新台币|港币)\s*$", "", before)
    if _EXPECT_BEFORE.search(before):
        return True
    said = [m.end() for m in _FORECASTER.finditer(norm, 0, start)]
    if said and _TURN.search(norm, said[-1], start) is None:
        return True
    return _EXPECT_AFTER.match(norm, end, min(ce, end + 24)) is not None


def _hedged(norm: str, cs: int, start: int, ceiling: bool = False) -> bool:
    """A hedge word in the amount's clause before it (``_HEDGE``), or a need anywhere before it
    in the sentence that no turn to what was done ends (``_NEED``). A ceiling ("as much as",
    "up to", "高达") is a hedge's upper bound when a hedge stands anywhere before it in the
    sentence: "Amazon could, some analysts say, spend as much as $200 billion"."""
    if _HEDGE.search(norm, max(cs, start - 60), start) is not None:
        return True
    for cue in (_NEED, _HEDGE) if ceiling else (_NEED,):
        said = [m.end() for m in cue.finditer(norm, 0, start)]
        if said and _TURN.search(norm, said[-1], start) is None:
            return True
    return False


def _difference(norm: str, clause: tuple[int, int], start: int, end: int, far: bool) -> bool:
    """The amount is a difference, not a level, by the extractor's own reading
    (``qualifiers.difference``: "$30 billion more than last year", "raised capex by $60 billion",
    "比去年多出600亿元"). The extractor marks such an amount ``is_change``; the re-reading is for
    a figure stored before it did, or built by hand. ``far``: the figure is the Y of "by X to
    Y" (the level the move reached), which the words before X do not bind."""
    from bot.extract.qualifiers import difference

    return difference(norm, start, end, clause[0], clause[1], far=far) != 0
