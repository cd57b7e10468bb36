"""feedparser's own test corpus (``../shared/feedparser-tests``) read beside feedparser: the
cases, what feedparser finds in each, and what Briefbot finds (used by
tests/sources/test_feedparser_corpus.py and benchmarks/feed_corpus.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import feedparser

from bot.sources.feeds import ParsedFeed, parse_feed
from bot.sources.html_text import html_to_text
from tests.sources.helpers import FEEDPARSER_TESTS

NOW = datetime(2026, 2, 5, tzinfo=UTC)
FOLDERS = ("wellformed", "illformed", "encoding", "entities")
_HEADER = re.compile(r"^Header:\s+([^:]+):(.*)$", re.MULTILINE)
_EXPECT = re.compile(r"Description:\s*(.*?)\s*Expect:\s*(.*?)\s*-->", re.DOTALL)
_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class Case:
    path: Path
    name: str  # relative to the corpus folder
    data: bytes
    headers: dict[str, str]
    url: str
    expect: str


def cases(root: Path = FEEDPARSER_TESTS) -> Iterator[Case]:
    for folder in FOLDERS:
        for path in sorted((root / folder).rglob("*.xml")):
            data = path.read_bytes()
            text = data.decode("utf-8", "ignore")
            name = path.relative_to(root).as_posix()
            headers: dict[str, str] = {}
            if "http" in name:
                headers = {k.strip(): v.strip() for k, v in _HEADER.findall(text)}
                headers.setdefault("Content-type", "text/xml")
            m = _EXPECT.search(text.replace("\x00", ""))
            yield Case(
                path,
                name,
                data,
                headers,
                f"http://127.0.0.1:8097/{name}",
                m.group(2).strip() if m else "",
            )


def norm(s: str) -> str:
    return _WS.sub(" ", s).strip()


Entry = tuple[str, str, str]  # title, link, text: plain, whitespace-normalised


def feedparser_result(case: Case) -> Any:
    """feedparser as its own harness runs it: served over HTTP, Content-Location as the base."""
    headers = {k.lower(): v for k, v in case.headers.items()}
    headers["content-location"] = urljoin(case.url, headers.get("content-location", case.url))
    return feedparser.parse(case.data, response_headers=headers)


def _text(value: str, kind: str) -> str:
    return norm(html_to_text(value) if "html" in kind else value)


def feedparser_entries(d: Any) -> list[Entry]:
    out = []
    for e in d.entries:
        title = _text(e.get("title", "") or "", (e.get("title_detail") or {}).get("type", ""))
        body, kind = "", ""
        for c in e.get("content") or []:
            if (c.get("value") or "").strip():
                body, kind = c["value"], c.get("type", "text/html")
                break
        if not body and (e.get("summary") or "").strip():
            body = e["summary"]
            kind = (e.get("summary_detail") or {}).get("type", "text/html")
        link = e.get("link") or ""
        if not link.startswith(("http://", "https://")):
            link = ""
        out.append((title, link, _text(body, kind)))
    return out


def readable(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if any(e)]


def ours(case: Case) -> ParsedFeed:
    return parse_feed(
        case.data, case.headers, case.url, feed_key="k", fetched_at=NOW, keep_plain=True
    )


def our_entries(r: ParsedFeed) -> list[Entry]:
    return readable(
        [
            (norm(title), e.item.url or "", norm(summary))
            for e, (title, summary) in zip(r.entries, r.plain, strict=True)
        ]
    )
