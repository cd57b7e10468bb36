"""Feed documents -> Items (pure: bytes + response headers + base URL in, values out).

``parse_feed(data, headers, base_url, feed_key=..., fetched_at=...)`` does, in order:

1. ``guard.decode_document``: the real charset (GB2312/GBK/Big5/ISO-8859-1, declared or not, or
   declared wrongly) -> UTF-8 bytes;
2. ``guard.check_xml``: entity bombs are defused, absurd nesting is cut;
3. a fast path for well-formed RSS 0.91/0.92/2.0, RSS 1.0/0.90 (RDF) and Atom 1.0 on the C
   expat parser (xml.etree); anything else -- ill-formed ("bozo") documents, Atom 0.3, XHTML
   content, DOCTYPEs, unknown roots -- goes to feedparser, which recovers what it can. A bozo
   feed keeps whatever entries feedparser recovered, and the problem becomes a warning;
4. one ``Item`` per entry. Identity: guid -> link -> hash of title + date + summary, scoped by
   ``feed_key`` (so a feed that reorders or republishes maps to the same ids). ``content_hash``
   covers title and text only, so a republished entry with a new date is unchanged while an
   edited one is "changed". HTML becomes plain text via ``html_text.html_to_text`` (title first,
   then the body's paragraphs); ``sanitize_html`` keeps an allow-listed copy for display.
   Relative links resolve against xml:base / the document URL. Entries without a date get
   ``fetched_at`` with ``date_is_fallback=True``.
"""

from __future__ import annotations

import calendar
import functools
import hashlib
import html
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

from bot.lang import detect_lang
from bot.models import Item, Lang, stable_id
from bot.sources.guard import MAX_DEPTH, check_xml, decode_document
from bot.sources.html_text import html_to_text, paragraphs, plain_to_text
from bot.sources.textclean import clean_text, repair_mojibake

try:  # feedparser's guess (RSS titles): close tags or entities, all of known HTML; guarded.
    from feedparser.mixin import _FeedParserMixin

    _fp_looks_like_html = _FeedParserMixin.looks_like_html
except (ImportError, AttributeError):  # pragma: no cover
    _fp_looks_like_html = None

# feedparser's own date handlers (a private API, so guarded), in the order _date_slow tries them.
_DATE_HANDLERS: list[Callable[[str], Any]] = []
try:
    from feedparser import datetimes as _fpdt

    _DATE_HANDLERS = [
        getattr(_fpdt, name)
        for name in (
            "_parse_date_rfc822",
            "_parse_date_w3dtf",
            "_parse_date_asctime",
            "_parse_date_perforce",
            "_parse_date_greek",
            "_parse_date_hungarian",
            "_parse_date_nate",
            "_parse_date_onblog",
            "_parse_date_iso8601",
        )
        if hasattr(_fpdt, name)
    ]
except ImportError:  # pragma: no cover
    pass

NS_ATOM = "http://www.w3.org/2005/Atom"
NS_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
NS_RSS1 = "http://purl.org/rss/1.0/"
NS_RSS090 = "http://my.netscape.com/rdf/simple/0.9/"
NS_CONTENT = "http://purl.org/rss/1.0/modules/content/"
NS_DC = "http://purl.org/dc/elements/1.1/"
NS_DCTERMS = "http://purl.org/dc/terms/"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
_LOOKS_HTML = re.compile(r"</?[A-Za-z][^>]*>|&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+);")
_WS = re.compile(r"\s+")
NS_MEDIA = "http://search.yahoo.com/mrss/"
NS_ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
# C1 control characters are nearly always windows-1252 punctuation in disguise ("don\x92t").
_C1 = {i: bytes([i]).decode("cp1252", "ignore") or None for i in range(0x80, 0xA0)}
_HAS_C1 = re.compile("[\x80-\x9f]")
# An absolute http(s) URL that urljoin() and urlsplit() give back unchanged: lower-case scheme,
# a plain ASCII host[:port], a path without ";" (params), a non-empty query and fragment if any.
_PLAIN_URL = re.compile(
    r"https?://[A-Za-z0-9._:-]+"
    r"(?:/[!\"$-:<->@-~]*)?"  # printable ASCII but "#", ";", "?"
    r"(?:\?[!\"$-~]+)?"  # printable ASCII but "#"
    r"(?:#[!-~]+)?\Z"
)
# RFC 822 dates as nearly every feed writes them: "Mon, 02 Feb 2026 12:00:00 GMT" / "+0800".
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}
_RFC822 = re.compile(
    r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), ([0-9]{1,2}) "
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([1-9][0-9]{3}) "
    r"([0-9]{2}):([0-9]{2}):([0-9]{2}) (?:(GMT|UTC|UT|Z)|([+-])([0-9]{2})([0-5][0-9]))\Z"
)


