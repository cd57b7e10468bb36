"""Pytest fixtures for the fakes; use them with ``from tests.fakes.fixtures import *`` in a
conftest (or ``pytest_plugins = ["tests.fakes.fixtures"]`` in the root conftest)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.smtp import FakeSMTP
from tests.fakes.telegram_api import FakeBotAPI

__all__ = ["smtp_server", "telegram_api"]


@pytest.fixture
def telegram_api() -> Iterator[FakeBotAPI]:
    """A fresh fake Bot API on 127.0.0.1 (``.base_url``, ``.base_file_url``, ``.token``)."""
    with FakeBotAPI() as api:
        yield api


@pytest.fixture
def smtp_server() -> Iterator[FakeSMTP]:
    """A real aiosmtpd server on 127.0.0.1 that records messages (``.host``, ``.port``)."""
    with FakeSMTP() as server:
        yield server
