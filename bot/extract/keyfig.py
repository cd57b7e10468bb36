"""Which extracted figures are key figures, the ones Briefbot stores (pure).

``extract`` returns every figure a text states (the labelled-sentence benchmarks score all of
them); the store keeps the figures an analyst following the race would list. Not key:

- a figure that names no company or group (nobody to attribute it to);
- a vague amount ("billions of dollars", "数十亿美元");
- a step in money (English: "raised its capex budget by $10 billion", "a $10-billion
  increase in capex") when the text gives the level ("now expects to spend $85 billion"):
  the level is what an analyst lists, the step only how it moved; in Chinese, a step followed
  in its clause by the level it reached ("按年大增204.82亿元或62.6%至531.78亿元");
- a price per unit: a share price level ("closed at $333.34", "收报600.50元/股"), an offer
  price, an exchange rate ("1美元兑31.6元新台币"), any money amount below 10,000 currency units
  that is not earnings per share (companies' totals are millions and more); share *moves* stay;
- a round threshold said to be topped ("tops 9 trillion won for the first time") when the same
  text gives the exact amount of that company, metric and kind (9.21 trillion won): one fact,
  kept once, exactly;
- with the text: an English multiple said in words ("capex doubles"), a share of a whole ("45% of its backlog", "91% of total revenue": how a total
  splits, not a company's figure), and a share move's intraday extreme ("fell as much as 12%
  and closed down 10%", "一度上涨超过1.5%…最终收跌超2.5%") when the same sentence gives the
  company's move of the day;
- a gap in percent to expectations ("0.4% above the 70.8% forecast", "missed by 4%"): extracted
  as a change against them (the labelled sentences list it), but nobody's own figure; so is a
  Chinese difference to expectations in any unit ("较预期高出50亿元", "比市场预估少了3%");
- a side growth rate (English): a constant-currency rate ("+15% cc", "ex-FX") when the same
  sentence gives the reported change, and a sequential step ("Q/Q", "sequentially") when the
  text gives the same figure's year-on-year change or its level;
- a milestone threshold: "the 10-trillion-won club", and a round amount said to be reached
  "for the first time" (a level, mark, milestone) when the text gives the amount itself;
- a bond's price (English): a yield, coupon or spread ("a 6.58% yield", "1.65 percentage points
  above Treasuries"); a per-share change ("up 42 cents", "$40 per share") that is not EPS;
  a model number read as a count ("Trainium 3 chips");
- a part of a whole, not an amount (Chinese text): "占总营收比重达58%", "占比70%",
  "资本支出约70%将用于先进制程" (how a budget is split). Market shares (份额, 市占) and holdings
  (持股) stay: they are facts about the company; so do the changes of a share.
- a valuation multiple: what the market pays for a company's earnings or sales ("本益比
  17倍", "市盈率30倍", "对应PE 30/25/22倍", "trades at 25 times earnings", "a P/E of 30x"),
  a price, not a figure the company reports;
- a person's or an investor's money: a net worth ("身家", "身价", "net worth") and a
  holding's value, cost or paper gain ("持仓市值", "买入成本", "浮盈"): Briefbot follows
  companies, and these are nobody's company figures;
- an analyst's call on the stock: a price target ("raised its price target to $825", "a
  target price of 150,000 won", "目标价") and a share's upside or downside ("potential 10%–15%
  downside"), at any size (won and yen targets pass the per-unit bound);
- the bound of a bracket (Chinese): an amount that sorts things into classes ("20万元以下的
  小单", "营收100亿元以上的企业"): it qualifies a noun, it is nobody's amount.

    key_figures(figures, text) -> the figures to store, in order
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Final

from bot.extract.roles import is_difference
from bot.extract.sentences import normalize
from bot.extract.textfold import simplified
from bot.models import Figure
from bot.money import CURRENCIES

_PER_UNIT_MAX: Final = 10_000.0
_EXCHANGE: Final = re.compile(r"兑|兌|汇率|匯率|exchange\s+rate", re.I)
_THRESHOLD_SPAN: Final = 1.15  # the exact amount lies within 15 % above the threshold
_NUM: Final = r"(\d+(?:\.\d+)?\s*%|[一二两兩三四五六七八九\d](?:\.\d)?\s*成)"
# A percentage read as a part of a whole: after 占/占比/比重/比例 (a few
# words of wording between: "占云计算业务收入的70%", "占比位列第二的…占比24%"), or before
# 用于/用在 ("约70~80%将用于先进制程": how a budget is split).
_SHARE: Final = re.compile(
    r"(?:占比|比重|比例|(?<![抢霸市])占(?![据领有]))[^,;。，；：:%]{0,16}?"
    r"(?:约|达|为|是|近|超|逾|高达|仅)?\s*"
    + _NUM
    + r"|(?:(\d+(?:\.\d+)?)\s*%?\s*[~至到-]\s*)?"
    + _NUM
    + r"\s*(?:将|会)?\s*用(?:于|在)"
    # a share of an increase or of a whole the text names after it: "近九成营收增量来自…",
    # "贡献了公司近九成营收增量", "有28%来自鸿海" (how a total splits, nobody's own figure)
    + r"|"
    + _NUM
    + r"(?:的)?[^,;。，；：:%\d()（）]{0,6}?(?:增量|增长来源|来自|源自)"
)


def is_money(fig: Figure) -> bool:
    return fig.unit in CURRENCIES


def _per_unit(fig: Figure) -> bool:
    """A price per share or unit, or an exchange rate, rather than a company's amount."""
    if not is_money(fig):
        return False
    if fig.is_change:  # "up 42 cents", "climbing $40 per share": a per-share step, not EPS
        return fig.metric != "eps" and abs(fig.value) < _PER_UNIT_MAX
    if fig.metric == "share_price":
        return True  # a share price level; its moves are percent changes
    if abs(fig.value) >= _PER_UNIT_MAX:
        return False
    if fig.metric == "eps":
        return False
    if fig.metric == "profit":  # earnings per share read as profit, or an exchange rate
        return _EXCHANGE.search(fig.sentence or "") is not None
    return True


