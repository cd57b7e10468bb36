"""Figure extraction: text in, :class:`bot.models.Figure` list out (pure; no network, DB or clock).

    from bot.extract import extract
    figs = extract(text, published=date(2026, 2, 4), rates={"CNY": 0.1385})

Pipeline: normalize (same length, so offsets hold) -> lay out segments/clauses/paragraphs ->
scan quantity mentions and merge ranges/moves/conversions/comparisons (:mod:`.mentions`) ->
for each mention read the words around it: qualifier and change (:mod:`.qualifiers`), entity
and metric (:mod:`.entities`), period (:mod:`.periods`) -> Figure.

Attribution rules (nearest wins, never crossing a segment unless said):

- entity: the nearest lexicon entity before the figure in its segment, else the first after
  it in its clause, else the nearest earlier one in its paragraph, else a capitalised subject
  (English) or a "...公司/集团" name (Chinese) before it in the segment; else None.
- metric: a metric word right after the figure ("$37.5 billion of quarterly capex", "10 million
  active users"), else the nearest one before it in its clause, then after it in its clause,
  then before it in its segment; else "other". A unit-less count whose metric is users gets
  unit "users".
- period: the nearest period in the clause, else in the segment, else (levels only) the
  nearest earlier one in the paragraph. Periods that belong to a merged ``previous`` ("up from
  $8.5 billion in 2025") are skipped. Formats: see :mod:`bot.extract.periods`.
- usd_value: the stated USD conversion, else ``rates[unit] * value`` (USD per unit), else None.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import Final

from bot.extract import qualifiers as ql
from bot.extract import wordscan
from bot.extract.entities import Lexicon, default_lexicon
from bot.extract.mentions import Mention, scan
from bot.extract.periods import PeriodMention, find_periods
from bot.extract.sentences import Layout, detect_lang, layout, normalize, segment_text
from bot.extract.textfold import fold
from bot.extract.units import resolve_yen
from bot.models import Conversion, Figure, Lang, Metric

__all__ = ["extract"]

_FOLLOW_METRIC: Final = re.compile(
    r"\s*(?:(?:of|in|on)\s+)?(?:(?:quarterly|annual|annualized|total|net|full-year|fiscal|new|"
    r"additional|its|their|fresh|planned|projected|expected|AI|cloud)\s+){0,2}",
    re.IGNORECASE,
)
_CAP_SUBJECT: Final = re.compile(
    r"(?<![A-Za-z0-9])[A-Z][A-Za-z0-9&\-]*(?:\.com)?(?:\s+[A-Z][A-Za-z0-9&\-]*){0,3}"
)
_ZH_SUBJECT: Final = re.compile(r"[\u4e00-\u9fff]{2,8}?(?:公司|集团|科技|银行|汽车|电子|控股|股份)")
_NOT_SUBJECTS: Final = frozenset(
    [
        "The",
        "A",
        "An",
        "In",
        "On",
        "At",
        "For",
        "But",
        "And",
        "Or",
        "Its",
        "It",
        "Their",
        "This",
        "That",
        "These",
        "Those",
        "Shares",
        "Stock",
        "Revenue",
        "Sales",
        "Profit",
        "Capex",
        "Net",
        "Investors",
        "Analysts",
        "Chinese",
        "China",
        "US",
        "U.S.",
        "UK",
        "Japan",
        "Japanese",
        "Korea",
        "Korean",
        "Taiwan",
        "Europe",
        "European",
        "America",
        "American",
        "Asia",
        "Wall",
        "Street",
        "Big",
        "Tech",
        "AI",
        "GPU",
        "GPUs",
        "GW",
        "MW",
        "EFLOPS",
        "PFLOPS",
        "NT",
        "HK",
        "RM",
        "CEO",
        "CFO",
        "Q1",
        "Q2",
        "Q3",
        "Q4",
        "H1",
        "H2",
        "FY",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "He",
        "She",
        "They",
        "We",
        "I",
        "Also",
        "Meanwhile",
        "However",
        "Still",
        "Yet",
        "Last",
        "Next",
        "Earlier",
        "Separately",
        "According",
        "Overall",
        "Total",
        "Group",
        "Inc",
        "Corp",
        "Co",
        "Ltd",
        "Reuters",
        "Bloomberg",
        "Nikkei",
        "Fiscal",
    ]
)
_OBJECT_BEFORE: Final = re.compile(
    r"(?:(?<![A-Za-z])(?:in|into|to|from|with|for|by|at|on|against|than|of)\s+|[向对给比较])\s*$",
    re.IGNORECASE,
)
# Twins without IGNORECASE (letters lower-cased) for the lower-cased text (see textfold).
_FOLLOW_METRIC_F: Final = re.compile(_FOLLOW_METRIC.pattern.replace("AI", "ai"))
_OBJECT_BEFORE_F: Final = re.compile(_OBJECT_BEFORE.pattern)
# The last character of every _OBJECT_BEFORE match once its trailing spaces are stripped: the
# last letter of one of its words (either case, for the IGNORECASE original) or a CJK marker.
_OBJECT_LAST: Final = frozenset("nomhrytfNOMHRYTF向对给比较")
_METRIC_UNITS: dict[str, frozenset[str]] = {
    "users": frozenset({"users", "count"}),
    "share_price": frozenset({"percent", "money"}),
}


def _unit_class(unit: str) -> str:
    if unit in ("percentage_points", "times"):
        return "percent"  # a margin's points, a multiple of revenue: the percent metrics
    return "money" if len(unit) == 3 and unit.isupper() else unit


# Units and counted nouns that are a metric of their own (what the figure measures).
_UNIT_METRICS: dict[str, Metric] = {"W": "power_capacity", "FLOPS": "compute_capacity"}
_NOUN_METRICS: dict[str, Metric] = {"GPUs": "gpus", "accelerators": "gpus"}


def _metric_fits(metric: str, unit: str) -> bool:
    allowed = _METRIC_UNITS.get(metric)
    if allowed is not None:
        return _unit_class(unit) in allowed
    return _unit_class(unit) in ("money", "percent")


@functools.lru_cache(maxsize=256)
def _fits(unit: str) -> Callable[[str], bool]:
    """``lambda label: _metric_fits(label, unit)`` as a table lookup (no Python call per label):
    labels with a unit rule of their own are in it; any other gets the unit's default."""
    default = _unit_class(unit) in ("money", "percent")
    table: defaultdict[str, bool] = defaultdict(
        lambda: default, {label: _metric_fits(label, unit) for label in _METRIC_UNITS}
    )
    return table.__getitem__


