from tests.fakes.fixtures import smtp_ca, smtp_server, telegram_api

__all__ = ["smtp_ca", "smtp_server", "telegram_api"]
