"""Write a digest's archive files: ``<period>.md``, ``<period>.html``, ``<period>.png``, ``index.html``.

The one I/O helper of ``bot.digest``. Idempotent: content carries no timestamps, and a file whose
bytes would not change is not rewritten (its mtime stays). Without ``periods_index`` the index
lists every ``<period>.html`` already in ``out_dir`` (their figure count is read from the
``briefbot-figures`` meta tag each archive page carries) plus this digest's period.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bot.digest.chart import capex_chart
from bot.digest.model import Digest
from bot.digest.render import render_html, render_index, render_markdown
from bot.models import Lang

_PAGE = re.compile(r"^(\d{4}-W\d{2})\.html$")
_COUNT = re.compile(rb'<meta name="briefbot-figures" content="(\d+)">')


def write_if_changed(path: Path, data: bytes) -> bool:
    """Atomically replace ``path`` with ``data`` unless it already holds exactly that."""
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        mode = 0o644  # archive pages are public (served by the web app); mkstemp would give 0600
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def existing_periods(out_dir: Path) -> list[tuple[str, int]]:
    found = []
    for p in sorted(out_dir.glob("*.html")):
        m = _PAGE.match(p.name)
        if not m:
            continue
        c = _COUNT.search(p.read_bytes()[:4096])
        found.append((m.group(1), int(c.group(1)) if c else 0))
    return found


def write_archive(
    d: Digest,
    out_dir: Path,
    *,
    periods_index: Sequence[tuple[str, int]] | None = None,
    lang: Lang = "en",
) -> list[Path]:
    """Write the archive files for ``d``; returns their paths (written or already up to date)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    key = d.period.key
    png = capex_chart(d, lang)
    chart_src = f"{key}.png" if png else None
    files: list[tuple[Path, bytes]] = [
        (out_dir / f"{key}.md", render_markdown(d, lang, chart_src=chart_src).encode()),
        (out_dir / f"{key}.html", render_html(d, lang, chart_src=chart_src).encode()),
    ]
    if png:
        files.append((out_dir / f"{key}.png", png))
    if periods_index is None:
        periods = dict(existing_periods(out_dir))
        periods[key] = d.shown
    else:
        periods = dict(periods_index)
        periods.setdefault(key, d.shown)
    files.append((out_dir / "index.html", render_index(sorted(periods.items()), lang).encode()))
    for path, data in files:
        write_if_changed(path, data)
    return [p for p, _ in files]
