"""Writes the feed corpus in this folder (run: python tests/data/feeds/generate.py).

Every file is made up here (no third-party content). tests/sources/test_corpus.py lists what
each one must give.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent

ZH_TITLE = "腾讯第三季度营收同比增长15%"
ZH_BODY = "腾讯公司今天公布，第三季度营收为1,593亿元人民币，同比增长15%。资本开支约为130亿元。"
TW_TITLE = "台積電第三季營收年增36%"
TW_BODY = "台積電公布第三季營收新台幣7,597億元，較去年同期增加36%。公司表示資本支出維持不變。"
LATIN_TITLE = "Siemens: Umsatz steigt um 5 % - Café-Kette übernimmt Müller"
LATIN_BODY = "Der Umsatz stieg auf 19,4 Milliarden Euro. Déjà vu für die Börse: Aktie fällt um 3 %."


def rss20(
    items: str,
    extra_ns: str = "",
    title: str = "Test feed",
    decl: str = '<?xml version="1.0" encoding="utf-8"?>\n',
) -> str:
    return (
        f'{decl}<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        f'xmlns:dc="http://purl.org/dc/elements/1.1/"{extra_ns}>\n<channel>\n<title>{title}</title>\n'
        f"<link>https://news.example.com/</link>\n<description>Test</description>\n{items}</channel>\n</rss>\n"
    )


def item(
    i: int,
    *,
    guid: bool = True,
    link: bool = True,
    date: bool = True,
    body: str | None = None,
    title: str | None = None,
) -> str:
    parts = [f"<item>\n<title>{title or f'Company {i} lifts capex to ${i + 10} billion'}</title>"]
    if link:
        parts.append(f"<link>https://news.example.com/story/{i}</link>")
    if guid:
        parts.append(f'<guid isPermaLink="false">story-{i}</guid>')
    if date:
        parts.append(f"<pubDate>Mon, 0{(i % 9) + 1} Feb 2026 08:00:00 GMT</pubDate>")
    parts.append(
        "<description>"
        + (
            body
            if body is not None
            else f"&lt;p&gt;Company {i} will spend as much as ${i + 10} billion this year.&lt;/p&gt;"
        )
        + "</description>\n</item>\n"
    )
    return "\n".join(parts)


FILES: dict[str, bytes | str] = {}

FILES["rss091.xml"] = """<?xml version="1.0" encoding="ISO-8859-1"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>RSS 0.91</title><link>https://old.example.com/</link>
<description>Old style</description><language>en-us</language>
<item><title>Revenue rose 12% to $4.2 billion</title><link>https://old.example.com/a</link>
<description>Quarterly revenue rose 12% to $4.2 billion.</description></item>
<item><title>Net profit of $800 million</title><link>https://old.example.com/b</link>
<description>Net profit was $800 million.</description></item>
</channel></rss>
"""
FILES["rss092.xml"] = """<?xml version="1.0"?>
<rss version="0.92"><channel><title>RSS 0.92</title><link>https://old.example.com/</link><description>d</description>
<item><title>Shares fell 20%</title><description>&lt;b&gt;Shares&lt;/b&gt; fell 20% on Monday.</description>
<enclosure url="https://old.example.com/a.mp3" length="1" type="audio/mpeg"/></item>
<item><description>Only a description: users reached 10 million.</description></item>
</channel></rss>
"""
FILES["rss090.rdf"] = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/">
<channel><title>RSS 0.90</title><link>https://rdf.example.com/</link><description>d</description></channel>
<item><title>Borrowing of 50 billion yen</title><link>https://rdf.example.com/1</link></item>
<item><title>Spending up to $3 billion</title><link>https://rdf.example.com/2</link></item>
</rdf:RDF>
"""
FILES["rss10.rdf"] = """<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel rdf:about="https://rdf.example.com/"><title>RSS 1.0</title><link>https://rdf.example.com/</link><description>d</description>
<items><rdf:Seq><rdf:li rdf:resource="https://rdf.example.com/x1"/><rdf:li rdf:resource="https://rdf.example.com/x2"/></rdf:Seq></items></channel>
<item rdf:about="https://rdf.example.com/x1"><title>Alphabet capex $75 billion</title><link>https://rdf.example.com/x1</link>
<dc:date>2026-02-04T21:05:00Z</dc:date><description>Alphabet expects capex of about $75 billion.</description></item>
<item rdf:about="https://rdf.example.com/x2"><title>Meta capex</title><link>https://rdf.example.com/x2</link>
<dc:date>2026-02-03T10:00:00+08:00</dc:date><content:encoded><![CDATA[<p>Meta says capex up to <b>$135 billion</b>.</p><p>Second paragraph.</p>]]></content:encoded></item>
</rdf:RDF>
"""
FILES["rss20_basic.xml"] = rss20("".join(item(i) for i in range(5)))
FILES["rss20_no_guid.xml"] = rss20("".join(item(i, guid=False) for i in range(4)))
FILES["rss20_no_guid_no_link.xml"] = rss20(
    "".join(item(i, guid=False, link=False) for i in range(4))
)
FILES["rss20_no_dates.xml"] = rss20("".join(item(i, date=False) for i in range(3)))
FILES["rss20_bad_dates.xml"] = rss20(
    item(1).replace("Mon, 02 Feb 2026 08:00:00 GMT", "yesterday-ish")
    + item(2).replace(
        "<pubDate>Mon, 03 Feb 2026 08:00:00 GMT</pubDate>", "<dc:date>2026-02-03</dc:date>"
    )
    + item(3).replace(
        "<pubDate>Mon, 04 Feb 2026 08:00:00 GMT</pubDate>",
        "<pubDate>2026-02-04T09:30:00+01:00</pubDate>",
    )
)
FILES["rss20_relative_links.xml"] = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xml:base="https://rel.example.com/news/"><channel><title>Relative</title><link>/</link><description>d</description>
<item><title>Relative link</title><link>story/1.html</link><guid isPermaLink="false">r1</guid>
<description>&lt;p&gt;See &lt;a href="../more.html"&gt;more&lt;/a&gt; and &lt;img src="/img/chart.png"&gt;&lt;/p&gt;</description></item>
<item><title>Absolute path</title><link>/top/2.html</link><guid isPermaLink="false">r2</guid><description>x</description></item>
</channel></rss>
"""
FILES["rss20_content_encoded.xml"] = rss20(
    """<item><title>Nvidia revenue &amp; profit</title><link>https://news.example.com/nv</link><guid>https://news.example.com/nv</guid>
