"""A linear-time regular-expression matcher for keyword rules (``keyword /HBM\\d/``).

Python's ``re`` backtracks, so a subscriber's ``/(a+)+$/`` could stall the alert job on a long
text. Here the pattern is parsed with Python's own parser (same syntax, same error messages),
compiled to a Thompson NFA and run as a set-of-states simulation with a small transition cache
(a lazy DFA): time is O(len(text) x pattern size) whatever the pattern. Patterns are capped at
``MAX_STATES`` states, input at ``MAX_TEXT`` characters, and one search at ``MAX_WORK`` state
visits (a deterministic time limit, about a second at worst): past it the search gives up and
answers "no match". Sentences and titles never come near it. ``cpu_deadline`` adds a
cooperative CPU budget on top: the alert pass and backtests run in a worker thread under one,
and a search past it raises ``BudgetExceeded`` instead of finishing (``bot.rules.budget``).

Only a yes/no *search* is offered, which is all a keyword rule needs. Supported: literals, ``.``,
classes (``[a-z]``, ``[^…]``, ``\\d \\w \\s`` and negations), groups (capturing or not, only for
grouping), ``|``, ``* + ? {m} {m,} {m,n}`` (lazy forms mean the same for a yes/no search),
anchors ``^ $ \\A \\Z \\b \\B`` and the ``i`` flag. Rejected with a RuleError: backreferences,
lookarounds, conditionals, atomic groups/possessive quantifiers (their meaning depends on
backtracking) and flags other than ``i``.
"""

from __future__ import annotations

import importlib
import re
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from bot.errors import RuleError

_parser: Any = importlib.import_module("re._parser")
_c: Any = importlib.import_module("re._constants")

MAX_STATES = 1_000
MAX_TEXT = 200_000
MAX_WORK = 2_000_000
_CACHE_LIMIT = 20_000
# States held by the two caches together: a big pattern's sets hold hundreds of states each, so
# 20,000 entries could hold ~10^7 references (100+ MB), and freeing them at once held the GIL
# for a third of a second. Past this many, both caches start over (a few ms to free).
_CACHE_STATES = 300_000
_CHECK_EVERY = 256  # characters (or uncached steps) between two looks at the CPU deadline

Pred = Callable[[str], bool]
Ctx = tuple[bool, bool, bool, bool, bool]  # at_start, at_end, before_final_nl, prev_word, next_word


class BudgetExceeded(Exception):
    """The CPU deadline set by ``cpu_deadline`` passed during a search (this thread only)."""


_local = threading.local()


@contextmanager
def cpu_deadline(seconds: float, clock: Callable[[], float] = time.thread_time) -> Iterator[None]:
    """Within the block, a ``search`` on this thread raises BudgetExceeded once ``clock``
    (default: this thread's CPU time) has advanced ``seconds``. Nested blocks keep the nearer
    deadline. Other threads are unaffected, so a budgeted alert pass in a worker thread does
    not cut short a search elsewhere."""
    outer = getattr(_local, "deadline", None)
    deadline = (clock() + seconds, clock)
    if outer is not None and outer[1] is clock and outer[0] < deadline[0]:
        deadline = outer
    _local.deadline = deadline
    try:
        yield
    finally:
        _local.deadline = outer


def check_deadline() -> None:
    """Raise BudgetExceeded when this thread's ``cpu_deadline`` has passed (cheap otherwise)."""
    deadline = getattr(_local, "deadline", None)
    if deadline is not None and deadline[1]() > deadline[0]:
        raise BudgetExceeded


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


_CATEGORIES: dict[Any, Pred] = {
    _c.CATEGORY_DIGIT: str.isdecimal,
    _c.CATEGORY_NOT_DIGIT: lambda ch: not ch.isdecimal(),
    _c.CATEGORY_SPACE: str.isspace,
    _c.CATEGORY_NOT_SPACE: lambda ch: not ch.isspace(),
    _c.CATEGORY_WORD: _is_word,
    _c.CATEGORY_NOT_WORD: lambda ch: not _is_word(ch),
}

_ANCHORS = {
    _c.AT_BEGINNING: "start",
    _c.AT_BEGINNING_STRING: "start",
    _c.AT_END: "end",
    _c.AT_END_STRING: "end_string",
    _c.AT_BOUNDARY: "boundary",
    _c.AT_NON_BOUNDARY: "non_boundary",
}

