"""Fakes you can point a real client at: a Telegram Bot API server and an SMTP server."""

from tests.fakes.smtp import FakeSMTP, Received
from tests.fakes.telegram_api import TOKEN, FakeBotAPI, RemoteFakeBotAPI

__all__ = ["TOKEN", "FakeBotAPI", "FakeSMTP", "Received", "RemoteFakeBotAPI"]
