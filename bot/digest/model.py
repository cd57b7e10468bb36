"""Digest value objects: what ``select_digest`` returns and the renderers read (pure, frozen).

Plain frozen dataclasses (not pydantic): they are built and hashed once per personalised digest,
100,000 times a week, and hashing is what the renderers' memo caches key on.

    Digest
      period, lang (the language filter, None = all), fell_back (lang had no figures)
      lines   ranked DigestLine, at most max_lines     <- one line per *fact*
      groups  EntityGroup(entity, lines) in rank order  <- the lines after the top five, by entity
      top     the first five lines: the week's most important facts (bot.digest.rank), each
              with up to ``top_related`` more facts of the same company and report
      total   facts that matched before the max_lines cut
      chart   ChartBar per company: the period's capex in USD (for bot.digest.chart)
      still   facts first reported in an earlier week ("still in the news"), not in lines
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from datetime import datetime

from bot.models import Lang, Period

TOP_N = 5
_LANG_SUFFIX = re.compile(r"\s*\((?:en|zh)\)\s*$")


@dataclass(frozen=True, slots=True)
class Source:
    """One item that reported a fact."""

    item_id: str
    title: str
    url: str | None
    lang: Lang
    published: datetime
    sentence: str = ""
    outlet: str = ""  # the feed or archive the item came from (distinct outlets rank higher)

    @property
    def label(self) -> str:
        """The item title without the archive's "(en)"/"(zh)" suffix (the language is shown apart)."""
        return _LANG_SUFFIX.sub("", self.title).strip() or self.item_id


@dataclass(frozen=True, slots=True)
class SourceGroup:
    """Sources sharing a label (e.g. the English and Chinese halves of one briefing)."""

    label: str
    url: str | None
    langs: tuple[Lang, ...]


@dataclass(frozen=True, slots=True)
class DigestLine:
    """One fact: entity + metric + period + unit + value (within 1 %), with every source."""

    key: str
    entity: str | None
    metric: str
    value: float
    unit: str
    qualifier: str = "exact"
    period: str | None = None
    is_change: bool = False
    change_basis: str | None = None
    low: float | None = None
    previous: float | None = None
    conversion_value: float | None = None
    conversion_unit: str | None = None
    usd_value: float | None = None
    newest: datetime | None = None
    sources: tuple[Source, ...] = ()
    langs: frozenset[str] = frozenset()  # languages of the sources
    kind: str = "actual"  # actual | guidance | plan | estimate | aggregate | hypothetical
    entity_known: bool = True
    update_from: float | None = None  # the fact's earlier value when this one updates it
    update_from_low: float | None = None
    fact_id: int | None = None
    already: bool = False  # first reported in an earlier period ("still in the news")
    score: float = 0.0  # bot.digest.rank.importance
    mentions: int = 1  # distinct sentences that state it (over all its sources)
    lined: bool = True  # bot.digest.rank.earns_line: False = counted, never shown
    move: float | None = None  # a move of this level stated with it ("+34 %"): select.fold_moves
    move_basis: str | None = None
    said: frozenset[tuple[str, str]] = frozenset()  # (item id, sentence) of every mention
    lead: bool = False  # stated in an item's lead sentence (select.lead_sentences)
    related: tuple[DigestLine, ...] = ()  # a Top line's other facts of the same company and
    # report (select.top_first): "Baidu — revenue ¥31.2B (Q3 2025); profit -¥11.2B (Q3 2025)"

    @property
    def facts(self) -> tuple[DigestLine, ...]:
        """This line's fact and the related facts it also shows (each fact on one line)."""
        return (self, *self.related)

    @property
    def all_sources(self) -> tuple[Source, ...]:
        """The sources of every fact the line shows, each item once (this fact's first)."""
        if not self.related:
            return self.sources
        seen: dict[str, Source] = {}
        for ln in self.facts:
            for s in ln.sources:
                seen.setdefault(s.item_id, s)
        return tuple(seen.values())

    @property
    def outlets(self) -> int:
        """Distinct outlets (feeds/archives) that reported the fact."""
        return len({s.outlet or s.item_id for s in self.sources})

    @property
    def sentence(self) -> str:
        """The first source's sentence (context for a line whose metric is ``other``)."""
        return next((s.sentence for s in self.sources if s.sentence), "")

    @property
    def source_groups(self) -> tuple[SourceGroup, ...]:
        groups: dict[str, tuple[str | None, list[Lang]]] = {}
        for s in self.all_sources:
            url, langs = groups.setdefault(s.label, (s.url, []))
            if url is None and s.url:
                groups[s.label] = (s.url, langs)
            if s.lang not in langs:
                langs.append(s.lang)
        return tuple(SourceGroup(k, u, tuple(ls)) for k, (u, ls) in groups.items())

    @property
    def change_pct(self) -> float | None:
        """Percent change from ``previous`` to ``value`` (a level with a stated earlier value)."""
        if self.is_change or not self.previous:
            return None
        return (self.value - self.previous) / abs(self.previous) * 100.0


@dataclass(frozen=True, slots=True)
class EntityGroup:
    entity: str | None  # None: figures with no entity ("Other")
    lines: tuple[DigestLine, ...]
    industry: bool = False  # aggregates across companies share one "Industry" group


@dataclass(frozen=True, slots=True)
class ChartBar:
    entity: str
    usd_value: float
    period: str | None = None


@dataclass(frozen=True, slots=True)
class Digest:
    period: Period
    lines: tuple[DigestLine, ...] = ()
    groups: tuple[EntityGroup, ...] = ()
    total: int = 0
    lang: Lang | None = None
    fell_back: bool = False
    filtered: bool = False  # the subscriber's interests narrowed the selection
    chart: tuple[ChartBar, ...] = ()
    still: tuple[DigestLine, ...] = ()
    _hash: int = field(default=0, compare=False, repr=False)

    def __hash__(self) -> int:
        """Hashed once: the renderers' memo looks every personalised digest up by value."""
        h = self._hash
        if not h:
            h = hash(tuple(getattr(self, f.name) for f in fields(self) if f.compare)) or 1
            object.__setattr__(self, "_hash", h)
        return h

    @property
    def key(self) -> str:
        return f"digest:{self.period.key}"

    @property
    def top(self) -> tuple[DigestLine, ...]:
        return self.lines[:TOP_N]

    @property
    def has_chart(self) -> bool:
        return bool(self.chart)

    @property
    def shown(self) -> int:
        """Facts on the lines (a Top line may show related facts of its company too)."""
        return sum(1 + len(ln.related) for ln in self.lines)

    @property
    def omitted(self) -> int:
        return max(0, self.total - self.shown)

    @property
    def sources(self) -> tuple[Source, ...]:
        """Every distinct source behind the lines, oldest first."""
        seen: dict[str, Source] = {}
        for line in self.lines:
            for s in line.all_sources:
                seen.setdefault(s.item_id, s)
        return tuple(sorted(seen.values(), key=lambda s: (s.published, s.label, s.lang)))