# Metrics one budget goes by: a step in "capex" and a level of "spending" are the same line.
_SPEND_FAMILY: Final = frozenset(["capex", "spending", "investment"])


def _same_line(a: str, b: str) -> bool:
    return a == b or (a in _SPEND_FAMILY and b in _SPEND_FAMILY)


def _money_step(fig: Figure, figures: Sequence[Figure]) -> bool:
    """An English change stated in money ("by $10 billion", "a $10-billion increase") when the
    text gives the level of the same company's figure: the level is the fact, the step only
    how it moved. Not earnings per share ("EPS rose 42 cents" is the per-share figure) nor a
    market value's loss ("wiping out $357 billion", the one amount said of it); a move from A
    to B has B as its value and stays. Alone, a step is the only amount given and stays
    ("a 4.3 trillion won reduction in borrowings"), and so does an amount of no known metric
    ("add $16 billion to the state's economy": nothing to be the step of)."""
    if (
        fig.lang != "en"
        or not fig.is_change
        or not is_money(fig)
        or fig.metric in ("eps", "market_value", "other")
        or fig.previous is not None
        or fig.low is not None
    ):
        return False
    return any(
        other is not fig
        and not other.is_change
        and other.entity == fig.entity
        and other.unit == fig.unit
        and other.qualifier != "vague"
        and _same_line(other.metric, fig.metric)
        for other in figures
    )


# Between a step in money and the level it reaches, in Chinese: "增204亿元或62.6%至531亿元".
_STEP_TO_LEVEL: Final = re.compile(r"[^,;。，；]{0,16}?(?:至|到)\s*(?:约|近|逾|超过?)?\s*$")


def _money_step_zh(fig: Figure, figures: Sequence[Figure], text: str) -> bool:
    """A Chinese change in money followed in its clause by the level it reached ("销售费用按年
    大增204.82亿元或62.6%至531.78亿元", "净利润同比增加12亿元至80亿元"): the level is the fact,
    the step only how it moved (any metric: the level is said right there)."""
    if fig.lang != "zh" or not fig.is_change or not is_money(fig) or fig.previous is not None:
        return False
    end = fig.span[1]
    for other in figures:
        if (
            other is not fig
            and not other.is_change
            and other.unit == fig.unit
            and other.entity == fig.entity
            and other.span[0] >= end
            and _STEP_TO_LEVEL.match(normalize(text[end : other.span[0]])) is not None
        ):
            return True
    return False


# A share move said of a moment of the day, not of the close: "一度上涨超过1.5%", "盘中涨逾8%".
_AT_ONE_POINT: Final = re.compile(r"(?:一度|盘中|盤中|早段|最多|最高)[^,;。，；\d]{0,8}$")


