"""Weekly digests: select a period's figures (select.py), render them (render.py, templates/digest),
chart the capex (chart.py) and write the archive (archive.py, the only I/O here).

Importing this package stays cheap: matplotlib loads only when a chart is drawn.
"""

from bot.digest.model import Digest, DigestLine, EntityGroup, Source
from bot.digest.render import (
    render_email,
    render_html,
    render_index,
    render_markdown,
    render_message,
    render_telegram,
)
from bot.digest.select import select_digest

__all__ = [
    "Digest",
    "DigestLine",
    "EntityGroup",
    "Source",
    "render_email",
    "render_html",
    "render_index",
    "render_markdown",
    "render_message",
    "render_telegram",
    "select_digest",
]
