"""Digest -> display strings for one language (pure). Templates only lay these out and escape them.

Everything here is plain, *unescaped* text; each template escapes for its own format (HTML
autoescape, the ``md`` filter for Markdown, nothing for plain text). Over-long names and titles
are cut here so no single line can outgrow a Telegram message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.digest import i18n
from bot.digest.i18n import t
from bot.digest.model import Digest, DigestLine
from bot.digest.numbers import format_amount
from bot.models import Lang
from bot.textsafe import one_line, safe_url

MAX_NAME = 80
MAX_LABEL = 160
MAX_PREHEADER = 150
MAX_SNIPPET = 140


def clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True, slots=True)
class SourceView:
    label: str
    url: str | None
    langs: str  # "EN, ZH" / "英文、中文" when the fact was reported in several languages, else ""

    @property
    def text(self) -> str:
        return f"{self.label} ({self.langs})" if self.langs else self.label


@dataclass(frozen=True, slots=True)
class LineView:
    entity: str
    head: str  # "capex up to" / "shares"
    arrow: str  # ▲ ▼ for changes
    amount: str  # "$135B" / "-10%"
    statement: str  # "capex up to $135B" / "shares ▼ -10%"
    details: str  # "≈ $23B, 2026" (shown in brackets)
    move: str  # "up 135% from $8.5B"
    text: str  # statement (details), move, update
    full: str  # entity — text
    sources_word: str
    sources: tuple[SourceView, ...]
    update: str = ""  # "raised from $85B" when the fact updates an earlier one
    snippet: str = ""  # a short quote of the sentence (lines whose metric is "other"), shown
    # after the sources: "source: Reuters — “Amazon will buy …”"

    @property
    def quote(self) -> str:
        return f"“{self.snippet}”" if self.snippet else ""

    @property
    def sources_text(self) -> str:
        text = "; ".join(s.text for s in self.sources)
        return f"{text} — {self.quote}" if self.snippet else text


@dataclass(frozen=True, slots=True)
class GroupView:
    entity: str
    lines: tuple[LineView, ...]


@dataclass(frozen=True, slots=True)
class DigestView:
    lang: Lang
    period: str
    count: int  # lines shown
    title: str
    subtitle: str
    preheader: str
    top: tuple[LineView, ...]  # empty when the digest has no more lines than that
    groups: tuple[GroupView, ...]
    still: str  # one "still in the news" line for facts reported before, "" when none
    notes: tuple[str, ...]
    empty: str  # the "nothing this week" sentence, "" when there are lines
    has_chart: bool
    s: dict[str, str]  # the catalog for the language (labels used by templates)


def _amount(v: float, unit: str, lang: Lang, *, change: bool = False) -> str:
    return format_amount(v, unit, lang, change=change)


def line_view(ln: DigestLine, lang: Lang) -> LineView:
    """The display strings of a line; a Top line's related facts (``DigestLine.related``) follow
    its own as clauses ("revenue ¥31.2B (Q3 2025); profit -¥11.2B (Q3 2025)") and their sources
    join its sources."""
    view = _fact_view(ln, lang)
    if not ln.related:
        return view
    sep = "；" if lang == "zh" else "; "
    text = sep.join([view.text, *(_fact_view(r, lang).text for r in ln.related)])
    return replace(view, text=text, full=f"{view.entity} — {text}")


def _fact_view(ln: DigestLine, lang: Lang) -> LineView:
    zh = lang == "zh"
    entity = clip(ln.entity, MAX_NAME) if ln.entity else t(lang, "other")
    metric = i18n.metric_word(lang, ln.metric)
    qual = i18n.qualifier_word(lang, ln.qualifier)
    arrow = ""
    if ln.is_change:
        arrow = "▲" if ln.value > 0 else ("▼" if ln.value < 0 else "")
        amount = _amount(ln.value, ln.unit, lang, change=True)
        head = metric
    else:
        amount = _amount(ln.value, ln.unit, lang)
        if ln.low is not None and ln.low < ln.value:
            sep = " 至 " if zh else "–"
            amount = f"{_amount(ln.low, ln.unit, lang)}{sep}{amount}"
            qual = ""
        word = "" if (ln.metric == "users" and ln.unit == "users") else metric
        if ln.kind in ("guidance", "plan") and ln.metric != "other":
            word = f"{word}{'' if zh else ' '}{t(lang, ln.kind)}"
        head = ("" if zh else " ").join(p for p in (word, qual) if p)
    if ln.kind in ("estimate", "hypothetical"):
        head = f"{t(lang, 'estimate')}{'' if zh else ' '}{head}"
    statement = " ".join(p for p in (head, arrow, amount) if p)
    details: list[str] = []
    if ln.conversion_value is not None and ln.conversion_unit and ln.conversion_unit != ln.unit:
        conv = _amount(ln.conversion_value, ln.conversion_unit, lang)
        details.append(f"约 {conv}" if zh else f"≈ {conv}")
    if ln.is_change and (basis := i18n.basis_word(lang, ln.change_basis)):
        details.append(basis)
    if p := i18n.period_label(lang, ln.period):
        details.append(p)
    move = ""
    pct = ln.change_pct
    if pct is not None and ln.previous is not None:
        prev = _amount(ln.previous, ln.unit, lang)
        size = format_amount(
            round(abs(pct)) if abs(pct) >= 10 else abs(pct), "percent", lang, change=False
        )
        if zh:
            move = f"较 {prev}{'增长' if pct >= 0 else '下降'} {size}"
        else:
            move = f"{'up' if pct >= 0 else 'down'} {size} from {prev}"
    if not move and ln.move is not None:  # a move stated with the level (select.fold_moves)
        size = _amount(abs(ln.move), "percent", lang)
        basis = i18n.basis_word(lang, ln.move_basis)
        if zh:
            move = f"{basis}{'增长' if ln.move >= 0 else '下降'} {size}"
        else:
            move = " ".join(p for p in ("up" if ln.move >= 0 else "down", size, basis) if p)
    update = ""
    if ln.update_from is not None:
        prev = _amount(ln.update_from, ln.unit, lang, change=ln.is_change)
        if ln.update_from_low is not None and ln.update_from_low < ln.update_from:
            low = _amount(ln.update_from_low, ln.unit, lang, change=ln.is_change)
            prev = f"{low}{' 至 ' if zh else '–'}{prev}"
        key = "raised_from" if ln.value > ln.update_from else "cut_from"
        update = t(lang, key, prev=prev)
        if ln.previous is not None and abs(ln.previous - ln.update_from) <= 0.01 * abs(
            ln.update_from
        ):
            move = ""  # the sentence's own "from" says the same
    detail_text = ("," if zh else ", ").join(details)
    text = statement
    if detail_text:
        text += f"({detail_text})" if zh else f" ({detail_text})"
    if move:
        text += f",{move}" if zh else f", {move}"
    if update:
        text += f",{update}" if zh else f", {update}"
    snippet = ""
    if ln.metric == "other" and ln.sentence:  # shown with the sources: it is what they said
        snippet = clip(one_line(ln.sentence), MAX_SNIPPET)
    multi = len({s.lang for s in ln.all_sources}) > 1
    sources = tuple(
        SourceView(
            label=clip(g.label, MAX_LABEL),
            url=safe_url(g.url),
            langs=(", " if lang == "en" else "、").join(
                i18n.LANG_LABEL[lang].get(x, x)
                for x in sorted(g.langs, key=lambda x: (x != lang, x))  # the reader's first
            )
            if multi
            else "",
        )
        for g in ln.source_groups
    )
    return LineView(
        entity=entity,
        head=head,
        arrow=arrow,
        amount=amount,
        statement=statement,
        details=detail_text,
        move=move,
        text=text,
        full=f"{entity} — {text}",
        sources_word=t(lang, "sources" if len(sources) > 1 else "source"),
        sources=sources,
        update=update,
        snippet=snippet,
    )


def digest_view(
    d: Digest, lang: Lang, *, line: Callable[[DigestLine, Lang], LineView] = line_view
) -> DigestView:
    """The display strings of ``d``; ``line`` builds each line's (a memoized one, in Renderer)."""
    views = {id(ln): line(ln, lang) for ln in d.lines}
    groups = tuple(
        GroupView(
            entity=t(lang, "industry")
            if g.industry
            else (clip(g.entity, MAX_NAME) if g.entity else t(lang, "other")),
            lines=tuple(views[id(ln)] for ln in g.lines),
        )
        for g in d.groups
    )
    first = tuple(views[id(ln)] for ln in d.top)
    top = first  # the rest are in the groups: every fact is on exactly one line
    still = ""
    if d.still:
        sep = ";" if lang == "zh" else "; "
        items = sep.join(
            clip(f"{v.entity} {v.statement}", MAX_NAME) for v in (line(x, lang) for x in d.still)
        )
        still = t(lang, "still", items=items)
    notes: list[str] = []
    if d.fell_back:
        notes.append(t(lang, "fell_back"))
    if d.omitted:
        notes.append(i18n.plural(lang, "omitted", d.omitted))
    empty = "" if d.lines else t(lang, "empty_filtered" if d.filtered else "empty")
    title = i18n.headline(lang, d.period, d.shown)
    pre_sep = ";" if lang == "zh" else " · "
    preheader = clip(pre_sep.join(v.full for v in first), MAX_PREHEADER) if first else empty
    return DigestView(
        lang=lang,
        period=d.period.key,
        count=d.shown,
        title=title,
        subtitle=i18n.date_range(lang, d.period.start(), d.period.end()),
        preheader=preheader,
        top=top,
        groups=groups,
        still=still,
        notes=tuple(notes),
        empty=empty,
        has_chart=d.has_chart,
        s=i18n.CATALOG.get(lang, i18n.CATALOG["en"]),
    )
