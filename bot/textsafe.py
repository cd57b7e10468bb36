"""Untrusted text made safe for where it goes (pure).

Feed titles, sentences, URLs, HTTP reason phrases and rule text come from strangers. In a
terminal, an ESC byte or a bidi override rewrites what the operator sees; inside ``<…>`` in a
plain-text email or ``alerts.log``, a ``>`` or ``"`` in a URL ends the link early and lets the rest
pose as text. These helpers are the one place each of those is handled.
"""

from __future__ import annotations

import re
from urllib.parse import quote

# C0 (but tab and newline), DEL, C1, bidi embeddings/overrides/isolates, zero-width and BOM.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
# what may stay as it is in a URL (RFC 3986 reserved + unreserved, and existing escapes)
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~-._"
MAX_URL = 2000


def visible(text: str) -> str:
    """``text`` without control, bidi-override and zero-width characters (newlines and tabs kept)."""
    return _CONTROLS.sub("", text)


def one_line(text: str) -> str:
    """``visible(text)`` on one line, runs of whitespace collapsed."""
    return " ".join(visible(text).split())


def safe_url(url: str | None) -> str | None:
    """An absolute http(s) URL fit to print anywhere (percent-encoded), or None.

    Only http and https links go into messages; anything outside RFC 3986's character set
    (``"<>`` spaces, controls, non-ASCII) is percent-encoded, existing escapes are kept.
    """
    if not url:
        return None
    u = url.strip()
    if not u.lower().startswith(("https://", "http://")):
        return None
    u = quote(u, safe=_URL_SAFE)
    return u if len(u) <= MAX_URL else None
