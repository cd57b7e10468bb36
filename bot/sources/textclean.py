"""Untrusted text made safe and readable at ingest (pure): ``clean_text(s)``.

Every title, text and link that enters Briefbot from a feed or an archive file goes through it:

* double-encoded UTF-8 ("â€¦" for "…", "Ã©" for "é": UTF-8 bytes once read as windows-1252 or
  ISO-8859-1) is repaired, one run of such characters at a time, only where the run re-encodes
  to valid UTF-8 (a targeted fix: ftfy does more, at many times the cost per feed);
* C0 and C1 control characters are removed, except tab and newline (carriage returns become
  newlines): an ESC from a malformed feed must not reach a terminal or ``alerts.log``;
* bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069), the marks U+200E/U+200F
  and U+061C, and zero-width characters (U+200B, U+200C, U+2060, U+FEFF) are removed, so no
  title can reverse the text around it in a digest, an email or a Telegram message. U+200D
  (zero-width joiner) is removed too, except between two characters of an emoji sequence, where
  it is part of the character shown.
"""

from __future__ import annotations

import re

# A lead byte of a 2-4 byte UTF-8 sequence, as windows-1252/latin-1 shows it, followed by
# continuation bytes (0x80-0xBF) as windows-1252 shows them (or as raw C1 controls).
_CONT = "\x80-\xbf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178"
_MOJIBAKE = re.compile(
    f"(?:[\u00c2-\u00df][{_CONT}]|[\u00e0-\u00ef][{_CONT}]{{2}}|[\u00f0-\u00f4][{_CONT}]{{3}})+"
)
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_INVISIBLE = re.compile("[\u061c\u200b\u200c\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")
_ZWJ = re.compile("\u200d")
_EMOJI = re.compile("[\u2600-\u27bf\U0001f000-\U0001faff\u2640\u2642\u2695\u2708\u2764\ufe0f]")


def _unmojibake(m: re.Match[str]) -> str:
    run = m.group()
    raw = bytearray()
    for ch in run:
        try:
            raw += ch.encode("cp1252")
        except UnicodeEncodeError:
            raw += ch.encode("latin-1")  # a raw C1 control stands for its own byte
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return run


def _zwj(m: re.Match[str]) -> str:
    s, i = m.string, m.start()
    before, after = s[i - 1 : i], s[i + 1 : i + 2]
    return "\u200d" if before and after and _EMOJI.match(before) and _EMOJI.match(after) else ""


def repair_mojibake(s: str) -> str:
    """Double-encoded UTF-8 runs decoded once more (see the module docstring)."""
    return _MOJIBAKE.sub(_unmojibake, s) if _MOJIBAKE.search(s) else s


def clean_text(s: str) -> str:
    """``s`` repaired and without controls, bidi overrides or zero-width characters."""
    if s.isascii():
        if s.isprintable() or not _CONTROLS.search(s):
            return s
        return _CONTROLS.sub("", s.replace("\r\n", "\n").replace("\r", "\n"))
    if _MOJIBAKE.search(s):
        s = _MOJIBAKE.sub(_unmojibake, s)
    if "\r" in s:
        s = s.replace("\r\n", "\n").replace("\r", "\n")
    s = _CONTROLS.sub("", s)
    s = _INVISIBLE.sub("", s)
    if "\u200d" in s:
        s = _ZWJ.sub(_zwj, s)
    return s