def _intraday_moment_zh(fig: Figure, figures: Sequence[Figure], text: str) -> bool:
    """A Chinese share move at one point of the day ("开盘时股价一度上涨超过1.5%,但随后回落,
    最终收跌超2.5%") when the same sentence gives the company's other move (the close)."""
    if fig.lang != "zh" or fig.metric != "share_price" or not fig.is_change:
        return False
    a = fig.span[0]
    if _AT_ONE_POINT.search(text, max(0, a - 16), a) is None:
        return False
    return any(
        other is not fig
        and other.metric == "share_price"
        and other.is_change
        and other.entity == fig.entity
        and other.unit == fig.unit
        and other.sentence == fig.sentence
        and _AT_ONE_POINT.search(text, max(0, other.span[0] - 16), other.span[0]) is None
        for other in figures
    )


def _round(value: float) -> bool:
    """One or two significant digits: 9 trillion, 10 billion, 60 亿, 2,000 亿."""
    v = abs(value)
    if v == 0:
        return False
    scale = 10 ** (math.floor(math.log10(v)) - 1)
    return abs(v / scale - round(v / scale)) < 1e-9


# "for the first time", "the 5 trillion won level", "a milestone": a threshold reached.
_MILESTONE: Final = re.compile(
    r"\bfirst\s+time\b|\bmilestones?\b|\bclub\b|\b(?:level|mark|threshold|barrier)\b", re.I
)
_MILESTONE_SPAN: Final = 1.5  # "exceeded 10 trillion won for the first time" vs 11.38 trillion
# "10-trillion-won club", "10 Trillion Club": a club of companies, never a figure.
_CLUB_AFTER: Final = re.compile(r"[\s-]*(?:[a-z]+[\s-]+){0,2}?club\b", re.I)


def _restated_threshold(fig: Figure, figures: Sequence[Figure]) -> bool:
    if not is_money(fig) or fig.is_change or fig.entity is None or not _round(fig.value):
        return False
    milestone = (
        fig.lang == "en"
        and fig.kind != "estimate"
        and _MILESTONE.search(fig.sentence or "") is not None
    )
    if fig.qualifier not in ("more_than", "at_least") and not milestone:
        return False
    v = abs(fig.value)
    span = _MILESTONE_SPAN if milestone else _THRESHOLD_SPAN
    for other in figures:
        if (
            other is not fig
            and (other.qualifier == "exact" or (milestone and other.qualifier != "vague"))
            and other.entity == fig.entity
            and other.metric == fig.metric
            and other.unit == fig.unit
            and (other.kind == fig.kind or milestone)
            and not other.is_change
            and (other.period is None or fig.period is None or other.period == fig.period)
            and v < abs(other.value) <= v * span
        ):
            return True
    return False


def _club(fig: Figure, text: str) -> bool:
    return _CLUB_AFTER.match(text, fig.span[1], fig.span[1] + 30) is not None


# Side rates, read right after an English percent change.
_CONSTANT_CURRENCY: Final = re.compile(
    r"\s*(?:cc\b|(?:in|at)\s+constant\s+(?:currenc|exchange)|constant[-\s]currency"
    r"|ex-?fx\b|excluding\s+(?:foreign\s+)?(?:currency|exchange|fx)|fx[-\s]neutral)",
    re.I,
)


_RATE_GAP: Final = re.compile(
    r"\s*(?:y/y|yoy|year[-\s]over[-\s]year|reported)?\s*[,;/]?\s*(?:and\s+)?[+-]?", re.I
)


def _side_rate(fig: Figure, figures: Sequence[Figure], text: str) -> bool:
    """A constant-currency rate beside the reported one, or a sequential step beside the
    year-on-year change or the level."""
    if fig.lang != "en":
        return False
    if fig.unit == "percent" and _CONSTANT_CURRENCY.match(text, fig.span[1], fig.span[1] + 40):
        # the reported rate right before it: "+18% Y/Y, +15% cc", "(+20% Y/Y, +16% cc)"
        return any(
            other is not fig
            and other.unit == "percent"
            and other.entity == fig.entity
            and 0 <= fig.span[0] - other.span[1] <= 20
            and _RATE_GAP.fullmatch(text, other.span[1], fig.span[0]) is not None
            for other in figures
        )
    if fig.change_basis != "qoq":
        return False
    money = is_money(fig)
    return any(
        other is not fig
        and other.entity == fig.entity
        and (other.metric == fig.metric or fig.metric == "other")
        and (
            (other.change_basis == "yoy" and other.sentence == fig.sentence)
            or (money and not other.is_change and other.unit == fig.unit)
        )
        for other in figures
    )


