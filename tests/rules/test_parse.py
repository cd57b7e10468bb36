"""parse_rule: the rule language, and actionable errors (never anything but RuleError)."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import RuleError
from bot.rules.parse import parse_rule

LEXICON = {"腾讯": "Tencent", "微软": "Microsoft", "meta": "Meta", "sk hynix": "SK Hynix"}


def canonical(name: str) -> str | None:
    return LEXICON.get(name.lower())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("capex > 100B USD", dict(metric="capex", op=">", threshold=100e9, unit="USD")),
        ("Meta capex >= 50B", dict(entity="Meta", metric="capex", op=">=", threshold=50e9)),
        ("capex > 400亿 CNY", dict(metric="capex", threshold=400e8, unit="CNY")),
        (
            "share_price <= -20%",
            dict(metric="share_price", op="<=", threshold=-20, unit="percent", change=True),
        ),
        ("users > 10M", dict(metric="users", threshold=10e6, unit="users")),
        ("any > 1T CNY", dict(metric="any", threshold=1e12, unit="CNY")),
        ("Oracle borrowing > 0", dict(entity="Oracle", metric="borrowing", threshold=0)),
        ("capex change >= 50%", dict(metric="capex", change=True, threshold=50, unit="percent")),
        ("capex change >= 50", dict(change=True, threshold=50, unit="percent")),
        ("capex > 100B USD every 7d", dict(threshold=100e9, unit="USD", cooldown_s=7 * 86400)),
        ("SK Hynix capex > 1B", dict(entity="SK Hynix", metric="capex", threshold=1e9)),
        ("腾讯 capex > 100亿 CNY", dict(entity="Tencent", metric="capex", threshold=1e10)),
        ("微软资本支出 > 1,350 亿美元", dict(entity="Microsoft", threshold=1350e8, unit="USD")),
        (
            "alibaba investment > 1.2万亿 人民币",
            dict(entity="alibaba", threshold=1.2e12, unit="CNY"),
        ),
        ("Meta's stock price < -5%", dict(entity="Meta", metric="share_price", threshold=-5)),
        ("meta shares <= -10 %", dict(entity="Meta", metric="share_price", unit="percent")),
        ("market cap > 1T", dict(metric="market_value", threshold=1e12, unit=None)),
        ("revenue > $10 billion", dict(metric="revenue", threshold=10e9, unit="USD")),
        ("capex ＞＝ １００Ｂ usd", dict(op=">=", threshold=100e9, unit="USD")),
        ("capex ≥ 5B", dict(op=">=", threshold=5e9)),
        ("capex = 5B", dict(op="==", threshold=5e9)),
        ("capex != 5k", dict(op="!=", threshold=5e3)),
        ("profit < -1B USD", dict(metric="profit", threshold=-1e9)),
        ("capex > 10m every day", dict(threshold=10e6, cooldown_s=86400)),
    ],
)
def test_threshold_rules(text: str, expected: dict[str, object]) -> None:
    rule = parse_rule(text, canonical=canonical)
    assert rule.kind == "threshold"
    assert rule.text == text
    for field, value in expected.items():
        got = getattr(rule, field)
        assert got == pytest.approx(value) if isinstance(value, float) else got == value, field


@pytest.mark.parametrize(
    ("text", "keyword", "regex", "cooldown"),
    [
        ('keyword "SK Hynix"', "SK Hynix", False, None),
        ("keyword SK Hynix", "SK Hynix", False, None),
        ("keyword “存储芯片”", "存储芯片", False, None),
        (r"keyword /HBM\d/", r"HBM\d", True, None),
        (r"keyword /hbm\d/i every 2w", r"(?i)hbm\d", True, 14 * 86400),
        ('keyword "every day" every 1h', "every day", False, 3600),
        ("keyword SK Hynix every 12h", "SK Hynix", False, 12 * 3600),
        ("keyword /(a+)+$/", "(a+)+$", True, None),  # harmless: the matcher is linear-time
    ],
)
def test_keyword_rules(text: str, keyword: str, regex: bool, cooldown: int | None) -> None:
    rule = parse_rule(text)
    assert (rule.kind, rule.keyword, rule.regex, rule.cooldown_s) == (
        "keyword",
        keyword,
        regex,
        cooldown,
    )


def test_entity_without_lexicon_is_kept_as_written() -> None:
    assert parse_rule("Foo Corp capex > 1B", canonical=lambda _: None).entity == "Foo Corp"


def test_broken_lexicon_does_not_escape() -> None:
    def boom(_: str) -> str | None:
        raise KeyError("lexicon bug")

    assert parse_rule("Meta capex > 1B", canonical=boom).entity == "Meta"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("capex > 100 bananas", "unknown unit 'bananas' (try USD, CNY, %, users)"),
        ("capx > 1B", "unknown metric 'capx' — did you mean 'capex'?"),
        ("capex => 5B", "did you mean '>='?"),
        ("capex =< 5B", "did you mean '<='?"),
        ("capex <> 5B", "did you mean '!='?"),
        ("capex >", "missing threshold"),
        ("capex > ", "missing threshold"),
        ("capex > lots", "is not a number"),
        ("capex > nan", "is not a number"),
        ("capex > inf", "is not a number"),
        ("capex > -5B USD", "negative"),
        ("Meta capex > -5B", "negative"),
        ("capex > 2000T USD", "too large"),
        ("capex > " + "9" * 100, "too large"),
        ("x" * 201, "too long"),
        ("", "empty rule"),
        ("   ", "empty rule"),
        ("capex 5B", "missing comparator"),
        ("> 5B", "missing metric"),
        ("change > 5%", "missing metric"),
        ("Meta > 5B", "unknown metric 'Meta'"),
        ("capex > 5B > 3B", "one comparator"),
        ("capex > 5B every fortnight", "cooldown"),
        ("capex > 5B every 0d", "between 1 minute"),
        ("capex > 5B every 9999w", "between 1 minute"),
        ("capex change > 5B USD", "a change is a percent"),
        ("users > 5B USD", "users are counted"),
        ("capex > 5 users", "capex is money"),
        ("capex > $5B CNY", "conflicting units"),
        ("capex > -+5B", "two signs"),
        ("keyword", "missing keyword"),
        ('keyword ""', "missing keyword"),
        ('keyword "SK Hynix', "unclosed quote"),
        ('keyword "SK" tomorrow', "only 'every 7d' may follow"),
        ("keyword /HBM", "/pattern/"),
        ("keyword /a*/", "matches empty text"),
        (r"keyword /(a)\1/", "backreferences"),
        ("keyword /(?=a)b/", "lookarounds"),
        ("keyword /a++/", "possessive"),
        ("keyword /(unclosed/", "invalid regex"),
        ("keyword /x/g", "only 'every 7d' may follow"),
        ("capex > 5B\nusers > 1M", "one line"),
    ],
)
def test_errors_say_what_to_fix(text: str, message: str) -> None:
    with pytest.raises(RuleError) as info:
        parse_rule(text)
    text_of_error = str(info.value)
    assert message in text_of_error
    assert "\n" not in text_of_error
    assert len(text_of_error) < 250


def test_non_string_input_is_a_rule_error() -> None:
    with pytest.raises(RuleError):
        parse_rule(None)  # type: ignore[arg-type]


_RULE_ALPHABET = st.sampled_from(
    [
        *"capexusrhn_ Meta>=<!%$¥€-+.,0123456789kMBTbn亿万人民币美元/\\\"'()[]*+?{}|^~",
        "capex",
        "keyword",
        "every",
        "change",
        "share_price",
        "USD",
        "CNY",
        "7d",
        "亿",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_RULE_ALPHABET, max_size=40).map("".join))
def test_fuzz_rule_like_input_raises_only_rule_error(text: str) -> None:
    try:
        parse_rule(text, canonical=canonical)
    except RuleError as e:
        assert "\n" not in str(e)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=250))
def test_fuzz_any_text_raises_only_rule_error(text: str) -> None:
    with contextlib.suppress(RuleError):
        parse_rule(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_fuzz_inner_parser_has_no_hidden_bugs(text: str) -> None:
    """The safety net in parse_rule must not be what keeps the contract."""
    from bot.rules.parse import _parse

    for candidate in (text, f"capex > {text}", f"{text} > 5B", f"keyword /{text}/"):
        with contextlib.suppress(RuleError):
            _parse(candidate, canonical)


def test_default_lexicon_is_used_when_the_extractor_provides_one() -> None:
    pytest.importorskip("bot.extract.entities")
    assert parse_rule("微软 capex > 1B").entity == "Microsoft"
