"""Hostile XML is defused or refused fast and in bounded memory; charset detection."""

from __future__ import annotations

import time
import tracemalloc
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import feedparser
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.sources.feeds import parse_feed
from bot.sources.guard import MAX_DEPTH, MAX_EXPANSION, check_xml, decode_document, zh_score
from tests.sources.helpers import DATA, SHARED, rss

NOW = datetime(2026, 2, 5, tzinfo=UTC)


def measured(data: bytes):
    tracemalloc.start()
    t = time.perf_counter()
    try:
        r = parse_feed(data, {}, "https://h.example.com/", feed_key="k", fetched_at=NOW)
    finally:
        elapsed = time.perf_counter() - t
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return r, elapsed, peak


@pytest.mark.parametrize(
    "name",
    ["attack_billion_laughs.xml", "attack_quadratic_blowup.xml", "attack_external_entity.xml"],
)
def test_entity_attacks_are_defused(name: str) -> None:
    data = (DATA / name).read_bytes()
    r, elapsed, peak = measured(data)
    assert peak < 20 * 2**20, (elapsed, peak)  # expansion would need gigabytes
    assert any("entity-expansion guard" in w for w in r.warnings)
    assert len(r.items) == 2  # the rest of the feed still parses
    assert all(len(i.text) < 20_000 for i in r.items)  # references stay literal
    assert "root:" not in " ".join(i.text for i in r.items)  # no external entity read


def test_harmless_internal_entity_still_works() -> None:
    r, _, _ = measured((DATA / "safe_internal_entity.xml").read_bytes())
    assert r.items[0].title == "Contoso Ltd raises capex to $5 billion"
    assert not r.warnings


@pytest.mark.parametrize("depth", [5_000, 100_000])
def test_deep_nesting_keeps_items_and_cuts_the_nesting(depth: int) -> None:
    if depth == 5_000:
        data = (DATA / "attack_deep_nesting.xml").read_bytes()
    else:
        data = rss([("d", "Deep", "x"), ("o", "Ordinary", "y")]).replace(
            b"&lt;p&gt;x&lt;/p&gt;", b"<div>" * depth + b"capex" + b"</div>" * depth, 1
        )
    r, elapsed, peak = measured(data)
    assert r.error is None
    assert len(r.items) == 2, r.warnings  # the deep item and the ordinary one
    assert any("nested deeper" in w for w in r.warnings)
    assert peak < 4 * len(data) + 10 * 2**20, (elapsed, peak)
    if depth == 100_000:
        assert "capex" in r.items[0].text


def test_depth_scan_ignores_cdata_comments_and_void_tags() -> None:
    html = b"<![CDATA[" + b"<p>" * 1000 + b"]]><!--" + b"<x>" * 1000 + b"-->" + b"<br>" * 1000
    doc = b"<rss><channel><item><description>" + html + b"</description></item></channel></rss>"
    assert check_xml(doc).data == doc
    deep = b"<a>" * (MAX_DEPTH + 1) + b"x" + b"</a>" * (MAX_DEPTH + 1)
    cut = check_xml(deep)
    assert cut.truncated_depth
    assert cut.data == b"<a>" * MAX_DEPTH + b"x" + b"</a>" * MAX_DEPTH


def test_shared_attack_files_when_present() -> None:
    if not SHARED.is_dir():
        pytest.skip(f"shared corpus not present at {SHARED}")
    for name in ("attack_billion_laughs.xml", "attack_deep_nesting.xml"):
        path = SHARED / name
        if path.exists():
            _r, elapsed, peak = measured(path.read_bytes())
            assert peak < 50 * 2**20, (name, elapsed, peak)


def test_decode_prefers_bytes_over_wrong_labels() -> None:
    zh = "<?xml version='1.0'?><rss><title>腾讯资本开支增长，营收同比增长</title></rss>"
    d = decode_document(zh.encode("gb2312"), {"Content-Type": "text/xml; charset=utf-8"})
    assert d.encoding == "gb18030" and "腾讯资本开支" in d.data.decode()
    assert d.warnings  # the wrong label is reported
    tw = "<rss><title>台積電資本支出增加，營收年增</title></rss>"
    assert decode_document(tw.encode("big5")).encoding == "cp950"
    latin = "<rss><title>Börse Café</title></rss>"
    assert decode_document(latin.encode("latin-1")).data.decode() == latin
    decl = decode_document(b'<?xml version="1.0" encoding="ISO-8859-1"?><a>\xe9</a>')
    assert decl.data == b'<?xml version="1.0" encoding="utf-8"?><a>\xc3\xa9</a>'
    assert zh_score("的一是") == 1.0 and zh_score("abc") == 0.0


# ---- issue 16: the guard's DOCTYPE scan could be fooled ---------------------------------------


def _bomb(prolog_trick: str, subset_trick: str, uses: int = 2_000, size: int = 10_000) -> bytes:
    """A feed whose one safe-looking entity expands ``uses`` x ``size`` bytes."""
    return (
        f'<?xml version="1.0"?>\n{prolog_trick}<!DOCTYPE rss [\n{subset_trick}\n'
        f'<!ENTITY big "{"x" * size}">\n]>\n'
        '<rss version="2.0"><channel><title>T</title>'
        "<item><title>Bomb</title><guid>b</guid>"
        f"<description>{'&big;' * uses}</description></item>"
        "<item><title>Plain</title><guid>p</guid><description>ok</description></item>"
        "</channel></rss>"
    ).encode()


