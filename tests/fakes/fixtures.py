"""Pytest fixtures for the fakes; use them with ``from tests.fakes.fixtures import *`` in a
conftest (or ``pytest_plugins = ["tests.fakes.fixtures"]`` in the root conftest)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.smtp import FakeSMTP, ThrowawayCA
from tests.fakes.telegram_api import FakeBotAPI

__all__ = ["smtp_ca", "smtp_server", "telegram_api"]


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


@pytest.fixture(scope="session")
def smtp_ca(tmp_path_factory: pytest.TempPathFactory) -> ThrowawayCA:
    """A CA made for this test session and a certificate it issued for 127.0.0.1/localhost;
    ``.ca_file`` is its PEM file (for BRIEFBOT_SMTP_CA_FILE), ``FakeSMTP(tls=..., ca=...)``."""
    return ThrowawayCA(tmp_path_factory.mktemp("smtp-ca"))
