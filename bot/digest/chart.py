"""The period's capex by company as a PNG bar chart (matplotlib, Agg; imported lazily).

Deterministic: the same digest gives the same bytes (no timestamp or software metadata), so the
archive stays idempotent. Chinese text needs a CJK font: Briefbot ships one as package data
(``bot/digest/fonts``: a subset of Noto Sans CJK SC covering GB 2312 and common Big5 hanzi,
OFL-1.1, see ``OFL.txt`` there) and registers it with matplotlib's font manager when the first
chart is drawn, so a fresh install draws Chinese without system fonts. A system CJK font, when
installed, stays as a fallback for rarer characters.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from bot.digest import i18n
from bot.digest.model import ChartBar, Digest
from bot.digest.numbers import format_amount
from bot.digest.view import clip
from bot.models import Lang

FONT_FILE = Path(__file__).parent / "fonts" / "NotoSansCJKsc-Regular-subset.otf"
SYSTEM_CJK = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
)


def capex_chart(d: Digest, lang: Lang = "en") -> bytes | None:
    """PNG bytes, or None when the digest has no capex money figure with a USD value."""
    if not d.chart:
        return None
    return _render(d.chart, lang)


@lru_cache(maxsize=1)
def bundled_font() -> str | None:
    """Register the shipped CJK font with matplotlib (once); its family name, None if missing."""
    if not FONT_FILE.is_file():
        return None
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(FONT_FILE))
    return font_manager.FontProperties(fname=str(FONT_FILE)).get_name()


def _has_cjk_font() -> bool:
    return bool(_font_family()[1:])


def _font_family() -> list[str]:
    from matplotlib import font_manager

    bundled = bundled_font()
    have = {f.name for f in font_manager.fontManager.ttflist}
    system = [n for n in SYSTEM_CJK if n in have and n != bundled]
    return ["DejaVu Sans", *([bundled] if bundled else []), *system]


@lru_cache(maxsize=64)
def _render(bars: tuple[ChartBar, ...], lang: Lang) -> bytes:
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    text_lang: Lang = lang if lang == "en" or _has_cjk_font() else "en"
    labels = []
    for b in bars:
        p = i18n.period_label(text_lang, b.period)
        name = clip(b.entity, 18)
        labels.append(f"{name}\n{p}" if p else name)
    values = [b.usd_value / 1e9 for b in bars]
    # the axes' title, label and tick texts take their font when the axes are made: make them
    # inside the context, or Chinese text falls back to DejaVu's empty boxes
    with matplotlib.rc_context({"font.family": _font_family(), "svg.hashsalt": "briefbot"}):
        fig = Figure(figsize=(7.2, 4.0), dpi=150)
        fig.patch.set_facecolor("#ffffff")
        ax = fig.add_subplot()
        rects = ax.bar(range(len(values)), values, color="#1d5fd1", width=0.6)
        ax.set_xticks(range(len(values)), labels, fontsize=9)
        ax.set_ylabel("USD bn" if text_lang == "en" else "十亿美元", fontsize=9)
        ax.set_title(i18n.t(text_lang, "chart_title"), fontsize=12, loc="left", color="#1f2933")
        for r, b in zip(rects, bars, strict=True):
            ax.annotate(
                format_amount(b.usd_value, "USD", text_lang),
                (r.get_x() + r.get_width() / 2, r.get_height()),
                ha="center",
                va="bottom",
                fontsize=9,
                xytext=(0, 2),
                textcoords="offset points",
            )
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.tick_params(axis="y", labelsize=8)
        ax.set_ylim(0, max(values) * 1.15 if max(values) > 0 else 1)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()
