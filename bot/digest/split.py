"""Split Telegram HTML into messages under the 4,096-character limit (pure).

The digest templates write every line with its tags opened and closed on that line, and
paragraphs separated by a blank line. So cutting between paragraphs, or failing that between lines,
never breaks a tag. A single line longer than the limit (it cannot come from the templates, whose
names are clipped, but the function is total) loses its tags and is cut between words, never
inside an ``&entity;``.

Length is counted in UTF-16 code units, the unit Telegram counts in, over the raw HTML (tags
included), so every part is safely under the limit however Telegram measures it.
"""

from __future__ import annotations

import re

TELEGRAM_LIMIT = 4096
_PARA = re.compile(r"\n[ \t]*\n+")
_TAG = re.compile(r"<[^>]*>")


def tg_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def _hard_split(line: str, limit: int) -> list[str]:
    text = _TAG.sub("", line)
    out: list[str] = []
    while tg_len(text) > limit:
        cut = limit
        while tg_len(text[:cut]) > limit:  # astral characters count twice
            cut -= 1
        amp = text.rfind("&", 0, cut)
        if amp != -1 and ";" not in text[amp:cut]:
            cut = amp  # don't cut "&amp;" in half
        space = text.rfind(" ", 0, cut)
        if space > cut // 2:
            cut = space
        out.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        out.append(text)
    return [p for p in out if p]


def split_message(html: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """``html`` as few parts as possible, each at most ``limit``, cut at paragraphs then lines."""
    parts: list[str] = []
    cur = ""

    def push(chunk: str, sep: str) -> None:
        nonlocal cur
        if not cur:
            cur = chunk
        elif tg_len(cur) + len(sep) + tg_len(chunk) <= limit:
            cur += sep + chunk
        else:
            parts.append(cur)
            cur = chunk

    for para in _PARA.split(html.strip()):
        para = para.strip("\n")
        if not para.strip():
            continue
        if tg_len(para) <= limit:
            push(para, "\n\n")
            continue
        sep = "\n\n"
        for line in para.split("\n"):
            pieces = [line] if tg_len(line) <= limit else _hard_split(line, limit)
            for piece in pieces:
                push(piece, sep)
                sep = "\n"
    if cur:
        parts.append(cur)
    return parts
