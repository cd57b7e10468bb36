"""The published digests as the web shows them: the files in ``digests/`` and an Atom feed.

Reads only what ``bot.digest.archive.write_archive`` wrote (``<period>.html``, ``.md``, ``.png``);
a period name is checked against ``YYYY-Www`` before it ever becomes a path.
"""

from __future__ import annotations

import contextlib
import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bot.models import Period

_PERIOD = re.compile(r"^\d{4}-W\d{2}$")
_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.DOTALL | re.IGNORECASE)
_TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL | re.IGNORECASE)
_COUNT = re.compile(r'<meta name="briefbot-figures" content="(\d+)">')
_NAV = re.compile(r"<nav>.*?</nav>", re.DOTALL)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
ATOM = "http://www.w3.org/2005/Atom"
FEED_ENTRIES = 20


@dataclass(frozen=True)
class Published:
    period: Period
    html_path: Path
    updated: datetime
    title: str
    figures: int
    has_chart: bool

    @property
    def key(self) -> str:
        return self.period.key


def valid_period(text: str) -> Period | None:
    if not _PERIOD.match(text):
        return None
    try:
        return Period.parse(text)
    except ValueError:
        return None


def _unescape_title(raw: str) -> str:
    return _NOT_XML.sub("", html.unescape(" ".join(raw.split())))


def published(folder: Path) -> list[Published]:
    """Every digest page in ``folder``, newest period first."""
    out = []
    try:
        paths = sorted(folder.glob("*.html"))
    except OSError:
        return []
    for p in paths:
        period = valid_period(p.stem)
        if period is None:
            continue
        try:
            head = p.read_text(encoding="utf-8", errors="replace")[:4096]
            mtime = p.stat().st_mtime
        except OSError:
            continue
        title = _TITLE.search(head)
        count = _COUNT.search(head)
        out.append(
            Published(
                period=period,
                html_path=p,
                updated=datetime.fromtimestamp(int(mtime), UTC),
                title=_unescape_title(title.group(1)) if title else f"Briefbot {period.key}",
                figures=int(count.group(1)) if count else 0,
                has_chart=(folder / f"{period.key}.png").is_file(),
            )
        )
    out.sort(key=lambda d: (d.period.year, d.period.week), reverse=True)
    return out


def file_for(folder: Path, name: str, suffix: str) -> Path | None:
    """``folder/<name><suffix>`` when ``name`` is a period and the file exists, else None."""
    if valid_period(name) is None:
        return None
    p = folder / f"{name}{suffix}"
    return p if p.is_file() else None


def _content(d: Published, base: str) -> str:
    """The digest page's body (without its archive navigation), image links made absolute."""
    text = d.html_path.read_text(encoding="utf-8", errors="replace")
    m = _BODY.search(text)
    body = _NAV.sub("", m.group(1) if m else text)
    body = body.replace(f'src="{d.key}.png"', f'src="{base}/digests/{d.key}.png"')
    return _NOT_XML.sub("", body)


def atom_feed(items: list[Published], public_url: str, now: datetime) -> bytes:
    """An Atom 1.0 document of the newest digests (RFC 4287: id, title, updated, author, link)."""
    base = public_url.rstrip("/")
    ET.register_namespace("", ATOM)

    def el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        e = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            e.text = text
        return e

    feed = ET.Element(f"{{{ATOM}}}feed")
    el(feed, "id", f"{base}/feed.xml")
    el(feed, "title", "Briefbot digests")
    el(feed, "subtitle", "Key financial figures from the news, every week.")
    newest = max((d.updated for d in items), default=now)
    el(feed, "updated", newest.isoformat().replace("+00:00", "Z"))
    el(el(feed, "author"), "name", "Briefbot")
    el(feed, "link", rel="self", type="application/atom+xml", href=f"{base}/feed.xml")
    el(feed, "link", rel="alternate", type="text/html", href=f"{base}/digests/")
    el(feed, "generator", "Briefbot")
    for d in items[:FEED_ENTRIES]:
        entry = el(feed, "entry")
        el(entry, "id", f"{base}/digests/{d.key}")
        el(entry, "title", d.title)
        el(entry, "updated", d.updated.isoformat().replace("+00:00", "Z"))
        el(entry, "link", rel="alternate", type="text/html", href=f"{base}/digests/{d.key}")
        el(entry, "summary", f"{d.title} — {d.figures} figures.")
        with contextlib.suppress(OSError):  # a file removed meanwhile: the entry has no content
            el(entry, "content", _content(d, base), type="html")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
