"""Who said a figure, and of what kind: cue words read around one figure (pure).

Cue words are found once per text (:class:`Cues`: the lexicon's word finder on ASCII text,
regexes on Chinese text) and looked up by window; the rarer patterns run on the lower-cased text
(``textfold.fold``) within bounded windows of one sentence, only when the text holds a word they
need (the caller's gates).

Kinds (``Figure.kind``), from the last cue before the figure since the previous figure of its
sentence (a figure with no cue of its own shares its neighbour's, "analysts expect revenue of
$X and EPS of $Y"; unless a fact verb stands between them):

- estimate: analysts, consensus, estimates, Wall Street, "is expected to", 分析师, 市场预期;
  or a cue right after the figure ("the $146B consensus", "$X expected by analysts");
- hypothetical: if, would, 如果, 假如;
- guidance: expects, forecast, outlook, guidance, 预计, 指引;
- plan: plans, will, intends, set to, weighing, 计划, 规划, 拟, 将;
- actual: reported, posted, rose, 录得, 实现 — or no cue at all.

Differences against expectations ("$55B above estimates", "beat by $2B") are no figure of the
company at all (:func:`is_difference`); a market-value loss ("wiped $600B off its market value")
is a market-value change (:func:`is_value_loss`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from typing import Final

from bot.extract import wordscan
from bot.extract.wordscan import PhraseFinder, trie_regex

_ESTIMATE_AFTER: Final = re.compile(
    r"\s*(?:[a-z'-]+\s+){0,2}?(?:consensus|estimates?\b|expected\s+by|forecast\s+by"
    r"|projected\s+by|analysts?\b|analyst\s+estimate)|\s*的?(?:市场)?(?:一致)?预期",
)
_DIFF_AFTER: Final = re.compile(
    r"\s*(?:above|below|ahead\s+of|short\s+of|more\s+than|less\s+than|higher\s+than|lower\s+than"
    r"|over|under|beyond|better\s+than|worse\s+than)\s+(?:(?:[a-z'-]+|[$€£¥]?\d[\d.,]*[%a-z]*)\s+)"
    r"{0,3}?(?:estimates?|expectations?|consensus|forecasts?|expected|guidance|projections?"
    r"|analysts?|street|(?:previously|initially|earlier|originally)\s+(?:projected|forecast|expected"
    r"|guided|planned|estimated))\b"
    # "a $10 billion rise from its previous forecast": a revision, not the figure itself
    r"|\s*(?:rise|increase|jump|boost|hike|cut|reduction)\s+(?:from|over|on)\s+(?:its|their|the)"
    r"\s+(?:previous|prior|earlier|initial|original)\s+(?:forecast|guidance|outlook|projection"
    r"|estimate|plan|target)s?\b"
    # "(a $4.4B undershoot", "the $50 billion 'surprise gap'": the gap itself
    r"|\s*(?:undershoot|overshoot|shortfall)\b"
    r"|\s*[\"“”'‘’]?\s*(?:surprise\s+|expectations?\s+)gap\b",
)  # Chinese puts the comparison after the figure it judges ("环比下降11.7% 不及市场预期")
_DIFF_BEFORE: Final = re.compile(
    r"\b(?:beat|beats|beating|topped|topping|tops|missed|missing|misses|exceeded|exceeding"
    r"|exceeds|surpassed|surpassing|outpaced)\s+(?:[a-z'-]+\s+){0,4}?by\s+"
    # "by a substantial margin of over": the margin named before the amount
    r"(?:(?:a|an|the)\s+(?:[a-z-]+\s+)?margin\s+of\s+)?(?:about\s+|roughly\s+"
    r"|nearly\s+|some\s+|around\s+|over\s+|more\s+than\s+|almost\s+)?$"
    r"|(?:高于|低于|超出|超过|不及)(?:市场|分析师)?(?:预期|预测|预估)\s*$",
)
_LOSS_BEFORE: Final = re.compile(
    r"\b(?:wip(?:e|es|ed|ing)|eras(?:e|es|ed|ing)|los(?:e|es|t|ing)|shed(?:s|ding)?"
    r"|knock(?:s|ed|ing)?|slash(?:es|ed|ing)?|evaporat(?:e|ed|ing)|vaporiz(?:e|ed|ing)"
    r"|destroy(?:s|ed|ing)?|sheds)\b[^.;]{0,40}$"
    r"|(?:市值)?(?:蒸发|缩水|抹去|损失|减少)[^。;]{0,12}$",
)
_VALUE_AFTER: Final = re.compile(
    r"\s*(?:(?:off|from|of|in)\s+(?:[a-z'-]+\s+){0,3}?(?:market\s+(?:value|cap\w*)|valuation"
    r"|stock\s+market\s+value|shareholder\s+value)|in\s+value\b|(?:of\s+)?(?:in\s+)?market\s+(?:value|cap\w*))"
    r"|\s*的?市值",
)
_VALUE_BEFORE: Final = re.compile(r"market\s+(?:value|cap\w*)|valuation|市值")

# Deal patterns, read between the two parties' names.
_INVEST_VERB: Final = re.compile(
    r"\b(?:invest(?:s|ed|ing)?|lead(?:s|ing)?|led|co-le(?:ad|ads|d)|back(?:s|ed|ing)?"
    r"|participat(?:e|es|ed|ing)|pour(?:s|ed|ing)?|put(?:s|ting)?|inject(?:s|ed|ing)?"
    r"|take\s+a\s+stake|took\s+a\s+stake|taking\s+a\s+stake|to\s+invest)\b"
    r"|投资|领投|注资|入股|参投",
)
_RAISE_VERB: Final = re.compile(
    r"\b(?:rais(?:e|es|ed|ing)|secur(?:e|es|ed|ing)|clos(?:e|es|ed|ing)|land(?:s|ed)?|gets?|got"
    r"|receiv(?:e|es|ed|ing)|attract(?:s|ed)?)\b|融资|募资|获得|获|完成",
)
_FUNDING_CUE: Final = re.compile(
    r"\b(?:round|funding|series\s+[a-h]|led\s+by|from\s+investors|venture|stake|valuation"
    r"|seed)\b|轮|融资|领投|估值",
)
_DEBT_CUE: Final = re.compile(r"\b(?:bonds?|debt|loans?|notes|credit|borrow\w*)\b|债|贷款|借款")
_DEAL_VERB: Final = re.compile(
    r"\b(?:buy(?:s|ing)?|bought|purchas(?:e|es|ed|ing)|order(?:s|ed|ing)?|deals?|contracts?"
    r"|agreements?|partnership|sign(?:s|ed|ing)?|inks?|inked|struck|strikes|lease[sd]?|leasing"
    r"|rent(?:s|ed|ing)?|suppl(?:y|ies|ied)|from|pact|commitment|commits?|committed)\b"
    r"|采购|购买|订单|合同|协议|签署|签订|合作|租用|供应",
)
_LIST_GAP: Final = re.compile(r"\s*(?:,|、|/)?\s*(?:and|&|与|和|及|以及|跟)?\s*")
_SUM_CUE: Final = re.compile(
    r"\b(?:combined|together|collectively|in\s+total|total|jointly|altogether|between\s+them)\b"
    r"|合计|共计|总计|一共|合共|加起来|总共|共同",
)


_OWN_NOUN: Final = re.compile(
    r"guidance|outlook|consensus|estimates?|forecasts?|expectations?|预期|指引|预估"
)
_GUIDANCE_AFTER: Final = re.compile(
    r"\s*(?:(?:19|20)\d{2}\s+)?(?:[a-z'-]+\s+){0,2}?(?:guidance|outlook|forecast|target)\b",
)


def guidance_after(low: str, end: int, hi: int) -> bool:
    """A forecast noun right after the figure ("$200 billion 2026 capex guidance")."""
    return _GUIDANCE_AFTER.match(low, end, min(hi, end + 40)) is not None


_PLAN_AFTER: Final = re.compile(
    r"\s*(?:(?:19|20)\d{2}\s+)?(?:[a-z'-]+\s+){0,2}?(?:plan|plans|budget)\b"
    r"|\s*(?:的|之)?[\u4e00-\u9fffa-z]{0,6}?(?:计划|规划|预算)"
)


def plan_after(low: str, end: int, hi: int) -> bool:
    """A plan noun right after the figure ("a $135B capex plan", "3800亿元的投资计划")."""
    return _PLAN_AFTER.match(low, end, min(hi, end + 40)) is not None


_RAISED_RIGHT_BEFORE: Final = re.compile(
    r"\b(?:rais(?:e|es|ed|ing)|secur(?:e|es|ed|ing)|land(?:s|ed)?)\s+(?:a\s+|an\s+)?(?:further\s+"
    r"|additional\s+|another\s+|fresh\s+|new\s+)?(?:about\s+|nearly\s+|almost\s+|more\s+than\s+"
    r"|over\s+|roughly\s+|around\s+|some\s+|up\s+to\s+)?$|(?:融资|募资|募集)(?:了|约|近|超过)?\s*$",
)


def raised_right_before(low: str, lo: int, start: int) -> bool:
    """ "raised $6 billion", "融资 10 亿美元": money raised, funding unless it is debt."""
    return _RAISED_RIGHT_BEFORE.search(low, max(lo, start - 40), start) is not None


def estimate_after(low: str, end: int, hi: int) -> bool:
    """A cue right after the figure makes it an estimate ("the $146B consensus")."""
    return _ESTIMATE_AFTER.match(low, end, min(hi, end + 40)) is not None


def is_difference(low: str, start: int, end: int, lo: int, hi: int) -> bool:
    """The figure is a gap to expectations ("$55B above estimates", "beat … by $2B")."""
    if _DIFF_AFTER.match(low, end, min(hi, end + 60)) is not None:
        return True
    window = max(lo, start - 90)
    # Every _DIFF_BEFORE match ends with one of these (then spaces).
    if not low[window:start].rstrip().endswith(_DIFF_BEFORE_ENDS):
        return False
    return _DIFF_BEFORE.search(low, window, start) is not None


_DIFF_BEFORE_ENDS: Final = (
    "by",
    "of",
    "over",
    "than",
    "almost",
    "about",
    "roughly",
    "nearly",
    "some",
    "around",
    "预期",
    "预测",
    "预估",
)


# "Microsoft's $357 billion one-day rout": market value lost, said by its noun.
_ROUT_AFTER: Final = re.compile(
    r"\s*(?:(?:one|single|two|three)-(?:day|session)\s+|(?:stock|market|share)\s+)?"
    r"(?:rout|wipeout|wipe-out|sell-?off|market-value\s+loss)\b"
)


def is_value_loss(low: str, start: int, end: int, lo: int, hi: int) -> bool:
    """The figure is market value lost ("wiped $600B off its market value", "市值蒸发 X",
    "a $357 billion one-day rout")."""
    if _ROUT_AFTER.match(low, end, min(hi, end + 30)) is not None:
        return True
    if _LOSS_BEFORE.search(low, max(lo, start - 60), start) is None:
        return False
    if _VALUE_AFTER.match(low, end, min(hi, end + 50)) is not None:
        return True
    return _VALUE_BEFORE.search(low, max(lo, start - 60), start) is not None


# "$40B investment in OpenAI": the figure is the investment itself.
_INVESTMENT_AFTER: Final = re.compile(r"\s*(?:[a-z-]+\s+){0,2}?investments?\s+(?:in|into)\b")


def investment_after(low: str, end: int) -> bool:
    """The figure is named an investment in someone right after it ("$40B investment in X")."""
    return _INVESTMENT_AFTER.match(low, end, end + 40) is not None


def invests(low: str, lo: int, hi: int) -> bool:
    """An investing verb between an investor (before ``lo``) and the company (after ``hi``)."""
    return _INVEST_VERB.search(low, max(lo, hi - 120), hi) is not None


# The investor named after "by" (or 由 before it): "a $40 billion round, led by SoftBank",
# "backed by Nvidia", "由软银领投".
_INVESTOR_BY: Final = re.compile(
    r"\b(?:led|co-led|backed|funded|financed|joined|anchored)\s+(?:\w+\s+){0,2}?by\s+(?:the\s+)?$"
    r"|由\s*$"
)


def invested_by(low: str, lo: int, hi: int) -> bool:
    """``low[lo:hi]`` ends with a passive investing verb and "by" right before the investor:
    the money is the subject's funding, the party after "by" its investor."""
    return _INVESTOR_BY.search(low, lo, hi) is not None


