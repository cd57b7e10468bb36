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


def test_chinese_chart_has_no_missing_glyphs() -> None:
    import warnings

    import pytest

    from bot.digest.chart import _has_cjk_font, _render
    from bot.digest.model import ChartBar

    if not _has_cjk_font():
        pytest.skip("no CJK font installed (.ci/run installs fonts-wqy-microhei)")
    bars = (ChartBar(entity="Meta", usd_value=135e9, period="2026"),)
    _render.cache_clear()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = _render(bars, "zh")
    assert png.startswith(b"\x89PNG")
    assert not [w for w in caught if "missing from font" in str(w.message)]
