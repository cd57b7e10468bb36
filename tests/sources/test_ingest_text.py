"""Issue 16 (text, links, encodings, entries kept) and issue 18 low 2/3 (controls, bidi and
zero-width characters stripped at ingest): each finding reproduced on a small document."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.sources.archive import load_file
from bot.sources.feeds import parse_feed
from bot.sources.guard import decode_document
from bot.sources.textclean import clean_text
from tests.sources.helpers import rss

NOW = datetime(2026, 2, 5, tzinfo=UTC)


def _parse(data: bytes, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return parse_feed(data, headers or {}, "https://h.example.com/", feed_key="k", fetched_at=NOW)


def _atom(entry: str) -> bytes:
    return (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>F</title>'
        f"<entry><id>urn:e</id>{entry}</entry></feed>"
    ).encode()


def test_bad_links_drop_the_link_not_the_entry_or_feed() -> None:
    doc = rss([("a", "First", "one"), ("b", "Second", "two"), ("c", "Third", "three")])
    doc = doc.replace(
        b"https://news.example.com/a<", "https\uff1a\uff0f\uff0fbad.example/a<".encode()
    )
    doc = doc.replace(b"https://news.example.com/b<", b"http://[unbalanced/b<")
    for data in (doc, doc.replace(b"</channel>", b"<oops></channel>")):  # fast path, feedparser
        r = _parse(data)
        assert [i.title for i in r.items] == ["First", "Second", "Third"], r.warnings
        assert r.items[1].url is None
        assert r.items[2].url == "https://news.example.com/c"


def test_plain_text_with_angle_brackets_is_not_stripped() -> None:
    r = _parse(
        _atom(
            '<title type="text">Vector&lt;int&gt; is fast</title>'
            '<content type="text">History of the &lt;blink&gt; tag</content>'
        )
    )
    assert r.items[0].title == "Vector<int> is fast"
    assert "History of the <blink> tag" in r.items[0].text
    # RSS titles: feedparser's guess -- "<int>" is no HTML
    r = _parse(rss([("g", "Vector&lt;int&gt; wins", "x")]))
    assert r.items[0].title == "Vector<int> wins"


def test_escaped_entity_is_unescaped_once() -> None:
    r = _parse(_atom('<title type="html">a &amp;amp;lt; b</title>'))
    assert r.items[0].title == "a &lt; b"


def test_base64_content_is_decoded() -> None:
    doc = (
        b'<feed version="0.3" xmlns="http://purl.org/atom/ns#"><entry><title>T</title>'
        b'<content type="text/html" mode="base64">PHA+Q2FwZXggcm9zZTwvcD4=</content></entry></feed>'
    )
    assert "Capex rose" in _parse(doc).items[0].text


def test_object_fallback_text_is_kept() -> None:
    r = _parse(rss([("o", "O", "safe <object><param name='x'>fallback words</object>")]))
    assert "fallback words" in r.items[0].text


def test_utf8_feed_with_one_bad_byte_stays_chinese() -> None:
    body = "腾讯资本开支增长，营收同比增长百分之十五。" * 5
    data = rss([("z", "腾讯", body)]).replace("百分之十五".encode(), b"\xff", 1)
    d = decode_document(data)
    assert d.encoding == "utf-8" and "腾讯资本开支" in d.data.decode()
    assert any("U+FFFD" in w for w in d.warnings)
    assert "腾讯资本开支" in _parse(data).items[0].text


def test_undeclared_euc_jp_is_not_big5() -> None:
    text = "日本銀行は政策金利を据え置くと発表した。設備投資は増加している。" * 3
    data = f"<rss><channel><item><title>{text}</title></item></channel></rss>".encode("euc_jp")
    d = decode_document(data)
    assert d.encoding.startswith("euc_j"), d.encoding  # EUC-JP or its superset EUC-JIS-2004
    assert "日本銀行" in d.data.decode()


def test_double_encoded_utf8_is_repaired() -> None:
    r = _parse(rss([("d", "Capex rose â€” again", "He said â€œyesâ€\x9d â€¦ cafÃ©")]))
    assert r.items[0].title == "Capex rose — again"
    assert "“yes” … café" in r.items[0].text


def test_entries_without_id_link_or_date_are_kept() -> None:
    doc = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>tag:x,2008:1</id></entry>'
        b"<entry><title>No id</title></entry></feed>"
    )
    r = _parse(doc)
    assert len(r.items) == 2 and r.items[1].title == "No id"


def test_dates_with_colon_offsets_and_zone_names() -> None:
    cases = {
        "Mon, 02 Feb 2026 12:00:00 +08:00": datetime(2026, 2, 2, 4, tzinfo=UTC),
        "Mon, 02 Feb 2026 12:00:00 ET": datetime(2026, 2, 2, 17, tzinfo=UTC),
        "Mon, 02 Feb 2026 12:00:00 PT": datetime(2026, 2, 2, 20, tzinfo=UTC),
        "Thu, 30 Apr 2015 08:57:00 MEST": datetime(2015, 4, 30, 6, 57, tzinfo=UTC),
    }
    for s, want in cases.items():
        doc = rss([("d", "D", "x")]).replace(b"Wed, 04 Feb 2026 00:00:00 GMT", s.encode())
        item = _parse(doc).items[0]
        assert item.published == want and not item.date_is_fallback, s
    bad = rss([("d", "D", "x")]).replace(
        b"Wed, 04 Feb 2026 00:00:00 GMT", b"Sun, 16 Dec 2012 11:47:32 +zz:00"
    )
    assert _parse(bad).items[0].date_is_fallback


# ---- issue 18 low 2/3 --------------------------------------------------------------------------

_HOSTILE = "\x1b\x07\x00\x0b\x7f\x85\x9b\u202e\u202d\u2066\u2069\u200b\u200d\u200e\ufeff\u061c"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(_HOSTILE + "ab 中\n\t\r")), max_size=40))
def test_clean_text_leaves_no_controls_or_bidi(s: str) -> None:
    out = clean_text(s)
    assert not any(ch in _HOSTILE for ch in out), repr(out)
    assert clean_text(out) == out  # idempotent
    visible = [ch for ch in s if ch in "ab中"]
    assert [ch for ch in out if ch in "ab中"] == visible  # nothing readable lost


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(_HOSTILE + "ab <&>")), min_size=1, max_size=30))
def test_feed_titles_text_and_links_are_clean(junk: str) -> None:
    esc = junk.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # XML 1.0 forbids most C0 controls: a recovered malformed feed still carries them
    doc = rss([("h", f"Title {esc} end", f"Body {esc} end")]).replace(
        b"https://news.example.com/h", f"https://news.example.com/h{esc}".encode()
    )
    for item in _parse(doc).items:
        for field in (item.title, item.text, item.url or "", *item.paragraphs):
            assert not any(ch in _HOSTILE for ch in field), repr(field)


def test_archive_files_are_cleaned(tmp_path: Path) -> None:
    f = tmp_path / "2026-02-04-note.md"
    f.write_text("Capex \u202eevil\u202c rose\x1b[31m to $5 billion\u200b.\n", encoding="utf-8")
    items, _warnings, error = load_file(f, tmp_path)
    assert error is None
    assert items[0].text == "Capex evil rose[31m to $5 billion."
