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


FRESH_MACHINE = r"""
import logging, sys, warnings
from pathlib import Path
import matplotlib
from matplotlib import font_manager
# a fresh machine: no font but matplotlib's own (DejaVu) before Briefbot registers its font
mpl_data = Path(matplotlib.get_data_path()).resolve()
font_manager.fontManager.ttflist = [
    f for f in font_manager.fontManager.ttflist if mpl_data in Path(f.fname).resolve().parents
]
records = []
class Grab(logging.Handler):
    def emit(self, record):
        records.append(record.getMessage())
logging.getLogger("matplotlib").addHandler(Grab())
from bot.digest.chart import _render, bundled_font
from bot.digest.model import ChartBar
bars = (
    ChartBar(entity="腾讯", usd_value=8.4e9, period="2025-Q1-Q3"),
    ChartBar(entity="字节跳动", usd_value=23e9, period="2026"),
    ChartBar(entity="阿里巴巴集团", usd_value=67e9, period="FY2026"),
)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    png = _render(bars, "zh")
assert png.startswith(b"\x89PNG")
missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
missing += [m for m in records if "missing from" in m]
print(bundled_font())
print(len(missing))
print("\n".join(missing[:5]))
"""


def test_chinese_chart_on_a_fresh_machine_has_no_missing_glyphs() -> None:
    """Only matplotlib's own fonts plus the one Briefbot ships: Chinese labels draw in full."""
    out = subprocess.run(
        [sys.executable, "-c", FRESH_MACHINE], capture_output=True, text=True, check=True
    )
    name, count, *missing = out.stdout.splitlines()
    assert name.startswith("Noto Sans CJK SC")
    assert count == "0", missing


def test_the_probe_sees_missing_glyphs_without_the_bundled_font() -> None:
    """The check above can fail: with the shipped font hidden, the same chart warns."""
    hidden = FRESH_MACHINE.replace(
        "from bot.digest.chart import _render, bundled_font",
        "import bot.digest.chart as c\nc.FONT_FILE = c.FONT_FILE.with_name('absent.otf')\n"
        "from bot.digest.chart import _render, bundled_font",
    )
    out = subprocess.run([sys.executable, "-c", hidden], capture_output=True, text=True, check=True)
    name, count, *_ = out.stdout.splitlines()
    assert name == "None" and int(count) > 0


def test_bundled_font_is_small_and_licensed() -> None:
    from bot.digest.chart import FONT_FILE

    assert FONT_FILE.stat().st_size < 5_000_000
    assert "SIL OPEN FONT LICENSE" in (FONT_FILE.parent / "OFL.txt").read_text()
