"""Hostile XML is defused or refused fast and in bounded memory; charset detection."""

from __future__ import annotations

import time
import tracemalloc
from datetime import UTC, datetime

import pytest

from bot.sources.feeds import parse_feed
from bot.sources.guard import MAX_DEPTH, check_xml, decode_document, zh_score
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
def test_deep_nesting_refused_fast(depth: int) -> None:
    if depth == 5_000:
        data = (DATA / "attack_deep_nesting.xml").read_bytes()
    else:
        data = rss([("d", "Deep", "x")]).replace(
            b"&lt;p&gt;x&lt;/p&gt;", b"<div>" * depth + b"capex" + b"</div>" * depth
        )
    r, elapsed, peak = measured(data)
    assert r.error and "nested deeper" in r.error
    assert peak < 4 * len(data) + 10 * 2**20, (elapsed, peak)


def test_depth_scan_ignores_cdata_comments_and_void_tags() -> None:
    html = b"<![CDATA[" + b"<p>" * 1000 + b"]]><!--" + b"<x>" * 1000 + b"-->" + b"<br>" * 1000
    doc = b"<rss><channel><item><description>" + html + b"</description></item></channel></rss>"
    assert check_xml(doc).refused is None
    deep = b"<a>" * (MAX_DEPTH + 1) + b"</a>" * (MAX_DEPTH + 1)
    assert check_xml(deep).refused


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
