"""Logging set-up: human text or one JSON object per line; secrets never reach a log line."""

from __future__ import annotations

import json
import logging
import os
import re
from datetime import UTC, datetime

_SECRET_ENV = ("BRIEFBOT_TELEGRAM_TOKEN", "BRIEFBOT_SMTP_PASSWORD", "BRIEFBOT_SECRET_KEY")
_TOKEN = re.compile(r"\b\d{6,12}:[A-Za-z0-9_-]{30,}\b")  # Telegram bot token shape


def redact(text: str) -> str:
    for name in _SECRET_ENV:
        value = os.environ.get(name)
        if value and len(value) >= 4:
            text = text.replace(value, "***")
    return _TOKEN.sub("***", text)


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if record.exc_info:
            data["exc"] = redact(self.formatException(record.exc_info))
        return json.dumps(data, ensure_ascii=False)


def configure(level: str = "WARNING", fmt: str = "text") -> None:
    handler = logging.StreamHandler()
    handler.addFilter(RedactingFilter())
    handler.setFormatter(
        JsonFormatter()
        if fmt == "json"
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    try:
        root.setLevel(level.upper())
    except ValueError:
        root.setLevel(logging.WARNING)
    for noisy in ("httpx", "apscheduler", "aiosqlite", "telegram.ext", "alembic", "uvicorn"):
        logging.getLogger(noisy).setLevel(max(root.level, logging.WARNING))
