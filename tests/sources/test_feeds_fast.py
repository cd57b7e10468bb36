"""The shortcuts in feeds.py (plain absolute links, RFC 822 dates, C1 translation skipped) give
exactly what the general code they bypass gives: checked against that code, kept here, on
generated input and on whole documents of both feed corpora."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.sources import feeds
from bot.sources.textclean import repair_mojibake
from tests.sources import test_html_text
from tests.sources.helpers import DATA, SHARED

# ---- the references: feeds.py before the shortcuts, verbatim ------------------------------------


def ref_link(s: str, base: str) -> str | None:
    s = s.strip()
    if not s:
        return None
    return feeds._link_slow(s, base)  # the general code (issue 16: it never raises)


def ref_date(s: str) -> datetime | None:
    s = s.strip()
    if not s:
        return None
    return feeds._date_slow(s)  # the general code: feedparser's handlers (issue 16)


def ref_no_c1(s: str) -> str:
    if not any("\x80" <= ch <= "\x9f" for ch in s):
        return s
    return repair_mojibake(s).translate(feeds._C1)


def _same(got: object, want: object) -> bool:
    if isinstance(want, datetime) and isinstance(got, datetime):
        return got == want and got.tzinfo == want.tzinfo and got.isoformat() == want.isoformat()
    return got == want


def _outcome(f, *args):  # type: ignore[no-untyped-def]
    try:
        return ("ok", f(*args))
    except Exception as e:  # the same exception type, too
        return ("raised", type(e).__name__)


# ---- links --------------------------------------------------------------------------------------

LINKS = [
    "https://news.example.com/story/1",
    "http://a.b/c?d=e&f=g#h",
    "HTTP://A.B/c",
    "https://a.b/c;params",
    "https://a.b/c?",
    "https://a.b/c#",
    "https://a.b",
    "https://a.b?q=1",
    "https://a.b#x",
    "https://a.b:8080/x",
    "https://[::1]/x",
    "https://[::1/x",
    "https://user@a.b/x",
    "https://a.b/ü",
    "https://a.b/x y",
    "https://a.b/x\ty",
    " https://a.b/x ",
    "//a.b/x",
    "/relative/1",
    "relative",
    "ftp://a.b/x",
    "javascript:alert(1)",
    "https://a.b/../x",
    "https://a.b//x",
    "https://a.b/x?y#z#w",
    "",
]
BASES = [
    "",
    "http://127.0.0.1:8080/feed/1.xml",
    "https://news.example.com/dir/",
    "ftp://x/",
    "http://[::1/",
    "relative/base",
]

_url_chars = st.sampled_from(list("aZ09./:?#;@&=%-_~!$'()*+,[] \t\"<>ü\x00\x7f"))


@settings(max_examples=3000, deadline=None)
@given(
    st.builds(
        lambda scheme, host, rest: scheme + host + rest,
        st.sampled_from(["http://", "https://", "HTTPS://", "ftp://", "//", "", "http:/"]),
        st.text(_url_chars, max_size=8),
        st.text(_url_chars, max_size=20),
    ),
    st.sampled_from(BASES),
)
@example("https://a.b/x", "http://[::1/")
def test_link_same_as_reference(s: str, base: str) -> None:
    assert _outcome(feeds._link, s, base) == _outcome(ref_link, s, base)


@pytest.mark.parametrize("s", LINKS)
@pytest.mark.parametrize("base", BASES)
def test_link_same_as_reference_on_examples(s: str, base: str) -> None:
    assert _outcome(feeds._link, s, base) == _outcome(ref_link, s, base)


# ---- dates --------------------------------------------------------------------------------------

DATES = [
    "Mon, 02 Feb 2026 01:02:00 GMT",
    "Mon, 2 Feb 2026 01:02:00 GMT",
    "Mon, 02 Feb 2026 01:02:00 UT",
    "Mon, 02 Feb 2026 01:02:00 UTC",
    "Mon, 02 Feb 2026 01:02:00 Z",
    "Mon, 02 Feb 2026 01:02:00 +0000",
    "Mon, 02 Feb 2026 01:02:00 -0000",
    "Mon, 02 Feb 2026 01:02:00 +0800",
    "Mon, 02 Feb 2026 01:02:00 -0530",
    "Mon, 02 Feb 2026 23:59:59 -2359",
    "Mon, 02 Feb 2026 01:02:00 +2400",
    "Mon, 02 Feb 2026 01:02:00 +9999",
    "Mon, 02 Feb 2026 24:00:00 GMT",
    "Mon, 02 Feb 2026 23:59:60 GMT",
    "Mon, 31 Feb 2026 01:02:00 GMT",
    "Mon, 00 Feb 2026 01:02:00 GMT",
    "Mon, 29 Feb 2024 01:02:00 GMT",
    "Mon, 02 Feb 0099 01:02:00 GMT",
    "Mon, 02 Feb 1000 01:02:00 GMT",
    "Mon, 01 Jan 0001 00:00:00 +0100",
    "Fri, 31 Dec 9999 23:59:59 -0100",
    "Mon, 02 Feb 2026 01:02:00 EST",
    "Mon, 02 Feb 2026 01:02 GMT",
    "02 Feb 2026 01:02:00 GMT",
    "Monday, 02 Feb 2026 01:02:00 GMT",
    "mon, 02 feb 2026 01:02:00 gmt",
    "2026-02-02T01:02:00Z",
    "2026-02-02",
    "not a date",
    "",
]


@pytest.mark.parametrize("s", DATES)
def test_date_same_as_reference_on_examples(s: str) -> None:
    got, want = _outcome(feeds._date, s), _outcome(ref_date, s)
    assert got[0] == want[0] and _same(got[1], want[1]), (s, got, want)


_day = st.sampled_from(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Xyz"])
_month = st.sampled_from([*list(feeds._MONTHS), "Foo", "jan"])
_zone = st.sampled_from(["GMT", "UT", "UTC", "Z", "EST", "CET", ""]) | st.builds(
    lambda sign, h, m: f"{sign}{h:02d}{m:02d}",
    st.sampled_from(["+", "-"]),
    st.integers(0, 30),
    st.integers(0, 99),
)


@settings(max_examples=3000, deadline=None)
@given(
    st.builds(
        lambda wd, d, mo, y, hh, mm, ss, z: f"{wd}, {d} {mo} {y} {hh:02d}:{mm:02d}:{ss:02d} {z}",
        _day,
        st.sampled_from(["1", "01", "9", "28", "29", "30", "31", "32", "00"]),
        _month,
        st.sampled_from(["2026", "1999", "0099", "1000", "9999", "0001", "2024", "1900"]),
        st.integers(0, 25),
        st.integers(0, 61),
        st.integers(0, 61),
        _zone,
    )
)
def test_date_same_as_reference(s: str) -> None:
    got, want = _outcome(feeds._date, s), _outcome(ref_date, s)
    assert got[0] == want[0] and _same(got[1], want[1]), (s, got, want)


@settings(max_examples=1000, deadline=None)
@given(st.datetimes(timezones=st.timezones()))
def test_date_same_as_reference_on_formatted_datetimes(dt: datetime) -> None:
    try:
        s = format_datetime(dt)
    except (ValueError, OverflowError):
        return
    got, want = _outcome(feeds._date, s), _outcome(ref_date, s)
    assert got[0] == want[0] and _same(got[1], want[1]), (s, got, want)


# ---- C1 -----------------------------------------------------------------------------------------


@settings(max_examples=1000, deadline=None)
@given(st.text(st.sampled_from(list("ab \x80\x92\x9f\xa0é中")) | st.characters(), max_size=30))
def test_no_c1_same_as_translate(s: str) -> None:
    assert feeds._no_c1(s) == ref_no_c1(s)


# ---- whole documents: parse_feed with every shortcut vs with the references ---------------------


def _files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_file() and p.suffix not in (".py", ".tsv"))


NOW = datetime(2026, 2, 5, tzinfo=UTC)


def _parse(data: bytes, name: str) -> feeds.ParsedFeed:
    return feeds.parse_feed(
        data,
        {"content-type": "application/xml"},
        f"https://feeds.example.com/{name}",
        feed_key=name,
        fetched_at=NOW,
        want_html=True,
    )


def _check_file(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = path.read_bytes()
    fast = _parse(data, path.name)
    with monkeypatch.context() as m:
        m.setattr(feeds, "_link", ref_link)
        m.setattr(feeds, "_date", ref_date)
        m.setattr(feeds, "_no_c1", ref_no_c1)
        m.setattr(feeds, "html_to_text", test_html_text.reference)
        m.setattr(feeds, "paragraphs", test_html_text.reference_paragraphs)
        slow = _parse(data, path.name)
    assert fast == slow
    for a, b in zip(fast.items, slow.items, strict=True):
        assert a.published.tzinfo == b.published.tzinfo


@pytest.mark.parametrize("path", _files(DATA), ids=lambda p: p.name)
def test_parse_feed_same_as_reference_on_our_corpus(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _check_file(path, monkeypatch)


def test_parse_feed_same_as_reference_on_shared_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    files = _files(SHARED)
    if not files:
        pytest.skip(f"{SHARED} is absent")
    for path in files:
        _check_file(path, monkeypatch)


def test_parse_feed_same_as_reference_on_benchmark_feed(monkeypatch: pytest.MonkeyPatch) -> None:
    from benchmarks.ingest import make_feed

    data = make_feed(7, 20)
    fast = _parse(data, "b")
    with monkeypatch.context() as m:
        m.setattr(feeds, "_link", ref_link)
        m.setattr(feeds, "_date", ref_date)
        m.setattr(feeds, "_no_c1", ref_no_c1)
        m.setattr(feeds, "html_to_text", test_html_text.reference)
        slow = _parse(data, "b")
    assert fast == slow and len(fast.entries) == 20
