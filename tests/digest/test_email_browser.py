"""The digest email rendered by headless Chromium at phone (375 px) and desktop (800 px) widths.

Checks that it renders (a PNG of the right width) and that nothing is wider than the viewport
(``document.documentElement.scrollWidth`` of the email shown in an iframe of exactly the width
under test, read by a script in the probe page and dumped with ``--dump-dom``). ``BRIEFBOT_UPDATE_SAMPLES=1`` also refreshes the README sample
``digests/2026-W06-email.png`` (the seed's digest at 800 px).
"""

from __future__ import annotations

import html
import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from bot.digest import render_email, select_digest
from bot.digest.chart import capex_chart
from bot.models import Period
from tests.digest.seed import figure, seed_figures, stored

CHROMIUM = os.environ.get("BRIEFBOT_CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "digests" / "2026-W06-email.png"
# New headless Chromium keeps windows at least 500 px wide (screenshots are emulated at the
# requested size), so widths are measured inside an iframe of exactly that width.
PROBE = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="f" style="width:{width}px;height:1500px;border:0" srcdoc="{srcdoc}"></iframe>
<script>
var f = document.getElementById('f');
function measure() {{
  var d = f.contentDocument.documentElement;
  document.documentElement.setAttribute('data-sw', String(d.scrollWidth));
  document.documentElement.setAttribute('data-iw', String(f.contentWindow.innerWidth));
}}
f.addEventListener('load', measure);
if (f.contentDocument && f.contentDocument.readyState === 'complete') measure();
</script></body></html>"""

pytestmark = pytest.mark.skipif(
    not (Path(CHROMIUM).exists() and os.access(CHROMIUM, os.X_OK)),
    reason=f"headless Chromium not found at {CHROMIUM} (apt-get install chromium, or set BRIEFBOT_CHROMIUM)",
)


def with_bundled_fonts(profile: Path) -> dict[str, str]:
    """The environment for Chromium with Briefbot's CJK font added to the system's fonts
    (a fontconfig file including the system one plus ``bot/digest/fonts``), so the Chinese
    email renders on a machine with no CJK font installed."""
    from bot.digest.chart import FONT_FILE

    profile.mkdir(parents=True, exist_ok=True)
    conf = profile / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{html.escape(str(FONT_FILE.parent))}</dir>"
        f"<cachedir>{html.escape(str(profile / 'fc-cache'))}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    return {**os.environ, "FONTCONFIG_FILE": str(conf)}


def chromium(args: list[str], profile: Path) -> subprocess.CompletedProcess[str]:
    cmd = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        f"--user-data-dir={profile}",
        *args,
    ]
    env = with_bundled_fonts(profile)
    return subprocess.run(cmd, capture_output=True, text=True, timeout=90, check=False, env=env)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    w, h = struct.unpack(">II", data[16:24])
    return w, h


def email_page(tmp_path: Path, d, lang="en", name="email") -> Path:
    html, _ = render_email(
        d,
        lang,
        unsubscribe_url="https://briefbot.example/u/42?sig=abc&x=1",
        manage_url="https://briefbot.example/m/42",
    )
    png = capex_chart(d, lang)
    if png:
        (tmp_path / f"{name}-chart.png").write_bytes(png)
        html = html.replace("cid:chart", f"{name}-chart.png")
    page = tmp_path / f"{name}.html"
    page.write_text(html, encoding="utf-8")
    return page


def measure(page: Path, width: int, tmp_path: Path) -> tuple[int, int]:
    probe = page.with_name(page.stem + f"-probe{width}.html")
    srcdoc = html.escape(page.read_text(encoding="utf-8"), quote=True)
    probe.write_text(PROBE.format(width=width, srcdoc=srcdoc), encoding="utf-8")
    r = chromium(
        [
            f"--window-size={max(width, 500) + 50},1600",
            "--virtual-time-budget=5000",
            "--dump-dom",
            probe.as_uri(),
        ],
        tmp_path / "profile",
    )
    sw = re.search(r'data-sw="(\d+)"', r.stdout)
    iw = re.search(r'data-iw="(\d+)"', r.stdout)
    assert sw and iw, f"no measurement from Chromium: rc={r.returncode} {r.stderr[-500:]}"
    return int(sw.group(1)), int(iw.group(1))


def screenshot(page: Path, width: int, out: Path, tmp_path: Path, height: int = 2000) -> bytes:
    r = chromium(
        [f"--window-size={width},{height}", f"--screenshot={out}", page.as_uri()],
        tmp_path / "profile",
    )
    assert out.exists(), f"Chromium wrote no screenshot: rc={r.returncode} {r.stderr[-500:]}"
    return out.read_bytes()


@pytest.mark.parametrize("width", [375, 800])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_email_renders_without_horizontal_overflow(
    digest, tmp_path: Path, width: int, lang
) -> None:
    page = email_page(tmp_path, digest, lang)
    shot = screenshot(page, width, tmp_path / f"shot-{width}.png", tmp_path)
    assert png_size(shot)[0] == width
    scroll_width, inner_width = measure(page, width, tmp_path)
    assert inner_width == width
    assert scroll_width <= width, f"content {scroll_width}px wide in a {width}px viewport"
    if os.environ.get("BRIEFBOT_UPDATE_SAMPLES") == "1" and lang == "en" and width == 800:
        SAMPLE.parent.mkdir(exist_ok=True)
        shot = screenshot(page, 800, tmp_path / "sample.png", tmp_path, height=1800)
        shutil.copyfile(tmp_path / "sample.png", SAMPLE)


def test_the_probe_sees_overflow(tmp_path: Path) -> None:
    page = tmp_path / "wide.html"
    page.write_text('<html><body><div style="width:900px">wide</div></body></html>')
    assert measure(page, 375, tmp_path) == (908, 375)  # 900 + body margins


def test_hostile_long_names_do_not_overflow_a_phone(tmp_path: Path) -> None:
    long_word = "W" * 300
    figs = [
        *seed_figures(("en",)),
        stored(
            figure(
                "en", dict(entity=long_word, metric="capex", value=900000000000.0, unit="USD"), "x"
            ),
            id=500,
            lang="en",
            item_id="long",
            title="T" * 300,
            url="https://e.example/" + "p" * 400,
        ),
    ]
    page = email_page(tmp_path, select_digest(figs, Period.parse("2026-W06")), name="long")
    scroll_width, _ = measure(page, 375, tmp_path)
    assert scroll_width <= 375


@pytest.mark.skipif(shutil.which("fc-match") is None, reason="fontconfig's fc-match not installed")
def test_chromium_sees_the_bundled_cjk_font(tmp_path: Path) -> None:
    """The email's font stack names "Noto Sans CJK SC": fontconfig finds Briefbot's copy."""
    env = with_bundled_fonts(tmp_path / "profile")
    out = subprocess.run(
        ["fc-list", "Noto Sans CJK SC:charset=8d44 672c", "file"],  # 资本
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert "NotoSansCJKsc-Regular-subset.otf" in out.stdout


def test_readme_sample_exists() -> None:
    assert SAMPLE.exists(), (
        "run BRIEFBOT_UPDATE_SAMPLES=1 pytest tests/digest/test_email_browser.py"
    )
    assert png_size(SAMPLE.read_bytes())[0] == 800
