"""Archived briefings -> Items (pure: text in, items out; ``load_folder`` only reads files).

The briefing format (the seed ``archive/000_53212d8dde729521.txt``)::

    ← 返回 Avalaches                      navigation line
    <Chinese paragraphs>
    8e5c5f71e06a.png                      image reference line
    <English paragraphs>
    2026-02-04 (Wednesday) · <hash>       date line

Each language half becomes one Item whose id derives from the briefing hash and the language, so a
re-load stores nothing twice. Any other ``.txt``/``.md``/``.html`` file becomes one Item (date from
a ``YYYY-MM-DD`` in its name, else its modification time, flagged); a file that looks like a
briefing but is not in that shape is loaded the same way with a warning.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from bot.lang import detect_lang
from bot.models import Item, stable_id
from bot.sources.html_text import html_to_text, paragraphs
from bot.sources.textclean import clean_text

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
_DATE_LINE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*\(([A-Za-z]+)\)\s*·\s*([0-9a-fA-F]{6,64})\s*$")
_IMAGE_LINE = re.compile(r"^\S+\.(?:png|jpe?g|gif|webp|svg)$", re.IGNORECASE)
_NAV_LINE = re.compile(r"^(?:←|&larr;|<-)")
_NAME_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
MAX_FILE_BYTES = 20 * 1024 * 1024


@dataclass
class LoadResult:
    items: list[Item] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    """Files that could not be read: the rest still load; the CLI then exits 1."""
    files: int = 0


def _content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def briefing_date(text: str) -> date | None:
    """The date on a briefing's last line (``2026-02-04 (Wednesday) · <hash>``), if it has one."""
    tail = text.rstrip().rsplit("\n", 1)[-1].strip()
    m = _DATE_LINE.match(tail)
    try:
        return date.fromisoformat(m.group(1)) if m else None
    except ValueError:
        return None


def parse_briefing(text: str, source: str) -> list[Item] | None:
    """Items of a briefing in the archive format, or None when ``text`` is not in that shape."""
    lines = [ln.strip() for ln in text.strip().splitlines()]
    lines = [ln for ln in lines if ln]
    if len(lines) < 3:
        return None
    m = _DATE_LINE.match(lines[-1])
    day = briefing_date(lines[-1])
    if not m or day is None:
        return None
    digest = m.group(3).lower()
    body = lines[1:-1] if _NAV_LINE.match(lines[0]) else lines[:-1]
    title_base = source.removeprefix("archive:")
    if _NAV_LINE.match(lines[0]):
        title_base = re.sub(r"^(?:←|&larr;|<-)\s*(?:返回|Back to)?\s*", "", lines[0]) or title_base
    halves: list[list[str]] = [[]]
    for ln in body:
        if _IMAGE_LINE.match(ln):
            halves.append([])
        else:
            halves[-1].append(ln)
    published = datetime(day.year, day.month, day.day, tzinfo=UTC)
    items: list[Item] = []
    for paras in (h for h in halves if h):
        joined = "\n\n".join(paras)
        lang = detect_lang(joined)
        items.append(
            Item(
                id=stable_id("briefing", digest, lang, str(len(items))),
                source=source,
                title=f"{title_base} briefing {day.isoformat()} ({lang})",
                published=published,
                lang=lang,
                text=joined,
                paragraphs=tuple(paras),
                content_hash=_content_hash(joined),
            )
        )
    return items or None


def parse_plain(text: str, source: str, name: str, mtime: datetime) -> Item:
    """One item from a plain text/Markdown/HTML document."""
    if name.lower().endswith((".html", ".htm")):
        text = html_to_text(text)
    m = _NAME_DATE.search(name)
    published, fallback = mtime, True
    if m:
        try:
            d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            published, fallback = datetime(d.year, d.month, d.day, tzinfo=UTC), False
        except ValueError:
            pass
    paras = paragraphs(text)
    title = next((p.lstrip("# ").strip() for p in paras[:1]), name)[:120]
    return Item(
        id=stable_id("file", name),
        source=source,
        title=title or name,
        published=published,
        lang=detect_lang(text),
        text=text.strip(),
        paragraphs=paras,
        content_hash=_content_hash(text),
        date_is_fallback=fallback,
    )


def load_file(path: Path, root: Path | None = None) -> tuple[list[Item], list[str], str | None]:
    """Items of one file, warnings, and an error when the file could not be read at all.

    Never raises for content: a file in an unknown shape is one item with a warning; a file that
    cannot be read (permissions, not UTF-8, binary) is an error line and no items.
    """
    name = str(path.relative_to(root)) if root else path.name
    source = f"archive:{name}"
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return [], [], f"{path}: larger than {MAX_FILE_BYTES // 2**20} MB, not loaded"
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [], f"{path}: not UTF-8 text (convert it to UTF-8 and run ingest again)"
    except OSError as e:
        return [], [], f"{path}: unreadable ({e.strerror or e}); check its permissions"
    mtime = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    if "\x00" in text:
        return [], [], f"{path}: looks binary, not loaded"
    text = clean_text(text)
    briefing = parse_briefing(text, source) if path.suffix.lower() == ".txt" else None
    if briefing:
        return briefing, [], None
    if not text.strip():
        return [], [f"{path}: empty, skipped"], None
    warnings = []
    if path.suffix.lower() == ".txt" and _NAV_LINE.match(text.lstrip()):
        warnings.append(f"{path}: not in the briefing format (no date line); loaded as one item")
    return [parse_plain(text, source, name, mtime)], warnings, None


def iter_files(folder: Path) -> Iterable[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)


def load_folder(folder: Path) -> LoadResult:
    """Every supported file under ``folder`` (or the one file ``folder`` names)."""
    result = LoadResult()
    files = [folder] if folder.is_file() else list(iter_files(folder))
    root = folder.parent if folder.is_file() else folder
    for path in files:
        items, warnings, error = load_file(path, root)
        result.files += 1
        result.items.extend(items)
        result.warnings.extend(warnings)
        if error:
            result.errors.append(error)
    return result
