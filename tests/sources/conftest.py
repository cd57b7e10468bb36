"""Fixtures for the feed tests: a real HTTP feed server on 127.0.0.1 and feed documents."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.feed_server import FeedServer


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        yield srv
