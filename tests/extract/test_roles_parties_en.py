"""Parties of a deal that are not the figure's company: givers "from" a company, partners
"with" one, the second of two companies striking a deal, a group named by a passive's "by"
(bot.extract.figures._Context._roles and who)."""

from __future__ import annotations

import datetime as dt

from bot.extract import extract

PUB = dt.date(2025, 10, 2)


def who(text: str, **kw: object) -> list[tuple[str | None, str, float, str | None, str]]:
    return [
        (f.entity, f.metric, f.value, f.counterparty, f.kind)
        for f in extract(text, published=PUB, **kw)  # type: ignore[arg-type]
    ]


def test_more_money_from_a_giver_after_a_round_is_the_same_company_s_funding() -> None:
    got = who(
        "Mistral is raising money fast. Microsoft first invested $500 million into it, "
        "followed by another $300 million from Nvidia.",
        title="Inside Mistral's funding rounds",
    )
    assert [(e, m, v, c) for e, m, v, c, _ in got] == [
        ("Mistral", "funding", 500e6, "Microsoft"),
        ("Mistral", "funding", 300e6, "Nvidia"),
    ]


def test_money_from_a_company_with_no_round_before_is_left_as_it_was() -> None:
    got = who("Oracle booked $3 billion from OpenAI in the quarter.")
    assert [(e, v, c) for e, _, v, c, _ in got] == [("Oracle", 3e9, "OpenAI")]


def test_two_companies_striking_a_deal_are_its_party_and_counterparty() -> None:
    got = who("Oracle and SoftBank sign a $12 billion deal for a campus in Ohio.")
    assert [(e, v, c) for e, _, v, c, _ in got] == [("Oracle", 12e9, "SoftBank")]
    got = who("Amazon and Nvidia have inked a $16 billion chip agreement.")
    assert [(e, v, c) for e, _, v, c, _ in got] == [("Amazon", 16e9, "Nvidia")]


def test_two_companies_spending_together_stay_a_sum() -> None:
    got = who("Microsoft and Google together spent $60 billion on data centres.")
    assert [(e, k) for e, _, _, _, k in got] == [("Microsoft + Google", "aggregate")]


def test_money_a_passive_gives_to_a_group_of_firms_is_their_aggregate() -> None:
    got = who(
        "Nvidia had a strong year. About a third of the $90 billion raised by European "
        "start-ups went to AI labs."
    )
    assert [(e, v, k) for e, _, v, _, k in got] == [("European start-ups", 90e9, "aggregate")]


def test_a_group_naming_its_members_is_not_made_an_aggregate() -> None:
    got = who("Anthropic closed its round: $5 billion invested by investors including Amazon.")
    assert [k for _, _, _, _, k in got] == ["actual"]


def test_money_put_up_to_help_build_another_company_s_project_is_the_payer_s() -> None:
    got = who(
        "The pension giant committed $2 billion in loans to help build Oracle's new campus "
        "in Texas.",
        title="KKR backs Oracle's Texas data centre",
    )
    assert [(e, m, v, c) for e, m, v, c, _ in got] == [("KKR", "investment", 2e9, "Oracle")]


def test_a_partner_described_before_its_name_is_no_subject() -> None:
    # "with private-equity firm Blackstone": the partner, not the figure's company
    got = who(
        "Oracle is expanding fast. The $18 billion loan was arranged with private-equity "
        "firm Blackstone.",
        title="Oracle lines up $18 billion",
    )
    assert [(e, v) for e, _, v, _, _ in got][-1] == ("Oracle", 18e9)


def test_a_place_s_many_projects_are_an_aggregate_investment() -> None:
    got = who("Penang secures RM40 billion in semiconductor projects for the first half.")
    assert [(e, m, v, k) for e, m, v, _, k in got] == [("Penang", "investment", 40e9, "aggregate")]
    got = who("Selangor is becoming a hub, with 12 approved projects worth $20 billion so far.")
    assert [(e, v, k) for e, _, v, _, k in got if v == 20e9] == [("Selangor", 20e9, "aggregate")]
    # no uncommon name opening the sentence: the industry's sum
    got = who("The state is becoming a hub, with 12 approved projects worth $20 billion so far.")
    assert [(e, v, k) for e, _, v, _, k in got if v == 20e9] == [("Industry", 20e9, "aggregate")]


def test_a_company_s_money_in_projects_stays_its_own() -> None:
    got = who("Microsoft will invest $80 billion in AI data centre projects this year.")
    assert [(e, k) for e, _, _, _, k in got] == [("Microsoft", "plan")]


def test_a_chinese_count_of_projects_with_their_total_is_an_aggregate() -> None:
    got = who("该省今年共有35个数据中心项目，总投资约1200亿元。")
    assert [(v, k) for _, _, v, _, k in got if v == 1.2e11] == [(1.2e11, "aggregate")]


def test_a_described_second_party_of_a_deal_is_its_counterparty() -> None:
    got = who("Oracle and investment firm KKR struck a $15 billion financing deal on Monday.")
    assert [(e, v, c) for e, _, v, c, _ in got] == [("Oracle", 15e9, "KKR")]


def test_two_chinese_parties_joining_hands_give_the_first_the_figure() -> None:
    text = "微软与资产管理巨头贝莱德联手建设2吉瓦的数据中心园区。"
    got = [(f.entity, f.value, f.counterparty) for f in extract(text, published=PUB)]
    assert got == [("Microsoft", 2e9, "BlackRock")]


def test_global_spending_on_a_product_is_that_market_s_aggregate() -> None:
    got = who("Gartner says global spending on AI chips will reach $150 billion next year.")
    assert [(e, v, k) for e, _, v, _, k in got] == [("AI chips", 150e9, "aggregate")]


def test_a_list_after_with_is_the_other_side_of_the_subject_s_deals() -> None:
    got = who(
        "Meta signed contracts with Google, Oracle and CoreWeave to secure 5 gigawatts "
        "of computing power."
    )
    assert [(e, v, k) for e, _, v, _, k in got] == [("Meta", 5e9, "actual")]


def test_a_plain_list_of_companies_still_sums() -> None:
    got = who("Google, Oracle and CoreWeave together plan 5 gigawatts of new capacity.")
    assert [(e, k) for e, _, _, _, k in got] == [("Google + Oracle + CoreWeave", "aggregate")]


def test_a_chinese_project_named_after_its_amount_is_its_owner_s() -> None:
    got = who("甲骨文正与软银合作，参与建设规模达5000亿美元的“Stargate”数据中心计划。")
    assert [(e, v) for e, _, v, _, _ in got] == [("Stargate", 5e11)]
