"""The pure core imports no store, HTTP, Telegram, scheduler or web code (DESIGN.md)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

CORE = [
    "bot.models",
    "bot.errors",
    "bot.money",
    "bot.labels",
    "bot.lang",
    "bot.schedule",
    "bot.sources.archive",
    "bot.sources.feeds",
    "bot.extract",
    "bot.rules.parse",
    "bot.rules.evaluate",
    "bot.rules.message",
    "bot.digest.select",
    "bot.digest.rank",
    "bot.facts",
    "bot.digest.render",
    "bot.outbox",
    "bot.deliver.channel",
]
FORBIDDEN = (
    "sqlalchemy",
    "asyncpg",
    "aiosqlite",
    "httpx",
    "telegram",
    "apscheduler",
    "starlette",
    "uvicorn",
    "aiosmtplib",
    "bot.store",
    "bot.web",
    "bot.telegram",
    "bot.pipeline",
    "bot.service",
)


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_no_shell(module: str) -> None:
    code = f"import sys, json, {module}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = json.loads(out.stdout)
    bad = [m for m in loaded if m.split(".")[0] in FORBIDDEN or m.startswith(FORBIDDEN)]
    assert bad == [], f"{module} pulls in {bad[:5]}"
