"""English signs and number forms: the grammar of falls, losses, cuts and comparisons.

Conventions (decided here, kept by these tests):
- A fall, cut, loss or deficit is negative, whatever the verb's inflection ("slid", "slashing",
  "contracted", "narrowed by"); so is an amount said to be "minus"/"negative" and an accounting
  negative in parentheses ("$(4.5) million", "(4.5)%").
- "cut costs by $1 billion" is a cut: negative (the change of the costs). A cost-reduction
  *plan* of $10 billion names the plan's size: positive. An impairment, a writedown or a cash
  burn is the size of a charge or an outflow named by its own noun (like capex): positive.
- A loss that narrowed or widened "from" a base: the base is a loss too, unless the text names
  it a profit ("versus a profit of 14 cents").
- A gap to expectations in percent is a change against them, signed by its word ("12% below
  estimates" -12, "beat estimates by 4%" +4); a gap in money stays no figure.
- A percent restating a change after ", or" shares its sign ("fell 300 points, or 1.5%").
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.extract import extract
from bot.models import Figure


def _pairs(text: str) -> list[tuple[float, str]]:
    return [(f.value, f.unit) for f in extract(text)]


def _one(text: str) -> Figure:
    figs = extract(text)
    assert len(figs) == 1, (text, figs)
    return figs[0]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Shares of Nvidia slid 3.5% in after-hours trading.", [(-3.5, "percent")]),
        ("Prices were slashed 50%.", [(-50.0, "percent")]),
        ("Chip sales are shrinking 8% a year.", [(-8.0, "percent")]),
        ("Memory prices kept tumbling 20% this quarter.", [(-20.0, "percent")]),
        ("Gross margin narrowed by 150 basis points.", [(-1.5, "percentage_points")]),
        ("Shares are 30% below their peak.", [(-30.0, "percent")]),
        ("Revenue was 5% higher than a year ago.", [(5.0, "percent")]),
        ("The chips sell 40% cheaper than rivals'.", [(-40.0, "percent")]),
        ("Bookings were 12% below analysts' estimates.", [(-12.0, "percent")]),
        ("Revenue beat estimates by 4%.", [(4.0, "percent")]),
        ("Guidance undershot consensus by 4%.", [(-4.0, "percent")]),
        ("Revenue missed the consensus by 3%.", [(-3.0, "percent")]),
        ("Free cash flow came in at minus $2.1 billion.", [(-2.1e9, "USD")]),
        ("Earnings per share were minus 12 cents.", [(-0.12, "USD")]),
        ("The company reported negative free cash flow of $3 billion.", [(-3e9, "USD")]),
        ("Operating cash flow was negative at $1.2 billion.", [(-1.2e9, "USD")]),
        ("Operating income was $(4.5) million for the quarter.", [(-4.5e6, "USD")]),
        ("The Nasdaq fell 300 points, or 1.5%.", [(-1.5, "percent")]),
        ("Amazon cut 14,000 jobs, or 4% of its staff.", [(-14000.0, "count"), (-4.0, "percent")]),
        ("Microsoft will cut costs by $1 billion.", [(-1e9, "USD")]),
        ("Intel announced a $10 billion cost reduction plan.", [(1e10, "USD")]),
        ("Intel took a $3.1 billion impairment charge.", [(3.1e9, "USD")]),
        ("OpenAI burned $2.5 billion in the first half.", [(2.5e9, "USD")]),
        # "negative" names the sign of a quantity, not of an impact's size
        ("The tariffs had a negative impact of $2 billion.", [(2e9, "USD")]),
        ("EBITDA was negative $450 million.", [(-4.5e8, "USD")]),
        # no figures: money gaps to expectations, tolerances, a per-rack spec
        ("Meta revenue was $59.9 billion, $2 billion above estimates.", [(59.9e9, "USD")]),
        ("AMD guided to $9.8 billion, plus or minus $300 million.", [(9.8e9, "USD")]),
    ],
)
def test_signs(text: str, want: list[tuple[float, str]]) -> None:
    assert _pairs(text) == want


def test_accounting_negatives_and_their_base() -> None:
    f = _one("Net loss per share was $(0.25), compared with $(0.40).")
    assert (f.value, f.unit, f.previous) == (-0.25, "USD", -0.4)
    f = _one("Operating margin was (4.5)% in the quarter.")
    assert (f.value, f.unit) == (-4.5, "percent")
    # an aside in parentheses is not a negative
    assert _pairs("Revenue grew 20% (22% in constant currency).") == [
        (20.0, "percent"),
        (22.0, "percent"),
    ]


@pytest.mark.parametrize(
    ("text", "value", "previous"),
    [
        (
            "Intel posted an operating loss of $2.3 billion, narrowing from $2.8 billion.",
            -2.3e9,
            -2.8e9,
        ),
        ("The company's net loss widened to $1.1 billion from $600 million.", -1.1e9, -6e8),
        (
            "Its loss per share was 52 cents, versus a profit of 14 cents a year earlier.",
            -0.52,
            0.14,
        ),
        ("Net loss was $120 million, compared with net income of $40 million.", -1.2e8, 4e7),
        ("It swung to a net loss of $16.6 billion from a profit of $310 million.", -16.6e9, 3.1e8),
        ("Net income was $1 billion, compared with a loss of $200 million.", 1e9, -2e8),
        ("Operating income rose to $500 million from a loss of $120 million.", 5e8, -1.2e8),
    ],
)
def test_loss_bases(text: str, value: float, previous: float) -> None:
    f = _one(text)
    assert (f.value, f.previous) == (value, previous)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("xAI is building a 100,000-GPU cluster in Memphis.", (100000.0, "GPUs")),
        ("Meta's 16,384-H100 cluster failed often.", (16384.0, "GPUs")),
        ("The firm operates 18 planned or existing AI data centers.", (18.0, "data centres")),
        ("It will build 20 new hyperscale data centers.", (20.0, "data centres")),
    ],
)
def test_counts(text: str, want: tuple[float, str]) -> None:
    f = _one(text)
    assert (f.value, f.unit, f.noun) == (want[0], "count", want[1])


def test_elided_counts_of_a_list() -> None:
    figs = extract(
        "Johor cites 15 operational data centers, 11 under construction, and 25 approved."
    )
    assert [(f.value, f.noun) for f in figs] == [
        (15.0, "data centres"),
        (11.0, "data centres"),
        (25.0, "data centres"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "An 8-GPU server costs a lot.",
        "The GB200 NVL72 rack holds 72 GPUs.",
        "Each server has 8 GPUs.",
        "It packs 72 Blackwell GPUs into one rack.",
        "It took 5 years to build data centers.",
        "Meta released Llama 3.1 405B, its largest model.",
        "Each B200 GPU draws 1,000W, while the H100 draws 700W.",
        "Nvidia will report earnings on Jan. 29.",
        "The company announced a 1-for-10 reverse stock split.",
        "He scored two points in the game.",
        # specs of one rack or chip, thresholds of a rule, unit costs, transistor counts
        "A single GB200 NVL72 rack draws 120 kW and delivers 1.4 exaflops of AI performance.",
        "The B200 offers 20 petaflops of FP4 compute.",
        "Projects above 75 MW must file with the regulator.",
        "Data centers larger than 50 MW need a permit.",
        "Each 100 MW of capacity costs about $1 billion to build.",
        "A gigawatt of AI capacity costs roughly $50 billion.",
        "The chip has 208 billion transistors.",
        "TSMC makes 5 nm chips for Apple.",
        "Samsung sells 24 GB chips.",
    ],
)
def test_not_figures(text: str) -> None:
    assert extract(text) == []


_WORDS = {"one": 1, "two": 2, "three": 3, "five": 5, "six": 6, "ten": 10, "twenty": 20, "fifty": 50}


@given(
    st.sampled_from(sorted(_WORDS)),
    st.sampled_from(
        [
            (" percentage points", Decimal(1)),
            (" basis points", Decimal("0.01")),
            (" points of growth", Decimal(1)),
            ("-percentage-point", Decimal(1)),
        ]
    ),
)
def test_points_in_words(word: str, unit: tuple[str, Decimal]) -> None:
    text = f"Azure added {word}{unit[0]} from AI."
    f = _one(text)
    assert (f.value, f.unit) == (float(_WORDS[word] * unit[1]), "percentage_points")


decimals = st.builds(
    lambda n, d: Decimal(n).scaleb(-d),
    st.integers(min_value=1, max_value=999_999),
    st.integers(min_value=0, max_value=2),
)


@settings(max_examples=60)
@given(
    decimals,
    st.booleans(),
    st.sampled_from([("", 1), (" million", 10**6), (" billion", 10**9), ("bn", 10**9)]),
)
def test_accounting_negative_money(number: Decimal, commas: bool, mag: tuple[str, int]) -> None:
    digits = f"{number:,f}" if commas else f"{number:f}"
    f = _one(f"Operating income was $({digits}){mag[0]} in the quarter.")
    assert (f.value, f.unit) == (-float(number * mag[1]), "USD")


@settings(max_examples=60)
@given(decimals, st.sampled_from(["%", " percent"]))
def test_accounting_negative_percent(number: Decimal, pct: str) -> None:
    f = _one(f"Operating margin was ({number:f}){pct} in the quarter.")
    assert (f.value, f.unit) == (-float(number), "percent")


@settings(max_examples=60)
@given(
    decimals,
    st.sampled_from(
        ["minus $", "negative $", "negative free cash flow of $", "cash flow was negative at $"]
    ),
)
def test_minus_and_negative(number: Decimal, words: str) -> None:
    f = _one(f"The company reported {words}{number:f} billion.")
    assert (f.value, f.unit) == (-float(number * 10**9), "USD")


@settings(max_examples=80)
@given(
    decimals,
    st.sampled_from(
        [
            "slid ",
            "slipped ",
            "slumped ",
            "tumbled ",
            "plummeted ",
            "sank ",
            "shed ",
            "lost ",
            "contracted ",
            "shrank ",
            "declined ",
            "decreased ",
            "dropped ",
            "fell ",
            "was down ",
            "was lower by ",
            "slashed ",
            "reduced ",
            "narrowed by ",
            "posted a decline of ",
        ]
    ),
)
def test_every_falling_verb_is_negative(number: Decimal, verb: str) -> None:
    f = _one(f"Sales {verb}{number:f}% last year.")
    assert (f.value, f.unit, f.is_change) == (-float(number), "percent", True)


@settings(max_examples=60)
@given(decimals, st.sampled_from(["below", "lower than", "less than", "short of"]))
def test_comparison_after_the_amount_is_a_signed_change(number: Decimal, word: str) -> None:
    f = _one(f"The shares trade {number:f}% {word} their peak.")
    assert (f.value, f.unit, f.is_change) == (-float(number), "percent", True)


@pytest.mark.parametrize(
    ("text", "value", "previous"),
    [
        (
            "Revenue rose to a record $39.3 billion, up 78% from $22.1 billion a year ago.",
            39.3e9,
            22.1e9,
        ),
        ("Revenue was $12 billion, a decline of 4% from $12.5 billion.", 12e9, 12.5e9),
        (
            "Meta raised its capex forecast to $68 billion from its prior target of $62.5 billion.",
            68e9,
            62.5e9,
        ),
        (
            "Meta raised capex to $68 billion at the midpoint of its range, from its previous view of $64 billion.",
            68e9,
            64e9,
        ),
        ("Power demand will rise to 35 GW by 2030 from 17 GW today.", 35e9, 17e9),
    ],
)
def test_bases_after_a_change_or_a_prior_target(text: str, value: float, previous: float) -> None:
    f = next(f for f in extract(text) if f.unit != "percent")
    assert (f.value, f.previous) == (value, previous)
    assert [f.value for f in extract(text) if f.value == previous] == []


def test_conversions_after_a_comma_and_of_a_range() -> None:
    f = _one("Quarterly sales were 1.98 trillion yen, approximately $12.9 billion, in the quarter.")
    assert (f.value, f.unit, f.conversion and f.conversion.value) == (1.98e12, "JPY", 12.9e9)
    f = _one(
        "It plans to spend ¥20 billion to ¥30 billion ($125 million to $190 million) this year."
    )
    assert (f.value, f.low, f.conversion and f.conversion.value) == (30e9, 20e9, 190e6)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Microsoft will build two new data centers in Wisconsin.", (2.0, "data centres")),
        ("It would feature five data center buildings.", (5.0, "data centre buildings")),
        ("The firm has 12 data center campuses.", (12.0, "data centre campuses")),
        ("We need some 50,000 to 100,000 Nvidia GPUs.", (100000.0, "GPUs")),
    ],
)
def test_counts_in_words_and_ranges_keep_their_noun(text: str, want: tuple[float, str]) -> None:
    f = _one(text)
    assert (f.value, f.unit, f.noun) == (want[0], "count", want[1])


def test_losses_restated_per_share_and_wiped_out_value() -> None:
    figs = extract("The chipmaker reported a net loss of $2.9 billion, or 67 cents per share.")
    assert [f.value for f in figs] == [-2.9e9, -0.67]
    figs = extract("Shares dropped as much as 17%, wiping out nearly $600 billion.")
    assert [(f.value, f.metric) for f in figs] == [(-17.0, "share_price"), (-6e11, "market_value")]


def test_a_level_beside_a_larger_one_is_not_a_fall() -> None:
    figs = extract("It raised $500 million, less than the $1 billion it sought.")
    assert [f.value for f in figs] == [5e8, 1e9]
    f = _one("Margins were 3 percentage points below guidance.")
    assert (f.value, f.unit, f.is_change) == (-3.0, "percentage_points", True)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("The stock saw a 3% dip on Monday.", [-3.0]),
        ("Shares were off 3% at noon.", [-3.0]),
        ("The stock ended the day 2.3% weaker.", [-2.3]),
        ("The party won a narrow 51% majority.", [51.0]),
        ("Revenue fell 7% and 9% in the two quarters.", [-7.0, -9.0]),
        ("Revenue fell 7% and 9% of sales came from China.", [-7.0, 9.0]),
    ],
)
def test_changes_named_after_the_amount_and_shared_verbs(text: str, want: list[float]) -> None:
    assert [f.value for f in extract(text)] == want


def test_cluster_compute_and_plans_stay_figures() -> None:
    assert _pairs("The Colossus 2 supercomputer delivers 1.4 exaflops.") == [(1.4e18, "FLOPS")]
    assert _pairs(
        "Oracle will build over 4.5 GW of capacity, which will require $100 billion."
    ) == [
        (4.5e9, "W"),
        (1e11, "USD"),
    ]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Meta signed a multi-billion-dollar deal with Google.", (1e9, "USD")),
        ("Meta signed a multibillion-dollar deal.", (1e9, "USD")),
        ("The company raised several hundred million dollars.", (1e8, "USD")),
        ("The campus will host a few hundred megawatts.", (1e8, "W")),
    ],
)
def test_vague_amounts(text: str, want: tuple[float, str]) -> None:
    f = _one(text)
    assert (f.value, f.unit, f.qualifier) == (*want, "vague")


def test_will_top_is_more_than() -> None:
    assert _one("Spending will top $1tn by 2030.").qualifier == "more_than"
    assert _one("The top 5% of customers pay more.").qualifier == "exact"


def test_multiplied_with_an_object_gives_the_base() -> None:
    f = _one("xAI tripled its GPU count to 210,000.")
    assert (f.value, f.unit, f.noun, f.previous) == (210000.0, "count", "GPUs", 70000.0)
    f = _one("Meta doubled its capex to $70 billion.")
    assert (f.value, f.previous) == (70e9, 35e9)


def test_the_base_of_a_multiple_is_no_figure() -> None:
    text = "Its 2026 capex budget is $30 billion to $35 billion, more than double the $14.9 billion of 2025."
    text = text.replace("more than double the", "a figure that more than doubles the")
    f = next(f for f in extract(text) if f.unit == "USD")
    assert (f.value, f.low, f.previous) == (35e9, 30e9, 14.9e9)
    assert [f.value for f in extract(text)] == [35e9]
