"""parse_amount: magnitudes, separators, Chinese numerals, full-width digits; properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.extract.numbers import parse_amount, parse_cjk_numeral


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,350 亿", 1.35e11),
        ("37.5 billion", 3.75e10),
        ("1.2万亿", 1.2e12),
        ("三千八百亿", 3.8e11),
        ("１２０亿", 1.2e10),
        ("100B", 1e11),
        ("10M", 1e7),
        ("4800亿", 4.8e11),
        ("8.5", 8.5),
        ("135", 135.0),
        ("2 trillion", 2e12),
        ("$60bn", 6e10),
        ("5k", 5e3),
        ("1.5 tn", 1.5e12),
        ("1,000 万", 1e7),
        ("两万", 2e4),
        ("十二亿", 1.2e9),
        ("一亿五千万", 1.5e8),
        ("三万亿", 3e12),
        ("-20", -20.0),
        ("5千万", 5e7),
    ],
)
def test_parse_amount(text: str, value: float) -> None:
    got = parse_amount(text)
    assert got is not None and math.isclose(got, value)


@pytest.mark.parametrize("text", ["", "abc", "billion", "1,2,3", "12 apples", "亿", "x" * 1000])
def test_parse_amount_rejects(text: str) -> None:
    assert parse_amount(text) is None


def test_cjk_numeral_small() -> None:
    assert parse_cjk_numeral("十") == 10
    assert parse_cjk_numeral("二十五") == 25
    assert parse_cjk_numeral("一百零五") == 105
    assert parse_cjk_numeral("千") == 1000
    assert parse_cjk_numeral("甲") is None


def _grouped(n: int) -> str:
    return f"{n:,}"


@given(st.integers(min_value=0, max_value=10**12))
def test_thousands_separators_round_trip(n: int) -> None:
    assert parse_amount(_grouped(n)) == n
    assert parse_amount(str(n)) == n


@given(
    st.integers(min_value=1, max_value=999_999),
    st.sampled_from(
        [
            ("thousand", 1e3),
            ("million", 1e6),
            ("billion", 1e9),
            ("trillion", 1e12),
            ("bn", 1e9),
            ("mn", 1e6),
            ("B", 1e9),
            ("M", 1e6),
            ("k", 1e3),
            ("T", 1e12),
            ("万", 1e4),
            ("亿", 1e8),
            ("万亿", 1e12),
            ("千亿", 1e11),
        ]
    ),
    st.sampled_from(["", " "]),
    st.integers(min_value=0, max_value=2),
)
def test_magnitudes(n: int, mag: tuple[str, float], space: str, decimals: int) -> None:
    word, factor = mag
    if len(word) == 1 and word.isascii():
        space = ""  # single letters are glued: "100B"
    number = n / 10**decimals
    text = f"{number:,.{decimals}f}{space}{word}"
    got = parse_amount(text)
    assert got is not None
    assert math.isclose(got, round(number, decimals) * factor, rel_tol=1e-9)


_FULLWIDTH = str.maketrans("0123456789.,", "０１２３４５６７８９．，")


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["亿", "万", ""]))
def test_fullwidth_equals_ascii(n: int, mag: str) -> None:
    text = f"{n:,}{mag}"
    assert parse_amount(text.translate(_FULLWIDTH)) == parse_amount(text)


_DIGITS = "零一二三四五六七八九"


def _to_cjk(n: int) -> str:
    """Reference Chinese numeral writer for 1..9999_9999_9999 (standard form)."""

    def small(x: int) -> str:
        out, zero = "", False
        for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d, x = divmod(x, value)
            if d:
                if zero and out:
                    out += "零"
                out += _DIGITS[d] + unit
                zero = False
            else:
                zero = True
        return out

    yi, rest = divmod(n, 10**8)
    wan, one = divmod(rest, 10**4)
    out = ""
    if yi:
        out += small(yi) + "亿"
    if wan:
        out += ("零" if yi and wan < 1000 else "") + small(wan) + "万"
    if one:
        out += ("零" if (yi or wan) and one < 1000 else "") + small(one)
    return out


@given(st.integers(min_value=1, max_value=10**12 - 1))
def test_cjk_numerals_round_trip(n: int) -> None:
    assert parse_cjk_numeral(_to_cjk(n)) == n
