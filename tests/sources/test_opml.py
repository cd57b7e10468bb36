"""OPML import/export: round trip, nesting, hostile files, import into the repo."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.errors import SourceError
from bot.sources.opml import OpmlFeed, export_opml, import_feeds, parse_opml
from bot.store.feeds import FeedRepo
from bot.store.store import Store

OPML = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0"><head><title>My feeds</title></head><body>
<outline text="Finance">
  <outline text="Markets" title="Markets Daily" type="rss" xmlUrl="https://m.example.com/rss" htmlUrl="https://m.example.com/"/>
  <outline text="Tech"><outline text="Chips" xmlUrl="https://chips.example.com/atom" language="zh-CN" pollMinutes="15"/></outline>
</outline>
<outline text="Dup" xmlUrl="https://m.example.com/rss"/>
<outline text="Bad lang" xmlUrl="https://b.example.com/feed" language="fr" pollMinutes="soon"/>
<outline text="No URL"/>
</body></opml>"""


def test_parse_nested_outlines_with_warnings() -> None:
    feeds, warnings = parse_opml(OPML)
    assert [f.url for f in feeds] == [
        "https://m.example.com/rss",
        "https://chips.example.com/atom",
        "https://b.example.com/feed",
    ]
    assert feeds[0].name == "Markets Daily" and feeds[0].html_url == "https://m.example.com/"
    assert feeds[1] == OpmlFeed("https://chips.example.com/atom", "Chips", "zh", 15)
    assert feeds[2].lang is None and feeds[2].poll_minutes is None
    assert len(warnings) == 3  # duplicate, unsupported language, bad interval


def test_export_round_trip() -> None:
    feeds = [
        OpmlFeed("https://a.example.com/rss?x=1&y=2", "A & B", "en", 60),
        OpmlFeed("https://b/"),
    ]
    text = export_opml(feeds, now=datetime(2026, 2, 5, tzinfo=UTC))
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>') and "&amp;" in text
    back, warnings = parse_opml(text.encode())
    assert back == [OpmlFeed(f.url, f.name, f.lang, f.poll_minutes) for f in feeds] and not warnings


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
        b'<opml><body><outline xmlUrl="https://x/&b;"/></body></opml>',
        b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<opml><body><outline xmlUrl='&x;'/></body></opml>",
        b"<rss/>",
        b"not xml at all",
    ],
)
def test_hostile_or_wrong_files_are_refused(data: bytes) -> None:
    with pytest.raises(SourceError):
        parse_opml(data)


async def test_import_into_repo_and_export(store: Store) -> None:
    repo = FeedRepo(store.engine)
    await repo.add("https://m.example.com/rss", allow_private=False, check_dns=False)
    feeds, _ = parse_opml(OPML + b"")
    feeds.append(OpmlFeed("http://127.0.0.1/internal"))
    report = await import_feeds(repo, feeds, allow_private=False)
    assert report.existing == ["https://m.example.com/rss"]
    assert report.added == ["https://chips.example.com/atom", "https://b.example.com/feed"]
    assert len(report.refused) == 1 and "loopback" in report.refused[0]
    chips = await repo.get("https://chips.example.com/atom")
    assert chips and chips.lang == "zh" and chips.poll_minutes == 15
    exported, _ = parse_opml(export_opml(await repo.list()).encode())
    assert {f.url for f in exported} == {
        "https://m.example.com/rss",
        "https://chips.example.com/atom",
        "https://b.example.com/feed",
    }