@pytest.mark.parametrize(
    "prolog_trick, subset_trick",
    [
        ("", "<!-- ]> -->"),  # a comment's "]>" ended the scan early
        ("<!-- <a -->\n", ""),  # "<a" in a comment hid the DOCTYPE
        ("", "<?pi ]> ?>"),
        ("", '<!ENTITY q "]>">'),
    ],
)
def test_guard_bypasses_are_closed(prolog_trick: str, subset_trick: str) -> None:
    data = _bomb(prolog_trick, subset_trick)
    checked = check_xml(data)
    assert b"<!ENTITY" not in checked.data
    r, _elapsed, peak = measured(data)
    assert peak < 20 * 2**20, peak  # expansion would be 20 MB of text
    assert {i.title for i in r.items} == {"Bomb", "Plain"}
    assert all(len(i.text) < 100_000 for i in r.items)
    assert any("entity-expansion guard" in w for w in r.warnings)


def test_ill_formed_bomb_after_comment_trick() -> None:
    """An ill-formed body sends the document to feedparser's loose parser, which expands the
    entities it finds in the prolog; none may reach it."""
    data = _bomb("", "<!-- ]> -->").replace(b"</channel>", b"<oops></channel>")
    r, _elapsed, peak = measured(data)
    assert peak < 20 * 2**20, peak
    assert all(len(i.text) < 100_000 for i in r.items)
    assert "Plain" in {i.title for i in r.items}


def _feedparser(data: bytes, *, loose: bool) -> list[dict[str, str]]:
    was = feedparser.api._XML_AVAILABLE
    feedparser.api._XML_AVAILABLE = not loose  # feedparser's own switch to its loose parser
    try:
        return list(feedparser.parse(data).entries)
    finally:
        feedparser.api._XML_AVAILABLE = was


_PIECES = [
    "<!-- ]> -->",
    "<!-- <a -->",
    "<?pi ]> ?>",
    "<?pi <a ?>",
    '<!ENTITY q "]>">',
    "<!ENTITY q ']>'>",
    '<!ENTITY % pe "x">',
    "%pe;",
    '<!ATTLIST a b CDATA "]>">',
    "<!ELEMENT a ANY>",
    "]",
    ">",
    "]>",
    "<a",
    '"',
    "'",
    "<!--",
    "-->",
    "<!DOCTYPE x [",
    '<!ENTITY big "' + "y" * 5_000 + '">',
    "\n",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    before=st.lists(st.sampled_from(_PIECES), max_size=4),
    subset=st.lists(st.sampled_from(_PIECES), max_size=8),
    after=st.lists(st.sampled_from(_PIECES), max_size=3),
    ill_formed=st.booleans(),
)
def test_doctype_fuzz_never_expands_past_the_budget(
    before: list[str], subset: list[str], after: list[str], ill_formed: bool
) -> None:
    """Comments, PIs, quotes and "]>" mixed into a DOCTYPE: whatever the guard makes of it, no
    parser that runs afterwards expands the 5 KB entity used 500 times (2.5 MB)."""
    doc = (
        '<?xml version="1.0"?>\n'
        + "".join(before)
        + "<!DOCTYPE rss [\n"
        + "".join(subset)
        + '\n<!ENTITY big "'
        + "x" * 5_000
        + '">\n'
        + "".join(after)
        + "\n]>\n"
        + '<rss version="2.0"><channel><title>T</title><item><title>Bomb</title>'
        + f"<description>{'&big;' * 500}</description></item>"
        + ("<oops>" if ill_formed else "")
        + "</channel></rss>"
    ).encode()
    budget = MAX_EXPANSION
    checked = check_xml(doc)
    assert len(checked.data) <= len(doc) + budget
    for loose in (False, True):  # feedparser's strict parser (expat), then its loose one
        parsed = _feedparser(checked.data, loose=loose)
        size = sum(len(str(e.get("summary", ""))) + len(str(e.get("title", ""))) for e in parsed)
        assert size < len(doc) + budget
    try:
        root = ET.fromstring(checked.data)
    except ET.ParseError:
        pass
    else:
        assert sum(len(t) for t in root.itertext()) < len(doc) + budget
    r = parse_feed(doc, {}, "https://h.example.com/", feed_key="k", fetched_at=NOW)
    assert sum(len(i.text) for i in r.items) < len(doc) + budget


def test_ten_megabyte_quadratic_feed_is_bounded() -> None:
    """A 10 MB feed (the fetch cap) built to expand quadratically: 60 entities of 2.5 KB each,
    used 2.6 million times (6.5 GB expanded). Memory stays a small multiple of the input."""
    decls = "".join(f'<!ENTITY e{k} "{"z" * 2_500}">' for k in range(60))
    refs = "".join(f"&e{k % 60};" for k in range(10 * 2**20 // 4))
    doc = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!-- ]> -->{decls}]>'
        '<rss version="2.0"><channel><title>T</title><item><title>Q</title>'
        f"<description>{refs}</description></item>"
        "<item><title>Plain</title><description>ok</description></item></channel></rss>"
    ).encode()
    assert len(doc) > 10 * 2**20
    r, _elapsed, peak = measured(doc)
    # Linear in the input (html.unescape keeps a piece per reference); expanded, it would be
    # 500x the input.
    assert peak < 25 * len(doc), peak
    assert "Plain" in {i.title for i in r.items}
    assert all(len(i.text) < 2 * len(doc) for i in r.items)
    assert any("entity-expansion guard" in w for w in r.warnings)
