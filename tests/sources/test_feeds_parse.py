"""parse_feed: identity, change detection, text/HTML, links, dates, charsets (pure, no network)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

import bot.sources.feeds as feeds_mod
from bot.sources.feeds import parse_feed, sanitize_html
from tests.sources.helpers import DATA, entries, rss

NOW = datetime(2026, 2, 5, 12, 0, tzinfo=UTC)


def parse(
    data: bytes, headers: dict[str, str] | None = None, base: str = "https://f.example.com/rss"
):
    return parse_feed(data, headers or {}, base, feed_key="feed-1", fetched_at=NOW, want_html=True)


def test_ids_stable_across_reorder_and_republish() -> None:
    items = entries(5)
    first = parse(rss(items))
    reordered = parse(rss(list(reversed(items))))
    assert {i.id for i in first.items} == {i.id for i in reordered.items}
    # Republished: same content under new dates -> same ids and same content hashes.
    republished = parse(rss(items).replace(b"Wed, 04 Feb 2026", b"Thu, 05 Feb 2026"))
    assert {(i.id, i.content_hash) for i in first.items} == {
        (i.id, i.content_hash) for i in republished.items
    }
    assert republished.items[0].published != first.items[0].published


def test_changed_content_keeps_id_changes_hash() -> None:
    items = entries(2)
    before = parse(rss(items)).items[0]
    edited = [(items[0][0], items[0][1], "Company 0 now spends $9 billion."), items[1]]
    after = parse(rss(edited)).items[0]
    assert after.id == before.id and after.content_hash != before.content_hash


def test_identity_falls_back_guid_link_hash() -> None:
    no_guid = parse((DATA / "rss20_no_guid.xml").read_bytes())
    assert all(e.identity.startswith("link:") for e in no_guid.entries)
    neither = parse((DATA / "rss20_no_guid_no_link.xml").read_bytes())
    assert all(e.identity.startswith("hash:") for e in neither.entries)
    again = parse((DATA / "rss20_no_guid_no_link.xml").read_bytes())
    assert [i.id for i in neither.items] == [i.id for i in again.items]
    assert len({i.id for i in neither.items}) == 4
    # Ids are scoped by the feed: the same guid in another feed is another item.
    other = parse_feed(
        (DATA / "rss20_basic.xml").read_bytes(), {}, "https://x/", feed_key="feed-2", fetched_at=NOW
    )
    assert not {i.id for i in other.items} & {
        i.id for i in parse((DATA / "rss20_basic.xml").read_bytes()).items
    }


def test_duplicate_guid_in_one_document_kept_once() -> None:
    r = parse((DATA / "rss20_dup_guids.xml").read_bytes())
    assert len(r.items) == 2 and any("duplicate entry id" in w for w in r.warnings)


def test_html_to_clean_text_and_sanitized_display() -> None:
    r = parse((DATA / "rss20_content_encoded.xml").read_bytes())
    (e,) = r.entries
    text = e.item.text
    assert "alert" not in text and "color:red" not in text and "evil" not in text
    assert "Revenue rose to $39.3 billion, up 78% — a record." in text  # entities decoded
    assert e.item.paragraphs[0] == "Nvidia revenue & profit"
    assert "Net income was $22.1 billion." in e.item.paragraphs
    assert e.html is not None
    for bad in ("<script", "<style", "onclick", "javascript:", "<iframe"):
        assert bad not in e.html
    assert "<b>$39.3" in e.html


def test_sanitizer_resolves_and_closes() -> None:
    out = sanitize_html('<p><a href="/x" onmouseover="h()">a<b>b', "https://s.example.com/d/")
    assert out == (
        '<p><a href="https://s.example.com/x" rel="nofollow noopener noreferrer">a<b>b</b></a></p>'
    )
    assert (
        sanitize_html('<img src="data:image/png;base64,xx"><svg><script>x</script></svg>t')
        == "<img>t"
    )


def test_relative_links_resolved() -> None:
    r = parse((DATA / "rss20_relative_links.xml").read_bytes())
    assert [i.url for i in r.items] == [
        "https://rel.example.com/news/story/1.html",
        "https://rel.example.com/top/2.html",
    ]
    assert 'href="https://rel.example.com/more.html"' in (r.entries[0].html or "")
    assert 'src="https://rel.example.com/img/chart.png"' in (r.entries[0].html or "")
    atom = parse((DATA / "atom10_xml_base.xml").read_bytes())
    assert atom.items[0].url == "https://base.example.com/blog/2026/post.html"
    plain = parse(rss(entries(1)).replace(b"https://news.example.com/e0", b"/rel/e0"))
    assert plain.items[0].url == "https://f.example.com/rel/e0"


def test_missing_and_bad_dates_fall_back_to_fetch_time() -> None:
    r = parse((DATA / "rss20_no_dates.xml").read_bytes())
    assert all(i.date_is_fallback and i.published == NOW for i in r.items)
    bad = parse((DATA / "rss20_bad_dates.xml").read_bytes())
    assert [i.date_is_fallback for i in bad.items] == [True, False, False]
    assert bad.items[1].published == datetime(2026, 2, 3, tzinfo=UTC)
    assert bad.items[2].published == datetime(2026, 2, 4, 8, 30, tzinfo=UTC)
    atom = parse((DATA / "atom10.xml").read_bytes())
    assert atom.items[0].published == datetime(2026, 2, 1, 9, tzinfo=UTC)  # published first
    assert not any(i.date_is_fallback for i in atom.items)


@pytest.mark.parametrize(
    ("name", "version"),
    [
        ("rss090.rdf", "rss090"),
        ("rss091.xml", "rss091n"),
        ("rss092.xml", "rss092"),
        ("rss10.rdf", "rss10"),
        ("rss20_basic.xml", "rss20"),
        ("atom03.xml", "atom03"),
        ("atom10.xml", "atom10"),
        ("atom10_xhtml.xml", "atom10"),
    ],
)
def test_formats(name: str, version: str) -> None:
    r = parse((DATA / name).read_bytes())
    assert r.version == version and r.items and r.error is None
    assert all(i.title and i.text for i in r.items)


def test_xhtml_content_goes_through_feedparser() -> None:
    r = parse((DATA / "atom10_xhtml.xml").read_bytes())
    assert not r.fast_path
    assert "Oracle revenue of $14 billion." in r.items[0].text


@pytest.mark.parametrize(
    ("name", "headers", "needle"),
    [
        ("gb2312_decl.xml", {}, "第三季度营收为1,593亿元人民币"),
        ("gb2312_nodecl.xml", {}, "第三季度营收为1,593亿元人民币"),
        ("gb2312_nodecl.xml", {"Content-Type": "text/xml"}, "资本开支约为130亿元"),
        ("gb2312_decl.xml", {"Content-Type": "application/rss+xml; charset=utf-8"}, "腾讯公司"),
        ("gb2312_nodecl.xml", {"Content-Type": "text/xml; charset=iso-8859-1"}, "腾讯公司"),
        ("gbk_decl.xml", {}, "朱镕基与腾讯公司"),
        ("big5_decl.xml", {}, "台積電公布第三季營收新台幣7,597億元"),
        ("big5_nodecl.xml", {}, "台積電公布第三季營收新台幣7,597億元"),
        ("big5_nodecl.xml", {"Content-Type": "application/xml; charset=utf-8"}, "資本支出"),
        ("latin1_decl.xml", {}, "Café-Kette übernimmt Müller"),
        ("latin1_nodecl.xml", {}, "Déjà vu für die Börse"),
        ("utf16_bom.xml", {}, "Déjà vu für die Börse"),
        ("zh_utf8.xml", {"Content-Type": "text/xml; charset=gb2312"}, "腾讯公司"),
    ],
)
def test_charsets_declared_missing_or_wrong(
    name: str, headers: dict[str, str], needle: str
) -> None:
    r = parse((DATA / name).read_bytes(), headers)
    assert r.items, r.warnings
    assert needle in r.items[0].text, (r.encoding, r.items[0].text[:80])
    if "nodecl" not in name and "charset=" not in str(headers):
        assert not r.warnings


def test_chinese_items_detected_as_zh_and_lang_override() -> None:
    r = parse((DATA / "gb2312_nodecl.xml").read_bytes())
    assert {i.lang for i in r.items} == {"zh"}
    forced = parse_feed(
        (DATA / "zh_utf8.xml").read_bytes(),
        {},
        "https://x/",
        feed_key="k",
        fetched_at=NOW,
        lang="en",
    )
    assert {i.lang for i in forced.items} == {"en"}


def test_bozo_feed_keeps_recovered_entries_with_warning() -> None:
    r = parse((DATA / "illformed_truncated.xml").read_bytes())
    assert r.bozo and len(r.items) >= 3
    assert any("not well-formed" in w for w in r.warnings)
    ent = parse((DATA / "illformed_entities.xml").read_bytes())
    assert len(ent.items) == 2 and ent.items[1].title == "Second item fine"


def test_not_a_feed_and_empty() -> None:
    assert parse(b"").error and parse(b"").items == []
    assert parse((DATA / "not_a_feed.html").read_bytes()).error
    empty = parse((DATA / "rss20_empty_channel.xml").read_bytes())
    assert empty.error is None and empty.items == [] and empty.title == "Test feed"


def test_untitled_entry_gets_title_from_text() -> None:
    r = parse((DATA / "rss092.xml").read_bytes())
    assert r.items[1].title == "Only a description: users reached 10 million."
    assert r.items[1].paragraphs == ("Only a description: users reached 10 million.",)


def test_fast_path_and_feedparser_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    """A feed that is sometimes well-formed and sometimes not must keep its ids and hashes."""
    names = [
        "rss20_basic.xml",
        "rss10.rdf",
        "atom10.xml",
        "gb2312_nodecl.xml",
        "big5_decl.xml",
        "rss20_relative_links.xml",
        "rss20_content_encoded.xml",
        "atom10_no_ids.xml",
        "rss20_no_guid_no_link.xml",
        "latin1_decl.xml",
        "rss090.rdf",
    ]
    fast = {n: parse((DATA / n).read_bytes()) for n in names}
    assert all(r.fast_path for r in fast.values())

    def no_fast(*a: object) -> object:
        raise feeds_mod._Fallback

    monkeypatch.setattr(feeds_mod, "_fast", no_fast)
    for n in names:
        slow = parse((DATA / n).read_bytes())
        assert not slow.fast_path
        key = lambda r: [(i.id, i.content_hash, i.url, i.published, i.title) for i in r.items]  # noqa: E731
        assert key(slow) == key(fast[n]), n
