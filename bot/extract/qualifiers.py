"""Words around a number: qualifiers ("up to", "约"), changes ("fell", "年增") and their basis.

Each function looks at a bounded window of the normalized text just before or after a mention
and returns what it found; none of them scans further than ~40 characters.

- :func:`qualifier` -> ``exact | about | up_to | more_than | at_least | less_than | nearly``
- :func:`change` -> +1 (rise), -1 (fall) or 0 (a level, not a change)
- :func:`change_basis` -> ``"yoy" | "qoq" | "mom" | "peak"`` or None
- :func:`multiples` finds "doubled"/"翻倍" (a +100 % change written without a number)
"""

from __future__ import annotations

import re
from types import EllipsisType
from typing import Final

from bot.extract.gates import may_be_negative_zh
from bot.extract.textfold import given, twin
from bot.extract.wordscan import trie_regex
from bot.models import Qualifier

_QUAL_BEFORE: Final = re.compile(
    r"""(?:
      (?P<up_to>(?<![A-Za-z])(?:up\s+to|as\s+(?:much|many|high)\s+as|at\s+(?:the\s+)?most|a\s+maximum\s+of|(?:no|not)\s+more\s+than|a\s+(?:record|peak)\s+of)|最高[达達]?|至多|最多|不超过|不超過|高达|高達|上限[为為]?|上看)
     |(?P<at_least>(?<![A-Za-z])(?:at\s+least|no\s+(?:less|fewer)\s+than|a\s+minimum\s+of|not\s+less\s+than)|至少|不少于|不低于|不少於|不低於)
     |(?P<more_than>(?<![A-Za-z])(?:more\s+than|over|above|exceeding|exceeded|exceeds|exceed|surpassing|surpassed|surpasses|topping|topped|tops|crossed|passed|passing|in\s+excess\s+of|(?:will|to|could|may|might|would|should)\s+top|upwards\s+of|north\s+of|greater\s+than|higher\s+than)|超过|超過|超出|突破|逾|超|多于|多於|高于|高於|大于|大於)
     |(?P<less_than>(?<![A-Za-z])(?:less\s+than|fewer\s+than|under|below|lower\s+than|shy\s+of)|不足|不到|少于|少於|低于|低於|小于|小於|未满|未滿)
     |(?P<nearly>(?<![A-Za-z])(?:nearly|almost|close\s+to|just\s+(?:under|below|shy\s+of)|approaching|nearing)|将近|將近|接近|逼近|几乎|幾乎|近)
     |(?P<about>(?<![A-Za-z])(?:about|around|roughly|approximately|approx\.|some|an\s+estimated|estimated|circa|an?\s+approximate)|~|≈|约|約|大约|大約|大概|约合|約合)
    )\s*(?:(?:a|an)\s+|为|為|达到?|達到?|是)?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_QUAL_AFTER: Final = re.compile(
    r"\s*(?:(?P<about>左右|上下|or\s+so\b)|(?P<more_than>以上|多(?![少])|-?plus\b|\+)|(?P<less_than>以下|以内)|(?P<at_least>or\s+more\b))",
    re.IGNORECASE,
)

_UP_WORDS: Final = (
    r"up|rose|rise|rises|rising|risen|jumped|jump|jumps|jumping|surged|surge|surges|surging|soared|"
    r"soar|soars|soaring|climbed|climb|climbs|climbing|gained|gain|gains|gaining|grew|grow|grows|growing|"
    r"grown|increased|increase|increases|increasing|added|adding|adds|add|rallied|rally|rallies|advanced|"
    r"spiked|expanded|(?:boosted|raised)\s+by|higher|popped|leapt|leaped|rebounded|an?\s+(?:increase|rise|jump|surge)\s+of|"
    r"improved|improves|improving|widened|widening|swelled|ballooned|skyrocketed|rocketed|"
    r"accelerated|recovered|rebounds|rebounding|leaps|leaping|spikes|spiking|advances|advancing|"
    r"expanding|expands|climbs|"
    r"growth\s+of|(?:increases?|rises?|jumps?|surges?)\s+of"
)
_DOWN_WORDS: Final = (
    r"down|fell|fall|falls|falling|fallen|dropped|drop|drops|dropping|declined|decline|declines|declining|"
    r"slid|slide|slides|sliding|slipped|slip|slips|sank|sink|sinks|plunged|plunge|plunges|plunging|"
    r"plummeted|plummeting|plummets|tumbled|tumble|tumbles|tumbling|slumped|slump|slumps|slumping|"
    r"sinking|lost|lose|loses|losing|shed|sheds|shedding|"
    r"decreased|decrease|decreases|retreated|eased|dipped|dip|dips|dipping|tanked|tanks|tanking|"
    r"crashed|crashes|crashing|contracted|shrank|shrunk|"
    r"cut|cuts|trimmed|trims|trim|lowered\s+by|lower|erased|wiped\s+out|wiped|an?\s+(?:decrease|drop|decline|fall|loss)\s+of|"
    # The other inflections of the same verbs, and more verbs of falling and cutting.
    r"plummet|plummets|plummeting|tumbling|tumbled|slumps|slumping|tanks|tanking|sinking|sunk|"
    r"slipping|retreating|retreats|easing|eases|dips|dipping|shrinking|shrinks|contracting|"
    r"(?:was|were|is|are|closed|ended|finished|traded|trading)\s+off|"
    r"slashed|slashes|slashing|reduced|reducing|narrowed|narrowing|narrows|weakened|deteriorated|"
    r"collapsed|cratered|nosedived|sagged|skidded|dove|dived|erodes|eroded|shrink|slash|reduce|"
    r"weaken|weakens|weakening|collapse|collapses|sags|erode|"
    r"wiping\s+out|wipes\s+out|wipe\s+out|wiping|erasing|erases|erase|"
    r"(?:decreases?|drops?|declines?|falls?|reductions?|cuts?|contraction)\s+of"
)
_ZH_UP: Final = (
    r"同比增长|同比增加|同比上升|增长|增加|上升|上涨|提升|提高|攀升|飙升|大涨|暴涨|跃升|年增|季增|月增|涨幅|增幅|成长|扩大|劲升|走高|涨|增|升"
    r"|同比增長|增長|上漲|飆升|大漲|暴漲|躍升|漲幅|成長|擴大|勁升|漲|多赚|多賺"
    r"|改善"  # "毛利率較上季改善0.3個百分點"
)
_ZH_DOWN: Final = (
    r"裁员|裁减|裁撤|蒸发|同比下降|同比减少|同比下滑|下跌|下降|减少|回落|下滑|滑落|暴跌|大跌|重挫|萎缩|缩水|年减|季减|月减|跌幅|降幅|缩减|下挫|走低|衰退|跌|降|减|挫"
    r"|裁員|裁減|蒸發|同比減少|減少|萎縮|縮水|年減|季減|月減|縮減|減|稀釋|稀释|少赚|少賺|(?<![至最])少"
    r"|倒退|收縮|收缩|恶化|惡化"
)
# "降幅同为7%", "季減幅度從22％至32％不等"
# "跌幅收窄至3%": the decline it came to.
_ZH_LINK: Final = (
    r"(?:了|[达達]到?了?|[同亦也]?[为為]|幅度?[达達]?|幅度(?:從|从|由)"
    r"|幅度?(?:收窄|收斂|收敛|扩大|擴大|缩小|縮小)(?:至|到))?"
)
_CHANGE_BEFORE: Final = re.compile(
    rf"(?:(?<![A-Za-z])(?P<up>{_UP_WORDS})(?:\s+by)?|(?P<zup>{_ZH_UP}){_ZH_LINK}"
    rf"|(?<![A-Za-z])(?P<down>{_DOWN_WORDS})(?:\s+(?:its\s+|the\s+)?(?:stock|shares))?(?:\s+by)?"
    rf"|(?P<zdown>{_ZH_DOWN}){_ZH_LINK})\s*$",
    re.IGNORECASE,
)
_CHANGE_AFTER: Final = re.compile(
    r"\s*(?:(?P<up>(?:year-on-year\s+|annual\s+)?(?:increase|rise|jump|gain|growth|surge|climb|rally|higher|gains|increases|rises|jumps|uptick|rebound|stronger)(?![A-Za-z])|的?(?:增长|增幅|涨幅|上涨|增加|增長|漲幅|上漲|成長|成长))"
    r"|(?P<down>(?:decline|drop|fall|decrease|slump|plunge|lower|slide|declines|drops|falls|reduction|cut"
    r"|dip|dips|slip|pullback|pull-back|selloff|sell-off|correction|retreat|contraction|downturn"
    r"|erosion|weaker)(?![A-Za-z])|的?(?:跌幅|降幅|下跌|下降|减少|減少)))",
    re.IGNORECASE,
)
_BASIS: Final = re.compile(
    r"""(?P<yoy>(?<![A-Za-z])(?:year[-\s](?:over|on)[-\s]year|from\s+a\s+year\s+(?:earlier|ago|before)|y/y|yoy|
          (?:from|over|compared\s+(?:with|to)|versus|vs\.?)\s+(?:the\s+)?(?:same\s+(?:period|quarter)\s+)?(?:a|last|the\s+previous|the\s+prior|a\s+year)\s+(?:year|earlier)|annual(?:ly)?|on\s+the\s+year)|同比|年增|年减|较去年同期|比去年同期|年比|较上年)
      |(?P<qoq>(?<![A-Za-z])(?:quarter[-\s](?:over|on)[-\s]quarter|sequential(?:ly)?|q/q|qoq|from\s+the\s+(?:previous|prior|preceding)\s+quarter)|环比|季增|季减|较上季)
      |(?P<mom>(?<![A-Za-z])(?:month[-\s](?:over|on)[-\s]month|m/m|from\s+the\s+(?:previous|prior)\s+month)|月增|月减)
      |(?P<peak>(?<![A-Za-z])from\s+(?:a|an|its|the)\s+(?:record\s+|all-time\s+|recent\s+)?(?:peak|high)|高点|高位|峰值|历史高)""",
    re.IGNORECASE | re.VERBOSE,
)


# (original, twin for lower-cased text): callers pass folded=True with the lower-cased text.
_QUAL_BEFORE_F: Final = twin(_QUAL_BEFORE)
_QUAL_AFTER_F: Final = twin(_QUAL_AFTER)
_CHANGE_BEFORE_F: Final = twin(_CHANGE_BEFORE)
_CHANGE_AFTER_F: Final = twin(_CHANGE_AFTER)
_BASIS_F: Final = twin(_BASIS)


def _starting(twin: re.Pattern[str], letters: str = "a-z") -> re.Pattern[str]:
    """``twin`` (of a pattern whose English phrases all begin with ``(?<![A-Za-z])`` and a letter
    from ``letters``, the rest with "~" or a non-ASCII character) behind a zero-width test of
    where such a match can start, for searches on lower-cased text: a letter after a non-letter,
    "~", or a non-ASCII character. Same matches; ``re`` passes over the other positions with one
    test instead of trying every alternative there."""
    start = rf"(?:(?<![a-z])(?=[{letters}])|(?=[~\u0080-\U0010ffff]))"
    return re.compile(f"{start}(?:{twin.pattern})", twin.flags)


# The searching forms of the end-anchored twins and of _BASIS_F (its phrases begin with "year",
# "from", "y/y", "over", "compared", "versus", "annual", "on", "quarter", "sequential", "month").
_QUAL_BEFORE_S: Final = _starting(_QUAL_BEFORE_F)
_CHANGE_BEFORE_S: Final = _starting(_CHANGE_BEFORE_F)
_BASIS_S: Final = _starting(_BASIS_F, "acfmoqsvy")

# What happened, not a plan: "plans to double", "will double", "有望翻倍" state no figure.
_MULTIPLES: Final = re.compile(
    r"(?<![A-Za-z])(?P<w>(?:doubl|tripl|quadrupl|halv)(?:ed|es|ing))(?![A-Za-z])"
    r"|(?<!计划)(?<!計劃)(?<!有望)(?<!预计)(?<!預計)(?<!目标)(?<!目標)(?<!将)(?<!將)(?<!要)"
    r"(?P<z>翻了?一?倍|翻了?一番|翻番|翻两番|翻兩番|腰斩|腰斬|减半|減半)",
    re.IGNORECASE,
)
_MULTIPLE_VALUES: Final = {"doubl": 100.0, "tripl": 200.0, "quadr": 300.0, "halv": -50.0}
_ZH_MULTIPLE_VALUES: Final = {
    "翻两番": 300.0, "翻兩番": 300.0, "腰斩": -50.0, "腰斬": -50.0, "减半": -50.0, "減半": -50.0
}  # fmt: skip


_BEFORE_NAMES: tuple[Qualifier, ...] = (
    "up_to",
    "at_least",
    "more_than",
    "less_than",
    "nearly",
    "about",
)
_AFTER_NAMES: tuple[Qualifier, ...] = ("about", "more_than", "less_than", "at_least")


# Cheap pre-checks: the end-anchored searches run only when the word right before the number
# could end a qualifier/change phrase (a superset, taken from the patterns' own words).
_QUAL_FINALS: Final = frozenset(
    w.lower() for w in re.findall(r"[A-Za-z]+\.?", _QUAL_BEFORE.pattern)
) | frozenset(c for w in re.findall(r"[\u4e00-\u9fff~≈]+", _QUAL_BEFORE.pattern) for c in w[-2:])
_CHANGE_FINALS: Final = frozenset(
    [
        c
        for w in re.findall(
            r"[\u4e00-\u9fff]+",
            _ZH_UP
            + "|"
            + _ZH_DOWN
            + "|了|达到|为|幅度达|達到|為|幅度達|幅度從|幅度从|幅度由|收窄至|收窄到",
        )
        for c in w[-2:]
    ]
    + [w.lower() for w in re.findall(r"[A-Za-z]+", _UP_WORDS + "|" + _DOWN_WORDS)]
    + ["stock", "shares"]  # "tanks stock 11%": a down verb, its object, the move
)


# Finals that are common words before numbers ("rose 5% to $10 billion", "capex of $37.5
# billion") but end a phrase only after one of a few words: the search also needs the word
# before them to end with one of these. Read off the patterns: "up to", "close to"; "a maximum
# of", "in excess of", "just shy of"; "an increase of", "growth of". No qualifier phrase ends
# with "up" (it is in _QUAL_FINALS only as a word of "up to").
# Tuples: str.endswith tests them all in one call.
_QUAL_PREV: dict[str, tuple[str, ...]] = {
    "to": ("up", "close"),
    "of": ("maximum", "minimum", "record", "peak", "excess", "upwards", "north", "shy"),
    "up": (),
}
_CHANGE_PREV: dict[str, tuple[str, ...]] = {
    "of": (
        "increase", "rise", "jump", "surge", "growth", "decrease", "drop", "decline", "fall",
        "loss", "increases", "rises", "jumps", "surges", "decreases", "drops",
        "declines", "falls", "reduction", "reductions", "cut", "cuts", "contraction",
    ),
}  # fmt: skip
_LETTERS: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_WORD_CHARS: Final = _LETTERS + "."


def _tail(text: str, lo: int, start: int) -> tuple[str, int]:
    """The last word (ASCII letters and dots) or character before ``start``, lower-cased, and
    where that word starts if it is a whole word (after a character other than those), else -1.

    Looks back at most 16 characters (not before ``lo``); "" when there is only whitespace.
    String methods rather than an end-anchored regex, which would try every window position.
    """
    lo = max(lo, start - 16)
    chunk = text[lo:start].rstrip()
    head = chunk.rstrip(_WORD_CHARS)
    if len(head) == len(chunk):
        return chunk[-1:], -1  # a lone non-letter stays as it is: only letters are lowered
    return chunk[len(head) :].lower(), (lo + len(head) if head else -1)


def _alone(pattern: re.Pattern[str], words: frozenset[str], longer_ends: str) -> dict[str, str]:
    """Words that ``pattern`` matches by themselves, and the first group that matches each.

    Right before a number (only whitespace between), such a word that ends no longer phrase
    (``longer_ends``: the last words of the patterns' phrases of several words, and of what
    may follow a phrase) is the whole end-anchored match: no search needed. Qualifier "over"
    qualifies; "under" does not ("just under").
    """
    out: dict[str, str] = {}
    for w in words:
        plain = w.isascii() and w.isalpha() and w not in longer_ends.split()
        m = pattern.fullmatch(w) if plain else None
        if m is not None:
            out[w] = next(k for k, v in m.groupdict().items() if v is not None)
    return out


# Built from the twins (lower-cased text), and only used with them.
_QUAL_ALONE: dict[str, Qualifier] = _alone(  # type: ignore[assignment]
    _QUAL_BEFORE_F, _QUAL_FINALS, "to as most of than least under below estimated approximate"
)
_CHANGE_ALONE: Final = _alone(_CHANGE_BEFORE_F, _CHANGE_FINALS, "by of out")


def _prev_ok(text: str, lo: int, start: int, tail: str, prev: dict[str, tuple[str, ...]]) -> bool:
    """False when a phrase ending in ``tail`` needs a word from ``prev[tail]`` before it and the
    word before ``tail`` (within ``text[lo:start]``) ends with none of them; else True.

    Only for lower-cased text: the patterns' IGNORECASE twins also equate "ſ" with "s".
    """
    words = prev.get(tail)
    if words is None:
        return True
    rest = text[lo:start].rstrip()[: -len(tail)]
    if not rest[-1:].isspace():
        return False  # "\s+" must separate the two words
    rest = rest.rstrip()
    word = rest[len(rest.rstrip(_LETTERS)) :]
    return word.endswith(words)


# Most words (whitespace-separated) a _QUAL_BEFORE or _CHANGE_BEFORE match can span: three
# for the longest phrases ("no more than", "as much as", "an increase of"), one for what may
# follow ("a"/"an", "by"). Counted generously: it only bounds where the search starts.
_MAX_WORDS: Final = 5


def _last_words(text: str, lo: int, start: int) -> int:
    """Where the last ``_MAX_WORDS`` words of ``text[lo:start]`` begin, or earlier (``lo``).

    No end-anchored match can start before them, so a search from here finds the same match
    as one from ``lo`` (lookbehinds still see the text before it) but tries fewer positions.
    """
    parts = text[lo:start].rsplit(None, _MAX_WORDS)
    return lo if len(parts) <= _MAX_WORDS else lo + len(parts[0])


# The characters a _QUAL_AFTER_F / _CHANGE_AFTER_F match can start with after its leading
# whitespace (the first characters of their alternatives, lower case): on lower-cased text, a
# window whose first non-space character is none of these needs no match attempt.
_QUAL_AFTER_FIRST: Final = frozenset("左上o以多-p+")
_CHANGE_AFTER_FIRST: Final = frozenset("yairjgschdfplweu的增涨漲上跌降下减減成")


def _next_char(text: str, end: int, hi: int) -> tuple[str, int]:
    """The first non-space character of ``text[end:hi]`` and where it is; ("", hi) if none."""
    window = text[end:hi]
    rest = window.lstrip()  # str.lstrip strips exactly what re's \s matches
    return rest[:1], (end + len(window) - len(rest) if rest else hi)


def _may_follow(
    text: str, end: int, hi: int, first: frozenset[str], nxt: tuple[str, int] | None
) -> bool:
    """Whether the first non-space character of ``text[end:hi]`` is in ``first``.

    ``nxt``: ``_next_char(text, end, hi2)`` for some ``hi2 >= hi`` if the caller has it.
    """
    char, at = _next_char(text, end, hi) if nxt is None else nxt
    return at < hi and char in first


def qualifier(
    text: str, start: int, end: int, lo: int, hi: int, *, folded: bool = False
) -> tuple[Qualifier, int]:
    """Qualifier of the mention ``text[start:end]`` and where the words before it begin.

    ``lo``/``hi`` bound the windows (the clause). Returns ("exact", start) when none.
    ``folded``: ``text`` is ``textfold.fold`` of the text (faster; same answer).
    """
    return _qualifier(text, start, end, lo, hi, folded, _tail(text, lo, start), None)


def _qualifier(
    text: str,
    start: int,
    end: int,
    lo: int,
    hi: int,
    folded: bool,
    last: tuple[str, int],
    nxt: tuple[str, int] | None,
) -> tuple[Qualifier, int]:
    """:func:`qualifier`, given ``last = _tail(text, lo, start)`` and maybe ``nxt`` (see
    _may_follow)."""
    tail, at = last
    if folded and at >= 0 and tail in _QUAL_ALONE:
        return _QUAL_ALONE[tail], at
    ws = max(lo, start - 30)
    if tail not in _QUAL_FINALS or (folded and not _prev_ok(text, ws, start, tail, _QUAL_PREV)):
        m = None
    else:
        before = _QUAL_BEFORE_S if folded else _QUAL_BEFORE
        m = before.search(text, _last_words(text, ws, start), start)
    if m:
        for name in _BEFORE_NAMES:
            if m.group(name):
                return name, m.start()
    a_hi = min(hi, end + 12)
    if folded and not _may_follow(text, end, a_hi, _QUAL_AFTER_FIRST, nxt):
        a = None
    else:
        a = (_QUAL_AFTER_F if folded else _QUAL_AFTER).match(text, end, a_hi)
    if a:
        for name in _AFTER_NAMES:
            if a.group(name):
                return name, start
    return "exact", start


def change(text: str, start: int, end: int, lo: int, hi: int, *, folded: bool = False) -> int:
    """+1/-1 when the words right before (or after) the mention say it rose/fell, else 0."""
    return _change(text, start, end, lo, hi, folded, _tail(text, lo, start), None)


# Verbs whose "up" is a particle before their object ("wrapping up a $40B round", "made up 97%
# of revenue", "racked up $5B"), not a move ("closed up 2%", "ended up 3%" are moves).
_PARTICLE_UP: Final = re.compile(
    r"(?<![A-Za-z])(?:wrap|wraps|wrapped|wrapping|set|sets|setting|snap|snaps|snapped|snapping"
    r"|rack|racks|racked|racking|line|lines|lined|lining|free|frees|freed|freeing|make|makes"
    r"|made|making|take|takes|took|taking|taken|drum|drums|drummed|drumming|shore|shored"
    r"|shoring|beef|beefed|beefing|stump|stumped|stumping|cough|coughed|shell|shelled|fork"
    r"|forked|pony|ponied|tie|ties|tied|tying|lock|locks|locked|locking|sign|signs|signed"
    r"|signing|scoop|scooped|scooping|gobble|gobbled|soak|soaked|mop|mopped|sum|summed|rake"
    r"|raked|raking|stack|stacked|stacking|bump|bumped|bumping)\s+up\s*$",
    re.IGNORECASE,
)


def _change(
    text: str,
    start: int,
    end: int,
    lo: int,
    hi: int,
    folded: bool,
    last: tuple[str, int],
    nxt: tuple[str, int] | None,
) -> int:
    """:func:`change`, given ``last = _tail(text, lo, start)`` and maybe ``nxt`` (see
    _may_follow)."""
    tail, at = last
    if tail == "up" and _PARTICLE_UP.search(text, max(lo, start - 24), start) is not None:
        tail = ""  # "wrapping up $40B", "made up 97%": a phrasal verb's particle, no move
    if folded and at >= 0 and tail in _CHANGE_ALONE:
        return 1 if _CHANGE_ALONE[tail] in ("up", "zup") else -1
    ws = max(lo, start - 24)
    if tail not in _CHANGE_FINALS or (folded and not _prev_ok(text, ws, start, tail, _CHANGE_PREV)):
        m = None
    else:
        before = _CHANGE_BEFORE_S if folded else _CHANGE_BEFORE
        m = before.search(text, _last_words(text, ws, start), start)
    if m:
        return 1 if (m.group("up") or m.group("zup")) else -1
    if tail == "by":  # "below the industry price by 99.3%"
        b = _BY_COMPARE.search(text, max(lo, start - 70), start)
        if b is not None:
            return -1 if b.group("below") else 1
        v = _VERB_OBJECT_BY.search(text, max(lo, start - 70), start)
        if v is not None:  # "trimmed its cloud gross margin by 3 points"
            return 1 if v.group("up") else -1
    a_hi = min(hi, end + 30)
    if folded and not _may_follow(text, end, a_hi, _CHANGE_AFTER_FIRST, nxt):
        a = None
    else:
        a = (_CHANGE_AFTER_F if folded else _CHANGE_AFTER).match(text, end, a_hi)
    if a:
        return 1 if a.group("up") else -1
    if tail in _ZH_AND:
        # "分別下跌約2.1%與1.6%": the later items of a list share the verb before the first
        z = _CONJOINED_ZH.search(text, max(lo, start - 60), start)
        if z is not None:
            return 1 if z.group("up") else -1
    if tail == "and":  # "down 24% year-on-year and over 32% quarter-on-quarter": shared verb
        c = _CONJOINED.search(text, max(lo, start - 60), start)
        if c is not None and _CONJOINED_END.match(text, end, min(hi, end + 30)):
            return 1 if c.group("up") else -1
    return 0


# A Chinese list of changes after one verb: "分別下跌約2.1%與1.6%", "季增3%、5%及8%".
_ZH_AND: Final = frozenset("与與和及、")
_ZH_ITEM: Final = (
    r"\s*(?:约|約|近|逾|超过|超過)?\s*\d[\d.,]{0,10}\s*(?:%|个百分点|個百分點|百分点|百分點)\s*"
)
_CONJOINED_ZH: Final = re.compile(
    rf"(?:(?P<up>{_ZH_UP})|(?P<down>{_ZH_DOWN}))(?:了|幅度?)?{_ZH_ITEM}"
    rf"(?:[与與和及、]{_ZH_ITEM})*[与與和及、]\s*(?:约|約|近|逾|超过|超過)?\s*$"
)

# The same change restated in another unit after ", or": it shares the verb's direction.
_RESTATED: Final = re.compile(
    rf"(?<![A-Za-z])(?:(?P<up>{_UP_WORDS})|(?P<down>{_DOWN_WORDS})|(?P<loss>loss(?:es)?\s+of))(?:\s+by)?"
    r"\s+(?:about\s+|nearly\s+|some\s+|roughly\s+)?[$€£¥]?\d[\d,.]{0,12}\s?[A-Za-z%]{0,12}"
    r"(?:\s+[A-Za-z]{1,12})?\s*,\s*or\s*$",
    re.IGNORECASE,
)

# The Chinese form: a change verb, its amount (digits or numerals, within the clause), then 或.
_RESTATED_ZH: Final = re.compile(
    rf"(?:(?P<up>{_ZH_UP})|(?P<down>{_ZH_DOWN}))[^，,；;。或]{{0,12}}"
    r"[\d零〇○一二两兩三四五六七八九十][^，,；;。或]{0,20}[,，]?\s*或\s*$"
)

# A relative amount compared right after it: "30% below its peak", "prices 20% lower than
# rivals'", "12% below estimates", "5% higher than a year ago". Only for percent and points: "$500
# million, less than the $1 billion it sought" is a level beside another, not a change.
_COMPARE_AFTER: Final = re.compile(
    r"\s*(?:(?P<down>below|beneath|(?:lower|less|fewer|smaller|cheaper|weaker)\s+than|short\s+of)"
    r"|(?P<up>above|(?:higher|more|greater|larger|bigger|stronger)\s+than))(?![A-Za-z])",
    re.IGNORECASE,
)


def compared_after(text: str, end: int, hi: int) -> int:
    """+1/-1 when a comparison word follows the relative amount ending at ``end``; else 0."""
    c = _COMPARE_AFTER.match(text, end, min(hi, end + 24))
    if c is None:
        return 0
    return 1 if c.group("up") else -1


def restated(text: str, start: int, lo: int) -> int:
    """+1/-1 when the amount at ``start`` restates the change before it after ", or" ("fell 300
    points, or 1.5%", "cut costs by $2 billion, or 8%"), -2 when it restates a loss ("a loss of
    $2.9 billion, or 67 cents per share"); else 0. ``lo``: the sentence start
    (the comma ends the amount's own clause)."""
    before = text[max(lo, start - 8) : start].rstrip()
    if not before.endswith(("or", "或")):
        return 0
    if before[-1] == "或":
        # "減少港幣二十三億九千三百萬元或44%": the change restated in percent
        z = _RESTATED_ZH.search(text, max(lo, start - 40), start)
        return 0 if z is None else (1 if z.group("up") else -1)
    r = _RESTATED.search(text, max(lo, start - 70), start)
    if r is None:
        return 0
    if r.group("loss"):
        return -2  # "a net loss of $2.9 billion, or 67 cents per share": the loss restated
    return 1 if r.group("up") else -1


# A change whose verb is the previous change's, joined by "and".
_CONJOINED: Final = re.compile(
    r"(?<![A-Za-z])(?:(?P<up>up|rose|increased|grew|gained|jumped|climbed)"
    r"|(?P<down>down|fell|dropped|declined|decreased|slid|slipped|sank))"
    r"\s+(?:by\s+)?\d{1,6}(?:\.\d{1,4})?\s?(?:%|percent|per\s+cent)"
    r"(?:\s+(?:year[-\s](?:on|over)[-\s]year|quarter[-\s](?:on|over)[-\s]quarter|sequentially"
    r"|y/y|q/q|yoy|qoq))?\s+and\s*$",
    re.IGNORECASE,
)


# ... and the second change ends there or names its own basis ("and 12% quarter-on-quarter").
_CONJOINED_END: Final = re.compile(
    r"\s*(?:$|[,.;)]|(?:year|quarter|sequential|y/y|q/q|yoy|qoq|from|respectively|during"
    r"|in\s+(?:the|its|each|both|their|q\d|\d{4})|(?:for|on|over|to|this|last|at)\s))",
    re.IGNORECASE,
)


def qualifier_and_change(
    text: str, start: int, end: int, lo: int, hi: int, *, folded: bool = False
) -> tuple[Qualifier, int, int]:
    """``qualifier(...)`` and then ``change`` from where its words begin, in one call:
    (qualifier, where its words begin, direction).

    Most figures have no qualifier words, so both look at the same last word before the
    number: it is read once.
    """
    last = _tail(text, lo, start)
    # Both look for words after the number (within 12 and 30 characters): find where the next
    # one starts once.
    nxt = _next_char(text, end, min(hi, end + 30)) if folded else None
    qual, qstart = _qualifier(text, start, end, lo, hi, folded, last, nxt)
    if qstart != start:
        last = _tail(text, lo, qstart)
    return qual, qstart, _change(text, qstart, end, lo, hi, folded, last, nxt)


_BY_COMPARE: Final = re.compile(
    r"(?<![A-Za-z])(?:(?P<below>below|lower\s+than|cheaper\s+than|less\s+than|under|short\s+of|behind"
    r"|miss(?:es|ed|ing)?|undershoot(?:s|ing)?|undershot|trail(?:s|ed|ing)?|lag(?:s|ged|ging)?"
    r"|underperform(?:s|ed|ing)?)"
    r"|(?P<above>above|higher\s+than|exceed(?:s|ed|ing)?|ahead\s+of|outpac(?:e|es|ed|ing)"
    r"|beat(?:s|ing)?|top(?:s|ped|ping)|surpass(?:es|ed|ing)?|overshoot(?:s|ing)?|overshot"
    r"|outperform(?:s|ed|ing)?))"
    r"(?![A-Za-z])[^.;:!?]{0,50}?\sby\s*$",
    re.IGNORECASE,
)
# A transitive change verb, its object, then "by" and the amount: "trimmed its cloud gross margin
# by 3 points", "cut prices by 20%", "boosted its annual dividend by 25%". The object has no digit
# and no clause break (the change is this number's, not an earlier one's).
_VERB_OBJECT_BY: Final = re.compile(
    r"(?<![A-Za-z])(?:(?P<up>raised|raises|raising|boosted|boosts|boosting|lifted|lifts|hiked"
    r"|increased|increases|expanded|expands|widened)"
    r"|(?P<down>cut|cuts|cutting|trimmed|trims|trimming|reduced|reduces|reducing|lowered|lowers"
    r"|lowering|slashed|slashes|slashing|decreased|decreases|narrowed|narrows|shrank|shrinks))"
    r"(?![A-Za-z])[^.;:!?,\d]{1,50}?\sby\s*$",
    re.IGNORECASE,
)
# Losses are negative levels: "净亏损112亿元", "蝕29.05億元", "净流出218亿元" (a net outflow), "a net
# loss of $1 billion" (before the number, after its qualifier) and "posted a $4.5 billion loss"
# (after it).
_LOSS_BEFORE: Final = re.compile(
    r"(?:(?<![A-Za-z])(?:(?:net|operating|quarterly|annual|pre-?tax|full-year)\s+)?(?:loss(?:es)?|deficit)"
    r"\s+(?:per\s+(?:diluted\s+|basic\s+)?share\s+)?(?:of\s+)?(?:(?:widened|narrowed|grew|rose|increased|expanded|shrank)\s+)?"
    r"(?:(?:was|is|at|to|totaling|totalling|reached)\s+)?"
    r"|(?<!扭)(?:净|淨|经营|經營|营业|營業|税前|稅前|归母净|歸母淨)?(?:亏损|虧損|亏|虧|蚀|蝕|淨損|净损|純損|纯损|(?<=[净淨])流出)(?:了|[达達]到?|[为為]|金额|金額|分别|分別"
    # "虧損合計96.69億元", "累計虧損仍高達385億元": totals and emphasis between loss and amount
    r"|合计|合計|共计|共計|总计|總計|仍|已|高达|高達)*"
    # "亏损收窄至5亿元", "虧損擴大到12億元": the loss it came to.
    r"(?:(?:收窄|收斂|收敛|扩大|擴大|缩小|縮小|减少|減少|增加|改善)了?\s?(?:至|到))?"
    # "少蝕37%至5.6億元", "虧損收窄21%至3億元": the change in percent, then the loss it came to
    r"(?:(?:收窄|收斂|收敛|扩大|擴大|缩小|縮小|减少|減少|增加|改善)?了?\s?\d[\d.,]{0,8}\s?%\s?(?:至|到))?"
    # ... and the later items of a list of losses: "净亏损分别为3.27亿、4.3亿元、4.42亿元".
    r"(?:[^，,；;。]{0,60}、)?"
    r"(?:\s*[也则則亦还還]?(?:从|從|由)\s*(?:\d{4}\s*年[^\d,;]{0,6}?的|(?:第\s?\d\s?季|上一?季)的)?)?)\s*$",
    re.IGNORECASE,
)
_LOSS_AFTER: Final = re.compile(
    r"\s*(?:(?:net|operating|quarterly|annual|pre-?tax|full-year)\s+)?loss(?:es)?(?![A-Za-z])"
    r"|\s*的?(?:净|淨)?(?:亏损|虧損)",
    re.IGNORECASE,
)
_LOSS_BEFORE_F: Final = twin(_LOSS_BEFORE)
_LOSS_AFTER_F: Final = twin(_LOSS_AFTER)


def loss(text: str, start: int, end: int, lo: int, hi: int, *, folded: bool = False) -> bool:
    """Whether the amount ``text[start:end]`` (``start``: where its qualifier words begin) is a
    loss: said right before it ("净亏损", "a net loss of") or right after ("a $4.5 billion loss")."""
    window = text[max(lo, start - 24) : min(hi, end + 24)]
    if not folded:
        window = window.lower()
    if not (
        "loss" in window
        or "deficit" in window
        or "亏" in window
        or "虧" in window
        or "蚀" in window
        or "蝕" in window
        or "損" in window
        or "损" in window
        or "流出" in window  # a net outflow: "自由现金流净流出218亿元"
    ):
        return False
    before = _LOSS_BEFORE_F if folded else _LOSS_BEFORE
    if before.search(text, max(lo, start - 24), start):
        return True
    return (_LOSS_AFTER_F if folded else _LOSS_AFTER).match(
        text, end, min(hi, end + 24)
    ) is not None


# A level written as negative: "minus $2.1 billion", "EPS of negative 12 cents", "negative free
# cash flow of $3 billion", "cash flow was negative at $1.2 billion". ("plus or minus $300
# million" is a tolerance, dropped by the scanner before this is asked.)
_NEGATIVE_BEFORE: Final = re.compile(
    r"(?<![a-z])(?:minus|negative)(?:\s+(?:(?:adjusted\s+|operating\s+|net\s+|quarterly\s+|annual\s+)?"
    r"(?:free\s+cash\s+flows?|cash\s+flows?|fcf|ebitda|ebit|earnings(?:\s+per\s+share)?|eps|income"
    r"|profits?|margins?|growth|returns?|equity|net\s+worth|working\s+capital)\s+)?(?:of|at|was|were"
    r"|is|totaling|totalling|to)(?![a-z]))?\s*$",
    re.IGNORECASE,
)
_NEGATIVE_BEFORE_F: Final = twin(_NEGATIVE_BEFORE)


# 负 right before an amount, after a verb or a separator ("自由现金流转为负47亿元", "净利润为
# 负3亿元", "经营利润: 负5亿元"), not inside a word ("担负3亿元" is a burden).
_NEGATIVE_ZH: Final = re.compile(r"(?:^|[为為是呈至得:：,，(（\s])[负負]\s*$")


def negative(text: str, start: int, lo: int, *, folded: bool = False) -> bool:
    """Whether the amount starting at ``start`` (where its qualifier words begin) is said to be
    negative by "minus"/"negative" (or 负) right before it (within its clause, from ``lo``)."""
    near = max(lo, start - 4)
    if may_be_negative_zh(text, near, start) and _NEGATIVE_ZH.search(text, near, start) is not None:
        return True
    window = text[max(lo, start - 48) : start]
    if not folded:
        window = window.lower()
    if "minus" not in window and "negative" not in window:
        return False
    return (_NEGATIVE_BEFORE_F if folded else _NEGATIVE_BEFORE).search(
        text, max(lo, start - 48), start
    ) is not None


# Every _BASIS match holds one of these (lower-cased) or a non-ASCII character: a window of
# lower-cased ASCII text without any of them needs no search ("from the prior earlier" is a
# match too, hence "earlier").
_BASIS_WORDS: Final = [
    "year", "earlier", "y/y", "yoy", "annual", "quarter", "sequential", "q/q", "qoq", "month",
    "m/m", "peak", "high",
]  # fmt: skip
# A trie tries fewer positions than an alternation; alone (without a "[^\x00-\x7f]" branch,
# tested with str.isascii instead) it starts with literals, which re skips ahead to.
_BASIS_NEEDS: Final = re.compile(trie_regex(_BASIS_WORDS))


def _may_hold_basis(text: str, pos: int, endpos: int) -> bool:
    """Whether lower-cased ``text[pos:endpos]`` holds a ``_BASIS_WORDS`` word or a non-ASCII
    character (else no _BASIS match is there)."""
    return _BASIS_NEEDS.search(text, pos, endpos) is not None or not text[pos:endpos].isascii()


def _basis_search(text: str, pos: int, endpos: int, folded: bool) -> re.Match[str] | None:
    if folded and not _may_hold_basis(text, pos, endpos):
        return None
    return (_BASIS_S if folded else _BASIS).search(text, pos, endpos)


def change_basis(
    text: str, start: int, end: int, lo: int, hi: int, *, folded: bool = False
) -> str | None:
    """``"yoy"``/``"qoq"``/``"mom"``/``"peak"`` from words near a change, else None."""
    m = _basis_search(text, end, min(hi, end + 45), folded) or _basis_search(
        text, max(lo, start - 12), start, folded
    )
    if m is None:
        return None
    return next(k for k in ("yoy", "qoq", "mom", "peak") if m.group(k))


# Every _MULTIPLES match contains one of these (lower-cased): most texts contain none.
_MULTIPLE_NEEDS: Final = (
    "doubl",
    "tripl",
    "quadrupl",
    "halv",
    "翻",
    "腰斩",
    "减半",
    "腰斬",
    "減半",
)


_ASCII_MULTIPLES: Final = (("doubl", 100.0), ("tripl", 200.0), ("quadrupl", 300.0), ("halv", -50.0))
_ASCII_LETTERS: Final = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _ascii_multiples(folded: str) -> list[tuple[int, int, float]]:
    """What :func:`multiples` finds in ASCII text (``folded``: lower-cased), with ``str.find``:
    _MULTIPLES ignores case and starts with a lookbehind, so ``re`` tries it at every character
    (the Chinese alternatives cannot match ASCII). A stem glued to a letter before it starts no
    match, and no other match can start inside that word, so skipping it changes nothing."""
    out: list[tuple[int, int, float]] = []
    n = len(folded)
    for stem, value in _ASCII_MULTIPLES:
        i = folded.find(stem)
        while i >= 0:
            j = i + len(stem)
            if i == 0 or folded[i - 1] not in _ASCII_LETTERS:
                # The suffixes start with different letters: at most one can be there.
                e = -1
                if folded.startswith("ed", j) or folded.startswith("es", j):
                    e = j + 2
                elif folded.startswith("ing", j):
                    e = j + 3
                if e > 0 and not (e < n and folded[e] in _ASCII_LETTERS):
                    out.append((i, e, value))
            i = folded.find(stem, j)
    if len(out) > 1:
        out.sort()
    return out


def _may_have_multiples(folded: str) -> bool:
    """Whether lower-cased ``folded`` holds one of ``_MULTIPLE_NEEDS`` (spelled out: cheaper
    than a generator, and this runs for every text)."""
    if folded.isascii():  # none of the Chinese ones can be there
        return "doubl" in folded or "tripl" in folded or "quadrupl" in folded or "halv" in folded
    return (
        "doubl" in folded
        or "tripl" in folded
        or "quadrupl" in folded
        or "halv" in folded
        or "翻" in folded
        or "腰斩" in folded
        or "减半" in folded
        or "腰斬" in folded
        or "減半" in folded
    )


def multiples(text: str, folded: str | EllipsisType | None = ...) -> list[tuple[int, int, float]]:
    """(start, end, percent change) for "doubled", "tripled", "翻倍", "腰斩" ...

    ``folded``: ``textfold.fold(text)`` if the caller has it (computed here otherwise).
    """
    out: list[tuple[int, int, float]] = []
    folded = given(text, folded)
    if folded is not None and not _may_have_multiples(folded):
        return out
    if folded is not None and text.isascii():
        return _ascii_multiples(folded)
    for m in _MULTIPLES.finditer(text):
        if m.group("w"):
            word = m.group("w").lower()
            value = next(v for k, v in _MULTIPLE_VALUES.items() if k in word)
        else:
            value = _ZH_MULTIPLE_VALUES.get(m.group("z"), 100.0)
        out.append((m.start(), m.end(), value))
    return out


# ---- differences: an amount that is the size of a move or a gap, not a level -------------
#
# "$30 billion more than last year", "a $10 billion hike", "raised capex by $60 billion", "$20
# billion ahead of HPE", "an increase of $8 billion", "比去年多出600亿元", "较预期高出50亿",
# "增加了200亿元": each states how far one amount is from another, not an amount anyone has.
# Read as a level it would show (and cross a threshold) as the company's own figure; the
# extractor marks it a change (``Figure.is_change``), signed by its word (less, below, 减少).
_DQ: Final = r"(?:\s+(?:about|around|roughly|nearly|almost|some|over|more\s+than|approximately))?"
_DIFF_BEFORE: Final = re.compile(
    # a move verb (its object between) and "by": "raised its capex by", "grew by about"
    r"(?<![a-z])(?:(?P<vup>rais|increas|lift|boost|grow|grew|rose|rise|rising|hik|expand|jump"
    r"|climb|surg|widen|add)|(?P<vdown>cut|reduc|lower|fell|fall|drop|declin|slash|trim|sank"
    r"|sink|shrank|shrink|narrow|decreas))[a-z]*\s+(?:[\w'-]+\s+){0,4}?by"
    r"(?:\s+(?:an?\s+)?(?:additional|extra|further|another))?" + _DQ + r"\s*$"
    # "up $20 billion", "down by $2 billion"
    r"|(?<![a-z])(?:(?P<up>up)|(?P<down>down))(?:\s+by)?" + _DQ + r"\s*$"
    # "an increase of", "a cut of", "a gap of" (a gap or difference has no sign of its own)
    r"|(?<![a-z])(?:(?P<nup>increase|rise|jump|hike|boost)|(?P<ndown>cut|reduction|drop"
    r"|decline|decrease)|(?P<gap>difference|gap))\s+of" + _DQ + r"\s*$"
    # Chinese: compared with something (比/较/相比 … ) and then the comparative word right
    # before the amount: "比去年多出600亿元", "较预期高出50亿", "比上季少30亿元"
    r"|(?:(?<![占相])比(?![亚例重率价如特])|较(?![高低多少大小好差为])|相比|相较)[^,;。:]{0,14}?"
    r"(?:(?P<zup>多出|高出|多了|增加了?|增长了?|增多了?|提高了?|超出|多|高)"
    r"|(?P<zdown>少了|减少了?|下降了?|降低了?|低了|少|低|低于))\s?[约近逾超]?\s*$"
    # alone: "多出600亿元", "增加了200亿元", "减少了30亿元"
    r"|(?:(?P<zup2>多出|高出|增加了|增多了)|(?P<zdown2>减少了?|少了|降低了))\s?[约近逾超]?\s*$",
    re.IGNORECASE,
)
_DIFF_AFTER: Final = re.compile(
    # "$30 billion more (on capex) than", "$2 billion less than", "5,000 more GPUs"
    r"\s*(?:(?P<up>more|greater|larger|bigger|higher)|(?P<down>less|fewer|smaller|lower))\b"
    r"[^,;.]{0,30}?\bthan\b(?!\s+(?:doubl\w*|twice|tripl\w*|quadrupl\w*|half)\b)"
    r"|\s*(?:(?P<up2>more)|(?P<down2>less|fewer))\b(?!\s*(?:or|and|than)\b)"
    # "a $10 billion hike", "a $4 billion year-over-year increase", "a $10 billion gap"
    r"|\s*(?:(?:year-over-year|year-on-year|yoy|sequential|annual)\s+)?"
    r"(?:(?P<nup>increase|rise|jump|hike|boost|uplift)|(?P<ndown>cut|reduction|drop"
    r"|decline|decrease)|(?P<gap>gap|difference)|(?P<short>shortfall))\b",
    re.IGNORECASE,
)
# A count read with its noun, a comparative between: "12,000 more GPUs", "300 fewer staff".
_MORE_INSIDE: Final = re.compile(
    r"[^\s]*\d[\d.,]*\s*(?:[a-z]+\s+)?(?:(?P<up>more)|(?P<down>fewer|less))\s", re.IGNORECASE
)
# A gap to something named after the amount ("$55 billion above estimates", "$20 billion ahead
# of HPE", "$10 billion over last year"), unless a level's preposition introduces the amount:
# "came in at $90 billion above estimates" compares a level.
_GAP_AFTER: Final = re.compile(
    r"\s*(?:(?P<up>above|ahead\s+of|over\s+(?:last|the\s+(?:previous|prior|same))\b)"
    r"|(?P<down>below|behind|short\s+of|under\s+(?:last|the\s+(?:previous|prior|same))\b))\s",
    re.IGNORECASE,
)
_LEVEL_BEFORE: Final = re.compile(
    r"(?<![a-z])(?:at|of|to|reach|reached|reaches|reaching|totaled|totalled|totaling|totalling)"
    + _DQ
    + r"\s*$",
    re.IGNORECASE,
)
# The currency sign or word opening an amount ("US$", "$", "人民币") belongs to it.
_SIGN_BEFORE: Final = re.compile(
    r"(?:US|NT|HK|A|C|S)?[$€£¥]\s*$|(?:人民币|新台币|港币|港元|美元)\s*$", re.IGNORECASE
)


# Every _DIFF_BEFORE match ends with one of these words (then spaces), or one of these
# characters: a cheap test before the search.
_DIFF_BEFORE_ENDS: Final = (
    "by", "up", "down", "of", "about", "around", "roughly", "nearly", "almost", "some", "over",
    "than", "additional", "extra", "further", "another", "approximately",
)  # fmt: skip
_DIFF_BEFORE_CHARS: Final = frozenset("多少高低出了约近逾超加增长降于")


def _may_end_difference(tail: str) -> bool:
    tail = tail.rstrip()
    if not tail:
        return False
    return tail[-1] in _DIFF_BEFORE_CHARS or tail.lower().endswith(_DIFF_BEFORE_ENDS)


def difference(text: str, start: int, end: int, lo: int, hi: int, *, far: bool = False) -> int:
    """+1 or -1 when the amount at [start, end) is a difference (the size of a move or a gap:
    "$30 billion more than last year", "$2 billion less than", "a $10 billion hike", "up $20
    billion", "an increase of", "比去年多出600亿元", "较预期高出50亿", "减少30亿元"), else 0. A
    gap of no stated direction ("a $10 billion gap") is +1. ``lo``/``hi``: the amount's clause.
    ``far``: the amount is the Y of "by X to Y", which the words before X do not bind.

    Works on the normalized, simplified text in either case (the extractor's ``low`` or
    ``norm``); the caller looks at money and counts, not percents (``compared_after``)."""
    before_lo = max(lo, start - 80)
    head = _SIGN_BEFORE.search(text, max(lo, start - 6), start)
    cut = head.start() if head is not None else start
    if not far and _may_end_difference(text[max(lo, cut - 16) : cut]):
        b = _DIFF_BEFORE.search(text, before_lo, cut)
        if b is not None and not (
            b.group("up") and _PARTICLE_UP.search(text, max(lo, b.start() - 24), b.end("up"))
        ):
            return (
                -1
                if (
                    b.group("vdown")
                    or b.group("down")
                    or b.group("ndown")
                    or b.group("zdown")
                    or b.group("zdown2")
                )
                else 1
            )
    a_hi = min(hi, end + 60)
    inner = _MORE_INSIDE.match(text, start, end)
    if inner is not None:  # "12,000 more GPUs (than …)": the count's noun read with it
        return -1 if inner.group("down") else 1
    a = _DIFF_AFTER.match(text, end, a_hi)
    if a is not None:
        return (
            -1
            if (a.group("down") or a.group("down2") or a.group("ndown") or a.group("short"))
            else 1
        )
    g = _GAP_AFTER.match(text, end, hi)
    if g is not None and _LEVEL_BEFORE.search(text, before_lo, cut) is None:
        return -1 if g.group("down") else 1
    return 0
