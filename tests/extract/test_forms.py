"""The figure forms of AI-infrastructure news, in English, simplified and traditional Chinese.

Each case: a sentence and every figure it holds as (value, unit, {field: expected}); a sentence
whose numbers are not figures expects []. Values compare exactly.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.extract import extract
from bot.models import Conversion

Case = tuple[str, list[tuple[float, str, dict[str, Any]]]]

POWER: list[Case] = [
    (
        "OpenAI will build at least 10 gigawatts of AI data centers.",
        [(1e10, "W", {"qualifier": "at_least", "metric": "power_capacity"})],
    ),
    (
        "The Abilene site will reach 1.2 GW by mid-2026.",
        [(1.2e9, "W", {"metric": "power_capacity"})],
    ),
    (
        "Meta's Hyperion campus starts at 2GW and could scale to 5GW.",
        [(2e9, "W", {}), (5e9, "W", {})],
    ),
    ("The utility approved 300 megawatts for the site.", [(3e8, "W", {})]),
    ("该数据中心总装机容量达到 1000 兆瓦。", [(1e9, "W", {"metric": "power_capacity"})]),
    ("项目规划算力中心用电负荷 5 吉瓦。", [(5e9, "W", {})]),
    ("整體容量達到7百萬瓩（GW）。", [(7e9, "W", {})]),
    ("新增装机 1200 万千瓦。", [(1.2e10, "W", {})]),
    ("其中國科會占了廿三ＭＷ。", [(2.3e7, "W", {})]),
    ("AirTrunk plans a 150+MW data center.", [(1.5e8, "W", {"qualifier": "more_than"})]),
    ("Ameren signed a deal to supply a 250-MW data center.", [(2.5e8, "W", {})]),
    ("Meta's Hyperion will scale up to five gigawatts.", [(5e9, "W", {"qualifier": "up_to"})]),
    ("Demand will reach between 171 and 219 GW.", [(2.19e11, "W", {"low": 1.71e11})]),
    ("The building's load is under 2.5MW.", []),
    # Energy and chip power are not capacity.
    ("The site will use 5 GWh a year.", []),
    ("Each Blackwell GPU draws 1,200 watts.", []),
    ("年用电量 50 亿千瓦时。", []),
]

COMPUTE: list[Case] = [
    (
        "China's total compute reached 280 EFLOPS.",
        [(2.8e20, "FLOPS", {"metric": "compute_capacity"})],
    ),
    ("The supercomputer delivers 1.1 exaflops.", [(1.1e18, "FLOPS", {})]),
    ("全国智能算力规模达到5万P算力。", [(5e19, "FLOPS", {"metric": "compute_capacity"})]),
    ("該中心算力達 300 PFLOPS。", [(3e17, "FLOPS", {})]),
    ("中国算力总规模达280EFLOPS(以FP32单精度计算)。", [(2.8e20, "FLOPS", {})]),
    ("提供10000P國產推理算力。", [(1e19, "FLOPS", {})]),
    # Per-chip specs.
    ("Each B200 delivers 20 petaflops of FP4 compute.", []),
    ("H100 offers 989 TFLOPS of dense compute.", []),
    ("单卡算力达到 1000 TFLOPS。", []),
]

COUNTS: list[Case] = [
    ("三家公司合作建置五座新的資料中心。", [(5.0, "count", {"noun": "data centres"})]),
    # 资料中心 in simplified script; status words between the measure word and the noun.
    (
        "当地已有 15 座营运中资料中心、11 座在建。",
        [(15, "count", {"noun": "data centres"}), (11, "count", {"noun": "data centres"})],
    ),
    ("公司已有3个在建的智算中心。", [(3, "count", {"noun": "data centres"})]),
    ("该市有5座城市的数据中心。", []),
    (
        "Colossus is powered by 200,000 NVIDIA H100 GPUs.",
        [(2e5, "count", {"noun": "GPUs", "metric": "gpus"})],
    ),
    ("The model was trained using 16,000 Nvidia H100 GPUs.", [(16000, "count", {"noun": "GPUs"})]),
    ("Microsoft bought 485,000 Hopper chips last year.", [(485000, "count", {"noun": "chips"})]),
    (
        "Oracle will deploy 131,072 Blackwell GPUs.",
        [(131072, "count", {"noun": "GPUs", "metric": "gpus"})],
    ),
    ("全国智算中心超250个。", [(250, "count", {"noun": "data centres", "qualifier": "more_than"})]),
    ("公司在美國興建五座資料中心。", [(5, "count", {"noun": "data centres"})]),
    ("约500台服务器已经上线。", [(500, "count", {"noun": "servers", "qualifier": "about"})]),
    ("字节跳动采购了10万块GPU。", [(1e5, "count", {"noun": "GPUs", "metric": "gpus"})]),
    (
        "Its GPU fleet doubled to over 200,000.",
        [(2e5, "count", {"previous": 1e5, "qualifier": "more_than", "noun": "GPUs"})],
    ),
    # Model sizes, token counts and illustrations are not figures.
    ("Llama 3 has 405 billion parameters.", []),
    ("The 70B-parameter model beat GPT-4.", []),
    ("It was trained on 15 trillion tokens.", []),
    ("模型有30億參數。", []),
    ("Training used 2.8 million GPU hours.", []),
    ("总计消耗约280万GPU小时。", []),
    ("using 2048颗英伟达H800 GPU的集群", [(2048, "count", {"noun": "GPUs"})]),
    (
        "Microsoft will bring more than 20,000 advanced Graphics Processing Units to the UK.",
        [(20000, "count", {"noun": "GPUs"})],
    ),
    ("该模型拥有 6710 亿参数。", []),
    ("The campus will use enough to power 4 million homes.", []),
]

MULTIPLES: list[Case] = [
    ("市盈率达28.47倍。", [(28.47, "times", {})]),
    ("营收增长超十倍。", [(10, "times", {"qualifier": "more_than", "is_change": True})]),
    ("股價上漲417 倍。", [(417, "times", {})]),
    ("Revenue grew threefold.", [(3, "times", {})]),
    ("Demand is 10x what it was.", [(10, "times", {})]),
    ("Shares trade at 30 times more than book value.", [(30, "times", {})]),
    # Without a numeral, a plan is no figure.
    ("Meta plans to double its capacity.", []),
    ("公司计划翻倍产能。", []),
]

POINTS: list[Case] = [
    ("The gap widened by 16 percentage points.", [(16, "percentage_points", {})]),
    ("毛利率提升9 个百分点。", [(9, "percentage_points", {"is_change": True})]),
    ("毛利率年增3.5個百分點。", [(3.5, "percentage_points", {})]),
    # A cut is a decline (issue 14: "losses, cuts and declines are negative").
    ("The Fed has cut rates by 225 basis points.", [(-2.25, "percentage_points", {})]),
    ("Spreads tightened 50bps.", [(0.5, "percentage_points", {})]),
    ("Cloud gross margin fell 3 points.", [(-3, "percentage_points", {})]),
    ("The Dow fell 300 points.", []),
]

RANGES_SIGNS: list[Case] = [
    ("Margins are expected at 25%–35% next year.", [(35, "percent", {"low": 25})]),
    ("Growth of 18%-20% is expected.", [(20, "percent", {"low": 18})]),
    ("Shares dropped 7-8% on Monday.", [(-7, "percent", {"low": -8, "is_change": True})]),
    ("公司净亏损112亿元。", [(-1.12e10, "CNY", {"is_change": False})]),
    ("公司蝕29.05億元。", [(-2.905e9, "CNY", {})]),
    ("Intel posted a $4.5 billion loss.", [(-4.5e9, "USD", {})]),
    ("Baidu posted a net loss of 11.2 billion yuan.", [(-1.12e10, "CNY", {})]),
    ("价格降幅达到了85%。", [(-85, "percent", {"is_change": True})]),
    ("The bid was below the industry price by 99.3%.", [(-99.3, "percent", {})]),
    ("核心收入246.59亿元，同比降幅同为7%。", [(2.4659e10, "CNY", {}), (-7, "percent", {})]),
    # A tilde between the two ends of a range is its dash, not "about".
    (
        "台積電預估今年營收1.64兆元～1.76兆元之間。",
        [(1.76e12, "TWD", {"low": 1.64e12, "qualifier": "exact"})],
    ),
    ("鴻海首季營收約2～2.1兆元。", [(2.1e12, "TWD", {"low": 2e12, "qualifier": "about"})]),
    # The low end takes the high end's magnitude exactly (decimal arithmetic, no 3.2e10 + 4e-6).
    ("TSMC guided revenue of about $32.2~$33.4 billion.", [(3.34e10, "USD", {"low": 3.22e10})]),
    # Plural and noun forms of a change before "of".
    ("Samsung expects a reduction of 20% in memory output.", [(-20, "percent", {})]),
    ("Analysts forecast declines of 5% in PC shipments.", [(-5, "percent", {})]),
    # ... but "a gain of" is an amount gained (an investment gain), not a change.
    (
        "SoftBank booked an investment gain of 2.8 trillion yen.",
        [(2.8e12, "JPY", {"is_change": False})],
    ),
    # A transitive change verb, its object, then "by": the verb gives the sign.
    (
        "AI spending trimmed its cloud gross margin by 3 points (to 69%).",
        [(-3, "percentage_points", {}), (69, "percent", {})],
    ),
    ("Nvidia cut the price of its chips by 20% in China.", [(-20, "percent", {})]),
    ("The company boosted its annual dividend by 25%.", [(25, "percent", {})]),
    ("Revenue was higher than expected by 5%.", [(5, "percent", {})]),
    ("营收同比-16.5%。", [(-16.5, "percent", {"is_change": True})]),
    ("營收年減7%。", [(-7, "percent", {"is_change": True})]),
    ("公司扭亏为盈，净利润5亿元。", [(5e8, "CNY", {})]),
]

CHINESE: list[Case] = [
    ("比重为百分之三點五。", [(3.5, "percent", {})]),
    ("營收一三五點五八億元。", [(1.3558e10, "CNY", {})]),
    ("營收一一三○億元。", [(1.13e11, "CNY", {})]),
    ("台積電市值新台幣三點三四兆元。", [(3.34e12, "TWD", {})]),
    ("市值突破2兆美元。", [(2e12, "USD", {"qualifier": "more_than"})]),
    (
        "市占率一成，近三成，逾六成。",
        [
            (10, "percent", {}),
            (30, "percent", {"qualifier": "nearly"}),
            (60, "percent", {"qualifier": "more_than"}),
        ],
    ),
    ("投资超过千亿元。", [(1e11, "CNY", {"qualifier": "more_than"})]),
    ("投资数十亿元。", [(1e9, "CNY", {"qualifier": "vague"})]),
    ("去年投入二十多亿元。", [(2e9, "CNY", {"qualifier": "more_than"})]),
    ("The company will invest several billion dollars.", [(1e9, "USD", {"qualifier": "vague"})]),
    ("It spends tens of billions of dollars a year.", [(1e10, "USD", {"qualifier": "vague"})]),
    ("营收129.83亿元。", [(12983000000.0, "CNY", {})]),
    ("该公司成本下降了三成。", [(-30, "percent", {})]),
    ("5G 频段 100兆赫。", []),
    ("一成不变的策略。", []),
]

CURRENCIES: list[Case] = [
    ("台積電營收新台幣2兆元。", [(2e12, "TWD", {})]),
    ("Revenue was NT$1.2 trillion.", [(1.2e12, "TWD", {})]),
    ("港元50億。", [(5e9, "HKD", {})]),
    ("該公司投資30億令吉。", [(3e9, "MYR", {})]),
    ("The data centre costs RM3 billion.", [(3e9, "MYR", {})]),
    ("软银投资500亿日圆。", [(5e10, "JPY", {})]),
    ("三星投资3万亿韩元。", [(3e12, "KRW", {})]),
    ("投资20亿欧元和10億英鎊。", [(2e9, "EUR", {}), (1e9, "GBP", {})]),
    ("Reliance will spend ₹100 billion.", [(1e11, "INR", {})]),
    ("信實將投資1000億盧比。", [(1e11, "INR", {})]),
    # Implied by context.
    (
        "阿里巴巴资本开支 1,200 亿元。未来 3 年 3,800 亿用于 AI 基础设施。",
        [(1.2e11, "CNY", {}), (3.8e11, "CNY", {})],
    ),
    ("腾讯资本开支 500 亿元，同比减少约 340 亿。", [(5e10, "CNY", {}), (-3.4e10, "CNY", {})]),
    ("鴻海營收新台幣8000億元，獲利則為400億元。", [(8e11, "TWD", {}), (4e10, "TWD", {})]),
    ("營收從3億到40億美元。", [(4e9, "USD", {"previous": 3e8})]),
    (
        "经调整净亏损从2022年的9741.7万元扩大至2025年上半年的17.52亿元。",
        [(-1.752e9, "CNY", {"previous": -97417000.0})],
    ),
    ("毛利率从2022年的54.6%降至2025年上半年的50.0%。", [(50.0, "percent", {"previous": 54.6})]),
    ("2025年資本支出為410億美元，高於2024年的300億美元。", [(4.1e10, "USD", {"previous": 3e10})]),
    (
        "Revenue rose 110% to $1.6 billion -- up substantially from $747 million.",
        [(110, "percent", {}), (1.6e9, "USD", {"previous": 7.47e8})],
    ),
    # Taiwanese money text: a bare 元 is TWD.
    ("鴻海2024年營收約6.86兆元。", [(6.86e12, "TWD", {"qualifier": "about"})]),
    ("台積電全年營收是3兆8090億元。", [(3.809e12, "TWD", {})]),
    (
        "緯創十一月單月營收來到二八○六．二四億元，年增一九四．六四％。",
        [(2.8062400e11, "TWD", {}), (194.64, "percent", {})],
    ),
    ("騰訊Q3資本開支130億。", [(1.3e10, "CNY", {})]),
    ("一家互联网巨头单季亏损超百亿。", [(-1e10, "CNY", {"qualifier": "more_than"})]),
    ("Adani will invest ₹9 lakh crore by 2035.", [(9e12, "INR", {})]),
    ("Tata will spend Rs 300 crore.", [(3e9, "INR", {})]),
    ("Net income of ¥1.1-trillion was reported.", [(1.1e12, "JPY", {})]),
    (
        "Revenue rose from $1.2 billion in 2024 to $2.8 billion in 2025.",
        [(2.8e9, "USD", {"previous": 1.2e9})],
    ),
    ("騰訊(00700)升3.07%，報538元。", [(3.07, "percent", {}), (538, "HKD", {})]),
    ("台積電股價收在1690元。", [(1690, "TWD", {})]),
    ("千兆宽带覆盖5亿户。", [(5e8, "count", {})]),
    (
        "收入達到5343.7萬美元(約3.8億人民幣)。",
        [(53437000.0, "USD", {"conversion": Conversion(value=3.8e8, unit="CNY")})],
    ),
    # A bare amount of 亿 where money is spent is money (issue 14): 投/投入/砸/烧钱 before it,
    # 投资/资本开支 just after it; 人币 is short for 人民币.
    ("阿里巴巴未来三年投3800亿建AI与云计算设施。", [(3.8e11, "CNY", {})]),
    ("字节跳动据报明年投入1600亿人币建设AI基础设施。", [(1.6e11, "CNY", {})]),
    ("字節跳動據報明年投入1600億人幣建設AI基礎設施。", [(1.6e11, "CNY", {})]),
    ("腾讯要在 AI 上砸 1000 亿。", [(1e11, "CNY", {})]),
    ("料3800亿三年AI投资计划偏小了。", [(3.8e11, "CNY", {})]),
    ("鴻海今年投3000億擴產。", [(3e11, "TWD", {})]),
    ("阿里此前两次业绩会上就曾明确 “3 年 3,800 亿” 资本开支计划。", [(3.8e11, "CNY", {})]),
    # 兆 for 10^12 is Taiwan's: a bare 兆元 is TWD unless the text names 人民币.
    ("相較去年8兆元營收，今年肯定兩位數成長。", [(8e12, "TWD", {})]),
    ("工業富聯市值衝破人民幣1兆元，達到1.06兆元。", [(1e12, "CNY", {}), (1.06e12, "CNY", {})]),
    # "9月增長" (growth in September) is not Taiwan's 月增: the 元 here stays CNY.
    (
        "雙11期間日均訂單較9月增長198%。即時零售收入同比激增60%至229.06億元。",
        [(198, "percent", {}), (60, "percent", {}), (2.2906e10, "CNY", {})],
    ),
    # Hong Kong text: share prices in 港元, results in 人民幣 — a 港元 figure leaves bare 元 CNY.
    (
        "騰訊盈利升18%，至705.51億元(人民幣，下同)。騰訊收報656港元。上季收入至1,928.69億元。",
        [(18, "percent", {}), (7.0551e10, "CNY", {}), (656, "HKD", {}), (1.92869e11, "CNY", {})],
    ),
    (
        "阿里巴巴以人民幣呈報業績。阿里股價收報150港元。季度收入2,478億元。",
        [(150, "HKD", {}), (2.478e11, "CNY", {})],
    ),
    # Price bands are not amounts.
    ("600美元以上价位段的手机。", []),
    ("营收500亿元，出货量达2亿。", [(5e10, "CNY", {}), (2e8, "count", {})]),
]


def _check(text: str, expected: list[tuple[float, str, dict[str, Any]]]) -> None:
    got = extract(text)
    assert [(f.value, f.unit) for f in got] == [(v, u) for v, u, _ in expected], (text, got)
    for f, (_, _, fields) in zip(got, expected, strict=True):
        for name, want in fields.items():
            assert getattr(f, name) == want, (text, name, getattr(f, name))


@pytest.mark.parametrize(("text", "expected"), POWER)
def test_power(text: str, expected: list[tuple[float, str, dict[str, Any]]]) -> None:
    _check(text, expected)


@pytest.mark.parametrize(("text", "expected"), COMPUTE)
def test_compute(text: str, expected: list[tuple[float, str, dict[str, Any]]]) -> None:
    _check(text, expected)


@pytest.mark.parametrize(("text", "expected"), COUNTS)
def test_counts(text: str, expected: list[tuple[float, str, dict[str, Any]]]) -> None:
    _check(text, expected)


@pytest.mark.parametrize(("text", "expected"), MULTIPLES)
def test_multiples(text: str, expected: list[tuple[float, str, dict[str, Any]]]) -> None:
    _check(text, expected)


@pytest.mark.parametrize(("text", "expected"), POINTS)
def test_points(text: str, expected: list[tuple[float, str, dict[str, Any]]]) -> None:
    _check(text, expected)


@pytest.mark.parametrize(("text", "expected"), RANGES_SIGNS)
def test_ranges_and_signs(text: str, expected: list[tuple[float, str, dict[str, Any]]]) -> None:
    _check(text, expected)


@pytest.mark.parametrize(("text", "expected"), CHINESE)
def test_chinese_numbers_and_vague(
    text: str, expected: list[tuple[float, str, dict[str, Any]]]
) -> None:
    _check(text, expected)


@pytest.mark.parametrize(("text", "expected"), CURRENCIES)
def test_currencies(text: str, expected: list[tuple[float, str, dict[str, Any]]]) -> None:
    _check(text, expected)


# Chinese forms of session 5 (issue 14): counts of actors and projects, ranges of declines,
# lists, Taiwanese money, and numbers that measure something other than a key figure.
ZH_MORE: list[Case] = [
    ("全國超過30個城市正在建設智算中心。", [(30, "count", {"noun": "cities"})]),
    ("认购的机构超460家,刷新纪录。", [(460, "count", {"noun": "institutions"})]),
    ("新開工項目25個。", [(25, "count", {"noun": "projects"})]),
    ("另有6个项目正在建设中。", [(6, "count", {"noun": "projects"})]),
    ("已有十五家企业完成部署。", [(15, "count", {"noun": "companies"})]),
    ("数十家企业完成部署。", [(10, "count", {"qualifier": "vague"})]),
    # A few companies in prose, a rank, the top three: not counts.
    ("三家公司的资本开支都在增加。", []),
    ("該公司排名第3名。", []),
    ("前三家公司的市占率合计过半。", []),
    ("第二座資料中心將於明年啟用。", []),
    # Ranges of declines written from the larger; "從A至B不等" is a range, not a move.
    ("較去年同期下滑8%至2%。", [(-2, "percent", {"low": -8})]),
    ("各季營收季減20％至30％不等。", [(-20, "percent", {"low": -30})]),
    # A list writes the magnitude and unit once.
    (
        "三家云厂商营收分别为280/170/60亿元。",
        [(2.8e10, "CNY", {}), (1.7e10, "CNY", {}), (6e9, "CNY", {})],
    ),
    # Taiwanese text: a stock code or Taiwanese results wording makes a bare 元 TWD.
    ("奇鋐（3017）去年營收達1,000億元。", [(1e11, "TWD", {})]),
    ("最近四季本業利潤約95.5億元。", [(9.55e9, "TWD", {})]),
    # A Chinese figure before 不及/高于预期 is the figure; the gap form puts the number after.
    ("营收环比下降11.7%，不及市场预期。", [(-11.7, "percent", {})]),
    # Price bands, per-unit composition, likened counts.
    ("华为在600美元以上高端市场保持第二。", []),
    ("高端(3500 元以上)智能手机出货增长。", []),
    ("一組 AI 機櫃通常搭載超過 72 顆 GPU。", []),
    ("每台伺服器配備8顆GPU。", []),
    ("使用了一个包含2048颗英伟达H800 GPU的集群。", [(2048, "count", {"noun": "GPUs"})]),
    ("算力約為2700萬臺個人計算機的算力。", []),
    ("其容量相當於3座核電廠。", []),
    # Dates, ROC years, stock codes, phone numbers and exchange rates are not figures.
    ("公司於3月5日公布114年財報。", []),
    ("台積電（2330）客服電話02-2345-6789。", []),
    # Model sizes, energy in 度, exchange rates, product prices, tolerances, ratios.
    ("模型参数量达到1.8万亿，上下文长度128K。", []),
    ("一座100MW的資料中心每年用電約8.76億度。", []),
    ("1美元約可兌換31.5新台幣。", []),
    ("蘋果iPhone 17 Pro售價999美元起。", []),
    ("美光預計第一季營收為125億美元，上下浮動3億美元。", [(1.25e10, "USD", {})]),
    ("這代表每投資1美元可帶來3美元的營收。", []),
    ("市场规模预计达3075亿元,每1元投入带动3-4元经济增长。", [(3.075e11, "CNY", {})]),
    # A double-digit band is a vague 10 percent; a bare "兩位數成長" is no figure.
    ("人工智能業務的收入錄得高雙位數按年增長。", [(10, "percent", {"qualifier": "vague"})]),
    ("資本開支佔今年收入的低雙位數百分比。", [(10, "percent", {"qualifier": "vague"})]),
    ("今年營收絕對兩位數成長。", []),
    # A project being built is its own size; "一座100MW的資料中心" in general is not.
    ("公司计划建设一座60兆瓦人工智能数据中心。", [(6e7, "W", {})]),
    ("完成擴容300台智算服務器。", [(300, "count", {"noun": "servers"})]),
    ("累計培育出80間獨角獸企業。", [(80, "count", {"noun": "companies"})]),
    # A Hong Kong filing's comparative period in parentheses is the previous value.
    (
        "集团录得约192.6百万港元(二零二二年财政年度:约223.2百万港元)的收入。",
        [(1.926e8, "HKD", {"previous": 2.232e8})],
    ),
    ("收入為人民幣50億元（二零二三年：人民幣42億元）。", [(5e9, "CNY", {"previous": 4.2e9})]),
    # Losses that narrowed or widened to an amount; specs of a chip or a product.
    ("公司亏损收窄至 5 亿元。", [(-5e8, "CNY", {})]),
    ("淨虧損擴大到12億元。", [(-1.2e9, "CNY", {})]),
    ("该芯片晶体管数量达到 530 亿个。", []),
    ("英伟达GB200 NVL72包含72颗Blackwell GPU和36颗Grace CPU。", []),
    ("xAI的Colossus集群包含20万颗GPU。", [(2e5, "count", {"noun": "GPUs"})]),
    # A mark not yet reached; a range of declines introduced by 幅度從.
    ("資本開支是595億元,全年規模離1000億還有很遠距離。", [(5.95e10, "CNY", {})]),
    ("第一季營收季減幅度從22％至32％不等。", [(-22, "percent", {"low": -32})]),
    # Taiwanese results: single-digit bands, net losses (淨損), monthly revenue in 元 is TWD,
    # and lots of shares bought or sold are no figure.
    ("台積電預估第一季營收將季減中個位數百分比。", [(-1, "percent", {"qualifier": "vague"})]),
    ("力積電去年稅後淨損63.2億元。", [(-6.32e9, "TWD", {})]),
    ("國巨10月營收114.6億元，為歷年同期新高。", [(1.146e10, "TWD", {})]),
    ("外資今日賣超台積電2.5萬張。", []),
    # Hong Kong's four-digit codes of mainland companies (9xxx) do not make 元 TWD; the tally
    # of a list just named is not a count of its own.
    ("阿里巴巴(9988)計劃投資3800億元。", [(3.8e11, "CNY", {})]),
    (
        "英特爾、沃爾瑪和通用電氣等共21家公司，在2026年合計的預計支出僅1,800億美元。",
        [(1.8e11, "USD", {})],
    ),
    # Cards of a compute cluster; 上百亿 is vague.
    ("公司建成3.5万卡集群，另有万卡集群在建。", [(3.5e4, "count", {"noun": "accelerators"})]),
    ("將建設4萬張國產化加速卡集群。", [(4e4, "count", {"noun": "accelerators"})]),
    ("上百亿元的投资。", [(1e10, "CNY", {"qualifier": "vague"})]),
    # A decline that narrowed to a rate is still a decline.
    ("净利润跌幅收窄至3%。", [(-3, "percent", {})]),
    ("營收年減幅度收斂至1成。", [(-10, "percent", {})]),
    ("增幅扩大至10%。", [(10, "percent", {})]),
    ("小米經調整淨利按年倒退5%。", [(-5, "percent", {})]),
    # Prices per token, per card or per hour are unit prices.
    ("输入价格为每百万tokens 0.5元，输出价格为每百万tokens 2元。", []),
    ("API价格降至0.8元/百万tokens。", []),
    ("每张H100每小时租金约2美元。", []),
    ("H100租金2美元/卡/小时。", []),
    ("公司每年投资100亿元。", [(1e10, "CNY", {})]),
    # A number glued to a model's letters before a Chinese noun with no measure word is the
    # model's name, not a count; with a measure word it is a count.
    ("华为昇腾910B芯片性能接近A100。", []),
    ("英伟达RTX 5090显卡售价上调。", []),
    ("寒武纪思元590芯片性能提升。", []),
    ("出货3000显卡。", [(3000, "count", {"noun": "GPUs"})]),
    ("字节跳动计划采购2万颗H20芯片。", [(20000, "count", {})]),
    ("该集群部署了1万张昇腾910B加速卡。", [(10000, "count", {})]),
    ("採購10萬顆GPU。", [(100000, "count", {"noun": "GPUs"})]),
    # A measure word of time makes a duration, even after a counted noun ("公司…18个月").
    ("公司预计在未来12至18个月内完成融资。", []),
    ("該公司過去3個季度獲利成長。", []),
    ("公司旗下有3个数据中心。", [(3, "count", {"noun": "data centres"})]),
    # A chip's transistors are its size; what each rack or centre draws is a spec.
    ("該晶片搭載800億個電晶體。", []),
    ("该芯片集成了2080亿个晶体管。", []),
    ("每座資料中心約需100MW電力。", []),
    ("每个机柜功耗达130千瓦。", []),
    ("公司在柔佛建设一座60兆瓦数据中心。", [(6e7, "W", {})]),
    # Market turnover, prices per unit of a good and one chip's compute are not figures.
    ("大盤今日量能放大至5000億元。", []),
    ("台股今日成交值達4,200億元。", []),
    ("國際金價每盎司2,650美元。", []),
    ("布蘭特原油每桶75美元。", []),
    ("該晶片效能達20PFLOPS。", []),
    ("该集群总算力达到10EFLOPS。", [(1e19, "FLOPS", {})]),
    # An exchange rate stated as one unit's worth is not an amount; a converted amount is.
    ("注：1美元約合7.2元人民幣。", []),
    ("以1美元=31元新台幣計算，營收約1兆元。", [(1e12, "TWD", {})]),
    ("10億美元約合72億元人民幣。", [(1e9, "USD", {})]),
    # What a named rack holds is its spec.
    ("NVL72機櫃搭載72顆GPU。", []),
    ("輝達將推出Rubin Ultra，每機櫃576顆GPU。", []),
    ("營收較去年同期成長3倍。", [(3, "times", {})]),
    ("股價一年內漲了5倍。", [(5, "times", {})]),
]


@pytest.mark.parametrize(("text", "expected"), ZH_MORE)
def test_chinese_forms_of_session_5(
    text: str, expected: list[tuple[float, str, dict[str, Any]]]
) -> None:
    _check(text, expected)
