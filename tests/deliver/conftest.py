from tests.fakes.fixtures import smtp_server, telegram_api

__all__ = ["smtp_server", "telegram_api"]
