"""``_sendmail``: the lean SMTP transaction the email channel uses instead of aiosmtplib's
``sendmail`` (no regex passes over the message), checked against aiosmtpd."""

from __future__ import annotations

import aiosmtplib
import pytest

from bot.deliver.email import _sendmail
from tests.fakes.smtp import FakeSMTP


async def _client(server: FakeSMTP) -> aiosmtplib.SMTP:
    smtp = aiosmtplib.SMTP(hostname=server.host, port=server.port, start_tls=False, timeout=10)
    await smtp.connect()
    return smtp


async def test_lines_starting_with_a_dot_arrive_intact() -> None:
    body = b"Subject: dots\r\n\r\n.leading dot\r\n..two dots\r\nmiddle . dot\r\n.\r\nend"
    with FakeSMTP() as server:
        smtp = await _client(server)
        await _sendmail(smtp, "from@example.com", "to@example.com", body)
        await _sendmail(smtp, "from@example.com", "to2@example.com", b"Subject: 2\r\n\r\nok\r\n")
        await smtp.quit()
        first, second = server.messages
    # the server un-stuffs the dots: the message is what was given (with its last line ended)
    assert first.data.replace(b"\r\n", b"\n") == body.replace(b"\r\n", b"\n") + b"\n"
    assert first.rcpt_tos == ["to@example.com"] and second.rcpt_tos == ["to2@example.com"]
    assert second.data.endswith(b"ok\r\n")


async def test_a_refused_recipient_raises_like_sendmail_and_the_connection_goes_on() -> None:
    with FakeSMTP() as server:
        server.perm_fail.add("gone@example.com")
        smtp = await _client(server)
        with pytest.raises(aiosmtplib.SMTPRecipientsRefused) as e:
            await _sendmail(
                smtp, "from@example.com", "gone@example.com", b"Subject: x\r\n\r\nx\r\n"
            )
        assert e.value.recipients[0].code == 550
        # RSET sent: the next transaction on the same connection is not a "nested MAIL"
        await _sendmail(smtp, "from@example.com", "ok@example.com", b"Subject: y\r\n\r\ny\r\n")
        await smtp.quit()
        assert [m.rcpt_tos for m in server.messages] == [["ok@example.com"]]