# Figure's own pydantic validator (what Figure(...) and Figure.model_validate run), called on
# a dict: it skips their Python wrappers, ~1 us per figure.
_validate_figure: Callable[[dict[str, object]], Figure] = (
    Figure.__pydantic_validator__.validate_python
)
_STEPS: Final = 12  # how many neighbours a lookup inspects; keeps each figure O(log n)


class _Index:
    """Sorted (start, end, label) spans with nearest-before / first-after lookups."""

    def __init__(self, spans: list[tuple[int, int, str]]) -> None:
        self.spans = spans
        self.starts = [s for s, _, _ in spans]

    def before(
        self, pos: int, lo: int, ok: Callable[[str], bool] | None = None
    ) -> tuple[int, int, str] | None:
        """Nearest span ending by ``pos`` and starting at or after ``lo`` whose label passes
        ``ok``, among the ``_STEPS`` spans starting last before ``pos``; else None."""
        spans = self.spans
        i = bisect.bisect_right(self.starts, pos) - 1
        stop = max(-1, i - _STEPS)
        while i > stop and spans[i][0] >= lo:
            span = spans[i]
            if span[1] <= pos and (ok is None or ok(span[2])):
                return span
            i -= 1
        return None

    def after(
        self, pos: int, hi: int, ok: Callable[[str], bool] | None = None
    ) -> tuple[int, int, str] | None:
        i = bisect.bisect_left(self.starts, pos)
        for span in self.spans[i : i + _STEPS]:
            if span[1] > hi:
                return None
            if ok is None or ok(span[2]):
                return span
        return None

    def starting_at(self, pos: int) -> tuple[int, int, str] | None:
        i = bisect.bisect_left(self.starts, pos)
        if i < len(self.spans) and self.starts[i] == pos:
            return self.spans[i]
        return None


def _skipped(p: PeriodMention, skip: list[tuple[int, int]]) -> bool:
    return any(a <= p.start and p.end <= b for a, b in skip)


