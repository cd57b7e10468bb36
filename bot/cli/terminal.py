"""The CLI's consoles: rich output in which untrusted text stays text.

Feed titles, URLs, HTTP reason phrases, sentences and rule text reach the terminal. With rich's
markup on, ``[/]`` in any of them crashed a command with a MarkupError and ``[link=…]`` in an OPML
title became a terminal hyperlink; an ESC byte or a bidi override could repaint the screen.
Briefbot's own output uses no markup, so it is off everywhere, and every string rich renders
(including table cells) goes through ``textsafe.visible`` first.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.text import Text

from bot.textsafe import visible


class SafeConsole(Console):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("markup", False)
        kwargs.setdefault("highlight", False)
        kwargs.setdefault("emoji", False)
        super().__init__(**kwargs)

    def render_str(self, text: str, **kwargs: Any) -> Text:
        kwargs["markup"] = False
        kwargs["emoji"] = False
        return super().render_str(visible(text), **kwargs)
