"""Where Briefbot's own files are: the ``templates/`` folder sits beside ``bot/`` in a checkout.

``BRIEFBOT_TEMPLATES`` names it explicitly; otherwise the checkout's folder is used when the
package runs from one (an editable install), else ``templates/`` in the working directory (a
regular install run from the project folder, as the systemd unit does).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

CHECKOUT_TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def templates_dir(environ: Mapping[str, str] = os.environ, cwd: Path | None = None) -> Path:
    explicit = environ.get("BRIEFBOT_TEMPLATES")
    if explicit:
        return Path(explicit)
    if CHECKOUT_TEMPLATES.is_dir():
        return CHECKOUT_TEMPLATES
    return (cwd or Path.cwd()) / "templates"