# A bond's price: its yield, coupon or spread ("a 6.58% yield", "1.65 percentage points above
# Treasuries", "priced at 5.2%", "a spread of 120 basis points").
_BOND_NEAR: Final = re.compile(
    r"\byields?\b|\bcoupons?\b|\bspreads?\b|\btreasur(?:y|ies)\b|\bgilts?\b|\bbunds?\b"
    r"|\bbasis\s+points?\b|\bpriced\s+(?:at|to\s+yield)\b|\binterest\s+rate\b",
    re.I,
)


def _bond_price(fig: Figure, text: str) -> bool:
    if fig.lang != "en" or fig.unit not in ("percent", "percentage_points", "basis_points"):
        return False
    if fig.metric == "share_price":
        return False
    a, b = fig.span
    return _BOND_NEAR.search(text, max(0, a - 40), min(len(text), b + 40)) is not None


# "Trainium 3 chips", "Blackwell 2": a capitalised name right before a bare small number.
_MODEL_BEFORE: Final = re.compile(r"(?<![\w-])[A-Z][A-Za-z]+[\s-]$")


def _model_number(fig: Figure, text: str) -> bool:
    if fig.lang != "en" or fig.unit != "count" or fig.is_change or abs(fig.value) >= 1000:
        return False
    a, b = fig.span
    if not text[a:b].split(" ", 1)[0].isdigit():  # "3 chips": a bare number and its noun
        return False
    m = _MODEL_BEFORE.search(text, max(0, a - 20), a)
    if m is None:
        return False
    lead = text[max(0, m.start() - 2) : m.start()]  # a sentence's first word is no name
    return m.start() > 0 and not lead.rstrip().endswith((".", "!", "?", "\n")) and lead != ""


def _part_of_whole(fig: Figure, text: str | None) -> bool:
    """A percentage read as a part of a whole ("占比70%", "70%将用于…") in Chinese ``text``, the
    text the figure's span indexes."""
    if fig.is_change or fig.lang != "zh" or fig.unit != "percent" or not text:
        return False
    start, end = fig.span
    lo, hi = max(0, start - 24), min(len(text), end + 12)
    window = text[lo:hi]
    if not any(c in window for c in "占佔比用增来來源"):
        return False
    window = simplified(normalize(window))
    for m in _SHARE.finditer(window):
        for g in range(1, (m.lastindex or 0) + 1):
            gs, ge = m.span(g)
            if gs >= 0 and lo + gs < end and start < lo + ge:
                return True
    return False


# "45% of its $625 billion backlog", "roughly 3% of Microsoft 365 seats", "70 per cent of the".
_SHARE_OF: Final = re.compile(r"\s*(?:per\s*cent\s+)?of\s+(?!(?:about|around|roughly|nearly)\b)")


def _share_of_whole(fig: Figure, text: str) -> bool:
    """A percentage followed by "of": a share of a whole (English; "made up 97% of total
    revenue" too, but not a share move: "lost 10% of their value")."""
    if fig.unit != "percent" or fig.metric == "share_price" or fig.lang != "en":
        return False
    return _SHARE_OF.match(text, fig.span[1], fig.span[1] + 24) is not None


def _said_in_words(fig: Figure, text: str) -> bool:
    """An English multiple said in words ("capex doubles", "revenue tripled", "eightfold"): a
    description of growth, not a figure stated (no digit in its span)."""
    if fig.lang != "en" or not fig.is_change or fig.unit not in ("percent", "times"):
        return False
    a, b = fig.span
    return not any(c.isdigit() for c in text[a:b])


def _intraday_extreme(fig: Figure, figures: Sequence[Figure]) -> bool:
    """ "Shares fell as much as 12% and closed down about 10%": the extreme of the day, when
    the same sentence gives the company's other move (the close)."""
    if fig.metric != "share_price" or not fig.is_change or fig.qualifier != "up_to":
        return False
    return any(
        other is not fig
        and other.metric == "share_price"
        and other.is_change
        and other.qualifier != "up_to"
        and other.entity == fig.entity
        and other.unit == fig.unit
        and other.sentence == fig.sentence
        for other in figures
    )


# A Chinese difference to expectations: compared with a forecast (较预期, 比市场预估), then the
# comparative right before the amount ("较预期高出50亿元", "比分析师预测少了3亿元").
_ZH_GAP_EXPECTED: Final = re.compile(
    r"(?:较|比|相比)(?:市场|分析师|外界|华尔街)?(?:普遍|平均|一致)?(?:预期|预估|预测|预计|共识|指引)"
    r"[^,;。，；]{0,6}?(?:多出|高出|超出|多了|少了|高了|低了|多|少|高|低|低于|高于)\s?[约近逾超]?\s*$"
)


