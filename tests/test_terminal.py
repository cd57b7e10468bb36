"""Untrusted text in the CLI (issue 18, low 1/2/3): rich markup, controls and bidi stay inert."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st
from rich.table import Table

from bot.cli.terminal import SafeConsole
from bot.textsafe import safe_url, visible
from tests.test_cli import ROOT, briefbot

HOSTILE = ["[/]", "[link=https://evil.example]click[/link]", "[bold red]", "\x1b[31m", "\x1b]8;;x\x07",
           "\u202e", "\u200b", "\ufeff", "\x9b", ":smile:", "\r"]  # fmt: skip


def _render(*parts: str) -> str:
    buf = io.StringIO()
    console = SafeConsole(file=buf, force_terminal=True, width=200, color_system=None)
    table = Table("a", "b")
    table.add_row(*parts[:2] if len(parts) >= 2 else ("x", "y"))
    console.print(" ".join(parts))
    console.print(table)
    return buf.getvalue()


@given(st.lists(st.one_of(st.text(max_size=10), st.sampled_from(HOSTILE)), min_size=1, max_size=8))
def test_no_text_crashes_the_console_or_reaches_the_terminal_raw(parts: list[str]) -> None:
    out = _render(*parts)
    assert "\x1b" not in out and "\u202e" not in out and "\x9b" not in out
    assert "[/]" not in "".join(parts) or "[/]" in out  # shown literally, not parsed


def test_markup_is_printed_as_text() -> None:
    out = _render("[link=https://evil.example]OPML title[/link]", "[/]")
    assert "[link=https://evil.example]OPML title[/link]" in out and "[/]" in out


def test_the_cli_prints_hostile_text_from_stdin() -> None:
    text = "[/] Meta\x1b[2J says capex [link=https://evil.example]up to $135 billion[/link] \u202e"
    res = briefbot(ROOT, "figures", "-", "--format", "table", stdin=text)
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr and "\x1b[2J" not in res.stdout


def test_urls_are_percent_encoded_for_plain_text() -> None:
    assert safe_url('https://x.example/a"b<c>d e') == "https://x.example/a%22b%3Cc%3Ed%20e"
    assert (
        safe_url("https://x.example/%E4%B8%AD?q=1&r=[2]") == "https://x.example/%E4%B8%AD?q=1&r=[2]"
    )
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("https://x.example/\x1b]8;;") == "https://x.example/%1B]8;;"


def test_visible_keeps_text_and_newlines() -> None:
    assert visible("腾讯\u200b 2025\t年\n597 亿\u202e") == "腾讯 2025\t年\n597 亿"
