"""``html_to_text`` (regex fast path + ``html.parser`` fallback) gives exactly what the original
``html.parser``-only implementation gave, kept here as the reference: on every HTML fragment and
whole document of both feed corpora, on hand-picked tricky markup, and on generated HTML."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.sources import html_text
from bot.sources.html_text import html_to_text, paragraphs
from tests.sources.helpers import DATA, SHARED

# ---- the reference: html_text.py as it was before the fast path, verbatim ----------------------

_BLOCK = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "table",
        "section",
        "article",
        "blockquote",
        "pre",
        "header",
        "footer",
        "figure",
        "figcaption",
        "hr",
        "dd",
        "dt",
    ]
)
_SKIP = frozenset(
    {"script", "style", "template", "noscript", "head", "svg"}
)  # iframe, object: kept
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BREAKS = re.compile(r"\n\s*\n+")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def reference(html: str) -> str:
    p = _Text()
    p.feed(html)
    p.close()
    text = "".join(p.parts)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BREAKS.sub("\n\n", "\n".join(lines)).strip()


def reference_paragraphs(text: str) -> tuple[str, ...]:
    parts = [p.strip() for p in re.split(r"\n\s*\n", text)]
    if len(parts) == 1:
        parts = [p.strip() for p in text.splitlines()]
    return tuple(p for p in parts if p)


def uses_fast_path(html: str) -> bool:
    if "\x00" in html:
        return False
    try:
        try:
            html_text._split_parts(html)
        except html_text._RawText:
            html_text._fast_parts(html)
    except html_text._Unsure:
        return False
    return True


def check(html: str) -> None:
    assert html_to_text(html) == reference(html), html
    # Both fast paths, where they apply, give what html.parser gives (html_to_text takes the
    # first that does, so compare the other one directly).
    ref_parts = "".join(html_text._parser_parts(html))
    for fast in (html_text._split_parts, html_text._fast_parts):
        if "\x00" in html:
            break
        try:
            got = "".join(fast(html))
        except (html_text._Unsure, html_text._RawText):
            continue
        assert got == ref_parts, (fast.__name__, html)


# ---- corpora ------------------------------------------------------------------------------------


def _fragments(path: Path) -> list[str]:
    """Every HTML-ish string of a feed file (as feedparser reads it, unsanitized), and the
    whole file as text (a stress test: prologs, CDATA, doctypes)."""
    data = path.read_bytes()
    out = [data.decode("utf-8", "replace"), data.decode("latin-1")]
    d = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    out.append(d.feed.get("title", "") or "")
    out.append(d.feed.get("subtitle", "") or "")
    for e in d.entries:
        out.append(e.get("title", "") or "")
        out.append(e.get("summary", "") or "")
        out.extend(c.get("value") or "" for c in e.get("content") or [])
    return [s for s in out if s]


def _files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_file() and p.suffix not in (".py", ".tsv"))


OURS = _files(DATA)


def test_our_corpus_is_there() -> None:
    assert len(OURS) == 39


@pytest.mark.parametrize("path", OURS, ids=lambda p: p.name)
def test_same_as_reference_on_our_corpus(path: Path) -> None:
    for frag in _fragments(path):
        check(frag)


def test_same_as_reference_on_shared_corpus() -> None:
    files = _files(SHARED)
    if not files:
        pytest.skip(f"{SHARED} is absent")
    fast = total = 0
    for path in files:
        for frag in _fragments(path):
            check(frag)
            total += 1
            fast += uses_fast_path(frag)
    # the fast path must really be the common case, or this test proves little
    assert fast > total * 0.8, (fast, total)


def test_benchmark_entries_take_the_fast_path() -> None:
    body = (
        "<p>Company said on Monday it will spend as much as <b>$10 billion</b> on data "
        "centres this year, up 66% year over year.</p><p>Revenue rose to 30.5 billion yuan "
        '(about $1.2 billion). <a href="/more/0">More</a></p>'
    )
    assert uses_fast_path(body)
    check(body)


# ---- hand-picked ---------------------------------------------------------------------------------

TRICKY = [
    "",
    "plain text",
    "a &amp; b &lt;c&gt; &#8217; &#x2019; &nbsp; &copy &notanentity; &",
    "&amp",
    "x &am<b>p;</b> y",
    "<p>one</p><p>two<br>three<br/>four<br />five</p>",
    "<P CLASS=x>Upper</P><DIV>case</DIV>",
    "<a href=\"x>y\" title='<b>'>link</a> after",
    '<a href="/more/1">More</a>',
    "<a href=x/>not self-closing</a>",
    "<a href=x />self-closing</a>",
    "<svg class=x/>hidden, not self-closing</svg>shown",
    "<svg class=x />shown: self-closing",
    "<script src=x/>hidden</script>shown",
    '<img src="a.png" alt="A > B"/>text',
    "<script>var a = 1 < 2; document.write('<p>x</p>');</script>after",
    "<script>if (a</b) {}</script>after",
    "<script>x</SCRIPT>after",
    "<script>x</script >after",
    "<script>x</ script>after",
    "<script><!-- </script> -->after",
    "<script src=x></script>kept",
    "<script>never closed",
    "<script/>after self-closing script",
    "<style>p { color: red }</style>text",
    "<style>a > b {}</style>text",
    "<iframe src=x></iframe>after",
    "<iframe>fallback <b>content</b></iframe>after",
    "<iframe></noscript>hidden?</iframe>after",
    "<noscript><img src=x></noscript>after",
    "<title>A &amp; B</title>t",
    "<title>A B</title>t",
    "<textarea><p>raw?</p></textarea>t",
    "<xmp><b>x</b></xmp>",
    "<plaintext><b>x</b>",
    "<svg><script>1</script><text>in svg</text></svg>after",
    "<svg><svg>deep</svg>still</svg>out",
    "</svg></svg>unopened ends<svg>in</svg>out",
    "<template><p>t</p></template><head><title>h</title></head>body",
    "<object><param name=x></object>o",
    "<!-- a comment -->text<!---->x<!-->y<!--->z",
    "<!-- a -- b -->text",
    "<!-- a --!>text-->",
    "<!-- unterminated comment",
    "<!--[if IE]><p>ie</p><![endif]-->after",
    "<![CDATA[<p>cdata</p>]]>after",
    "<!DOCTYPE html><html><body>doc</body></html>",
    "<?xml version='1.0'?><p>pi</p>",
    "a < b and c > d",
    "<3 love",
    "x <",
    "x </",
    "x </>y",
    "x </ p>y",
    '</p class="x">y',
    "<p unclosed",
    '<p a="unterminated>text',
    "<a b=c d='e' f>g</a>",
    "<a  b = c>g</a>",
    "<a\nhref='x'\n>g</a>",
    '<a href="x"title="y">no space</a>',
    "<o:p>office</o:p><my-el>custom</my-el>",
    "<p\u00a0x>nbsp in tag</p>",
    "<p>a\u00a0\u00a0b\t\tc\r\nd\x0be\x0cf</p>",
    "<p>\u2028line\u2029sep\x85nel\x1c</p>",
    "<li>one<li>two<ul><li>three</ul>",
    "<table><tr><td>a<td>b<tr><td>c</table>",
    "<pre>  keep\n\n\n  lines  </pre>",
    "x\x00y<p>nul</p>",
    "<p>\n\n\n \n text \n\n</p>",
    "<br><br><br>",
    "text<br/>more",
    "<P>Ünïcödé <b>İstanbul</b></P><SCRİPT>x</SCRİPT>",
    "<div><script>a</script><script>b</script>c</div>",
    "<noscript><noscript>x</noscript>y</noscript>z",
]


@pytest.mark.parametrize("html", TRICKY)
def test_same_as_reference_on_tricky_markup(html: str) -> None:
    check(html)


def test_fallback_is_taken_for_what_the_fast_path_cannot_vouch_for() -> None:
    for html in ("a < b", "<![CDATA[x]]>", "<!DOCTYPE html>", "<?pi?>", "<script>a<!--</script>"):
        assert not uses_fast_path(html), html
        check(html)


# ---- generated ----------------------------------------------------------------------------------

NAMES = [
    *sorted(_BLOCK | _SKIP),
    "a",
    "b",
    "span",
    "title",
    "textarea",
    "xmp",
    "plaintext",
    "noembed",
    "img",
    "o:p",
    "my-el",
    "x1",
]
_name = st.sampled_from(NAMES).flatmap(lambda n: st.sampled_from([n, n.upper(), n.capitalize()]))
_ws = st.sampled_from(["", " ", "  ", "\n", "\t", " \r\n ", "\x0c", "\u00a0"])
_text = st.text(
    alphabet=st.sampled_from(list("ab <>&;#x/=\"'-!?[]\n\t\u00a0É中")) | st.characters(),
    max_size=12,
)
_entity = st.sampled_from(
    ["&amp;", "&lt;", "&gt;", "&nbsp;", "&#8217;", "&#x2019;", "&copy", "&amp", "&#", "&#x;", "&"]
)
_value = st.one_of(
    _text.map(lambda s: '"' + s.replace('"', "") + '"'),
    _text.map(lambda s: "'" + s.replace("'", "") + "'"),
    st.sampled_from(["x", "x/", "/", "a>b", "1", "", "`x`", "a=b", "http://e.com/p?q=1&amp;r=2"]),
)
_attr = st.builds(
    lambda w, n, eq, v: f"{w or ' '}{n}" + (f"{eq}{v}" if v is not None else ""),
    _ws,
    st.sampled_from(["href", "class", "data-x", "xml:lang", "@click", "a", "B", "=x", "/"]),
    st.sampled_from(["=", " = ", "==", "="]),
    st.none() | _value,
)
_start = st.builds(
    lambda n, attrs, w, close: f"<{n}{''.join(attrs)}{w}{close}",
    _name,
    st.lists(_attr, max_size=3),
    _ws,
    st.sampled_from([">", "/>", " />", "", ">"]),
)
_end = st.builds(lambda n, w: f"</{n}{w}>", _name, _ws) | st.sampled_from(
    ["</>", "</ p>", "</p x=1>", "</script >", "</SCRIPT>", "</"]
)
_comment = st.builds(
    lambda body, close: f"<!--{body}{close}",
    _text,
    st.sampled_from(["-->", "--->", "--!>", "-- >", "", ">"]),
) | st.sampled_from(["<!---->", "<!-->", "<!--->", "<!--[if IE]>x<![endif]-->"])
_other = st.sampled_from(
    ["<![CDATA[<p>c</p>]]>", "<!DOCTYPE html>", "<?php x ?>", "<", "< b", "<3", "<!x>", "\x00"]
)
_token = st.one_of(_text, _entity, _start, _start, _end, _end, _comment, _other)
_html = st.lists(_token, max_size=30).map("".join)


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_html)
@example("<script>a</script>b<script>c")
@example('<a title="x>"><p>y</p></a>')
def test_same_as_reference_on_generated_html(html: str) -> None:
    check(html)


# mostly markup the fast path takes, so that it is the one being compared
_soft_text = _text.map(lambda s: s.replace("<", ""))
_soft_value = st.one_of(
    _soft_text.map(lambda s: '"' + s.replace('"', "") + '"'),
    _soft_text.map(lambda s: "'" + s.replace("'", "") + "'"),
    st.sampled_from(["x", "x/", "a>b", "1", "http://e.com/p?q=1&amp;r=2"]),
)
_soft_attr = st.builds(
    lambda w, n, v: f"{w or ' '}{n}" + (f"={v}" if v is not None else ""),
    st.sampled_from([" ", "\n", "  "]),
    st.sampled_from(["href", "class", "data-x", "xml:lang", "a"]),
    st.none() | _soft_value,
)
_soft_start = st.builds(
    lambda n, attrs, close: f"<{n}{''.join(attrs)}{close}",
    _name,
    st.lists(_soft_attr, max_size=2),
    st.sampled_from([">", ">", ">", "/>", " />"]),
)
_soft_end = st.builds(lambda n, w: f"</{n}{w}>", _name, st.sampled_from(["", "", " "]))
_soft_comment = st.builds(lambda b: f"<!--{b}-->", _soft_text) | st.just("<!---->")
_soft_html = st.lists(
    st.one_of(_soft_text, _entity, _soft_start, _soft_end, _soft_end, _soft_comment), max_size=30
).map("".join)


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_soft_html)
def test_same_as_reference_on_generated_tidy_html(html: str) -> None:
    check(html)


@settings(max_examples=1000, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "<p>",
                "</p>",
                "<b>",
                "<svg>",
                "</svg>",
                "<script>",
                "</script>",
                "<br/>",
                "x",
                " ",
                "\n",
                "&amp;",
            ]
        ),
        max_size=40,
    )
)
def test_same_as_reference_on_generated_nesting(tokens: list[str]) -> None:
    check("".join(tokens))


@settings(max_examples=1000, deadline=None)
@given(st.text(max_size=200))
def test_same_as_reference_on_any_text(s: str) -> None:
    check(s)
    assert paragraphs(s) == reference_paragraphs(s)


def test_paragraphs() -> None:
    assert paragraphs("a\n\nb\n \n\nc") == ("a", "b", "c")
    assert paragraphs("a\nb") == ("a", "b")
    assert paragraphs("") == ()
