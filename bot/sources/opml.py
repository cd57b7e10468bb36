"""OPML import and export of feed subscriptions (``briefbot feeds import FILE.opml``/``export``).

``parse_opml(data)`` reads every ``<outline xmlUrl=...>`` at any depth (categories are
flattened) with defusedxml, so a hostile file cannot expand entities or fetch DTDs. The name is
``title`` or ``text``; ``language`` (en/zh) and ``pollMinutes`` are Briefbot's own attributes and
optional. ``export_opml(feeds)`` writes OPML 2.0 that ``parse_opml`` and other readers accept.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import TYPE_CHECKING, Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from bot.errors import SourceError

if TYPE_CHECKING:
    from bot.store.feeds import FeedRepo

MAX_OPML_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class OpmlFeed:
    url: str
    name: str | None = None
    lang: str | None = None
    poll_minutes: int | None = None
    html_url: str | None = None


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # "url: reason"
    warnings: list[str] = field(default_factory=list)


def parse_opml(data: bytes) -> tuple[list[OpmlFeed], list[str]]:
    """Feeds in an OPML document, plus warnings; raises SourceError if it is not OPML."""
    if len(data) > MAX_OPML_BYTES:
        raise SourceError(f"OPML file larger than {MAX_OPML_BYTES // 1048576} MB")
    try:
        root = fromstring(data)
    except DefusedXmlException as e:
        raise SourceError(
            f"OPML refused: {type(e).__name__} (DTDs/entities are not allowed)"
        ) from e
    except ET.ParseError as e:
        raise SourceError(f"not a valid OPML/XML file: {e}") from e
    if root.tag.lower() != "opml":
        raise SourceError(f"not an OPML file (root element <{root.tag}>, expected <opml>)")
    feeds: list[OpmlFeed] = []
    warnings: list[str] = []
    seen: set[str] = set()
    for el in root.iter("outline"):
        url = (el.get("xmlUrl") or el.get("xmlurl") or "").strip()
        if not url:
            continue
        if url in seen:
            warnings.append(f"{url}: listed twice; imported once")
            continue
        seen.add(url)
        lang = (el.get("language") or "").strip().lower()[:2] or None
        if lang not in (None, "en", "zh"):
            warnings.append(f"{url}: language {lang!r} not supported; detected per entry")
            lang = None
        minutes = None
        raw_minutes = el.get("pollMinutes")
        if raw_minutes:
            try:
                minutes = max(1, int(raw_minutes))
            except ValueError:
                warnings.append(f"{url}: pollMinutes {raw_minutes!r} is not a number; ignored")
        name = (el.get("title") or el.get("text") or "").strip() or None
        if name == url:  # export writes the URL as text when a feed has no name
            name = None
        feeds.append(OpmlFeed(url, name, lang, minutes, (el.get("htmlUrl") or "").strip() or None))
    if not feeds:
        warnings.append("no feeds (outline elements with xmlUrl) in the OPML file")
    return feeds, warnings


def export_opml(
    feeds: Sequence[Any], *, title: str = "Briefbot feeds", now: datetime | None = None
) -> str:
    """OPML 2.0 for ``feeds`` (FeedRow or OpmlFeed: anything with url, name, lang,
    poll_minutes)."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = format_datetime(now or datetime.now(UTC))
    body = ET.SubElement(root, "body")
    for f in feeds:
        attrs = {"type": "rss", "text": f.name or f.url, "xmlUrl": f.url}
        if f.name:
            attrs["title"] = f.name
        if getattr(f, "lang", None):
            attrs["language"] = f.lang
        if getattr(f, "poll_minutes", None):
            attrs["pollMinutes"] = str(f.poll_minutes)
        ET.SubElement(body, "outline", attrs)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


async def import_feeds(
    repo: FeedRepo, feeds: Sequence[OpmlFeed], *, allow_private: bool
) -> ImportReport:
    """Add each feed (existing ones are left as they are); refusals do not stop the rest."""
    report = ImportReport()
    known = {f.url for f in await repo.list()}
    for f in feeds:
        if f.url in known:
            report.existing.append(f.url)
            continue
        try:
            await repo.add(f.url, f.name, f.lang, f.poll_minutes, allow_private=allow_private)
        except SourceError as e:
            report.refused.append(f"{f.url}: {e}")
            continue
        known.add(f.url)
        report.added.append(f.url)
    return report
