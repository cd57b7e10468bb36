from __future__ import annotations

import subprocess
import sys

from bot.digest import select_digest
from bot.digest.chart import capex_chart
from tests.digest.seed import seed_figures

PNG = b"\x89PNG\r\n\x1a\n"


def test_capex_chart_is_a_png_and_deterministic(digest) -> None:
    png = capex_chart(digest, "en")
    assert png is not None and png.startswith(PNG) and len(png) > 5000
    assert capex_chart(digest, "en") == png
    zh = capex_chart(digest, "zh")
    assert zh is not None and zh.startswith(PNG)


def test_no_chart_without_a_capex_money_figure(week) -> None:
    no_capex = [sf for sf in seed_figures() if sf.figure.metric != "capex"]
    assert capex_chart(select_digest(no_capex, week)) is None


def test_importing_bot_digest_does_not_load_matplotlib() -> None:
    code = "import sys, bot.digest, bot.digest.chart; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
