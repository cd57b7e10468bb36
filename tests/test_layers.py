"""The layers (DESIGN.md): the pure core imports no store, HTTP, Telegram, scheduler, web, service
or CLI code; the service's pure modules (clock, health, schedule) may be used by the core."""

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
    "bot.service.schedule",
    "bot.service.clock",
    "bot.service.health",
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
    "bot.cli",
)
PURE_SERVICE = ("bot.service", "bot.service.clock", "bot.service.health", "bot.service.schedule")
"""The service package (its ``__init__`` imports nothing) and its pure modules."""


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_no_shell(module: str) -> None:
    code = f"import sys, json, {module}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = json.loads(out.stdout)
    bad = [m for m in loaded if m.startswith(FORBIDDEN) and m not in PURE_SERVICE]
    assert bad == [], f"{module} pulls in {bad[:5]}"


SHELL = ["bot.service.app", "bot.service.run", "bot.pipeline", "bot.web.server", "bot.telegram.app"]


@pytest.mark.parametrize("module", SHELL)
def test_service_and_shell_import_no_cli(module: str) -> None:
    """The CLI sits on top: the service, the pipeline, the web page and the bot never import it."""
    code = f"import sys, json, {module}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = json.loads(out.stdout)
    assert [m for m in loaded if m.startswith("bot.cli")] == [], f"{module} pulls in the CLI"
