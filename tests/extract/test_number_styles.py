"""Every number style, property-tested: write a number in the style, extract it, get it back.

Values are exact: the expected value is computed with ``decimal`` from the written digits, and
the extracted float must equal it (no ``isclose``): "129.83亿" is 12983000000, not
12983000000.000002.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.extract import extract
from bot.models import Figure
from tests.extract.test_numbers import _to_cjk

_ZH_DIGITS = "零一二三四五六七八九"  # as tests.extract.test_numbers
_FULLWIDTH = str.maketrans("0123456789.,", "０１２３４５６７８９．，")


def _one(text: str) -> Figure:
    figs = extract(text)
    assert len(figs) == 1, (text, figs)
    return figs[0]


def _exact(number: Decimal, factor: int | Decimal = 1) -> float:
    return float(number * factor)


decimals = st.builds(
    lambda n, d: Decimal(n).scaleb(-d),
    st.integers(min_value=1, max_value=999_999),
    st.integers(min_value=0, max_value=3),
)


def _digits(number: Decimal, commas: bool) -> str:
    return f"{number:,f}" if commas else f"{number:f}"


@given(
    decimals,
    st.booleans(),
    st.sampled_from(
        [("million", 10**6), ("billion", 10**9), ("trillion", 10**12), ("bn", 10**9), ("m", 10**6)]
    ),
    st.sampled_from([("$", "", "USD"), ("", " yuan", "CNY"), ("€", "", "EUR"), ("NT$", "", "TWD")]),
)
def test_english_money(
    number: Decimal, commas: bool, mag: tuple[str, int], cur: tuple[str, str, str]
) -> None:
    word, factor = mag
    pre, suf, unit = cur
    space = "" if word == "m" else " "
    f = _one(f"The company spent {pre}{_digits(number, commas)}{space}{word}{suf} last year.")
    assert (f.value, f.unit) == (_exact(number, factor), unit)


@given(
    decimals,
    st.booleans(),
    st.sampled_from([("万", 10**4), ("亿", 10**8), ("億", 10**8), ("万亿", 10**12)]),
    st.sampled_from([("元", "CNY"), ("美元", "USD"), ("港元", "HKD"), ("日圓", "JPY")]),
    st.booleans(),
)
def test_chinese_digits_with_magnitudes(
    number: Decimal,
    commas: bool,
    mag: tuple[str, int],
    cur: tuple[str, str],
    fullwidth: bool,
) -> None:
    written = _digits(number, commas)
    if fullwidth:
        written = written.translate(_FULLWIDTH)
    f = _one(f"公司去年投入{written}{mag[0]}{cur[0]}。")
    assert (f.value, f.unit) == (_exact(number, mag[1]), cur[1])


@given(decimals, st.sampled_from(["新台幣", "NT$"]))
def test_zhao_is_a_trillion_in_taiwanese_money(number: Decimal, pre: str) -> None:
    f = _one(f"台積電市值達{pre}{_digits(number, False)}兆元。")
    assert (f.value, f.unit) == (_exact(number, 10**12), "TWD")


@given(st.integers(min_value=1, max_value=9999), st.sampled_from([("亿", 10**8), ("万", 10**4)]))
def test_chinese_numerals_with_magnitudes(n: int, mag: tuple[str, int]) -> None:
    f = _one(f"该公司计划投资{_to_cjk(n)}{mag[0]}元。")
    assert (f.value, f.unit) == (float(n * mag[1]), "CNY")


def _digit_by_digit(number: Decimal, zero: str) -> str:
    digits = "".join(
        zero if c == "0" else _ZH_DIGITS[int(c)] if c.isdigit() else c for c in str(number)
    )
    return digits.replace(".", "點")


@given(
    st.builds(
        lambda n, d: Decimal(n).scaleb(-d),
        st.integers(min_value=10, max_value=99_999),
        st.integers(min_value=0, max_value=2),
    ),
    st.sampled_from(["○", "〇", "零"]),
    st.sampled_from([("億", 10**8), ("萬", 10**4), ("兆", 10**12)]),
)
def test_digit_by_digit_numerals(number: Decimal, zero: str, mag: tuple[str, int]) -> None:
    if str(number)[0] == "0":
        return
    f = _one(f"台積電營收新台幣{_digit_by_digit(number, zero)}{mag[0]}元。")
    assert (f.value, f.unit) == (_exact(number, mag[1]), "TWD")


@given(st.integers(min_value=1, max_value=99), st.integers(min_value=1, max_value=9))
def test_percent_in_chinese_words(whole: int, tenth: int) -> None:
    written = _to_cjk(whole) + "點" + _ZH_DIGITS[tenth]
    f = _one(f"市佔率為百分之{written}。")
    assert (f.value, f.unit) == (float(Decimal(f"{whole}.{tenth}")), "percent")


@given(
    st.integers(min_value=1, max_value=9),
    st.sampled_from([("近", "nearly"), ("逾", "more_than"), ("", "exact")]),
)
def test_cheng_fractions(tenths: int, qual: tuple[str, str]) -> None:
    f = _one(f"全球市場中，該公司市佔率{qual[0]}{_ZH_DIGITS[tenths]}成。")
    assert (f.value, f.unit, f.qualifier) == (tenths * 10.0, "percent", qual[1])


@given(decimals, st.sampled_from(["percentage points", "个百分点", "個百分點", "pp"]))
def test_percentage_points(number: Decimal, word: str) -> None:
    space = "" if word[0] > "\u3000" else " "
    f = _one(f"Gross margin widened by {_digits(number, False)}{space}{word} this quarter.")
    assert (f.value, f.unit) == (_exact(number), "percentage_points")


@given(st.integers(min_value=1, max_value=9_999), st.sampled_from(["basis points", "bps", "基点"]))
def test_basis_points_are_hundredths(n: int, word: str) -> None:
    f = _one(f"The spread narrowed by {n} {word}.")
    # a narrowing is a decline (tests/extract/test_signs_en.py)
    assert (f.value, f.unit) == (-float(Decimal(n) / 100), "percentage_points")


@given(
    st.builds(
        lambda n, d: Decimal(n).scaleb(-d),
        st.integers(min_value=1, max_value=99_999),
        st.integers(min_value=0, max_value=2),
    ),
    st.sampled_from(
        [
            (" GW", 10**9),
            (" gigawatts", 10**9),
            ("GW", 10**9),
            (" MW", 10**6),
            (" megawatts", 10**6),
            ("吉瓦", 10**9),
            ("兆瓦", 10**6),
            ("萬瓩", 10**7),
            ("百萬瓩", 10**9),
            ("万千瓦", 10**7),
        ]
    ),
)
def test_power(number: Decimal, unit: tuple[str, int]) -> None:
    value = _exact(number, unit[1])
    if value < 1e7:
        return  # a chip's, a rack's or a building's watts are not capacity
    f = _one(f"The campus will have {_digits(number, False)}{unit[0]} of capacity.")
    assert (f.value, f.unit, f.metric) == (value, "W", "power_capacity")


@given(
    st.integers(min_value=1, max_value=9_999),
    st.sampled_from(
        [(" EFLOPS", 10**18), (" exaflops", 10**18), ("PFLOPS", 10**15), ("P算力", 10**15)]
    ),
)
def test_compute(n: int, unit: tuple[str, int]) -> None:
    f = _one(f"全国智能算力规模达到{n}{unit[0]}。")
    assert (f.value, f.unit, f.metric) == (float(n * unit[1]), "FLOPS", "compute_capacity")


@given(
    st.integers(min_value=1, max_value=999),  # a bare 1900..2100 is a year
    st.integers(min_value=1, max_value=999),
    st.sampled_from(["%-", "%–", "% to ", "-", "–", " to "]),
    st.sampled_from(["rose", "fell"]),
)
def test_ranges_keep_low_at_most_value(a: int, b: int, dash: str, verb: str) -> None:
    lo, hi = sorted((a, b))
    if lo == hi:
        return
    f = _one(f"Sales {verb} {lo}{dash}{hi}% last year.")
    sign = -1 if verb == "fell" else 1
    assert f.unit == "percent"
    assert f.low is not None and f.low <= f.value
    assert {f.low, f.value} == {sign * lo, sign * hi}


@given(decimals, st.sampled_from(["同比-", "同比下降", "年減", "跌幅達", "fell "]))
def test_declines_are_negative(number: Decimal, words: str) -> None:
    f = _one(f"營收{words}{_digits(number, False)}%。")
    assert (f.value, f.unit, f.is_change) == (-_exact(number), "percent", True)


@settings(max_examples=50)
@given(decimals, st.sampled_from(["净亏损", "淨虧損", "蝕", "net loss of $", "a loss of $"]))
def test_losses_are_negative(number: Decimal, words: str) -> None:
    unit = "USD" if "$" in words else "CNY"
    tail = " billion" if unit == "USD" else "億元"
    f = _one(f"The group reported a {words}{_digits(number, False)}{tail}.")
    factor = 10**9 if unit == "USD" else 10**8
    assert (f.value, f.unit) == (-_exact(number, factor), unit)


@given(
    st.builds(
        lambda n, d: Decimal(n).scaleb(-d),
        st.integers(min_value=2, max_value=99_999),
        st.integers(min_value=0, max_value=2),
    ),
    st.sampled_from(["倍", " 倍", "x", "-fold", " times more than"]),
)
def test_multiples(number: Decimal, word: str) -> None:
    f = _one(f"The valuation rose {_digits(number, False)}{word} last year.")
    assert (f.value, f.unit) == (_exact(number), "times")


@given(
    st.integers(min_value=1, max_value=99),
    st.integers(min_value=1, max_value=9_999),
    st.integers(min_value=0, max_value=9),
    st.sampled_from(["", " "]),
    st.sampled_from(["新台幣", "NT$", ""]),
)
def test_zhao_then_yi_is_one_number(zhao: int, yi: int, tenth: int, space: str, pre: str) -> None:
    """ "1兆933.6億元", "新台幣 2 兆 1312 億元": 兆 then 億 write one amount (Taiwanese results)."""
    written = f"{yi}.{tenth}" if tenth else str(yi)
    f = _one(f"鴻海第四季營收{pre}{zhao}{space}兆{space}{written}{space}億元，創下新高。")
    want = Decimal(zhao) * 10**12 + Decimal(written) * 10**8
    assert (f.value, f.unit) == (float(want), "TWD")


@given(st.integers(min_value=1, max_value=99), st.integers(min_value=1, max_value=9_999))
def test_wan_then_four_digits_is_one_number(wan: int, rest: int) -> None:
    """ "3萬5934台": 萬 then four digits (a leading zero kept) write one number."""
    f = _one(f"該公司累計出貨{wan}萬{rest:04d}台伺服器。")
    assert (f.value, f.unit, f.noun) == (float(wan * 10**4 + rest), "count", "servers")


@given(decimals, st.sampled_from(["三位數", "3位數", "三位数"]))
def test_triple_digit_growth_is_vague(number: Decimal, words: str) -> None:
    """ "年增三位數百分比": a vague 100 percent change beside the exact figures."""
    figs = extract(f"營收{_digits(number, False)}億元，年增{words}百分比。")
    assert [(f.value, f.unit, f.qualifier) for f in figs][-1] == (100.0, "percent", "vague")


@given(st.integers(min_value=1, max_value=9), st.integers(min_value=1, max_value=9))
def test_cheng_with_a_tenth_digit(whole: int, digit: int) -> None:
    """ "1成2": one and two tenths of a whole, 12 percent."""
    f = _one(f"實際建置僅占總申請量{whole}成{digit}。")
    assert (f.value, f.unit) == (float(whole * 10 + digit), "percent")


@given(st.integers(min_value=1, max_value=98), st.integers(min_value=1, max_value=99))
def test_percent_range_in_chinese_words(a: int, b: int) -> None:
    """ "百分之五十九至六十一": the upper end of a range written once with 百分之."""
    low, high = min(a, b), max(a, b)
    if low == high:
        high += 1
    f = _one(f"毛利率預估介於百分之{_to_cjk(low)}至{_to_cjk(high)}。")
    assert (f.value, f.unit, f.low) == (float(high), "percent", float(low))


def _trad(text: str) -> str:
    return text.translate(
        str.maketrans(
            "万亿个项业机构数据资产开营减运务议认购额", "萬億個項業機構數據資產開營減運務議認購額"
        )
    )


@given(
    st.integers(min_value=10, max_value=999_999),
    st.sampled_from(["digits", "fullwidth", "cjk"]),
    st.sampled_from(
        [
            ("全国共有{n}个城市建设智算中心。", "cities"),
            ("认购的机构超{n}家，刷新纪录。", "institutions"),
            ("已有{n}家企业完成部署。", "companies"),
            ("新开工项目{n}个，总投资创新高。", "projects"),
            ("当地已有{n}座营运中的资料中心。", "data centres"),
            ("公司部署约{n}台服务器。", "servers"),
        ]
    ),
    st.booleans(),
)
def test_counts_with_measure_words(n: int, style: str, form: tuple[str, str], hant: bool) -> None:
    """ "30個城市", "460家企業", "项目25个", "五十座資料中心": a count and its noun, in either
    script, written in ASCII or full-width digits or a Chinese numeral."""
    written = (
        _to_cjk(n)
        if style == "cjk"
        else str(n).translate(_FULLWIDTH)
        if style == "fullwidth"
        else str(n)
    )
    text = form[0].format(n=written)
    f = _one(_trad(text) if hant else text)
    assert (f.value, f.unit, f.noun) == (float(n), "count", form[1])


@given(
    st.integers(min_value=1, max_value=99),
    st.integers(min_value=1, max_value=99),
    st.sampled_from(["下滑", "下降", "年減", "衰退", "减少"]),
    st.sampled_from(["至", "到", "~"]),
    st.booleans(),
)
def test_ranges_of_declines_written_from_the_larger(
    a: int, b: int, verb: str, to: str, fullwidth: bool
) -> None:
    """ "較去年同期下滑8%至2%": a range of declines, value the smaller decline, low the larger."""
    big, small = max(a, b), min(a, b)
    if big == small:
        return
    written = f"{big}%{to}{small}%"
    if fullwidth:
        written = written.translate(_FULLWIDTH).replace("%", "％")
    f = _one(f"預估第一季營收較去年同期{verb}{written}。")
    assert (f.value, f.low, f.unit) == (-float(small), -float(big), "percent")


@given(
    st.lists(decimals, min_size=3, max_size=5),
    st.sampled_from(["/", "、"]),
    st.sampled_from([("亿元", 10**8, "CNY"), ("億美元", 10**8, "USD"), ("%", 1, "percent")]),
    st.booleans(),
)
def test_lists_write_the_unit_once(
    numbers: list[Decimal], sep: str, unit: tuple[str, int, str], fullwidth: bool
) -> None:
    """ "营收分别为280/170/60亿元": every item has the magnitude and unit of the last (a bare
    whole 1900..2100 in such a list reads as a year, as everywhere)."""
    if any(x == x.to_integral_value() and 1900 <= x <= 2100 for x in numbers[:-1]):
        return
    written = sep.join(_digits(x, False) for x in numbers)
    if fullwidth:
        written = written.translate(_FULLWIDTH)
    figs = extract(f"三家公司的营收分别为{written}{unit[0]}。")
    assert [(f.value, f.unit) for f in figs] == [(_exact(x, unit[1]), unit[2]) for x in numbers]


@given(decimals, st.sampled_from(["（3017）", "(2454)", "（6669-KY）"]))
def test_taiwan_stock_code_makes_bare_yuan_twd(number: Decimal, code: str) -> None:
    """A Taiwanese company's amounts in 元 name no currency: the stock code says TWD."""
    f = _one(f"奇鋐{code}去年營收達{_digits(number, True)}億元，創下新高")
    assert (f.value, f.unit) == (_exact(number, 10**8), "TWD")
