"""The linear-time keyword matcher: agrees with ``re`` on the supported subset, never stalls."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import RuleError
from bot.rules.safe_regex import MAX_STATES, compile_safe

PATTERNS = [
    r"HBM\d",
    r"^ab+c$",
    r"\bfoo\b",
    r"a.c",
    r"[^a-c]x",
    r"(ab|cd){2,3}e",
    r"x\B",
    r"\d{2,}\.\d",
    r"(?i)sk hynix",
    r"a$",
    r"\Aab",
    r"b\Z",
    r"[\w-]+@",
    r"colou?r",
    r"(a+)+$",
    r"\s\S\s",
    r"a*?b",
    r"(?:a|b)+c",
    r"[A-Z]{2}\d",
]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(PATTERNS), st.text(alphabet="abcdexABCHM01 ._-@\n", max_size=16))
def test_agrees_with_re(pattern: str, text: str) -> None:
    assert compile_safe(pattern).search(text) == bool(re.search(pattern, text))


def test_ignore_case_option() -> None:
    assert compile_safe(r"hbm\d", ignore_case=True).search("SK Hynix HBM4 supply")
    assert not compile_safe(r"hbm\d").search("SK Hynix HBM4 supply")


def test_chinese_text() -> None:
    assert compile_safe(r"存储|记忆体").search("记忆体供给吃紧将延续至 2027")


A100K = "a" * 100_000


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        (r"(a+)+$", A100K + "!", False),
        (r"(a+)+$", A100K, True),
        (r"(a|aa)*b", A100K, False),
        (r"(\w+\s?)+$x", A100K, False),
        (r".*.*.*x", A100K, False),
        (r"(a*)*b", A100K, False),
        (r"(a+a+)+y", A100K, False),
        (r"(.*a){20}!", A100K, False),
    ],
)
def test_hostile_patterns_finish_on_100k_chars(pattern: str, text: str, expected: bool) -> None:
    # Python's re would take hours on these; here each is one linear scan (no hang = pass).
    assert compile_safe(pattern).search(text) is expected


def test_hostile_pattern_match_found_at_end() -> None:
    assert compile_safe(r"(a+)+b").search("a" * 100_000 + "b")


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        (r"(a)\1", "backreferences"),
        (r"(?P<x>a)(?P=x)", "backreferences"),
        (r"(?=a)a", "lookarounds"),
        (r"(?<!a)b", "lookarounds"),
        (r"(?>a)b", "atomic groups"),
        (r"a*+b", "possessive"),
        (r"(a)?(?(1)b|c)", "conditionals"),
        (r"(?m)^a", "only the i flag"),
        (r"(?i:a)b", "scoped flags"),
        ("(", "invalid regex"),
        ("a{3000}", "too large"),
        ("(?:a{100}){100}", "too large"),
        ("x?", "matches empty text"),
        ("", "matches empty text"),
    ],
)
def test_unsupported_patterns(pattern: str, message: str) -> None:
    with pytest.raises(RuleError, match=re.escape(message)):
        compile_safe(pattern)


def test_state_cap_is_reasonable() -> None:
    assert compile_safe(f"a{{{MAX_STATES // 2}}}").search("a" * MAX_STATES)