_UNSUPPORTED = {
    _c.GROUPREF: "backreferences",
    _c.GROUPREF_EXISTS: "conditionals",
    _c.ASSERT: "lookarounds",
    _c.ASSERT_NOT: "lookarounds",
    _c.ATOMIC_GROUP: "atomic groups",
    _c.POSSESSIVE_REPEAT: "possessive quantifiers",
}
_ALLOWED_FLAGS = _c.SRE_FLAG_IGNORECASE | _c.SRE_FLAG_UNICODE


class _State:
    """One NFA state: consumes a char (``pred``), asserts a position (``anchor``), or splits."""

    __slots__ = ("anchor", "outs", "pred")

    def __init__(self, pred: Pred | None = None, anchor: str | None = None) -> None:
        self.pred = pred
        self.anchor = anchor
        self.outs: list[int] = []


class SafePattern:
    """A compiled pattern; ``search(text)`` is True when it matches anywhere in ``text``."""

    def __init__(self, pattern: str, *, ignore_case: bool = False) -> None:
        self.pattern = pattern
        try:
            with warnings.catch_warnings():  # "possible nested set" FutureWarnings: not ours
                warnings.simplefilter("ignore")
                parsed = _parser.parse(pattern, 0)
        except re.error as e:
            raise RuleError(f"invalid regex /{pattern}/: {e.msg}") from None
        except (RecursionError, OverflowError, ValueError):
            raise RuleError(f"invalid regex /{pattern}/: too complex") from None
        flags = parsed.state.flags
        if flags & ~_ALLOWED_FLAGS & ~_c.SRE_FLAG_VERBOSE:
            raise RuleError(f"regex /{pattern}/: only the i flag is supported, e.g. /hbm\\d/i")
        self.ignore_case = ignore_case or bool(flags & _c.SRE_FLAG_IGNORECASE)
        self._states: list[_State] = []
        self.match_state = self._new(_State())
        self._uses_boundary = False
        try:
            self.start = self._seq(list(parsed), self.match_state)
        except RecursionError:
            raise RuleError(f"regex /{pattern}/ is nested too deeply") from None
        self._steps: dict[tuple[frozenset[int], str, Ctx], frozenset[int]] = {}
        self._closures: dict[tuple[frozenset[int], Ctx], frozenset[int]] = {}
        self._cached = 0

    # -- compile -------------------------------------------------------------------------------
    def _new(self, state: _State) -> int:
        if len(self._states) >= MAX_STATES:
            raise RuleError(f"regex /{self.pattern}/ is too large (repeat counts too big?)")
        self._states.append(state)
        return len(self._states) - 1

    def _split(self, *outs: int) -> int:
        i = self._new(_State())
        self._states[i].outs.extend(outs)
        return i

    def _seq(self, items: list[tuple[Any, Any]], nxt: int) -> int:
        for op, av in reversed(items):
            nxt = self._node(op, av, nxt)
        return nxt

    def _char(self, pred: Pred, nxt: int) -> int:
        if self.ignore_case:
            base = pred

            def pred(ch: str) -> bool:
                if base(ch):
                    return True
                low, up = ch.lower(), ch.upper()
                return (low != ch and base(low)) or (up != ch and base(up))

        i = self._new(_State(pred=pred))
        self._states[i].outs.append(nxt)
        return i

    def _node(self, op: Any, av: Any, nxt: int) -> int:
        if op in _UNSUPPORTED:
            raise RuleError(
                f"regex /{self.pattern}/ uses {_UNSUPPORTED[op]}, which keyword rules do not "
                "support; use plain groups, classes and quantifiers"
            )
        if op is _c.LITERAL:
            return self._char(chr(av).__eq__, nxt)
        if op is _c.NOT_LITERAL:
            return self._char(chr(av).__ne__, nxt)
        if op is _c.ANY:
            return self._char(lambda ch: ch != "\n", nxt)
        if op is _c.IN:
            return self._char(_class_pred(av), nxt)
        if op is _c.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            if add_flags or del_flags:
                raise RuleError(f"regex /{self.pattern}/: scoped flags are not supported")
            return self._seq(list(sub), nxt)
        if op is _c.BRANCH:
            return self._split(*(self._seq(list(b), nxt) for b in av[1]))
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
            lo, hi, sub = av
            body = list(sub)
            if hi == _c.MAXREPEAT:
                loop = self._split()
                self._states[loop].outs.extend([self._seq(body, loop), nxt])
                start = loop
            else:
                start = nxt
                for _ in range(hi - lo):
                    start = self._split(self._seq(body, start), nxt)
            for _ in range(lo):
                start = self._seq(body, start)
            return start
        if op is _c.AT:
            anchor = _ANCHORS.get(av)
            if anchor is None:
                raise RuleError(f"regex /{self.pattern}/: anchor {av} is not supported")
            self._uses_boundary |= anchor in ("boundary", "non_boundary")
            i = self._new(_State(anchor=anchor))
            self._states[i].outs.append(nxt)
            return i
        raise RuleError(f"regex /{self.pattern}/: {str(op).lower()} is not supported")

    # -- run -----------------------------------------------------------------------------------
    def _closure(self, seeds: frozenset[int], ctx: Ctx) -> frozenset[int]:
        key = (seeds, ctx)
        hit = self._closures.get(key)
        if hit is not None:
            return hit
        at_start, at_end, before_nl, prev_w, next_w = ctx
        seen: set[int] = set()
        stack = list(seeds)
        while stack:
            i = stack.pop()
            if i in seen:
                continue
            seen.add(i)
            st = self._states[i]
            if st.pred is not None:
                continue
            a = st.anchor
            if a is not None and not (
                (a == "start" and at_start)
                or (a == "end" and (at_end or before_nl))
                or (a == "end_string" and at_end)
                or (a == "boundary" and prev_w != next_w)
                or (a == "non_boundary" and prev_w == next_w)
            ):
                continue
            stack.extend(st.outs)
        result = frozenset(seen)
        self._remember(len(result))
        self._closures[key] = result
        return result

    def _remember(self, size: int) -> None:
        """Account for one more cached set; empty both caches when they hold too much."""
        self._cached += size + 1
        if (
            self._cached > _CACHE_STATES
            or len(self._steps) > _CACHE_LIMIT
            or len(self._closures) > _CACHE_LIMIT
        ):
            self._steps.clear()
            self._closures.clear()
            self._cached = size + 1

    def search(self, text: str) -> bool:
        """True when the pattern matches somewhere in ``text`` (first ``MAX_TEXT`` chars)."""
        text = text[:MAX_TEXT]
        n = len(text)
        states = self._states
        start = frozenset([self.start])
        boundary = self._uses_boundary

        def ctx(i: int) -> Ctx:
            return (
                i == 0,
                i == n,
                i == n - 1 and text[i] == "\n",
                boundary and i > 0 and _is_word(text[i - 1]),
                boundary and i < n and _is_word(text[i]),
            )

        cur = self._closure(start, ctx(0))
        if self.match_state in cur:
            return True
        steps = self._steps
        work = 0
        misses = 0
        for i, ch in enumerate(text):
            if not i % _CHECK_EVERY:
                check_deadline()
            c = ctx(i + 1)
            key = (cur, ch, c)
            nxt = steps.get(key)
            if nxt is None:
                work += len(cur)
                if work > MAX_WORK:
                    return False
                misses += 1
                if not misses % 16:
                    check_deadline()
                moved = {
                    s.outs[0] for s in (states[j] for j in cur) if s.pred is not None and s.pred(ch)
                }
                nxt = self._closure(frozenset(moved) | start, c)
                self._remember(len(nxt))
                steps[key] = nxt
            if self.match_state in nxt:
                return True
            cur = nxt
        return False


def _class_pred(items: list[tuple[Any, Any]]) -> Pred:
    negate = False
    chars: set[str] = set()
    ranges: list[tuple[int, int]] = []
    cats: list[Pred] = []
    for op, av in items:
        if op is _c.NEGATE:
            negate = True
        elif op is _c.LITERAL:
            chars.add(chr(av))
        elif op is _c.RANGE:
            ranges.append(av)
        elif op is _c.CATEGORY:
            cats.append(_CATEGORIES[av])
        else:  # pragma: no cover - the parser emits only the above inside a class
            raise RuleError(f"unsupported character class item {op}")

    def pred(ch: str) -> bool:
        o = ord(ch)
        hit = ch in chars or any(lo <= o <= hi for lo, hi in ranges) or any(f(ch) for f in cats)
        return hit != negate

    return pred


def compile_safe(pattern: str, *, ignore_case: bool = False) -> SafePattern:
    """Compile ``pattern`` for keyword rules; RuleError when unsupported or matching empty text."""
    sp = SafePattern(pattern, ignore_case=ignore_case)
    if sp.search(""):
        raise RuleError(
            f"regex /{pattern}/ matches empty text, so it would fire on everything; "
            "make it require at least one character, e.g. /HBM\\d+/"
        )
    return sp
