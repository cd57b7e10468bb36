"""Cheap substring gates: skip a regex search where it cannot match.

A gate says "may match" unless a word every match of the regex contains is missing from the
text (or from the searched window), so that most sentences skip most of these searches. A gate
must never say "cannot" where the regex would match: each word list below is read off its
regex, and ``tests/extract/test_gates.py`` checks the gates on the labelled sentences.

Each text-wide gate is worked out once per text, when first asked (:class:`Gates`).
"""

from __future__ import annotations

from typing import Final

# Indexes of the text-wide gates, and the words one of which each regex's matches contain.
MARKET_SIZE: Final = 0  # figures._MARKET_SIZE: 规模/产值, "market size", "size of the … market"
EXCLUDED: Final = 1  # figures._EXCLUDED: 剔除, 不包括, 不含, 扣除, 除去, 除了, 除, excluding, excl.
POSSESSIVE: Final = 2  # figures._OBJECT_POSSESSIVE: "from China's Alibaba"
EXCHANGE: Final = 3  # figures._EXCHANGE_AFTER: "(Nasdaq: NVDA)", "Nasdaq-listed"
COST: Final = 4  # figures._COST_NOUN: 费用, 成本
QUARTER: Final = 5  # figures._THIS_QUARTER, _STEP_QUARTER: "this quarter", 本季 …, "next quarter"
STAKE: Final = 6  # figures._STAKE_WORD: stake, ownership, slice

WORDS: Final[tuple[tuple[str, ...], ...]] = (
    ("size", "规模", "产值"),
    ("除", "不包", "不含", "excl"),
    ("'s", "’s"),
    (":", "listed"),
    ("费用", "成本"),
    ("quarter", "季"),
    ("stake", "ownership", "slice"),
)
# Gates of case-insensitive regexes: on text that is not lower-cased they cannot say "cannot".
CASELESS: Final = frozenset({QUARTER})
# figures._COMPARED_GAP, searched in a window: "versus"/"vs", "compared", "against", "than", "from".
COMPARED_WORDS: Final = ("versus", "vs", "compared", "against", "than", "from")


def has_any(text: str, words: tuple[str, ...]) -> bool:
    """Whether one of ``words`` occurs in ``text`` (a plain loop: cheaper compiled than any())."""
    for w in words:  # noqa: SIM110 - compiled, a loop beats any() over a generator
        if w in text:
            return True
    return False


def has_any_in(text: str, words: tuple[str, ...], start: int, end: int) -> bool:
    """Whether one of ``words`` occurs whole inside ``text[start:end]`` (no slice is made)."""
    for w in words:  # noqa: SIM110
        if text.find(w, start, end) >= 0:
            return True
    return False


def may_be_negative_zh(text: str, start: int, end: int) -> bool:
    """Whether 负/負 is in ``text[start:end]``: qualifiers._NEGATIVE_ZH needs one."""
    return text.find("负", start, end) >= 0 or text.find("負", start, end) >= 0


class Gates:
    """The text-wide gates of one text (``low``: its lower-cased copy when ``folded``, else the
    text itself), each worked out when first asked."""

    def __init__(self, low: str, folded: bool) -> None:
        self.low = low
        self.folded = folded
        self.known: list[int] = [-1] * len(WORDS)

    def may(self, i: int) -> bool:
        """False when no match of gate ``i``'s regex can be in the text."""
        g = self.known[i]
        if g < 0:
            caseless = not self.folded and i in CASELESS
            g = 1 if caseless else int(has_any(self.low, WORDS[i]))
            self.known[i] = g
        return g == 1
