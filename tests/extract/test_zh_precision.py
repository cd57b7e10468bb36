"""Precision on Chinese news, both scripts: forms and words that are not figures, or not the
figure they look like. Every sentence here was written for its rule."""

from __future__ import annotations

import datetime as dt

from bot.extract import extract
from bot.models import Figure

_DAY = dt.date(2025, 9, 1)


def _pairs(text: str, **kw: object) -> list[tuple[float, str]]:
    return [(f.value, f.unit) for f in extract(text, published=_DAY, **kw)]  # type: ignore[arg-type]


def _figs(text: str, **kw: object) -> list[Figure]:
    return extract(text, published=_DAY, **kw)  # type: ignore[arg-type]


def test_space_after_decimal_point_is_one_number() -> None:
    """PDF/HTML extraction leaves "90. 05%": one number, 90.05, and no sentence ends there."""
    assert _pairs("某公司上半年营收同比增长90. 05%，净利润为7.99亿元。") == [
        (90.05, "percent"),
        (799000000.0, "CNY"),
    ]
    assert (42.44e8, "CNY") in _pairs("预计净利润分别为30.36/36.30/42. 44亿元。")
    assert _pairs("營收年增12. 5%，創同期新高。") == [(12.5, "percent")]


def test_english_sentence_ending_in_a_number_stays_two() -> None:
    assert (10.0, "percent") in _pairs("Revenue peaked in 2025. 10% of it came from AI chips.")


def test_cheng_words_are_not_tenths() -> None:
    """Only a numeral + 成 reads as tenths (一成 = 10%): 成绩, 成效, 成本 ... are words, and the
    一 of 这一, 统一, 唯一 is no numeral."""
    assert _pairs("这一成绩主要得益于新一代GPU的持续热销。") == []
    assert _pairs("這一成績反映了公司戰略調整的顯著成效。") == []
    assert _pairs("管理层称三成效益来自降本。") == []
    assert _pairs("唯一成长的是云业务。") == []
    assert _pairs("公司近一成营收来自海外，逾三成来自AI。") == [(10.0, "percent"), (30.0, "percent")]
    assert _pairs("百度急升一成半，阿里升逾半成。") == [(15.0, "percent"), (5.0, "percent")]


def test_langchao_the_wave_is_no_company() -> None:
    """浪潮 is Inspur (浪潮信息) as a name, not the noun "wave" ("AI浪潮", "这轮浪潮中")."""
    assert [f.entity for f in _figs("在AI浪潮推動下，伺服器業務全年成長48%。")] == [None]
    assert [f.entity for f in _figs("这轮浪潮中，服务器厂商营收增长48%。")] == [None]
    assert [f.entity for f in _figs("浪潮上半年营收801.92亿元。")] == ["Inspur"]
    assert [f.entity for f in _figs("浪潮(000977)发布公告，上半年营收801.92亿元。")] == ["Inspur"]


def test_hong_kong_results_in_bare_yuan_are_hkd() -> None:
    """溢利 results of a Hong Kong company, in a Hong Kong article or traditional script
    naming no 人民币, are in 港元; a mainland company keeps its reporting currency (CNY) and a
    Taiwanese company its own (TWD)."""
    units = [f.unit for f in _figs("某地產集團公布中期業績，股東應佔溢利為8.12億元，按年上升6%。")]
    assert units == ["HKD", "percent"]
    units = [f.unit for f in _figs("港股某公司公布上半年溢利按年增长5%至12亿元。")]
    assert units == ["percent", "HKD"]
    assert [f.unit for f in _figs("某公司上半年溢利按年增长5%至12亿元。")] == ["percent", "CNY"]
    assert [f.unit for f in _figs("騰訊第三季盈利按年增長19%至632億元。")] == ["percent", "CNY"]
    assert [f.unit for f in _figs("季內營收1,200億元，按年增9%。")] == ["CNY", "percent"]
    assert [f.unit for f in _figs("鴻海第三季稅後淨利按年增長17%至577億元。")] == ["percent", "TWD"]
    assert [f.unit for f in _figs("該集團溢利按年升9%至3億元人民幣。")] == ["percent", "CNY"]


def test_list_sharing_a_country_prefix_gives_each_its_figure() -> None:
    """"中国移动、电信、联通" lists three companies: 分别 gives each its own value in order,
    none all to the first."""
    got = [(f.entity, f.value) for f in _figs("中国移动电信联通2025年资本开支指引分别下降7.8%、10.6%、10.4%。")]
    assert got == [("China Mobile", -7.8), ("China Telecom", -10.6), ("China Unicom", -10.4)]
    got = [(f.entity, f.value) for f in _figs("中國移動、電信、聯通去年資本開支分別為1640億元、935億元、614億元。")]
    assert got == [("China Mobile", 1.64e11), ("China Telecom", 9.35e10), ("China Unicom", 6.14e10)]
    assert [f.entity for f in _figs("中国移动通信集团营收增长3%。")] == ["China Mobile"]


def test_respective_values_of_a_group_go_to_its_listed_members() -> None:
    """"三大运营商…分别为 A、B、C": each value is a member's, in the order of the last list of
    three companies before; not three figures of the aggregate."""
    text = (
        "中国移动、中国电信、中国联通今年资本开支均下降。"
        "三大运营商去年云计算收入增速分别为20.5%、17.1%、34.5%。"
    )
    got = [(f.entity, f.value, f.kind) for f in _figs(text) if f.value > 0]
    assert got == [
        ("China Mobile", 20.5, "actual"),
        ("China Telecom", 17.1, "actual"),
        ("China Unicom", 34.5, "actual"),
    ]
