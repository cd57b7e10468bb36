"""Rule text -> ``Rule``. ``parse_rule`` raises only ``RuleError``, with one line saying what to fix.

Grammar (case-insensitive words, any spacing; full-width characters are accepted)::

    threshold rule:  [ENTITY] METRIC [change] OP AMOUNT [UNIT] [every N(s|m|h|d|w)]
    keyword rule:    keyword "TEXT" | keyword TEXT | keyword /REGEX/[i]   [every N…]

Examples: ``capex > 100B USD``, ``Meta capex >= 50B``, ``腾讯 capex > 100亿 CNY``,
``SK Hynix capex > 1B``, ``share_price <= -20%``, ``capex change >= 50%``, ``users > 10M``,
``any > 1T CNY``, ``Oracle borrowing > 0``, ``power_capacity > 1 GW``, ``gpus >= 100k``,
``compute_capacity >= 10 EFLOPS``, ``revenue change >= 5 pp``, ``keyword "SK Hynix"``, ``keyword /HBM\\d/``,
``capex > 100B USD every 7d``.

Choices:
- ENTITY is whatever precedes the metric (multi-word, English or Chinese); it is resolved through
  ``canonical`` (an alias lexicon, "微软" -> "Microsoft") and kept as written when unknown.
- METRIC is one of ``bot.models.METRICS`` or an alias (shares/stock -> share_price, 资本支出 ->
  capex, market cap -> market_value …), or ``any``.
- Percentage points (``5 pp``, ``25 bp``) compare with figures in points only, as a change.
- power_capacity, compute_capacity and gpus compare in W, FLOPS and counts (``1 GW``,
  ``10 EFLOPS``, ``100k``); a unit-less threshold is in those units.
- A percent threshold means a *change* (``change=True``): figures that are changes, or moves with
  a ``previous`` value. ``change`` with no unit means percent; with a currency it is an error.
- No unit (``Meta capex >= 50B``) means US dollars for money figures and a plain number for
  counts (users); ``users > 10M`` gets the unit ``users``.
- Negative thresholds are allowed for percent changes and for ``profit`` (a loss) only.
- ``=`` is read as ``==``; ``=>``, ``=<`` and ``<>`` get a did-you-mean.
- ``kind:K[,K…]`` (anywhere after the metric, e.g. ``capex > 100B USD kind:estimate``) sets the
  figure kinds a threshold rule fires on: actual, guidance, plan, estimate, aggregate,
  hypothetical, or ``any``. Without it a rule fires on actual, guidance and plan figures of a
  named company only.
- ``confidence:any`` (anywhere after the metric) lets a threshold rule fire on every figure a
  digest could show; without it (``confidence:high``) it fires only on alert-grade figures:
  a known company, the metric named in the figure's own clause, no analyst's or market's
  expectation bound to the amount (``bot.rules.confidence``).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from typing import cast

from bot.errors import RuleError
from bot.models import KINDS, METRICS, Rule, RuleOp
from bot.money import is_money
from bot.rules.amounts import parse_threshold, show
from bot.rules.safe_regex import compile_safe

Canonical = Callable[[str], str | None]

MAX_LEN = 200
MAX_COOLDOWN_S = 366 * 86400
EXAMPLE = "e.g. 'capex > 100B USD' or 'keyword \"SK Hynix\"'"

METRIC_ALIASES: dict[str, str] = {m: m for m in METRICS if m != "other"}
METRIC_ALIASES.update(
    {
        "any": "any",
        "anything": "any",
        "任何": "any",
        "capital expenditure": "capex",
        "capital expenditures": "capex",
        "capital spending": "capex",
        "资本支出": "capex",
        "资本开支": "capex",
        "share price": "share_price",
        "shares": "share_price",
        "stock": "share_price",
        "stock price": "share_price",
        "股价": "share_price",
        "user": "users",
        "用户": "users",
        "用户数": "users",
        "revenues": "revenue",
        "sales": "revenue",
        "营收": "revenue",
        "收入": "revenue",
        "debt": "borrowing",
        "borrowings": "borrowing",
        "借款": "borrowing",
        "举债": "borrowing",
        "spend": "spending",
        "支出": "spending",
        "investments": "investment",
        "投资": "investment",
        "profits": "profit",
        "earnings": "profit",
        "net income": "profit",
        "利润": "profit",
        "market value": "market_value",
        "market cap": "market_value",
        "market_cap": "market_value",
        "valuation": "market_value",
        "市值": "market_value",
        "power": "power_capacity",
        "power capacity": "power_capacity",
        "电力容量": "power_capacity",
        "装机容量": "power_capacity",
        "compute": "compute_capacity",
        "compute capacity": "compute_capacity",
        "computing power": "compute_capacity",
        "算力": "compute_capacity",
        "gpu": "gpus",
        "gpu count": "gpus",
    }
)
# Metrics measured in a unit of their own: the unit a rule without one compares in.
METRIC_UNITS: dict[str, str] = {"power_capacity": "W", "compute_capacity": "FLOPS", "gpus": "count"}
_ALIASES_LONGEST_FIRST = sorted(METRIC_ALIASES, key=len, reverse=True)
MONEY_METRICS = frozenset(
    {
        "capex",
        "spending",
        "investment",
        "revenue",
        "profit",
        "borrowing",
        "market_value",
        "funding",
        "backlog",
        "eps",
        "operating_income",
        "free_cash_flow",
    }
)
_CHANGE_WORDS = ("change", "chg", "变化", "变动")

_OPS: tuple[RuleOp, ...] = (">=", "<=", "==", "!=", ">", "<")
_OP_FIXES = {"=>": ">=", "=<": "<=", "<>": "!=", "><": "!=", "!": "!=", "===": "=="}
_OP_RUN = re.compile(r"[<>=!]+")
_KEYWORD_WORDS = ("keyword", "kw", "关键词")
_QUOTES = {'"': '"', "'": "'", "“": "”", "‘": "’", "「": "」", "『": "』"}
_COOLDOWN = re.compile(r"\s+every(?P<rest>(?:\s.*)?)$", re.IGNORECASE | re.DOTALL)
_DURATION = re.compile(
    r"^(?P<n>[0-9]{1,6})?\s*(?P<u>s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?)$",
    re.IGNORECASE,
)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_KIND_FILTER = re.compile(r"(?:^|\s)kinds?\s*[:=]\s*(?P<kinds>[^\s]*)", re.IGNORECASE)
_CONFIDENCE_FILTER = re.compile(
    r"(?:^|\s)(?:confidence|conf)\s*[:=]\s*(?P<level>[^\s]*)", re.IGNORECASE
)
_CONFIDENCE_WORDS = {"high": "high", "any": "any", "all": "any", "low": "any"}
_KIND_WORDS = {
    **{k: k for k in KINDS},
    "any": "any",
    "all": "any",
    "estimates": "estimate",
    "actuals": "actual",
    "plans": "plan",
    "aggregates": "aggregate",
}


def parse_rule(text: str, *, canonical: Canonical | None = None) -> Rule:
    """Parse one rule; RuleError (one line, says what to fix) for anything it cannot use."""
    if not isinstance(text, str):
        raise RuleError(f"a rule is text, {EXAMPLE}")
    try:
        return _parse(text, canonical)
    except RuleError:
        raise
    except Exception:
        # A safety net: the contract is "only RuleError" (test_fuzz_inner_parser hunts bugs).
        raise RuleError(f"could not understand {show(text)}; {EXAMPLE}") from None


def _parse(text: str, canonical: Canonical | None) -> Rule:
    original = text.strip()
    if not original:
        raise RuleError(f"empty rule; {EXAMPLE}")
    if len(original) > MAX_LEN:
        raise RuleError(f"rule is too long ({len(original)} characters, at most {MAX_LEN})")
    if "\n" in original or "\r" in original:
        raise RuleError("a rule is one line; send one rule per message")
    head, _, rest = original.partition(" ")
    if head.lower() in _KEYWORD_WORDS:
        return _keyword_rule(original, rest.strip())
    body, confidence = _confidence(original)
    body, kinds = _kinds(body)
    m = _COOLDOWN.search(body)
    cooldown = None
    if m is not None:
        body, cooldown = body[: m.start()].strip(), _cooldown(m["rest"])
    rule = _threshold_rule(original, body, cooldown, canonical)
    update: dict[str, object] = {} if kinds is None else {"kinds": kinds}
    if confidence != "high":
        update["confidence"] = confidence
    return rule.model_copy(update=update) if update else rule


def _confidence(text: str) -> tuple[str, str]:
    """``text`` without its ``confidence:…`` option, and the level it names (default high)."""
    found = list(_CONFIDENCE_FILTER.finditer(text))
    if not found:
        return text, "high"
    if len(found) > 1:
        raise RuleError("one confidence: option per rule, e.g. 'confidence:any'")
    m = found[0]
    level = _CONFIDENCE_WORDS.get(m["level"].lower())
    if level is None:
        raise RuleError(
            f"unknown confidence {show(m['level'])}; use confidence:high or confidence:any"
        )
    rest = (text[: m.start()] + " " + text[m.end() :]).strip()
    return " ".join(rest.split()), level


def _kinds(text: str) -> tuple[str, tuple[str, ...] | None]:
    """``text`` without its ``kind:…`` filter, and the kinds it names (None: no filter)."""
    found = list(_KIND_FILTER.finditer(text))
    if not found:
        return text, None
    if len(found) > 1:
        raise RuleError("one kind: filter per rule, e.g. 'kind:estimate,guidance'")
    m = found[0]
    words = [w for w in re.split(r"[,|+/]", m["kinds"]) if w]
    if not words:
        raise RuleError(f"missing kind after 'kind:'; use {_kind_names()}")
    kinds: list[str] = []
    for w in words:
        kind = _KIND_WORDS.get(w.lower())
        if kind is None:
            guess = difflib.get_close_matches(w.lower(), list(_KIND_WORDS), n=1, cutoff=0.6)
            hint = (
                f" — did you mean '{_KIND_WORDS[guess[0]]}'?" if guess else f"; use {_kind_names()}"
            )
            raise RuleError(f"unknown kind {show(w)}{hint}")
        if kind not in kinds:
            kinds.append(kind)
    rest = (text[: m.start()] + " " + text[m.end() :]).strip()
    return " ".join(rest.split()), ("any",) if "any" in kinds else tuple(kinds)


def _kind_names() -> str:
    return "kinds: " + ", ".join([*KINDS, "any"])


def _cooldown(rest: str) -> int:
    d = _DURATION.match(rest.strip())
    if d is None:
        raise RuleError(f"cooldown {show('every ' + rest)}: write e.g. 'every 7d' (s, m, h, d, w)")
    seconds = int(d["n"] or 1) * _UNIT_SECONDS[d["u"][0].lower()]
    if not 60 <= seconds <= MAX_COOLDOWN_S:
        raise RuleError("cooldown must be between 1 minute and 366 days, e.g. 'every 7d'")
    return seconds


def _keyword_rule(original: str, arg: str) -> Rule:
    missing = 'missing keyword: write e.g. keyword "SK Hynix" or keyword /HBM\\d/'
    if not arg:
        raise RuleError(missing)
    regex, flags, tail = False, "", ""
    if arg[0] == "/":
        end = arg.rfind("/")
        if end <= 0:
            raise RuleError("a regex keyword is written /pattern/ or /pattern/i, e.g. /HBM\\d/")
        keyword, tail = arg[1:end], arg[end + 1 :]
        if tail[:1] == "i":
            flags, tail = "i", tail[1:]
        regex = True
    elif arg[0] in _QUOTES:
        end = arg.find(_QUOTES[arg[0]], 1)
        if end < 0:
            raise RuleError(f'unclosed quote in {show(arg)}: write e.g. keyword "SK Hynix"')
        keyword, tail = arg[1:end].strip(), arg[end + 1 :]
    else:
        m = _COOLDOWN.search(arg)
        keyword = arg[: m.start()].strip() if m and _DURATION.match(m["rest"].strip()) else arg
        tail = arg[len(keyword) :]
    cooldown = None
    if tail.strip():
        m = _COOLDOWN.match(" " + tail.strip())
        if m is None:
            raise RuleError(
                f"unexpected {show(tail)} after the keyword; only 'every 7d' may follow"
            )
        cooldown = _cooldown(m["rest"])
    if not keyword.strip():
        raise RuleError(missing)
    if regex:
        compile_safe(keyword, ignore_case=flags == "i")
        keyword = f"(?i){keyword}" if flags else keyword
    return Rule(text=original, kind="keyword", keyword=keyword, regex=regex, cooldown_s=cooldown)


def _normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    for a, b in (("−", "-"), ("–", "-"), ("≥", ">="), ("≤", "<="), ("≠", "!=")):
        text = text.replace(a, b)
    return text


def _find_op(body: str) -> tuple[str, str, str]:
    runs = list(_OP_RUN.finditer(body))
    if not runs:
        raise RuleError(f"missing comparator (>, >=, <, <=, ==, !=): {EXAMPLE}")
    if len(runs) > 1:
        raise RuleError(f"one comparator per rule, found {len(runs)}: {EXAMPLE}")
    run = runs[0]
    op = "==" if run.group() == "=" else run.group()
    if op not in _OPS:
        fix = _OP_FIXES.get(op)
        if fix is not None:
            raise RuleError(f"unknown comparator '{op}' — did you mean '{fix}'?")
        raise RuleError(f"unknown comparator {show(op)} (use >, >=, <, <=, ==, !=)")
    return body[: run.start()].strip(), op, body[run.end() :].strip()


def _threshold_rule(
    original: str, body: str, cooldown: int | None, canonical: Canonical | None
) -> Rule:
    left, op, right = _find_op(_normalize(body))
    entity, metric, change = _split_subject(left, op)
    if not right:
        raise RuleError(f"missing threshold after '{op}', e.g. '{left or 'capex'} {op} 100B USD'")
    value, unit = parse_threshold(right)
    if unit in ("percent", "percentage_points"):
        change = True  # "revenue change >= 5 pp": points are a change too
    elif change:
        if unit is not None:
            raise RuleError(
                f"a change is a percent: write e.g. '{metric} change >= 50%', not {show(right)}"
            )
        unit = "percent"
    if metric == "users" and unit is None:
        unit = "users"
    if unit is None and metric in METRIC_UNITS:
        unit = METRIC_UNITS[metric]
    _check_compatible(metric, unit, value, right)
    if entity is not None:
        entity = _resolve(entity, canonical)
    return Rule(
        text=original,
        kind="threshold",
        entity=entity,
        metric=metric,
        change=change,
        op=cast(RuleOp, op),
        threshold=value,
        unit=unit,
        cooldown_s=cooldown,
    )


def _split_subject(left: str, op: str) -> tuple[str | None, str, bool]:
    """``"SK Hynix capex change"`` -> ``("SK Hynix", "capex", True)``."""
    if not left or left.lower() in _CHANGE_WORDS:
        raise RuleError(f"missing metric before '{op}': e.g. 'capex {op} 100B USD' ({_metrics()})")
    change = False
    low = left.lower()
    for word in _CHANGE_WORDS:
        if low.endswith(word) and _boundary_before(low, len(low) - len(word)):
            change = True
            left = left[: len(left) - len(word)].rstrip()
            low = left.lower()
            break
    for alias in _ALIASES_LONGEST_FIRST:
        if low.endswith(alias) and _boundary_before(low, len(low) - len(alias)):
            entity = left[: len(left) - len(alias)].strip()
            if entity.lower().endswith("'s"):
                entity = entity[:-2].strip()
            return entity or None, METRIC_ALIASES[alias], change
    words = left.split()
    last = words[-1] if words else left
    guess = difflib.get_close_matches(last.lower(), list(METRIC_ALIASES), n=1, cutoff=0.6)
    if guess:
        raise RuleError(f"unknown metric {show(last)} — did you mean '{guess[0]}'?")
    raise RuleError(f"unknown metric {show(last)}; write it after the company ({_metrics()})")


def _boundary_before(text: str, i: int) -> bool:
    """True when ``text[i:]`` starts a word: Latin words must not be glued to Latin letters."""
    if i <= 0:
        return True
    before, first = text[i - 1], text[i]
    if not (first.isascii() and first.isalnum()):
        return True
    return not (before.isascii() and (before.isalnum() or before == "_"))


def _metrics() -> str:
    return "metrics: " + "/".join([*(m for m in METRICS if m != "other"), "any"])


def _check_compatible(metric: str, unit: str | None, value: float, right: str) -> None:
    if metric in MONEY_METRICS and unit in ("users", "count", "W", "FLOPS", "times"):
        raise RuleError(f"{metric} is money: use a currency (USD, CNY) or no unit, not {unit}")
    own = METRIC_UNITS.get(metric)
    if own is not None and unit not in (own, "percent", "percentage_points"):
        example = {"W": "1 GW", "FLOPS": "10 EFLOPS", "count": "100k"}[own]
        raise RuleError(
            f"{metric} is in {own}: write e.g. '{metric} > {example}', not {show(right)}"
        )
    if metric == "users" and unit is not None and is_money(unit):
        raise RuleError(f"users are counted, not in {unit}: write e.g. 'users > 10M'")
    if value < 0 and unit not in ("percent", "percentage_points") and metric != "profit":
        raise RuleError(
            f"threshold {show(right)} is negative; for a fall use a percent change, "
            "e.g. 'share_price <= -20%'"
        )


def _resolve(entity: str, canonical: Canonical | None) -> str:
    resolver = canonical if canonical is not None else default_canonical()
    try:
        found = resolver(entity)
    except Exception:  # a lexicon bug must not turn into a traceback for the subscriber
        found = None
    return found if isinstance(found, str) and found else entity


_default: list[Canonical] = []


def default_canonical() -> Canonical:
    """The extractor's alias lexicon when ``bot.extract.entities`` is available, else identity."""
    if _default:
        return _default[0]
    try:
        from bot.extract.entities import default_lexicon  # type: ignore[import-not-found,unused-ignore]

        resolver: Canonical = default_lexicon().canonical
    except Exception:  # not written yet, or broken: fall back to names as written
        return _identity
    _default.append(resolver)
    return resolver


def _identity(name: str) -> str | None:
    return None