def raises(low: str, lo: int, hi: int) -> bool:
    return _RAISE_VERB.search(low, lo, hi) is not None


def funding_cue(low: str, lo: int, hi: int) -> bool:
    return _FUNDING_CUE.search(low, lo, hi) is not None


def debt_cue(low: str, lo: int, hi: int) -> bool:
    return _DEBT_CUE.search(low, lo, hi) is not None


def deal(low: str, lo: int, hi: int) -> bool:
    return _DEAL_VERB.search(low, lo, hi) is not None


# A supplier before its buyer: "Nebius will provide GPU capacity to Microsoft", "卖给".
_SUPPLY_TO: Final = re.compile(
    r"\b(?:provid(?:e|es|ed|ing)|suppl(?:y|ies|ied|ying)|sell(?:s|ing)?|sold|deliver(?:s|ed|ing)?"
    r"|ship(?:s|ped|ping)?|rent(?:s|ed|ing)?\s+out|leas(?:e|es|ed|ing)\s+out)\b[^.;:]{0,80}?\bto\s*$"
    r"|(?:卖给|售予|售给|供货给|供应给|交付给|提供给)\s*$",
)


def supplies_to(low: str, lo: int, hi: int) -> bool:
    """``low[lo:hi]``, between two parties, is a supplier's verb whose object ends in "to"
    right before the buyer: the deal's money is the buyer's spending."""
    return _SUPPLY_TO.search(low, max(lo, hi - 120), hi) is not None


