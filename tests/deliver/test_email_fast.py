"""The fast MIME builder sends what ``build_email`` builds: same tree, headers and content."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default

import pytest

from bot.deliver.email import SmtpSettings, build_email, email_bytes
from bot.models import Message

SETTINGS = SmtpSettings(host="127.0.0.1", mail_from="Briefbot 简报 <news@example.com>",
                        public_url="https://b.example.com", secret_key="k" * 32)  # fmt: skip
NOW = datetime(2026, 2, 9, 8, 0, tzinfo=UTC)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40


def _tree(m: EmailMessage) -> list[str]:
    return [p.get_content_type() for p in m.walk()]


def _cids(s: str) -> str:
    return re.sub(r"cid:[^\"'>]+", "cid:X", s)


@pytest.mark.parametrize(
    "message",
    [
        Message(kind="digest", key="digest:2026-W06", subject="Briefbot 周报 2026-W06",
                text="Meta capex up to $135B\n\n腾讯 597 亿", chart_png=PNG,
                html='<html><body><p>x</p><img src="cid:chart"></body></html>'),
        Message(kind="digest", key="digest:2026-W06", subject="Weekly", text="plain only " * 200,
                html="<html><body>" + "<p>long</p>" * 300 + "</body></html>", chart_png=PNG),
        Message(kind="alert", key="alert:1", subject="Alert: Meta", text="Meta capex $135B"),
        Message(kind="alert", key="alert:2", text="x",  # header injection (issue 18)
                subject="Alert: /Zeta|x =?UTF-8?Q?=0D=0AReply-To:_attacker@evil.example?= y/"),
    ],
)  # fmt: skip
def test_fast_bytes_parse_like_the_reference(message: Message) -> None:
    kw = dict(to="ann@example.com", settings=SETTINGS, key="digest:2026-W06:sub-7:email",
              subscriber_id=7, now=NOW)  # fmt: skip
    ref = build_email(message, **kw)  # type: ignore[arg-type]
    ref = message_from_bytes(ref.as_bytes(), policy=default)  # type: ignore[assignment]
    fast = message_from_bytes(email_bytes(message, **kw), policy=default)  # type: ignore[arg-type]
    assert isinstance(fast, EmailMessage) and isinstance(ref, EmailMessage)
    assert fast.defects == [] and all(not p.defects for p in fast.walk())
    assert fast["Reply-To"] is None and set(fast.keys()) == set(ref.keys())
    for h in ("From", "To", "Subject", "Date", "Message-ID", "List-Id", "List-Unsubscribe",
              "List-Unsubscribe-Post", "Auto-Submitted"):  # fmt: skip
        assert str(fast[h]) == str(ref[h]), h
    assert _tree(fast) == _tree(ref)
    for kind in ("plain", "html"):
        a, b = fast.get_body((kind,)), ref.get_body((kind,))
        assert a is not None and b is not None
        assert _cids(a.get_content()).strip() == _cids(b.get_content()).strip()
    imgs = [p for p in fast.walk() if p.get_content_type() == "image/png"]
    if message.chart_png:
        [img] = imgs
        assert img.get_content() == PNG
        html = fast.get_body(("html",))
        assert html is not None
        assert f"cid:{img['Content-ID'].strip('<>')}" in html.get_content()
    else:
        assert imgs == []
