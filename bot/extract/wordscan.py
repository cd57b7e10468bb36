"""Whole-word phrase search in ASCII text: one tokenizer pass plus set lookups.

A lexicon regex (:func:`bot.extract.entities._compile`) with ~100 words has a branch for almost
every letter, so ``re`` tries it at nearly every character of the text. Most sentences hold only
one or two lexicon words, though, and a phrase of whole words can only start at a word whose
text equals the phrase's first word: so split the lower-cased text into words (runs of ASCII
letters and digits) once (:func:`words`, in C; one split can serve several finders), intersect
them with the set of lower-cased first words (also in C) and look only where a hit is.

Gives the same matches as the regex on ASCII text (case-sensitively: lower-case both the
phrases and the text for a case-insensitive search), leftmost first, longest at each start,
never overlapping, provided every phrase is *simple* (:func:`is_simple`: ASCII, beginning and
ending with a letter or digit, such as "data center", "build-out", "Amazon.com"). Such a
phrase's whole-word checks (no letter or digit just before or after it) are word boundaries of
the text's words, and its first word is followed by a character that is no letter or digit, so
it can only start where a text word equal to its first word starts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

_WORD: Final = re.compile(r"[A-Za-z0-9]+")


def trie_regex(words: Iterable[str]) -> str:
    """An alternation equivalent to ``a|b|c`` whose branches share prefixes (longest first)."""
    trie: dict[str, dict] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:
            body = "(?:" + body + ")?"
        return body

    return build(trie)


def is_simple(phrase: str) -> bool:
    """Whether :class:`PhraseFinder` can look for ``phrase`` (see the module docstring)."""
    return phrase.isascii() and phrase[:1].isalnum() and phrase[-1:].isalnum()


# Every byte but an ASCII letter or digit -> a space: split() then gives exactly the runs of
# letters and digits (UTF-8 encodes non-ASCII characters with bytes >= 0x80, all spaces here).
_WORD_BYTES: Final = bytes(c if chr(c).isascii() and chr(c).isalnum() else 0x20 for c in range(256))


def words(text: str) -> list[bytes]:
    """The words of ``text`` (``[A-Za-z0-9]+`` runs, UTF-8 encoded), for
    :meth:`PhraseFinder.find`: one tokenizer pass can serve several finders.

    Bytes, not str: ``bytes.translate`` and ``split`` cost a fraction of ``_WORD.findall``, and
    only the few words that are some phrase's first word are decoded.
    """
    return text.encode("utf-8", "surrogatepass").translate(_WORD_BYTES).split()


class PhraseFinder:
    """Leftmost-longest, non-overlapping whole-word matches of simple phrases.

    Phrases are grouped by their first word lower-cased, so that the candidates for a
    case-sensitive search can come from the lower-cased text's words (shared with finders of
    case-insensitive phrases, see :meth:`find`).
    """

    def __init__(self, phrases: Iterable[str]) -> None:
        by_first: dict[str, list[str]] = {}
        for p in set(phrases):
            if not is_simple(p):
                raise ValueError(f"not a simple phrase: {p!r}")
            first = _WORD.match(p).group().lower()  # type: ignore[union-attr]
            by_first.setdefault(first, []).append(p)
        # Longest first: the first one that fits at a start is the regex's (greedy) match.
        # (Two phrases of one length cannot both be at one start: they differ in a character.)
        self._by_first = {w: sorted(ps, key=len, reverse=True) for w, ps in by_first.items()}
        self._firsts = frozenset(w.encode() for w in by_first)

    @property
    def firsts(self) -> frozenset[bytes]:
        """The lower-cased first words of the phrases (UTF-8), as :func:`words` gives them: a
        caller with several finders can keep of a text's words only those in the union of
        their ``firsts`` and pass that to each (see :meth:`find`)."""
        return self._firsts

    def find(
        self, text: str, low: str | None = None, low_words: Iterable[bytes] | None = None
    ) -> list[tuple[int, int]]:
        """(start, end) of each match in ASCII ``text``, in order.

        ``low``: ``text.lower()`` if the caller has it; ``low_words``: ``words(low)``, or
        those of them in a superset of :attr:`firsts` (the same matches).
        """
        if low is None:
            low = text.lower()
        firsts = self._firsts
        hits: Iterable[bytes]
        if isinstance(low_words, frozenset):
            # A few words (a caller's intersection with the union of finders' first words),
            # their hashes cached: a compiled loop costs less than the method call.
            hits = [w for w in low_words if w in firsts]
        else:
            hits = firsts.intersection(words(low) if low_words is None else low_words)
        if not hits:
            return []
        starts: list[tuple[int, str]] = []
        n = len(low)
        for hit in hits:
            word = hit.decode()
            i = low.find(word)
            while i >= 0:
                # Whole words only: no letter or digit right before or after (the text is
                # ASCII, so str.isalnum is exactly that, and lowering keeps it).
                j = i + len(word)
                if not (i > 0 and low[i - 1].isalnum()) and not (j < n and low[j].isalnum()):
                    starts.append((i, word))
                i = low.find(word, i + 1)
        if len(starts) > 1:
            starts.sort()
        out: list[tuple[int, int]] = []
        last_end = 0
        for start, word in starts:
            if start < last_end:
                continue
            for phrase in self._by_first[word]:
                end = start + len(phrase)
                # A slice compare: compiled, startswith with a start is a generic method call.
                if text[start:end] == phrase and not (end < n and low[end].isalnum()):
                    out.append((start, end))
                    last_end = end
                    break
        return out