def listed(low: str, end: int, start: int) -> bool:
    """Only a list separator between two names (``low[end:start]``): ", ", " and ", "、"."""
    return (end < start and _LIST_GAP.fullmatch(low, end, start) is not None) or end == start


def sum_cue(low: str, lo: int, hi: int) -> bool:
    return _SUM_CUE.search(low, lo, hi) is not None


# The cues as phrases for the word finder (ASCII text): same kinds as _CUE, found once per
# text with the tokenizer pass the lexicon already made, instead of a regex per figure.
_BE: Final = ("is", "are", "was", "were", "be", "been", "being")
# Very common first words ("the", "to", "is", "it") would make the finder look at most words of
# a text: phrases never start with them. Passives ("is expected") are read from their
# participle and the word before it; anaphors are looked for only when needed (has_anaphor).
_PHRASES: Final[dict[str, tuple[str, ...]]] = {
    "estimate": (
        "analyst", "analysts", "consensus", "estimate", "estimates", "estimated by",
        "forecast by", "forecasts by", "wall street", "street expectations", "expectation",
        "expectations", "polled by", "surveyed by", "predict", "predicts",
        "according to factset", "according to lseg", "according to visible alpha",
        "according to bloomberg",
        # What the market had priced in: "shareholders who had anticipated a $150 billion".
        "had anticipated", "had expected", "had been expecting", "investors expected",
        "investors anticipated",
    ),
    "hypothetical": ("if", "would", "hypothetical", "hypothetically", "scenario"),
    "guidance": (
        "guidance", "guided", "guides", "outlook", "expect", "expects", "expecting", "forecast",
        "forecasts", "forecasted", "forecasting", "projects", "projecting", "anticipate",
        "anticipates", "anticipated", "sees",
    ),
    "plan": (
        "plan", "plans", "planned", "planning", "will", "intend", "intends", "intended",
        "intending", "pledge", "pledged", "pledges", "committed to", "commits to", "budget",
        "budgets", "budgeted", "set to", "aim to", "aims to", "aiming to", "propose", "proposes",
        "proposed", "earmark", "earmarked", "earmarks", "allocate", "allocates", "allocated",
        "allocating", "weighing", "considering", "mull", "mulls", "mulling", "seek", "seeks",
        "seeking", "preparing",
    ),
    "actual": (
        "reports", "posts", "records", "generated", "reached", "rose", "fell", "grew", "jumped",
        "climbed", "declined", "dropped", "spent", "earned", "raised", "secured", "closed",
        "booked", "delivered", "achieved", "had", "has",
    ),
    # Fact verbs: actual cues that also stop a figure from sharing its neighbour's kind.
    "actual!": ("reported", "posted", "recorded", "logged", "came in", "totaled", "totalled",
                "was", "were", "actual"),
    # Participles: an estimate after a form of "be" or before "to" ("is expected to"),
    # otherwise the kind after the colon (or nothing).
    "passive:": ("expected", "seen", "predicted"),
    "passive:guidance": ("projected",),
    "passive:estimate": ("estimated",),
}  # fmt: skip
_ANAPHOR: Final = re.compile(
    r"(?<![a-z0-9])(?:it|its|they|their|the\s+(?:(?!(?:rival|other|competing|partner|former|"
    r"new|smaller|larger|bigger|second|third|another|same)\s)[a-z]+\s+){0,2}(?:company|group|firm|tech\s+giant|giant|chipmaker"
    r"|chip\s+maker|startup|start-up|social\s+media\s+giant|search\s+giant|e-commerce\s+giant"
    r"|retailer|cloud\s+giant|cloud\s+provider|software\s+maker|iphone\s+maker|carmaker"
    r"|automaker|lab|ai\s+lab|conglomerate|operator|maker))(?![a-z0-9])"
    r"|该公司|公司|该集团|集团|其"
)
_ZH_CUES: Final[dict[str, tuple[str, ...]]] = {
    "estimate": (
        "分析师", "市场预期", "市场普遍预期", "一致预期", "华尔街", "市场预估", "法人预估", "法人预期",
        "市场预计", "市场估计", "市场预测", "外界预期", "外界预估", "券商",
    ),
    "hypothetical": ("如果", "假如", "假设", "倘若", "若是"),
    "guidance": (
        "预计", "预期", "指引", "展望", "预测", "预估", "估约", "估计", "看好", "有望达",
        # Taiwan's press: a company "puts forward" (提出) a period ahead, its 财测 (forecast).
        "财测", "提出本季", "提出下季", "提出今年", "提出明年", "提出全年", "提出第",
    ),
    "plan": ("计划", "规划", "拟", "将", "打算", "准备", "有意", "考虑", "可能", "有望"),
    "actual": ("公布", "财报显示", "报告显示"),
    "actual!": ("录得", "实现", "实际"),
}  # fmt: skip
_ZH_LABELS: Final = {w: k for k, ws in _ZH_CUES.items() for w in ws}
# One trie of literals (leftmost-longest, like the alternation of named groups it replaces):
# every branch starts with a literal, which re skips ahead to.
_ZH_CUE: Final = re.compile(trie_regex(_ZH_LABELS))


