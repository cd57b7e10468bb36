"""Lower-cased copies of a text that case-insensitive matching can use instead of IGNORECASE.

Case-insensitive regexes are among the slowest parts of scanning: ``re`` folds the case of every
character it compares and cannot skip ahead to a possible first character. Two cheaper forms:

- a substring test on the lower-cased text (``"year" in folded``) to skip a regex that cannot
  match, which is only safe if the test never says "absent" where the regex would match;
- the regex compiled without IGNORECASE (all its letters lower case), run on the lower-cased text.

Both agree with the original on ``text.lower()`` except for four characters: ``İ`` (U+0130,
whose lower case is two characters long), ``ı`` (U+0131) and ``ſ`` (U+017F), which IGNORECASE
equates with ``i``/``s`` while ``lower()`` keeps them apart, and the Kelvin sign ``K``
(U+212A), which ``lower()`` turns into an ASCII ``k`` that case-sensitive ``[A-Za-z]`` classes
would then see. Texts holding one of them get no folded copy; callers use the original regexes.
"""

from __future__ import annotations

import functools
import re
from types import EllipsisType
from typing import Final

_RISKY: Final = ("\u0130", "\u0131", "\u017f", "\u212a")


def fold(text: str) -> str | None:
    """``text.lower()`` (same length, so offsets hold), or None when it could disagree with
    IGNORECASE matching on ``text`` (see the module docstring)."""
    if text.isascii():
        return text.lower()  # none of _RISKY is ASCII
    for ch in _RISKY:
        if ch in text:
            return None
    return text.lower()


def twin(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` without IGNORECASE, for lower-cased text (its letters must all be lower case).

    On ``fold(text)`` it matches exactly where the original matches on ``text``, and ``re``
    compares characters directly instead of case-folding each.
    """
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)


def given(text: str, folded: str | EllipsisType | None) -> str | None:
    """``folded`` when the caller passed one (``fold(text)`` computed once for all the steps of
    an extraction, so each does not make its own lower-cased copy), else ``fold(text)``."""
    return fold(text) if folded is ... else folded


def ascii_lower(text: str) -> str:
    """``text`` with only ASCII ``A-Z`` lowered (same length); fast, via UTF-8 bytes.

    UTF-8 encodes every non-ASCII character with bytes >= 0x80, which ``bytes.lower`` leaves
    alone, so this equals translating ``A-Z`` to ``a-z`` and nothing else.
    """
    return text.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")


def _opencc_dictionary(name: str) -> list[tuple[str, str]]:
    """(from, to) single-character pairs of one of OpenCC's dictionaries (first candidate), read
    from the installed ``opencc-python-reimplemented`` package; [] when it is missing."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("opencc")
    if spec is None or not spec.submodule_search_locations:
        return []
    path = Path(next(iter(spec.submodule_search_locations))) / "dictionary" / name
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    out: list[tuple[str, str]] = []
    for line in lines:
        key, _, targets = line.partition("\t")
        first = targets.split(" ")[0] if targets else ""
        if len(key) == 1 and len(first) == 1 and key != first:
            out.append((key, first))
    return out


def _simplified_table() -> dict[str, str]:
    """Traditional (and its Taiwan/Hong Kong variant forms) -> simplified, one character each.

    OpenCC's own ``t2s``/``tw2s``/``hk2s`` chains, at the character level: variants to the
    standard traditional form, then traditional to simplified. Phrase-level rules are left out
    on purpose, so that folding keeps the text's length and every offset.
    """
    ts = dict(_opencc_dictionary("TSCharacters.txt"))
    variants = dict(_opencc_dictionary("TWVariantsRev.txt"))
    variants.update(_opencc_dictionary("HKVariantsRev.txt"))
    table: dict[str, str] = {}
    for src in set(ts) | set(variants):
        std = variants.get(src, src)
        dst = ts.get(std, std)
        if dst != src and src not in ts.values():
            table[src] = dst
    return table


_T2S: Final = _simplified_table()
_T2S_KEYS: Final = frozenset(_T2S)


def _to_simplified(m: re.Match[str]) -> str:
    return _T2S[m.group()]


@functools.lru_cache(maxsize=1024)
def _pattern(chars: frozenset[str]) -> re.Pattern[str]:
    """A class of just the traditional characters one text holds (a class of all 4,000 makes
    ``re`` test every character against a big set: several times slower than this)."""
    return re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + "]")


def simplified(text: str) -> str:
    """``text`` with traditional Chinese characters folded to simplified ones (same length).

    Both scripts then meet one lexicon: 字節跳動 reads as 字节跳动, 資本開支 as 资本开支. Only
    characters are mapped (OpenCC's character tables), never phrases, so offsets hold; a
    character that is itself a simplified form is never changed. ASCII text is returned as is.
    """
    if text.isascii():
        return text
    present = _T2S_KEYS.intersection(text)
    if not present:
        return text
    return _pattern(frozenset(present)).sub(_to_simplified, text)