<pubDate>Wed, 04 Feb 2026 12:00:00 +0000</pubDate><description>Short summary.</description>
<content:encoded><![CDATA[<script>alert("x")</script><style>p{color:red}</style><p onclick="evil()">Revenue rose to <b>$39.3&nbsp;billion</b>, up 78% &mdash; a record.</p>
<p>Net income was $22.1 billion.</p><a href="javascript:alert(1)">click</a><iframe src="https://evil.example/"></iframe>]]></content:encoded></item>
"""
)
FILES["rss20_cdata_whitespace.xml"] = rss20(
    "<item><title><![CDATA[\n   Amazon plans  $100 billion\n  capex  ]]></title><guid>cd1</guid>"
    "<description><![CDATA[  <div>Amazon <em>plans</em> to spend $100 billion.</div>  ]]></description></item>\n"
)
FILES["rss20_dup_guids.xml"] = rss20(item(1) + item(1, body="Different body, same guid.") + item(2))
FILES["rss20_media_only.xml"] = rss20(
    "<item><title>Video: capex explained</title><guid>v1</guid><media:group><media:description>Microsoft capex rose to $80 billion.</media:description></media:group></item>\n",
    extra_ns=' xmlns:media="http://search.yahoo.com/mrss/"',
)
FILES["rss20_empty_channel.xml"] = rss20("")
FILES["atom10.xml"] = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom 1.0</title><id>urn:uuid:feed</id><updated>2026-02-04T00:00:00Z</updated>
<link href="https://atom.example.com/"/>
<entry><title type="html">Microsoft &lt;b&gt;capex&lt;/b&gt; $80B</title><id>tag:atom.example.com,2026:1</id>
<link rel="alternate" href="https://atom.example.com/1"/><published>2026-02-01T09:00:00Z</published><updated>2026-02-02T09:00:00Z</updated>
<content type="html">&lt;p&gt;Microsoft will spend about $80 billion.&lt;/p&gt;&lt;p&gt;More text.&lt;/p&gt;</content></entry>
<entry><title>Plain text title</title><id>tag:atom.example.com,2026:2</id><link href="https://atom.example.com/2"/>
<updated>2026-02-03T09:00:00+02:00</updated><summary>Summary with a &lt; sign: 5 &lt; 6.</summary></entry>
</feed>
"""
FILES["atom10_xhtml.xml"] = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">XHTML <b>feed</b></div></title>
<id>urn:x</id><updated>2026-02-04T00:00:00Z</updated>
<entry><title>XHTML entry</title><id>urn:x:1</id><updated>2026-02-04T00:00:00Z</updated><link href="https://x.example.com/1"/>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Oracle revenue of <strong>$14 billion</strong>.</p><p>Second.</p></div></content></entry>
</feed>
"""
FILES["atom10_xml_base.xml"] = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://base.example.com/blog/"><title>Base</title><id>urn:b</id><updated>2026-02-04T00:00:00Z</updated>
<entry xml:base="2026/"><title>Entry</title><id>urn:b:1</id><updated>2026-02-04T00:00:00Z</updated><link href="post.html"/>
<content type="html">&lt;a href="img/x.png"&gt;pic&lt;/a&gt;</content></entry>
</feed>
"""
FILES["atom10_no_ids.xml"] = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>No ids</title>
<entry><title>First without id</title><summary>Profit of $1 billion.</summary></entry>
<entry><title>Second without id</title><summary>Profit of $2 billion.</summary><updated>2026-02-02T00:00:00Z</updated></entry>
</feed>
"""
FILES["atom03.xml"] = """<?xml version="1.0" encoding="utf-8"?>
<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Atom 0.3</title><link rel="alternate" type="text/html" href="https://a03.example.com/"/>
<modified>2026-02-04T00:00:00Z</modified>
<entry><title>Atom 0.3 entry: market value $3 trillion</title><link rel="alternate" type="text/html" href="https://a03.example.com/1"/>
<id>tag:a03.example.com,2026:1</id><issued>2026-02-04T08:00:00Z</issued><modified>2026-02-04T08:00:00Z</modified>
<content type="text/html" mode="escaped">&lt;p&gt;Apple market value hit $3 trillion.&lt;/p&gt;</content></entry>
</feed>
"""
zh_items = "".join(
    f"<item><title>{ZH_TITLE}（{i}）</title><link>https://zh.example.com/{i}</link><guid>zh-{i}</guid>"
    f"<pubDate>Wed, 04 Feb 2026 0{i}:00:00 +0800</pubDate><description><![CDATA[<p>{ZH_BODY}</p>]]></description></item>\n"
    for i in range(3)
)
tw_items = "".join(
    f"<item><title>{TW_TITLE}（{i}）</title><link>https://tw.example.com/{i}</link><guid>tw-{i}</guid>"
    f"<description>{TW_BODY}</description></item>\n"
    for i in range(3)
)
FILES["zh_utf8.xml"] = rss20(zh_items, title="中文新闻")
FILES["gb2312_decl.xml"] = rss20(
    zh_items, title="中文新闻", decl='<?xml version="1.0" encoding="gb2312"?>\n'
).encode("gb2312")
FILES["gb2312_nodecl.xml"] = rss20(zh_items, title="中文新闻", decl="").encode("gb2312")
FILES["gbk_decl.xml"] = rss20(
    zh_items.replace("腾讯公司", "朱镕基与腾讯公司"),
    title="中文新闻",
    decl='<?xml version="1.0" encoding="GBK"?>\n',
).encode("gbk")
FILES["big5_decl.xml"] = rss20(
    tw_items, title="中文新聞", decl='<?xml version="1.0" encoding="big5"?>\n'
).encode("big5")
FILES["big5_nodecl.xml"] = rss20(tw_items, title="中文新聞", decl="").encode("big5")
latin_items = "".join(
    f"<item><title>{LATIN_TITLE} {i}</title><link>https://de.example.com/{i}</link><description>{LATIN_BODY}</description></item>\n"
    for i in range(2)
)
FILES["latin1_decl.xml"] = rss20(
    latin_items, decl='<?xml version="1.0" encoding="ISO-8859-1"?>\n'
).encode("latin-1")
FILES["latin1_nodecl.xml"] = rss20(latin_items, decl="").encode("latin-1")
FILES["utf16_bom.xml"] = b"\xff\xfe" + rss20(
    latin_items, decl='<?xml version="1.0" encoding="utf-16"?>\n'
).encode("utf-16-le")
FILES["utf8_bom_leading_blank.xml"] = b"\xef\xbb\xbf" + ("\n\n" + rss20(item(7))).encode()
FILES["illformed_truncated.xml"] = rss20("".join(item(i) for i in range(4)))[:-260]
FILES["illformed_entities.xml"] = rss20(
    "<item><title>AT&T revenue &nbsp; up 3%</title><guid>e1</guid><description>Tom & Jerry &copy; 2026 &bogus; text</description></item>\n"
    "<item><title>Second item fine</title><guid>e2</guid><description>ok</description></item>\n"
)
FILES["empty.xml"] = b""
FILES["not_a_feed.html"] = (
    "<!DOCTYPE html><html><head><title>Home</title></head><body><p>Welcome</p></body></html>\n"
)
FILES["attack_billion_laughs.xml"] = (
    '<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY lol "lol">\n'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">\n'
        for n in range(1, 10)
    )
    + "]>\n"
    + rss20(item(1, title="Billion laughs &lol9;") + item(2), decl="")
)
FILES["attack_quadratic_blowup.xml"] = (
    '<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY big "'
    + "x" * 50000
    + '">\n]>\n'
    + rss20(item(1, body="&big;" * 2000) + item(2), decl="")
)
FILES["attack_external_entity.xml"] = (
    '<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n'
    + rss20(item(1, body="&xxe;") + item(2), decl="")
)
DEPTH = 5000
FILES["attack_deep_nesting.xml"] = rss20(
    "<item><title>Deep</title><guid>deep</guid><description>"
    + "<div>" * DEPTH
    + "capex 5 billion"
    + "</div>" * DEPTH
    + "</description></item>\n"
    + item(2)
)
FILES["safe_internal_entity.xml"] = (
    '<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY company "Contoso Ltd">\n]>\n'
    + rss20(item(1, title="&company; raises capex to $5 billion"), decl="")
)


def main() -> None:
    for name, content in FILES.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (HERE / name).write_bytes(data)
    print(f"wrote {len(FILES)} files to {HERE}")


if __name__ == "__main__":
    main()