def _finder() -> tuple[PhraseFinder, dict[str, str]]:
    labels = {p: k for k, ps in _PHRASES.items() for p in ps}
    return PhraseFinder(labels), labels


_CUE_FINDER, _CUE_LABELS = _finder()
CUE_FIRSTS: Final = _CUE_FINDER.firsts  # see wordscan.PhraseFinder.firsts


def _passive(low: str, s: int, e: int, label: str) -> str | None:
    """The kind of a participle cue: estimate after "is"/"are"/… or before "to", else the
    label's own kind (or None)."""
    before = low[max(0, s - 12) : s].split()
    if (before and before[-1] in _BE) or low.startswith(" to ", e):
        return "estimate"
    if before and before[-1] in ("widely", "now") and len(before) > 1 and before[-2] in _BE:
        return "estimate"
    kind = label.partition(":")[2]
    return kind or None


class Cues:
    """Every kind cue of one (lower-cased) text, found once, looked up by window.

    ``low`` is the lower-cased text; ``words`` its ``wordscan.words`` when it is ASCII (the
    lexicon's tokenizer pass), else None (then a regex finds the Chinese cues and the finder
    the Latin ones on a masked copy).
    """

    def __init__(self, low: str, words: Iterable[bytes] | None) -> None:
        self.low = low
        found: list[tuple[int, int, str]] = []
        if words is not None:
            labels = _CUE_LABELS
            for s, e in _CUE_FINDER.find(low, low, words):
                found.append((s, e, labels[low[s:e]]))
        else:
            zh = _ZH_LABELS
            for m in _ZH_CUE.finditer(low):
                found.append((m.start(), m.end(), zh[m.group()]))
            # Latin cues in mixed text: the finder on a copy whose other characters are "?"
            # (one each, so offsets hold).
            masked = low.encode("ascii", "replace").decode("ascii")
            labels = _CUE_LABELS
            for s, e in _CUE_FINDER.find(masked, masked, wordscan.words(masked)):
                found.append((s, e, labels[masked[s:e]]))
            found.sort()
        spans: list[tuple[int, int, str]] = []
        for s, e, label in found:
            if label.startswith("passive:"):
                kind = _passive(low, s, e, label)
                if kind is None:
                    continue
                label = kind
            spans.append((s, e, label))
        self.spans = spans
        self.starts = [s for s, _, _ in spans]

    def kind_before(self, low: str, lo: int, hi: int, after_figure: bool = False) -> str | None:
        """What :func:`kind_before` says of ``low[lo:hi]``, from the cues found once."""
        last = None
        held = None
        guided = False
        i = bisect.bisect_left(self.starts, lo)
        spans = self.spans
        while i < len(spans) and spans[i][1] <= hi:
            s, e, label = spans[i]
            i += 1
            if (
                after_figure
                and s - lo < 30
                and hi - e > 16
                and _OWN_NOUN.fullmatch(low, s, e) is not None
            ):
                continue
            last = "actual" if label == "actual!" else label
            if last == "hypothetical" or (last == "estimate" and held != "hypothetical"):
                held = last
            elif last == "actual":
                guided = False
                if held == "estimate":
                    held = None
            elif last == "guidance":
                guided = True
        if held is not None:
            return held
        if last == "plan" and guided:
            return "guidance"
        return last

    def has_fact_verb(self, lo: int, hi: int) -> bool:
        i = bisect.bisect_left(self.starts, lo)
        spans = self.spans
        while i < len(spans) and spans[i][1] <= hi:
            if spans[i][2] == "actual!":
                return True
            i += 1
        return False

    def has_anaphor(self, lo: int, hi: int) -> bool:
        """ "the company", "it", "该公司" in ``[lo, hi)`` (looked for only when asked)."""
        return _ANAPHOR.search(self.low, lo, hi) is not None