class _Periods:
    def __init__(self, mentions: list[PeriodMention]) -> None:
        self.items = [p for p in mentions if p.value is not None]
        self.starts = [p.start for p in self.items]

    def nearest(
        self, start: int, end: int, lo: int, hi: int, skip: list[tuple[int, int]]
    ) -> str | None:
        """Value of the period closest to [start, end) within [lo, hi), skipping regions."""
        if not self.items:
            return None  # half the sentences with figures name no period: skip the searches
        i = bisect.bisect_left(self.starts, start)
        items = self.items
        # Plain loops (no generators): this runs up to three times per figure.
        before = None
        for k in range(i - 1, max(0, i - _STEPS) - 1, -1):
            p = items[k]
            if p.start >= lo and p.end <= start and not (skip and _skipped(p, skip)):
                before = p
                break
        after = None
        for k in range(i, min(len(items), i + _STEPS)):
            p = items[k]
            if p.start >= end and p.end <= hi and not (skip and _skipped(p, skip)):
                after = p
                break
        if before is None or (after is not None and after.start - end < start - before.end):
            return after.value if after else None
        return before.value

    def before(self, pos: int, lo: int, skip: list[tuple[int, int]]) -> str | None:
        if not self.items:
            return None
        i = bisect.bisect_right(self.starts, pos)
        for p in reversed(self.items[max(0, i - _STEPS) : i]):
            if p.start < lo:
                return None
            if p.end <= pos and not _skipped(p, skip):
                return p.value
        return None


def extract(
    text: str,
    *,
    published: dt.date | None = None,
    lang: Lang | None = None,
    rates: Mapping[str, float] | None = None,
    lexicon: Lexicon | None = None,
) -> list[Figure]:
    """Key figures in ``text`` in order of appearance (see the module docstring for the rules).

    ``lang`` None detects the language per sentence; ``rates`` maps ISO code -> USD per unit;
    ``published`` anchors relative periods; ``lexicon`` defaults to :func:`default_lexicon`.
    """
    if not text:
        return []
    lex = lexicon or default_lexicon()
    if isinstance(published, dt.datetime):
        published = published.date()
    norm = normalize(text)
    # One lower-cased copy for every step's case-insensitive matching (see textfold).
    folded = fold(norm)
    mentions = scan(norm, folded)
    if not mentions and not any(c in norm for c in "倍番斩斬半") and "oubl" not in norm:
        return []
    lay = layout(norm)
    # For ASCII text the lower-cased copy is the one find_metrics makes (only A-Z lowered), and
    # both lexicon lookups start from its words: one tokenizer pass.
    low = folded if folded is not None and norm.isascii() else None
    low_words = wordscan.words(low) if low is not None else None
    ents = _Index(lex.find_entities(norm, low, low_words))
    mets = _Index(lex.find_metrics(norm, low, low_words))
    periods = _Periods(find_periods(norm, published, folded))
    ctx = _Context(text, norm, folded, lay, ents, mets, periods, lang, rates or {})
    ctx.mention_starts = [m.start for m in mentions]
    figures = [ctx.figure(m) for m in mentions]
    # Mentions come in order of their (strictly increasing) starts: only the multiples, added
    # after them, can need a sort.
    extra = ctx.multiples(mentions)
    if extra:
        figures += extra
        figures.sort(key=lambda f: f.span)
    return figures


