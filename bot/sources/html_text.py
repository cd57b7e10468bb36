"""HTML -> clean plain text for extraction (pure, standard library only).

Script/style/template content is dropped, entities are decoded, block elements become paragraph
breaks, and runs of whitespace collapse. Malformed markup never raises: ``html.parser`` is
forgiving, and whatever text it sees is kept.

``html_to_text`` has a fast path: a regex tokenizer for the markup nearly every feed carries
(plain start/end tags with ordinary attributes, comments, short script/style/iframe elements).
It gives exactly what ``html.parser`` gives; any ``<`` it does not fully understand (stray
``<``, CDATA, doctypes, processing instructions, odd tag or attribute syntax, raw-text elements
with markup inside, ...) sends the whole fragment to ``html.parser`` instead. The equivalence is
tested against the ``html.parser`` implementation on the feed corpora and generated HTML.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

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
# iframe and object content is fallback text for readers that show neither: it is kept.
_SKIP = frozenset({"script", "style", "template", "noscript", "head", "svg"})
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


# ---- fast path ----------------------------------------------------------------------------------
#
# Only syntax that every ``html.parser`` version reads the same way is accepted: tag names of
# ASCII letters and digits, ASCII whitespace inside tags, attribute values quoted or bare (a bare
# value ends at whitespace or ">", never at "/>"), end tags without attributes, comments without
# "--" inside. Elements whose content some versions read as raw text (script, style, iframe,
# noscript, title, textarea; xmp, noembed, noframes, plaintext always fall back) are accepted
# only when that content cannot be read two ways.

_WS = r"[ \t\n\r\f]"
_TOKEN = re.compile(
    rf"""<(?:
        ([a-zA-Z][a-zA-Z0-9]*)                                  # 1: start tag name
        (?:{_WS}+[a-zA-Z_:][-a-zA-Z0-9_:.]*                     # attribute name
            (?:{_WS}*={_WS}*
                (?:"[^"]*"|'[^']*'|[^ \t\n\r\f"'=<>`/]+(?=[ \t\n\r\f>]))
            )?
        )*
        {_WS}*(/?)>                                             # 2: "/" of "/>"
      | /([a-zA-Z][a-zA-Z0-9]*){_WS}*>                          # 3: end tag name
      | !--(?!-?>)(?:[^-]|-[^-])*-->                            # comment
    )""",
    re.VERBOSE,
)
_RAW = frozenset({"script", "style"})  # raw text up to the first "</"
_PLAIN = frozenset({"iframe", "noscript", "title", "textarea"})  # text without "<" only
_ODD = frozenset({"xmp", "noembed", "noframes", "plaintext"})


_SPECIAL = _RAW | _PLAIN | _ODD


class _Unsure(Exception):
    """The fast path cannot vouch for this fragment: ``html.parser`` reads it."""


class _RawText(Exception):
    """The fragment has a raw-text element: ``_fast_parts`` reads it."""


def _fast_parts(html: str) -> list[str]:
    parts: list[str] = []
    append = parts.append
    skip = 0
    pos = 0
    n = len(html)
    search = _TOKEN.search
    while pos < n:
        m = search(html, pos)
        start = m.start() if m is not None else n
        if start > pos:
            data = html[pos:start]
            if "<" in data:
                raise _Unsure
            if not skip:
                append(unescape(data) if "&" in data else data)
        if m is None:
            break
        pos = m.end()
        name = m.group(1)
        if name is not None:
            tag = name.lower()
            if m.group(2):  # <tag/>: start and end
                if tag in _SPECIAL:
                    raise _Unsure
                if tag in _SKIP:
                    pass  # skip + 1 - 1
                elif tag in _BLOCK:
                    append("\n\n\n\n")
                continue
            if tag in _SKIP:
                skip += 1
            elif tag in _BLOCK:
                append("\n\n")
            if tag in _SPECIAL:
                if tag in _ODD:
                    raise _Unsure
                end = html.find("</" if tag in _RAW else "<", pos)
                close = f"</{tag}>"
                if end < 0 or html[end : end + len(close)].lower() != close:
                    raise _Unsure
                content = html[pos:end]
                if tag in _RAW:
                    if "<!" in content:
                        raise _Unsure
                elif tag not in _SKIP:  # title, textarea: plain text only
                    if "&" in content or "\x00" in content:
                        raise _Unsure
                    if not skip:
                        append(content)
                if tag in _SKIP:
                    skip -= 1  # its end tag; skip was raised above
                pos = end + len(close)
            continue
        name = m.group(3)
        if name is not None:
            tag = name.lower()
            if tag in _SKIP:
                if skip:
                    skip -= 1
            elif tag in _BLOCK:
                append("\n\n")
        # else: a comment, which says nothing
    return parts


def _split_parts(html: str) -> list[str]:
    """The fast path for fragments without raw-text elements: one ``re.split``, then a walk over
    (start name, "/", end name, text) groups. Raises ``_Unsure`` (or ``_RawText``: use
    ``_fast_parts``)."""
    toks = _TOKEN.split(html)
    parts: list[str] = []
    append = parts.append
    data = toks[0]
    if data:
        if "<" in data:
            raise _Unsure
        append(unescape(data) if "&" in data else data)
    skip = 0
    for i in range(1, len(toks), 4):
        name = toks[i]
        if name is not None:
            tag = name.lower()
            if tag in _SPECIAL:
                raise _RawText
            if toks[i + 1]:  # <tag/>: start and end
                if tag in _BLOCK:
                    append("\n\n\n\n")
            elif tag in _SKIP:
                skip += 1
            elif tag in _BLOCK:
                append("\n\n")
        else:
            name = toks[i + 2]
            if name is not None:
                tag = name.lower()
                if tag in _SKIP:
                    if skip:
                        skip -= 1
                elif tag in _BLOCK:
                    append("\n\n")
        data = toks[i + 3]
        if data:
            if "<" in data:
                raise _Unsure
            if not skip:
                append(unescape(data) if "&" in data else data)
    return parts


def _parser_parts(html: str) -> list[str]:
    p = _Text()
    p.feed(html)
    p.close()
    return p.parts


def html_to_text(html: str) -> str:
    """Plain text with paragraphs separated by one blank line."""
    if "<" not in html:
        text = unescape(html) if "&" in html else html
    elif "\x00" in html:
        text = "".join(_parser_parts(html))
    else:
        try:
            try:
                text = "".join(_split_parts(html))
            except _RawText:
                text = "".join(_fast_parts(html))
        except _Unsure:
            text = "".join(_parser_parts(html))
    # Runs of blanks become one space, lines are stripped, blank lines collapse. _SPACES has no
    # newline, so applying it to the whole text is applying it to each line.
    if (
        "  " in text
        or "\t" in text
        or "\r" in text
        or "\f" in text
        or "\v" in text
        or "\u00a0" in text
    ):
        text = _SPACES.sub(" ", text)
    return _BREAKS.sub("\n\n", "\n".join([line.strip() for line in text.split("\n")])).strip()


def plain_to_text(text: str) -> str:
    """What ``html_to_text(html.escape(text))`` gives, without the round trip: plain text
    with its whitespace normalized the same way."""
    if (
        "  " in text
        or "\t" in text
        or "\r" in text
        or "\f" in text
        or "\v" in text
        or "\u00a0" in text
    ):
        text = _SPACES.sub(" ", text)
    return _BREAKS.sub("\n\n", "\n".join([line.strip() for line in text.split("\n")])).strip()


def paragraphs(text: str) -> tuple[str, ...]:
    """Split plain text at blank lines (or single newlines when there are none)."""
    parts = [p.strip() for p in re.split(r"\n\s*\n", text)]
    if len(parts) == 1:
        parts = [p.strip() for p in text.splitlines()]
    return tuple(p for p in parts if p)
