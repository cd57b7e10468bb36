"""Fixtures: the seed briefing's figures in English and Chinese, and the digest of its week."""

from __future__ import annotations

import pytest

from bot.digest import Digest, select_digest
from bot.models import Period, StoredFigure
from tests.digest.seed import seed_figures


@pytest.fixture
def week() -> Period:
    return Period.parse("2026-W06")


@pytest.fixture
def figures() -> list[StoredFigure]:
    return seed_figures()


@pytest.fixture
def digest(figures: list[StoredFigure], week: Period) -> Digest:
    return select_digest(figures, week)