class _Context:
    def __init__(
        self,
        text: str,
        norm: str,
        folded: str | None,
        lay: Layout,
        ents: _Index,
        mets: _Index,
        periods: _Periods,
        lang: Lang | None,
        rates: Mapping[str, float],
    ) -> None:
        self.text, self.norm, self.lay = text, norm, lay
        self.ents, self.mets, self.periods = ents, mets, periods
        self.lang, self.rates = lang, rates
        self._seg_cache: dict[int, tuple[int, int, int, str, Lang]] = {}
        self.mention_starts: list[int] = []
        # Word lookups run on the lower-cased text with case-sensitive twins of their regexes.
        self.low_or_none = folded
        self.low, self.folded = (norm, False) if folded is None else (folded, True)
        self._follow_metric = _FOLLOW_METRIC_F if self.folded else _FOLLOW_METRIC
        self._object_before = _OBJECT_BEFORE_F if self.folded else _OBJECT_BEFORE

    def segment(self, pos: int) -> tuple[int, int, int, str, Lang]:
        """(index, start, end, sentence text, lang) of the segment holding ``pos``."""
        idx = self.lay.segment(pos)
        info = self._seg_cache.get(idx)
        if info is None:
            _, sent = segment_text(self.text, self.lay, idx)
            lang = self.lang or detect_lang(sent)
            info = (idx, self.lay.seg_starts[idx], self.lay.seg_ends[idx], sent, lang)
            self._seg_cache[idx] = info
        return info

    def entity(self, start: int, end: int, ss: int, se: int, ce: int) -> str | None:
        if not self.ents.spans:
            return self._fallback_subject(start, ss)  # no lexicon entity in the text
        hit = self._subject_before(start, ss) or self.ents.after(end, ce)
        if hit is None:
            ps, _ = self.lay.para_bounds(start)
            hit = self.ents.before(start, ps)
        if hit is not None:
            return hit[2]
        return self._fallback_subject(start, ss)

    def _subject_before(self, start: int, ss: int) -> tuple[int, int, str] | None:
        """Nearest entity before ``start`` in the segment, passing over objects ("向 OpenAI")."""
        nearest = None
        spans = self.ents.spans
        # The spans _Index.before looks at, nearest first (a plain loop: runs for every figure).
        i = bisect.bisect_right(self.ents.starts, start) - 1
        stop = max(-1, i - _STEPS)
        while i > stop and spans[i][0] >= ss:
            hit = spans[i]
            i -= 1
            if hit[1] > start:
                continue
            lo = max(ss, hit[0] - 8)
            if self.low[lo : hit[0]].rstrip()[-1:] not in _OBJECT_LAST or not (
                self._object_before.search(self.low, lo, hit[0])
            ):
                return hit
            nearest = nearest or hit
        return nearest

    def _fallback_subject(self, start: int, ss: int) -> str | None:
        best: str | None = None
        lo = max(ss, start - 300)
        for m in _CAP_SUBJECT.finditer(self.norm, lo, start):
            words = [w for w in m.group().split() if w not in _NOT_SUBJECTS]
            name = " ".join(words)
            if name.endswith("'s"):
                name = name[:-2]
            if len(name) > 1 and not name.isdigit():
                best = name
        if best is None:
            for z in _ZH_SUBJECT.finditer(self.norm, lo, start):
                best = z.group()
        return best

    def metric(self, m: Mention, unit: str, ss: int, cs: int, ce: int, is_change: bool) -> Metric:
        if unit == "users":
            return "users"
        if not self.mets.spans:
            return "other"  # no metric word in the text

        fits = _fits(unit)
        hit = None
        # A metric right after the figure starts in [m.end, ce]: without one there, skip the match.
        j = bisect.bisect_left(self.mets.starts, m.end)
        follows = j < len(self.mets.starts) and self.mets.starts[j] <= ce
        follow = self._follow_metric.match(self.low, m.end, ce) if follows else None
        if follow is not None:
            hit = self.mets.starting_at(follow.end())
            # "$37.5 billion of capex", "$96 billion revenue"; not "500 亿美元投入 AI" (a verb).
            if hit is not None and (not fits(hit[2]) or not self.norm[hit[0]].isascii()):
                hit = None
        # A metric word after the next number belongs to that number.
        i = bisect.bisect_right(self.mention_starts, m.end - 1)
        after_hi = min(ce, self.mention_starts[i]) if i < len(self.mention_starts) else ce
        hit = hit or self.mets.before(m.start, cs, fits) or self.mets.after(m.end, after_hi, fits)
        if hit is None and (is_change or unit != "percent"):
            # A level percentage ("a share of 15%") does not borrow a metric from other clauses.
            hit = self.mets.before(m.start, ss, fits)
        return hit[2] if hit else "other"  # type: ignore[return-value]

    def figure(self, m: Mention) -> Figure:
        _, ss, se, sentence, lang = self.segment(m.head)
        cs, ce = self.lay.clause_bounds(m.start)
        words, folded = self.low, self.folded
        qual, qstart, direction = ql.qualifier_and_change(
            words, m.start, m.end, cs, ce, folded=folded
        )
        if m.is_move or m.low is not None:
            # In "from A to as much as B" the qualifier belongs to B.
            hcs = self.lay.clause_bounds(m.head)[0]
            qual, _ = ql.qualifier(words, m.head, m.end, max(cs, hcs, m.start), ce, folded=folded)
        if m.is_move:
            direction = 0
        if m.qual is not None and (qual == "exact" or m.qual == "vague"):
            qual = m.qual  # type: ignore[assignment]
        unit = m.unit or "count"
        if unit == "¥":
            unit = resolve_yen(self.norm[ss:se], lang)
        value, low, previous = m.value, m.low, m.previous
        loss = direction == 0 and len(unit) == 3 and unit.isupper()
        if loss and ql.loss(words, qstart, m.end, cs, ce, folded=folded):
            value, low = -abs(value), (-abs(low) if low is not None else None)
            if previous is not None and m.is_move:
                previous = -abs(previous)  # "净亏损从 X 扩大至 Y": both are losses
        is_change = direction != 0 or (m.value < 0 and unit == "percent")
        if unit == "times":
            direction = 0  # "跌了3倍" is still 3 times: a multiple has no sign
        if direction < 0:
            value, low = -abs(value), (-abs(low) if low is not None else None)
        if low is not None and low > value:
            value, low = low, value  # "dropped 7-8%": -8 .. -7, the value is the upper end
        metric = self.metric(m, unit, ss, cs, ce, is_change)
        if metric == "users" and unit == "count":
            unit = "users"
        metric = _UNIT_METRICS.get(unit) or _NOUN_METRICS.get(m.noun or "") or metric
        basis = ql.change_basis(words, m.start, m.end, cs, se, folded=folded) if is_change else None
        period = None
        if self.periods.items:  # half the texts with figures name no period
            period = self.periods.nearest(m.start, m.end, cs, ce, m.consumed)
            if period is None:
                period = self.periods.nearest(m.start, m.end, ss, se, m.consumed)
            if period is None and not is_change:
                ps, _ = self.lay.para_bounds(m.start)
                period = self.periods.before(m.start, ps, m.consumed)
        # The model's validator on a dict: the same validation as Figure(...), with less overhead.
        return _validate_figure(
            {
                "entity": self.entity(m.start, m.end, ss, se, ce),
                "metric": metric,
                "value": value,
                "unit": unit,
                "qualifier": qual,
                "period": period,
                "is_change": is_change,
                "change_basis": basis,
                "low": low,
                "previous": previous,
                "conversion": m.conversion,
                "usd_value": self.usd(value, unit, m.conversion),
                "lang": lang,
                "span": (m.start, m.end),
                "sentence": sentence,
                "noun": m.noun if unit == "count" else None,
            }
        )

    def usd(self, value: float, unit: str, conversion: Conversion | None) -> float | None:
        if conversion is not None and conversion.unit == "USD":
            return conversion.value
        if unit == "USD":
            return value
        if not (len(unit) == 3 and unit.isupper()):
            return None
        rate = self.rates.get(unit)
        if rate is not None:
            return value * rate
        if conversion is not None and conversion.unit in self.rates:
            return conversion.value * self.rates[conversion.unit]
        return None

    def multiples(self, mentions: list[Mention]) -> list[Figure]:
        """ "doubled"/"翻倍" as a +100 % change, only in clauses that state no number."""
        out: list[Figure] = []
        found = ql.multiples(self.norm, self.low_or_none)
        if not found:
            return out  # most texts
        starts = [m.start for m in mentions]
        for start, end, pct in found:
            cs, ce = self.lay.clause_bounds(start)
            i = bisect.bisect_left(starts, cs)
            if i < len(starts) and starts[i] < ce:
                continue
            _, ss, se, sentence, lang = self.segment(start)
            qual, _ = ql.qualifier(self.low, start, end, cs, ce, folded=self.folded)
            fake = Mention(start, end, pct, pct, 1.0, "", "percent", head=start)
            out.append(
                _validate_figure(
                    {
                        "entity": self.entity(start, end, ss, se, ce),
                        "metric": self.metric(fake, "percent", ss, cs, ce, True),
                        "value": pct,
                        "unit": "percent",
                        "qualifier": qual,
                        "period": self.periods.nearest(start, end, cs, ce, [])
                        or self.periods.nearest(start, end, ss, se, []),
                        "is_change": True,
                        "change_basis": ql.change_basis(
                            self.low, start, end, cs, se, folded=self.folded
                        ),
                        "lang": lang,
                        "span": (start, end),
                        "sentence": sentence,
                    }
                )
            )
        return out