def _gap_to_expectations(fig: Figure, text: str) -> bool:
    """An English percent gap to a forecast or consensus (roles.is_difference on its span), or a
    Chinese change against one ("较预期高出50亿元", extracted as a change by qualifiers.difference):
    how far the result landed from someone's number, nobody's own figure."""
    if fig.lang == "zh":
        a = fig.span[0]
        if not any(c in text[max(0, a - 30) : a] for c in "预預估测測计計识識引"):
            return False
        window = simplified(normalize(text[max(0, a - 30) : a]))
        window = re.sub(r"(?:人民币|新台币|港币|港元|美元|US\$|\$)\s*$", "", window)
        return _ZH_GAP_EXPECTED.search(window) is not None
    if fig.lang != "en" or fig.unit not in ("percent", "percentage_points"):
        return False
    a, b = fig.span
    lo, hi = max(0, a - 80), min(len(text), b + 80)
    low = text[lo:hi].lower()
    if len(low) != hi - lo:  # lower() changed a length: offsets would not line up
        return False
    return is_difference(low, a - lo, b - lo, 0, hi - lo)


# "the $200 billion figure", "this $10-billion", "the projected $200B": a definite article (and
# at most one word) right before an amount.
_DEFINITE_BEFORE: Final = re.compile(r"(?<![A-Za-z])(?:[Tt]he|[Tt]his|[Tt]hat)\s+(?:[a-z-]+\s+)?$")


def _restated(fig: Figure, figures: Sequence[Figure], text: str) -> bool:
    """An English definite reference back to an amount the text gave before ("The $200
    billion figure represents 40% of its market value", "the projected $200B capex could
    depress free cash flow"): the earlier statement, in its own context, is the figure; the
    reference borrows the wording around it (another company, a stray period)."""
    if fig.lang != "en" or fig.is_change:
        return False
    a = fig.span[0]
    if _DEFINITE_BEFORE.search(text, max(0, a - 24), a) is None:
        return False
    v = abs(fig.value)
    return any(
        other.span[1] <= a
        and other.unit == fig.unit
        and not other.is_change
        and abs(abs(other.value) - v) <= 0.005 * v
        for other in figures
    )


# A valuation ratio's name shortly before the multiple, or "times earnings" after it.
_VALUATION_BEFORE: Final = re.compile(
    r"本益比|市盈率|市净率|市销率|估值倍数|(?<![a-z])(?:p/?e|p/?s|ev/ebitda)(?![a-z])"
    r"|price[-\s]to[-\s](?:earnings|sales|book)",
    re.I,
)
_VALUATION_AFTER: Final = re.compile(
    r"\s*(?:times|x)?\s*(?:(?:forward|trailing|next\s+year'?s?|expected)\s+)?"
    r"(?:earnings|sales|ebitda|book\s+value)\b|\s*(?:倍)?\s*(?:本益比|市盈率|pe)",
    re.I,
)


def _valuation_multiple(fig: Figure, text: str) -> bool:
    """A multiple named a valuation ratio ("本益比僅 17 倍", "PE 30/25/22 倍", "25 times
    forward earnings"): the market's price of the company, not its figure."""
    if fig.unit != "times" or fig.is_change:
        return False
    a, b = fig.span
    if _VALUATION_AFTER.match(text, b, b + 30) is not None:
        return True
    window = simplified(normalize(text[max(0, a - 16) : a]))
    return _VALUATION_BEFORE.search(window) is not None


# A person's worth or an investor's position, named shortly before the amount (no clause
# break between: "陈天石身价超过1491亿元", "持仓市值约为80亿元", "a net worth of $105 billion").
_PERSONAL_MONEY: Final = re.compile(
    r"(?:身家|身价|个人财富|持仓(?:市值|成本)?|持股市值|买入成本|浮盈|浮亏|账面盈利)"
    r"[^，,；;。:：\d]{0,8}$|net\s+worth\s+(?:of|at|to|is|was|reached|rose\s+to)?\s*$",
    re.I,
)


def _personal_money(fig: Figure, text: str) -> bool:
    """ "郭台铭的身家为105亿美元", "章建平持仓市值约为80亿元": a person's or an investor's money."""
    if not is_money(fig) or fig.is_change:
        return False
    a = fig.span[0]
    window = simplified(normalize(text[max(0, a - 24) : a]))
    return _PERSONAL_MONEY.search(window) is not None


