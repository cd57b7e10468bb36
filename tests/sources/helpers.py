"""Helpers shared by the feed tests (documents, paths)."""

from __future__ import annotations

import os
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "feeds"
ROOT = Path(__file__).resolve().parents[2]


def shared_dir() -> Path:
    """``../shared`` next to the repository checkout (``$BRIEFBOT_SHARED_DIR`` overrides; a git
    worktree under ``<checkout's parent>/wt/<name>`` finds it one level further up)."""
    env = os.environ.get("BRIEFBOT_SHARED_DIR")
    if env:
        return Path(env)
    for parent in (ROOT.parent, ROOT.parent.parent):
        if (parent / "shared").is_dir():
            return parent / "shared"
    return ROOT.parent / "shared"


SHARED = shared_dir() / "feeds"
FEEDPARSER_TESTS = shared_dir() / "feedparser-tests"


def rss(items: list[tuple[str, str, str]], *, title: str = "Test feed", extra: str = "") -> bytes:
    """An RSS 2.0 document from (guid, title, body) triples, newest first."""
    parts = [
        f'<item><title>{t}</title><guid isPermaLink="false">{g}</guid>'
        f"<link>https://news.example.com/{g}</link>"
        f"<pubDate>Wed, 04 Feb 2026 0{n % 10}:00:00 GMT</pubDate>"
        f"<description>&lt;p&gt;{b}&lt;/p&gt;</description></item>"
        for n, (g, t, b) in enumerate(items)
    ]
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>https://news.example.com/</link><description>d</description>"
        f"{extra}{''.join(parts)}</channel></rss>"
    ).encode()


def entries(n: int, prefix: str = "e") -> list[tuple[str, str, str]]:
    return [
        (
            f"{prefix}{i}",
            f"Company {i} capex ${i + 1} billion",
            f"Company {i} spends ${i + 1} billion.",
        )
        for i in range(n)
    ]
