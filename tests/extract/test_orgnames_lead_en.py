"""An unknown company opening a sentence as its subject gets the sentence's figure
(bot.extract.orgnames.lead_name, used by bot.extract.figures)."""

from __future__ import annotations

import datetime as dt

from bot.extract import extract
from bot.extract.orgnames import lead_name

PUB = dt.date(2025, 9, 18)


def _known(name: str) -> bool:
    return name in ("Microsoft", "Nvidia")


def who(text: str) -> list[tuple[str | None, float]]:
    return [(f.entity, f.value) for f in extract(text, published=PUB) if f.unit == "USD"]


def test_a_later_sentence_opened_by_an_unknown_company_is_its_own() -> None:
    got = who(
        "Microsoft expects to spend $80 billion on data centres this year. "
        "Nscale secured $1.1 billion in a Series B round led by Aker."
    )
    assert ("Microsoft", 80e9) in got
    assert ("Nscale", 1.1e9) in got


def test_modal_present_and_past_verbs_make_the_name_a_subject() -> None:
    assert lead_name("Fluidstack will build a $10 billion campus", _known) == "Fluidstack"
    assert lead_name("Crusoe won a $15 billion contract", _known) == "Crusoe"
    assert lead_name("Lambda completed a $480 million round", _known) == "Lambda"
    assert lead_name("Nebius was valued at $24 billion", _known) == "Nebius"


def test_a_speaker_gets_the_figure_only_when_it_speaks_of_itself() -> None:
    assert lead_name("Coreweave said its revenue tripled to $1.2 billion", _known) == "Coreweave"
    assert lead_name("Dealogic said bond sales reached $1.5 trillion", _known) is None
    assert lead_name("Kress noted that data-centre revenue rose", _known) is None


def test_common_words_places_and_abbreviations_are_no_companies() -> None:
    assert lead_name("Despite raised costs", _known) is None
    assert lead_name("Johor is rapidly becoming a hub worth $30 billion", _known) is None
    assert lead_name("RPO rose to $625 billion", _known) is None
    assert lead_name("Nscale was founded in 2023", _known) is None