# An amount right before 以下/以上/以内 and then 的: the bound of a class of things.
_BRACKET_AFTER: Final = re.compile(r"\s*(?:及|或)?\s*(?:以下|以上|以内|以內)\s*的")


def _bracket_bound(fig: Figure, text: str) -> bool:
    """ "20万元以下的小单": an amount that bounds a class (Chinese), not anybody's amount."""
    if fig.lang != "zh" or not is_money(fig) or fig.is_change:
        return False
    return _BRACKET_AFTER.match(text, fig.span[1], fig.span[1] + 8) is not None


# An analyst's call on the share price: a price target named right before the amount ("raised
# its price target to $825", "a target price of 150,000 won", "目标价上调至…"), or a percent
# said to be upside or downside ("potential 10%–15% downside", "20% upside", "upside of 30%").
_TARGET_BEFORE: Final = re.compile(
    r"(?:price[-\s]+(?:target|objective)s?|target[-\s]+price|\bPT\b|目标价|目標價)"
    r"[^.;:,，；。\d]{0,30}$",
    re.I,
)
_UPSIDE_AFTER: Final = re.compile(
    r"\s*(?:(?:potential|implied|further|more|additional)\s+)?(?:upside|downside)\b", re.I
)
_UPSIDE_BEFORE: Final = re.compile(
    r"\b(?:upside|downside)(?:\s+potential)?\s+(?:of|to)\s+(?:about\s+|around\s+|roughly\s+)?$",
    re.I,
)


def _share_price_call(fig: Figure, text: str) -> bool:
    """An analyst's price target or a share's upside or downside: a call on the stock, not a
    figure of the company (the move of the day, "shares fell 10%", stays)."""
    a, b = fig.span
    if is_money(fig) and not fig.is_change:
        window = simplified(normalize(text[max(0, a - 48) : a]))
        return _TARGET_BEFORE.search(window) is not None
    if fig.unit != "percent":
        return False
    return (
        _UPSIDE_AFTER.match(text, b, b + 32) is not None
        or _UPSIDE_BEFORE.search(text, max(0, a - 40), a) is not None
    )


def is_key(fig: Figure, figures: Sequence[Figure] = (), text: str | None = None) -> bool:
    """Whether ``fig`` (one of ``figures``, the figures of ``text``) is a key figure."""
    if fig.entity is None or fig.qualifier == "vague":
        return False
    if _per_unit(fig) or _money_step(fig, figures) or _part_of_whole(fig, text):
        return False
    if text is not None and (
        _share_of_whole(fig, text)
        or _said_in_words(fig, text)
        or _gap_to_expectations(fig, text)
        or _side_rate(fig, figures, text)
        or _club(fig, text)
        or _bond_price(fig, text)
        or _model_number(fig, text)
        or _restated(fig, figures, text)
        or _valuation_multiple(fig, text)
        or _bracket_bound(fig, text)
        or _personal_money(fig, text)
        or _share_price_call(fig, text)
        or _money_step_zh(fig, figures, text)
        or _intraday_moment_zh(fig, figures, text)
    ):
        return False
    if _intraday_extreme(fig, figures) or _said_with_its_period(fig, figures):
        return False
    return not _restated_threshold(fig, figures)


def _said_with_its_period(fig: Figure, figures: Sequence[Figure]) -> bool:
    """A figure without a period (a relative year left open: "明年狂砸140亿美元") that the same
    text states with one (the same company's line, kind and amount, "2026年…约140亿美元"): the
    dated mention says the fact, the open one is the same fact again."""
    if fig.period is not None or fig.is_change:
        return False
    amount = fig.usd_value if fig.usd_value is not None else fig.value
    for g in figures:
        if g is fig or g.period is None or g.is_change or g.entity != fig.entity:
            continue
        if g.kind != fig.kind or not _same_line(g.metric, fig.metric):
            continue
        other = g.usd_value if g.usd_value is not None else g.value
        same_unit = g.unit == fig.unit or (g.usd_value is not None and fig.usd_value is not None)
        if same_unit and amount and abs(other - amount) <= 0.01 * abs(amount):
            return True
    return False


def key_figures(figures: Sequence[Figure], text: str | None = None) -> list[Figure]:
    """The key figures of one text's ``figures`` (spans index ``text``), in order."""
    return [f for f in figures if is_key(f, figures, text)]
