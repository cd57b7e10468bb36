"""Random hostile text through every path into headers, terminals and HTML (issue 18).

Text an attacker controls (a rule, a feed headline, an item title or URL, a sentence) is fed
with control characters, bidi overrides, RFC 2047 encoded-words, rich markup, HTML and CR/LF
through: the alert message (plain text, Telegram HTML, email HTML), its email (headers), the
rule-paused notice, the bot's catalog, the web's confirmation email and the CLI console. In no
case may it add a header, add a tag, break Telegram's HTML or reach the terminal raw.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from email import message_from_bytes
from email.policy import SMTP as SMTP_POLICY
from email.policy import default as DEFAULT_POLICY
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.cli.terminal import SafeConsole
from bot.deliver.email import SmtpSettings, build_email
from bot.models import Alert, Figure, Message, Rule, StoredFigure
from bot.rules.message import render_alert, render_alert_batch
from bot.rules.notices import render_rule_paused
from bot.telegram.i18n import t as tg_text
from bot.web.context import make_env
from bot.web.i18n import translator
from bot.web.mail import confirm_message
from tests.fakes.telegram_api import check_html

T0 = datetime(2026, 2, 9, 8, 0, tzinfo=UTC)
SETTINGS = SmtpSettings(host="127.0.0.1", port=25, mail_from="Briefbot <news@brief.example>",
                        public_url="https://brief.example", secret_key="k", timeout=5)  # fmt: skip
HEADERS = {
    "From", "To", "Subject", "Date", "Message-ID", "List-Id", "List-Unsubscribe",
    "List-Unsubscribe-Post", "Auto-Submitted", "MIME-Version", "Content-Type",
}  # fmt: skip
NASTY = [
    "\r", "\n", "\r\n", "=?", "?=", "=?UTF-8?Q?=0D=0AReply-To:_a@evil.example?=",
    "=?utf-8?b?DQpYLUV2aWw6IDE=?=", "\u202e", "\u2066", "\u200b", "\ufeff", "\x1b[31m",
    "\x1b]8;;http://evil.example\x07", "\x00", "\x85", "\u2028", "[/]", "[link=http://e.x]",
    "[bold red]", "<b>", "</b>", "<script>alert(1)</script>", '"><img src=x onerror=1>',
    "&amp;", "&", "<", ">", "'", '"', "Bcc: v@example.com", "javascript:alert(1)",
]  # fmt: skip
hostile = st.lists(st.one_of(st.text(max_size=10), st.sampled_from(NASTY)), max_size=10).map(
    "".join
)
SETTINGS_ = settings(max_examples=150, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow])  # fmt: skip


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs


def tags(html: str) -> tuple[list[str], list[str]]:
    p = _Tags()
    p.feed(html)
    p.close()
    return p.tags, [name for name, _value in p.attrs]


def _alert(keyword: str, sentence: str, title: str, url: str, entity: str) -> Alert:
    rule = Rule(id=3, text=f"keyword /{keyword}/", kind="keyword", keyword=keyword or "x",
                regex=True, subscriber_id=1)  # fmt: skip
    fig = Figure(entity=entity or None, metric="capex", value=135e9, unit="USD", sentence=sentence)
    sf = StoredFigure(id=1, figure=fig, item_id="i1", item_title=title, item_url=url,
                      item_source="feed", published=T0)  # fmt: skip
    return Alert(rule=rule, figures=(sf,), fired_at=T0)


def _email_headers(message: Message) -> None:
    wire = build_email(message, to="ann@example.com", settings=SETTINGS, key="k", subscriber_id=7,
                       now=T0).as_bytes(policy=SMTP_POLICY)  # fmt: skip
    parsed = message_from_bytes(wire, policy=DEFAULT_POLICY)
    assert set(parsed.keys()) <= HEADERS
    assert len(parsed.get_all("Subject") or []) == 1
    assert not re.search(r"[\r\n]", str(parsed["Subject"]))


BASELINE = _alert("x", "s", "t", "https://example.com/a", "Meta")


@SETTINGS_
@given(hostile, hostile, hostile, hostile, hostile)
def test_alerts_stay_inert_in_every_output(
    keyword: str, sentence: str, title: str, url: str, entity: str
) -> None:
    alert = _alert(keyword, sentence, title, url, entity)
    for lang in ("en", "zh"):
        for msg in (render_alert(alert, lang), render_alert_batch([alert, alert], lang)):
            for part in msg.telegram_html:
                assert check_html(part) is None
                assert len(part) < 4096
            ref = render_alert(BASELINE, lang) if msg.key.startswith("alert:") else None
            found, attrs = tags(msg.html or "")
            assert set(found) <= {"p", "b", "a", "br"} and set(attrs) <= {"href"}
            if ref is not None:
                assert found.count("a") <= tags(ref.html or "")[0].count("a") + 1
            _email_headers(msg)


@SETTINGS_
@given(hostile)
def test_notices_and_bot_replies_stay_inert(text: str) -> None:
    rule = Rule(id=9, text=text or "x", kind="keyword", keyword="x", subscriber_id=1)
    for lang in ("en", "zh"):
        notice = render_rule_paused(rule, lang, "2026-02-09")
        assert check_html(notice.telegram_html[0]) is None
        assert tags(notice.html or "")[0] == ["p"]
        _email_headers(notice)
        for key, values in (("alert_added", {"id": 1, "text": text}),
                            ("alert_too_costly", {"text": text}),
                            ("email_sent", {"addr": text})):  # fmt: skip
            assert check_html(tg_text(lang, key, **values)) is None  # type: ignore[arg-type]


ENV = make_env()


@SETTINGS_
@given(st.lists(hostile, max_size=3))
def test_the_web_confirmation_email_lists_rules_as_text(rules: list[str]) -> None:
    msg = confirm_message(ENV, translator("en"), "en", 1, "n", "https://b.example/c/t",
                          tuple(rules))  # fmt: skip
    plain = confirm_message(ENV, translator("en"), "en", 1, "n", "https://b.example/c/t",
                            tuple("r" for _ in rules))  # fmt: skip
    assert tags(msg.html or "") == tags(plain.html or "")
    _email_headers(msg)


@SETTINGS_
@given(st.lists(hostile, max_size=4))
def test_the_console_prints_text_and_nothing_else(parts: list[str]) -> None:
    buf = io.StringIO()
    console = SafeConsole(file=buf, force_terminal=True, color_system=None, width=200)
    console.print(*parts)
    out = buf.getvalue()
    assert not re.search(
        r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]", out
    )