# ---- values -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedEntry:
    """One entry, normalized. ``item`` is what the store keeps; ``html`` is for display."""

    item: Item
    identity: str  # "guid:<guid>" | "link:<url>" | "hash:<hex>"
    html: str | None = None


@dataclass
class ParsedFeed:
    title: str = ""
    link: str | None = None
    version: str = ""
    encoding: str = ""
    entries: list[FeedEntry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None  # the document gave nothing usable (refused, not a feed)
    bozo: bool = False
    fast_path: bool = False
    # With ``parse_feed(..., keep_plain=True)``: each entry's own title and body as plain text
    # (for comparing with feedparser), in the order of ``entries``.
    plain: list[tuple[str, str]] = field(default_factory=list)

    @property
    def items(self) -> list[Item]:
        return [e.item for e in self.entries]


@dataclass
class _Raw:
    """An entry as read from either parser, before normalization."""

    guid: str | None = None
    link: str | None = None
    title: str = ""
    title_html: bool = False
    body: str = ""
    body_html: bool = True
    published: datetime | None = None
    base: str = ""


class _Fallback(Exception):
    """The fast path does not handle this document; use feedparser."""


class _TooDeep(Exception):
    """The document nests deeper than ``guard.MAX_DEPTH``."""


# ---- entry point ------------------------------------------------------------------------------


def parse_feed(
    data: bytes,
    headers: Mapping[str, str] | None,
    base_url: str,
    *,
    feed_key: str,
    fetched_at: datetime,
    source: str | None = None,
    lang: Lang | None = None,
    want_html: bool = False,
    keep_plain: bool = False,
) -> ParsedFeed:
    """Entries of one feed document; never raises for content, only reports."""
    out = ParsedFeed()
    decoded = decode_document(data, headers)
    out.encoding = decoded.encoding
    out.warnings.extend(decoded.warnings)
    # Entity declarations are defused first (cheap: only the prolog is read). The depth scan
    # is only needed before feedparser: expat builds even a very deep tree iteratively in C,
    # and the fast path hands any markup inside a field to feedparser.
    checked = check_xml(decoded.data, max_depth=None)
    out.warnings.extend(checked.warnings)
    raws: list[_Raw] | None = None
    data = checked.data
    if b"<!DOCTYPE" not in data[:4096]:  # an entity-free one is left; expat would balk at it
        try:
            raws = _fast(data, base_url, out)
            out.fast_path = True
        except Exception:  # _Fallback, _TooDeep, expat errors, anything odd: feedparser decides
            raws = None
    if raws is None:
        out.fast_path = False
        deep = check_xml(data)
        out.warnings.extend(deep.warnings)
        raws = _with_feedparser(deep.data, headers, base_url, out)
    if out.error:
        return out
    seen: set[str] = set()
    src = source or f"feed:{base_url}"
    for raw in raws:
        try:
            entry = _entry(raw, feed_key, src, fetched_at, lang, want_html)
        except ValueError as e:  # pydantic's ValidationError included
            out.warnings.append(f"entry skipped: {str(e).splitlines()[0][:200]}")
            continue
        if not entry.item.url and entry.item.title == _UNTITLED:
            out.warnings.append(f"entry {raw.guid or ''} has no title, text or link; kept")
        if entry.item.id in seen:
            out.warnings.append(f"duplicate entry id {entry.identity[:80]!r}; kept the first")
            continue
        seen.add(entry.item.id)
        out.entries.append(entry)
        if keep_plain:
            out.plain.append((_clean(raw.title, raw.title_html), _plain(raw.body, raw.body_html)))
    return out


# ---- fast path (well-formed RSS 2.0 / RDF / Atom 1.0 on expat) ----------------------------------


def _text(el: ET.Element | None) -> str:
    if el is None:
        return ""
    if len(el):
        raise _Fallback  # markup inside a text field (e.g. XHTML): feedparser knows it
    return el.text or ""


def _base(el: ET.Element, inherited: str) -> str:
    b = el.get(XML_BASE)
    return urljoin(inherited, b.strip()) if b else inherited


def _expat_tree(data: bytes) -> ET.Element:
    """The document's tree, refusing it (``_TooDeep``) as soon as it nests too deep, so a
    nesting bomb costs neither the time nor the memory of building its tree."""
    parser: Any = ET.XMLPullParser(events=("start", "end"))
    root: ET.Element | None = None
    depth = 0
    for at in range(0, len(data) or 1, 1 << 16):
        parser.feed(data[at : at + (1 << 16)])
        for event, el in parser.read_events():
            if event == "start":
                depth += 1
                if depth > MAX_DEPTH:
                    raise _TooDeep
                if root is None:
                    root = el
            else:
                depth -= 1
    parser.close()
    if root is None:
        raise _Fallback
    return root


# The item/entry children the fast path reads exactly as feedparser does, or that feedparser
# maps to nothing Briefbot keeps, with the attributes allowed on them. Anything else in an entry
# (xhtml:body, fullitem, dc:title, media:title, itunes:summary, base64 content, ...) sends the
# document to feedparser: the fast path is only a speed-up, never a different reading.
_XMLA = {XML_BASE, "{http://www.w3.org/XML/1998/namespace}lang"}
_HARMLESS = {
    "category": {"domain"},
    "author": set(),
    f"{{{NS_DC}}}creator": set(),
    f"{{{NS_DC}}}subject": set(),
    "comments": set(),
    "enclosure": {"url", "length", "type"},
    "{http://wellformedweb.org/CommentAPI/}commentRss": set(),
    "{http://purl.org/rss/1.0/modules/slash/}comments": set(),
}
_ONCE = {
    "title": set(),
    "link": set(),
    "guid": {"isPermaLink"},
    "description": set(),
    "pubDate": set(),
    f"{{{NS_CONTENT}}}encoded": set(),
    f"{{{NS_DC}}}date": set(),
}
_RSS_CHILDREN = {**_HARMLESS, **_ONCE}
_RDF_CHILDREN: dict[str, set[str]] = {
    **_HARMLESS,
    f"{{{NS_CONTENT}}}encoded": set(),
    f"{{{NS_DC}}}date": set(),
    **{
        f"{{{ns}}}{t}": set()
        for ns in (NS_RSS1, NS_RSS090)
        for t in ("title", "link", "description")
    },
}
_A = f"{{{NS_ATOM}}}"
_ATOM_CHILDREN = {
    f"{_A}id": set(),
    f"{_A}title": {"type"},
    f"{_A}link": {"rel", "href", "type", "title", "hreflang", "length"},
    f"{_A}content": {"type"},
    f"{_A}summary": {"type"},
    f"{_A}published": set(),
    f"{_A}updated": set(),
    f"{_A}author": set(),
    f"{_A}contributor": set(),
    f"{_A}category": {"term", "scheme", "label"},
}
_REPEATABLE = {
    "category",
    f"{{{NS_DC}}}subject",
    f"{_A}link",
    f"{_A}author",
    f"{_A}contributor",
    f"{_A}category",
}


_PERSONS = {f"{_A}author", f"{_A}contributor"}


def _understood(el: ET.Element, allowed: dict[str, set[str]]) -> None:
    """Raise ``_Fallback`` unless every child of this entry is one the fast path knows."""
    seen: set[str] = set()
    for child in el:
        tag = child.tag
        attrs = allowed.get(tag) if isinstance(tag, str) else None
        if attrs is None or (tag in seen and tag not in _REPEATABLE):
            raise _Fallback
        if len(child) and tag not in _PERSONS:
            raise _Fallback
        seen.add(tag)
        for a in child.attrib:
            if a not in attrs and a not in _XMLA:
                raise _Fallback


def _fast(data: bytes, base_url: str, out: ParsedFeed) -> list[_Raw]:
    root = _expat_tree(data)
    tag = root.tag
    if tag == "rss":
        channel = root.find("channel")
        if channel is None:
            raise _Fallback
        v = (root.get("version") or "").strip()
        out.version = {"2.0": "rss20", "0.91": "rss091u", "0.92": "rss092"}.get(v, "rss")
        base = _base(channel, _base(root, base_url))
        out.title = _clean(_text(channel.find("title")))
        out.link = _link(_text(channel.find("link")), base)
        return [_rss_item(it, _base(it, base)) for it in channel.iter("item")]
    if tag == f"{{{NS_RDF}}}RDF":
        for ns, version in ((NS_RSS1, "rss10"), (NS_RSS090, "rss090")):
            channel = root.find(f"{{{ns}}}channel")
            items = root.findall(f"{{{ns}}}item")
            if channel is not None or items:
                out.version = version
                base_url = _base(root, base_url)
                if channel is not None:
                    out.title = _clean(_text(channel.find(f"{{{ns}}}title")))
                    out.link = _link(_text(channel.find(f"{{{ns}}}link")), base_url)
                return [_rdf_item(it, ns, base_url) for it in items]
        raise _Fallback
    if tag == f"{{{NS_ATOM}}}feed":
        out.version = "atom10"
        base = _base(root, base_url)
        title = root.find(f"{{{NS_ATOM}}}title")
        out.title = _clean(_atom_text(title)[0]) if title is not None else ""
        out.link = _atom_link(root, base)
        return [_atom_entry(e, base) for e in root.findall(f"{{{NS_ATOM}}}entry")]
    raise _Fallback


def _rss_item(it: ET.Element, base: str) -> _Raw:
    _understood(it, _RSS_CHILDREN)
    raw = _Raw(base=base)
    guid_el = it.find("guid")
    raw.guid = _text(guid_el).strip() or None
    raw.link = _link(_text(it.find("link")), base)
    if not raw.link and raw.guid and guid_el is not None:
        permalink = (guid_el.get("isPermaLink") or "true").strip().lower() != "false"
        if permalink and raw.guid.startswith(("http://", "https://")):
            raw.link = raw.guid
    raw.title = _text(it.find("title"))
    raw.title_html = _looks_html(raw.title)
    content = _text(it.find(f"{{{NS_CONTENT}}}encoded"))
    raw.body = content if content.strip() else _text(it.find("description"))
    raw.published = _date(_text(it.find("pubDate")) or _text(it.find(f"{{{NS_DC}}}date")))
    return raw


def _rdf_item(it: ET.Element, ns: str, base: str) -> _Raw:
    _understood(it, _RDF_CHILDREN)
    raw = _Raw(base=base)
    about = it.get(f"{{{NS_RDF}}}about")
    raw.guid = about.strip() if about and about.strip() else None
    raw.link = _link(_text(it.find(f"{{{ns}}}link")), base)
    raw.title = _text(it.find(f"{{{ns}}}title"))
    raw.title_html = _looks_html(raw.title)
    content = _text(it.find(f"{{{NS_CONTENT}}}encoded"))
    raw.body = content if content.strip() else _text(it.find(f"{{{ns}}}description"))
    raw.published = _date(_text(it.find(f"{{{NS_DC}}}date")))
    return raw


def _atom_text(el: ET.Element) -> tuple[str, bool]:
    kind = (el.get("type") or "text").strip().lower()
    if kind not in ("text", "html", "text/html", "text/plain") or len(el):
        raise _Fallback  # xhtml, base64 or other media types: feedparser decodes them
    return el.text or "", kind in ("html", "text/html")


def _atom_link(el: ET.Element, base: str) -> str | None:
    links = el.findall(f"{{{NS_ATOM}}}link")
    for ln in links:
        href = ln.get("href") or (ln.text or "").strip()  # feedparser reads a bare one too
        if (ln.get("rel") or "alternate").strip() == "alternate" and href:
            return _link(href, _base(ln, base))
    return None


def _atom_entry(e: ET.Element, base: str) -> _Raw:
    _understood(e, _ATOM_CHILDREN)
    base = _base(e, base)
    raw = _Raw(base=base)
    raw.guid = _text(e.find(f"{{{NS_ATOM}}}id")).strip() or None
    raw.link = _atom_link(e, base)
    if not raw.link and raw.guid and raw.guid[:8].lower().startswith(("http://", "https://")):
        raw.link = _link(raw.guid, "")  # as feedparser reads an Atom id that is a URL
    title = e.find(f"{{{NS_ATOM}}}title")
    if title is not None:
        raw.title, raw.title_html = _atom_text(title)
    for name in ("content", "summary"):
        el = e.find(f"{{{NS_ATOM}}}{name}")
        if el is not None:
            body, is_html = _atom_text(el)
            if body.strip():
                raw.body, raw.body_html, raw.base = body, is_html, _base(el, base)
                break
    raw.published = _date(
        _text(e.find(f"{{{NS_ATOM}}}published")) or _text(e.find(f"{{{NS_ATOM}}}updated"))
    )
    return raw


# ---- feedparser path --------------------------------------------------------------------------


def _with_feedparser(
    data: bytes, headers: Mapping[str, str] | None, base_url: str, out: ParsedFeed
) -> list[_Raw]:
    fp_headers = {k.lower(): v for k, v in (headers or {}).items()}
    fp_headers["content-type"] = "application/xml; charset=utf-8"  # decoded above
    # No base for feedparser: it would resolve a relative guid into a URL (and so change the
    # entry's identity when the feed moves). Links are resolved below against ``base_url``.
    for h in ("content-location", "content-encoding"):
        fp_headers.pop(h, None)
    try:
        d: Any = feedparser.parse(
            io.BytesIO(data),
            response_headers=fp_headers,
            sanitize_html=False,  # sanitize_html() below does it for display
            resolve_relative_uris=False,
        )
    except Exception as exc:  # feedparser is robust, but a feed must never crash a pass
        out.error = f"feed could not be parsed: {type(exc).__name__}: {exc}"
        return []
    out.version = d.get("version") or ""
    feed = d.get("feed", {})
    out.title = _clean(feed.get("title", ""))
    out.link = _link(feed.get("link", ""), base_url)
    entries = d.get("entries", [])
    if d.get("bozo"):
        problem = d.get("bozo_exception")
        out.bozo = True
        if not isinstance(problem, feedparser.NonXMLContentType):
            msg = str(problem).splitlines()[0][:200] if problem else "unknown problem"
            out.warnings.append(
                f"not well-formed ({type(problem).__name__}: {msg}); "
                f"kept {len(entries)} entries recovered"
            )
    if not entries and not out.version:
        out.error = "no feed found in the document (not RSS, Atom or RDF)"
        return []
    raws = []
    for e in entries:
        raw = _Raw(base=base_url)
        guid = e.get("id")
        raw.guid = guid.strip() if isinstance(guid, str) and guid.strip() else None
        raw.link = _link(e.get("link") or "", base_url)
        raw.title = e.get("title", "") or ""
        raw.title_html = "html" in (e.get("title_detail") or {}).get("type", "")
        detail: dict[str, Any] | None = None
        for c in e.get("content") or []:
            if (c.get("value") or "").strip():
                detail = c
                break
        if detail is None and (e.get("summary") or "").strip():
            detail = e.get("summary_detail") or {"value": e.get("summary"), "type": "text/html"}
        if detail is not None:
            raw.body = detail.get("value") or ""
            raw.body_html = "html" in (detail.get("type") or "text/html")
            raw.base = urljoin(base_url, detail.get("base") or "")
        for key in ("published_parsed", "updated_parsed", "created_parsed"):
            t = e.get(key)
            if t:
                try:
                    raw.published = datetime.fromtimestamp(calendar.timegm(t), tz=UTC)
                except (OverflowError, ValueError, OSError):
                    continue
                break
        raws.append(raw)
    return raws


# ---- normalization ----------------------------------------------------------------------------


def _no_c1(s: str) -> str:
    """``s`` with C1 controls read as windows-1252 (a no-op, skipped, for nearly all text)."""
    if s.isascii() or not _HAS_C1.search(s):
        return s
    return repair_mojibake(s).translate(_C1)  # "â€\x9d" is a double-encoded "”" first


def _looks_html(s: str) -> bool:
    """feedparser's guess for RSS fields that do not say: plain text unless it has a close tag
    or an entity, all of known HTML (so "Vector<int>" stays as written)."""
    if "<" not in s and "&" not in s:
        return False
    if _fp_looks_like_html is not None:
        return bool(_fp_looks_like_html(s))
    return bool(_LOOKS_HTML.search(s))  # pragma: no cover


def _clean(s: str, is_html: bool = True) -> str:
    s = _no_c1(s)
    if is_html and ("<" in s or "&" in s):
        s = html_to_text(s)
    return _WS.sub(" ", clean_text(s)).strip()


def _link(s: str, base: str) -> str | None:
    """An absolute http(s) URL, or None: a link that cannot be read is dropped, never the
    entry (a host ``urlsplit`` rejects, such as a full-width colon or an unbalanced "[")."""
    s = s.strip()
    if not s:
        return None
    if _PLAIN_URL.match(s) and (not base or _base_parses(base)):
        return s  # what urljoin() and the scheme check below give
    return _link_slow(s, base)


def _link_slow(s: str, base: str) -> str | None:
    s = clean_text(s).strip()
    try:
        url = urljoin(base, s) if base else s
        scheme = urlsplit(url).scheme
    except ValueError:
        return None
    if scheme not in ("http", "https"):
        return None
    return scheme + url[len(scheme) :]  # "HTTP://" lower-cased, as feedparser writes it


@functools.lru_cache(maxsize=64)
def _base_parses(base: str) -> bool:
    """``urljoin(base, ...)`` does not raise (as for a malformed IPv6 host)."""
    try:
        urlsplit(base)
    except ValueError:
        return False
    return True


def _date(s: str) -> datetime | None:
    s = s.strip()
    if not s:
        return None
    m = _RFC822.match(s)
    if m is not None:
        dt = _rfc822(m)
        if dt is not None:
            return dt
    return _date_slow(s)


def _rfc822(m: re.Match[str]) -> datetime | None:
    """What ``parsedate_to_datetime`` and the normalization in ``_date_slow`` give for a date
    ``_RFC822`` matched, or None (out-of-range fields) to let ``_date_slow`` decide."""
    day, month, year, hh, mm, ss, zone, sign, zh, zm = m.groups()
    if zone is not None:
        offset = 0
    else:
        offset = int(zh) * 3600 + int(zm) * 60
        if sign == "-":
            offset = -offset
    try:
        dt = datetime(
            int(year),
            _MONTHS[month],
            int(day),
            int(hh),
            int(mm),
            int(ss),
            tzinfo=timezone(timedelta(seconds=offset)) if offset else UTC,
        )
        return dt.astimezone(UTC) if offset else dt
    except (ValueError, OverflowError):
        return None


_DAY_COMMA = re.compile(r"\A([A-Za-z]{3}),(?=\S)")


def _date_slow(s: str) -> datetime | None:
    """Any other date, through feedparser's own date handlers (RFC 822 with its zone table --
    ET, CT, MT, PT, MET, MEST ..., colon offsets; W3C-DTF; asctime; the Korean, Greek and
    Hungarian forms; ISO 8601 last, as it reads the most into a string)."""
    s = _DAY_COMMA.sub(r"\1, ", s)  # "Fri,24 Nov 2023": newer feedparser reads it, 6.0 not
    for handler in _DATE_HANDLERS:
        try:
            t = handler(s)
        except (ValueError, OverflowError, IndexError, KeyError, TypeError):
            continue
        if t:
            try:
                return datetime(t[0], t[1], t[2], t[3], t[4], t[5], tzinfo=UTC)
            except (ValueError, OverflowError):
                return None
    return None


def _shorten(s: str, n: int = 120) -> str:
    if len(s) <= n:
        return s
    cut = s[:n].rsplit(" ", 1)[0] if " " in s[:n] else s[:n]
    return cut.rstrip(",;:") + "…"


def _plain(body: str, is_html: bool) -> str:
    if not body.strip():
        return ""
    body = _no_c1(body)
    return clean_text(html_to_text(body) if is_html else plain_to_text(body))


_UNTITLED = "(untitled)"


def _entry(
    raw: _Raw,
    feed_key: str,
    source: str,
    fetched_at: datetime,
    lang: Lang | None,
    want_html: bool,
) -> FeedEntry:
    title = _clean(raw.title, raw.title_html)
    body = _plain(raw.body, raw.body_html)
    published = raw.published
    fallback = published is None
    if published is None:
        published = fetched_at
    if raw.guid:
        identity = f"guid:{raw.guid}"
    elif raw.link:
        identity = f"link:{raw.link}"
    else:
        date_key = "" if fallback else published.isoformat()
        identity = "hash:" + stable_id(title, date_key, body)
    paras = paragraphs(body) if body else ()
    if not title:
        title = _shorten(paras[0]) if paras else (raw.link or _UNTITLED)[:200]
    if not paras or paras[0] != title:
        paras = (title, *paras)
    text = "\n\n".join(paras)
    item = Item(
        id=stable_id("feed", feed_key, identity),
        source=source,
        title=title[:1000],
        url=raw.link,
        published=published,
        lang=lang or ("en" if text.isascii() else detect_lang(text, sample=1000)),
        text=text,
        paragraphs=paras,
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest()[:16],
        date_is_fallback=fallback,
    )
    shown = None
    if want_html:
        shown = sanitize_html(raw.body if raw.body_html else html.escape(raw.body), raw.base)
    return FeedEntry(item=item, identity=identity, html=shown)


# ---- sanitizer for display --------------------------------------------------------------------

_ALLOWED = frozenset(
    [
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "cite",
        "code",
        "dd",
        "del",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "li",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
    ]
)
_VOID = frozenset({"br", "hr", "img"})
_DROP_CONTENT = frozenset(
    [
        "script",
        "style",
        "template",
        "iframe",
        "object",
        "embed",
        "svg",
        "math",
        "noscript",
        "head",
        "title",
        "textarea",
        "select",
        "applet",
        "frame",
        "frameset",
    ]
)
_ATTRS = {
    "a": ("href", "title"),
    "img": ("src", "alt", "title", "width", "height"),
    "td": ("colspan", "rowspan"),
    "th": ("colspan", "rowspan"),
    "abbr": ("title",),
}
_URL_ATTRS = frozenset({"href", "src"})
_MAX_OPEN = 64


class _Sanitizer(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.out: list[str] = []
        self.stack: list[str] = []
        self.skip = 0

    def _attrs(self, tag: str, attrs: list[tuple[str, str | None]]) -> str:
        parts = []
        for name, value in attrs:
            if name not in _ATTRS.get(tag, ()) or value is None:
                continue
            if name in _URL_ATTRS:
                value = urljoin(self.base, value.strip()) if self.base else value.strip()
                schemes = ("http", "https", "mailto") if tag == "a" else ("http", "https")
                if urlsplit(value).scheme.lower() not in schemes:
                    continue
            parts.append(f' {name}="{html.escape(value, quote=True)}"')
        if tag == "a":
            parts.append(' rel="nofollow noopener noreferrer"')
        return "".join(parts)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP_CONTENT:
            if tag not in _VOID:
                self.skip += 1
            return
        if self.skip or tag not in _ALLOWED:
            return
        if tag in _VOID:
            self.out.append(f"<{tag}{self._attrs(tag, attrs)}>")
        elif len(self.stack) < _MAX_OPEN:
            self.stack.append(tag)
            self.out.append(f"<{tag}{self._attrs(tag, attrs)}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID and not self.skip:
            self.out.append(f"<{tag}{self._attrs(tag, attrs)}>")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP_CONTENT:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip or tag not in self.stack:
            return
        while self.stack:
            open_tag = self.stack.pop()
            self.out.append(f"</{open_tag}>")
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.out.append(html.escape(data, quote=False))


def sanitize_html(fragment: str, base: str = "") -> str:
    """Allow-listed HTML for display: no scripts, styles, event handlers or javascript: URLs;
    relative href/src resolved against ``base``; unclosed tags closed."""
    p = _Sanitizer(base)
    p.feed(fragment)
    p.close()
    p.out.extend(f"</{t}>" for t in reversed(p.stack))
    return "".join(p.out).strip()
