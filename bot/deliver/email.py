"""The email channel: SMTP via aiosmtplib, connections reused across messages.

Each message is built by ``build_email`` as::

    multipart/alternative
    ├── text/plain
    └── multipart/related            (just text/html when there is no chart)
        ├── text/html                <img src="cid:..."> (the renderer may write "cid:chart")
        └── image/png                inline, Content-ID

with From (BRIEFBOT_MAIL_FROM), To, Subject, Date, a Message-ID derived from the outbox key (the
same on every retry, so receivers can drop duplicates), List-Id, and RFC 8058 one-click
unsubscribe (List-Unsubscribe with a mailto and an https URL signed by BRIEFBOT_SECRET_KEY, plus
List-Unsubscribe-Post). SMTP replies map to: 4xx -> RetryLater, 5xx on RCPT/DATA -> Bounce (hard
bounce for that address), 5xx on MAIL FROM or AUTH -> RetryLater (our configuration, not the
recipient), connection trouble -> RetryLater.

Transport security (``SmtpSettings.tls``): ``starttls`` upgrades the connection before AUTH and
mail and refuses to go on in plain text when the server does not offer STARTTLS; ``implicit``
is TLS from the first byte (SMTPS). Either way the server's certificate is verified against the
system's CAs plus ``ca_file`` (BRIEFBOT_SMTP_CA_FILE); an untrusted certificate, a TLS handshake
failure or a missing STARTTLS is a RetryLater whose message says which setting to check (the
row stays in the outbox and is retried with backoff).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import html as html_lib
import re
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, parseaddr
from typing import Literal, cast
from urllib.parse import quote

import aiosmtplib

from bot.addresses import deliverable
from bot.deliver.channel import Bounce
from bot.deliver.tokens import sign_subscriber, unsubscribe_url
from bot.errors import PermanentFailure, RetryLater
from bot.models import Message, OutboxEntry

CHART_CID = "chart"


TlsMode = Literal["starttls", "implicit", "none"]


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send; ``from_env(config.env)`` reads the BRIEFBOT_SMTP_* values.

    ``implicit_tls`` (SMTPS, port 465) and ``starttls`` (upgrade after connecting, required:
    no plain-text fallback) are exclusive. ``from_env`` takes them from BRIEFBOT_SMTP_TLS
    (``starttls`` | ``implicit`` | ``none``); unset, port 465 means implicit TLS and
    BRIEFBOT_SMTP_STARTTLS=1 means STARTTLS. ``ca_file`` (BRIEFBOT_SMTP_CA_FILE): a PEM file of
    CA certificates trusted in addition to the system's, for a server whose certificate comes
    from a private CA or is self-signed. (OpenSSL's standard SSL_CERT_FILE variable also works,
    but it replaces the system CAs for every TLS client in the process.)
    """

    host: str
    port: int = 25
    user: str | None = None
    password: str | None = None
    starttls: bool = False
    implicit_tls: bool = False
    timeout: float = 30.0
    mail_from: str = "Briefbot <briefbot@localhost>"
    public_url: str = "http://127.0.0.1:8080"
    secret_key: str = ""
    validate_certs: bool = True
    ca_file: str | None = None

    def __post_init__(self) -> None:
        if self.starttls and self.implicit_tls:
            raise ValueError("SmtpSettings: starttls and implicit_tls are exclusive")

    @property
    def tls(self) -> TlsMode:
        return "implicit" if self.implicit_tls else "starttls" if self.starttls else "none"

    @classmethod
    def from_env(cls, env: object) -> SmtpSettings:
        port = int(getattr(env, "smtp_port", 25))
        mode: TlsMode = getattr(env, "smtp_tls", None) or (
            "implicit"
            if port == 465
            else "starttls"
            if getattr(env, "smtp_starttls", False)
            else "none"
        )
        return cls(
            host=str(getattr(env, "smtp_host", "") or "localhost"),
            port=port,
            user=getattr(env, "smtp_user", None),
            password=getattr(env, "smtp_password", None),
            starttls=mode == "starttls",
            implicit_tls=mode == "implicit",
            ca_file=getattr(env, "smtp_ca_file", None),
            mail_from=str(getattr(env, "mail_from", cls.mail_from)),
            public_url=str(getattr(env, "public_url", cls.public_url)),
            secret_key=str(getattr(env, "secret_key", cls.secret_key)),
        )

    @property
    def from_address(self) -> str:
        return parseaddr(self.mail_from)[1] or "briefbot@localhost"

    @property
    def domain(self) -> str:
        return self.from_address.rpartition("@")[2] or "localhost"


_UNSAFE_IN_HEADER = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def header_text(text: str) -> str:
    """``text`` made safe as an unstructured header value (Subject).

    Python's email package decodes RFC 2047 encoded-words it finds in a value it is given and
    writes what they decode to (CR/LF included) raw into the message. User-influenced text (a rule's
    keyword, a feed headline) must therefore reach a header with no control characters and no
    ``=?`` that could open an encoded-word; the package then encodes non-ASCII itself.
    """
    return _UNSAFE_IN_HEADER.sub(" ", text).replace("=?", "= ?").strip()


def build_email(
    message: Message,
    *,
    to: str,
    settings: SmtpSettings,
    key: str,
    subscriber_id: int | None,
    now: datetime,
    token_version: int = 0,
) -> EmailMessage:
    """The MIME message for one recipient (pure: everything it needs is an argument)."""
    msg = EmailMessage()
    msg["From"] = settings.mail_from
    msg["To"] = to
    msg["Subject"] = header_text(message.subject)
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{settings.domain}>"
    msg["List-Id"] = f"Briefbot <briefbot.{settings.domain}>"
    if subscriber_id is not None:
        token = sign_subscriber(subscriber_id, settings.secret_key, version=token_version)
        mailto = f"mailto:{settings.from_address}?subject={quote('unsubscribe ' + token)}"
        url = unsubscribe_url(
            settings.public_url, subscriber_id, settings.secret_key, version=token_version
        )
        msg["List-Unsubscribe"] = f"<{mailto}>, <{url}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(message.text)
    cid = f"{CHART_CID}.{hashlib.sha256(key.encode()).hexdigest()[:16]}@{settings.domain}"
    body = message.html or _html_from_text(message.text, message.subject)
    if message.chart_png:
        img = f'<img src="cid:{cid}" alt="chart" style="max-width:100%">'
        if f'cid:{CHART_CID}"' in body or f"cid:{CHART_CID}'" in body:
            body = body.replace(f"cid:{CHART_CID}", f"cid:{cid}")
        elif "</body>" in body:
            body = body.replace("</body>", f"<p>{img}</p></body>", 1)
        else:
            body += f"<p>{img}</p>"
    msg.add_alternative(body, subtype="html")
    if message.chart_png:
        html_part = cast(EmailMessage, msg.get_payload()[1])  # type: ignore[index]
        html_part.add_related(
            message.chart_png,
            "image",
            "png",
            cid=f"<{cid}>",
            disposition="inline",
            filename="chart.png",
        )
    return msg


_PARTS: dict[bytes, tuple[str, bytes]] = {}  # chart digest -> (cid local part, encoded part)


def email_bytes(
    message: Message,
    *,
    to: str,
    settings: SmtpSettings,
    key: str,
    subscriber_id: int | None,
    now: datetime,
    token_version: int = 0,
) -> bytes:
    """``build_email(...).as_bytes(policy=SMTP)``, the same MIME tree and headers, built fast.

    A fan-out sends one chart to thousands: its encoded image part is built once per chart (its
    Content-ID names the chart, not the recipient) and reused; the personal text and HTML are
    base64-encoded directly; only the headers go through the ``email`` package. This is what
    ``EmailChannel`` sends (``build_email`` stays the reference a test compares it with).
    """
    headers = _shared_headers(message.subject, settings) + _personal_headers(
        to, settings, key, subscriber_id, now, token_version
    )
    outer, inner = _boundaries(key)
    body = message.html or _html_from_text(message.text, message.subject)
    out = [
        headers,
        f'MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary="{outer}"\r\n\r\n'.encode(),
    ]
    out.append(f"--{outer}\r\n".encode())
    out.append(_text_part("plain", message.text))
    if message.chart_png:
        cid, image = _image_part(message.chart_png, settings.domain)
        body = _with_chart(body, cid)
        out.append(
            f'--{outer}\r\nContent-Type: multipart/related; boundary="{inner}"\r\n\r\n'.encode()
        )
        out.append(f"--{inner}\r\n".encode())
        out.append(_text_part("html", body))
        out.append(f"--{inner}\r\n".encode())
        out.append(image)
        out.append(f"--{inner}--\r\n".encode())
    else:
        out.append(f"--{outer}\r\n".encode())
        out.append(_text_part("html", body))
    out.append(f"--{outer}--\r\n".encode())
    return b"".join(out)


_SHARED: dict[tuple[str, str, str], bytes] = {}


def _shared_headers(subject: str, settings: SmtpSettings) -> bytes:
    """From, Subject, List-Id, Auto-Submitted: the same for a whole fan-out, folded once."""
    k = (subject, settings.mail_from, settings.domain)
    got = _SHARED.get(k)
    if got is None:
        head = EmailMessage()
        head["From"] = settings.mail_from
        head["Subject"] = header_text(subject)  # as build_email: no header injection
        head["List-Id"] = f"Briefbot <briefbot.{settings.domain}>"
        head["Auto-Submitted"] = "auto-generated"
        got = head.as_bytes(policy=SMTP_POLICY).rstrip(b"\r\n") + b"\r\n"
        if len(_SHARED) >= 256:
            _SHARED.pop(next(iter(_SHARED)))
        _SHARED[k] = got
    return got


def _personal_headers(
    to: str,
    settings: SmtpSettings,
    key: str,
    subscriber_id: int | None,
    now: datetime,
    token_version: int = 0,
) -> bytes:
    """To, Date, Message-ID and the unsubscribe headers: plain ASCII lines (the ``email``
    package folds them only for a non-ASCII address)."""
    lines = [
        f"Date: {format_datetime(now)}",
        f"Message-ID: <{hashlib.sha256(key.encode()).hexdigest()[:32]}@{settings.domain}>",
    ]
    if subscriber_id is not None:
        token = sign_subscriber(subscriber_id, settings.secret_key, version=token_version)
        mailto = f"mailto:{settings.from_address}?subject={quote('unsubscribe ' + token)}"
        url = unsubscribe_url(
            settings.public_url, subscriber_id, settings.secret_key, version=token_version
        )
        lines.append(f"List-Unsubscribe: <{mailto}>, <{url}>")
        lines.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
    text = "\r\n".join(lines) + "\r\n"
    if to.isascii() and to.isprintable() and text.isascii():
        return f"To: {to}\r\n{text}".encode("ascii")
    head = EmailMessage()
    head["To"] = to
    return head.as_bytes(policy=SMTP_POLICY).rstrip(b"\r\n") + b"\r\n" + text.encode()


def _boundaries(key: str) -> tuple[str, str]:
    tag = hashlib.sha256(key.encode()).hexdigest()[:24]
    return f"=_bb_alt_{tag}", f"=_bb_rel_{tag}"


def _text_part(subtype: str, text: str) -> bytes:
    data = base64.encodebytes(text.encode("utf-8")).replace(b"\n", b"\r\n")
    return (
        f'Content-Type: text/{subtype}; charset="utf-8"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\n"
    ).encode() + data


def _image_part(png: bytes, domain: str) -> tuple[str, bytes]:
    digest = hashlib.sha256(png).digest()
    got = _PARTS.get(digest + domain.encode())
    if got is None:
        cid = f"{CHART_CID}.{digest.hex()[:16]}@{domain}"
        data = base64.encodebytes(png).replace(b"\n", b"\r\n")
        part = (
            "Content-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n"
            f"Content-ID: <{cid}>\r\n"
            'Content-Disposition: inline; filename="chart.png"\r\n\r\n'
        ).encode() + data
        if len(_PARTS) >= 32:
            _PARTS.pop(next(iter(_PARTS)))
        got = _PARTS[digest + domain.encode()] = (cid, part)
    return got


def _with_chart(body: str, cid: str) -> str:
    img = f'<img src="cid:{cid}" alt="chart" style="max-width:100%">'
    if f'cid:{CHART_CID}"' in body or f"cid:{CHART_CID}'" in body:
        return body.replace(f"cid:{CHART_CID}", f"cid:{cid}")
    if "</body>" in body:
        return body.replace("</body>", f"<p>{img}</p></body>", 1)
    return body + f"<p>{img}</p>"


def _html_from_text(text: str, subject: str) -> str:
    paras = "".join(
        f"<p>{html_lib.escape(p).replace(chr(10), '<br>')}</p>" for p in text.split("\n\n")
    )
    return (
        f"<html><head><title>{html_lib.escape(subject)}</title></head><body>{paras}</body></html>"
    )


class EmailChannel:
    """``pool_size`` SMTP connections, each reused for many messages (``reuse=False``: one
    connection per message, for comparison). A connection idle for ``idle_seconds`` is
    replaced before use; one that dropped is reconnected once and the message retried."""

    name = "email"

    def __init__(
        self,
        settings: SmtpSettings,
        *,
        pool_size: int = 4,
        reuse: bool = True,
        idle_seconds: float = 30.0,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.settings = settings
        self.reuse = reuse
        self.idle_seconds = idle_seconds
        self.clock = clock or (lambda: datetime.now(UTC))
        self._pool: asyncio.Queue[_Conn] = asyncio.Queue()
        for _ in range(pool_size):
            self._pool.put_nowait(_Conn())
        self.connections_opened = 0

    async def send(self, entry: OutboxEntry, message: Message) -> None:
        # an address stored before addresses were checked strictly fails once, not 12 times
        suspect = not entry.recipient.isascii() or "=?" in entry.recipient
        if suspect and not deliverable(entry.recipient):
            raise PermanentFailure(f"undeliverable address {entry.recipient!r}: not retried")
        data = email_bytes(
            message,
            to=entry.recipient,
            settings=self.settings,
            key=entry.key,
            subscriber_id=entry.subscriber_id,
            now=self.clock(),
            token_version=_int(entry.payload.get("token_version")),
        )
        conn = await self._pool.get()
        try:
            await self._send(conn, entry.recipient, data)
        finally:
            if not self.reuse:
                await conn.close()
            self._pool.put_nowait(conn)

    async def _send(self, conn: _Conn, to: str, data: bytes) -> None:
        for attempt in (1, 2):
            try:
                smtp = await self._connected(conn)
                await _sendmail(smtp, self.settings.from_address, to, data)
                conn.last_used = time.monotonic()
                return
            except aiosmtplib.SMTPRecipientsRefused as e:
                await _reset(conn)
                first = e.recipients[0]
                raise _classify(first.code, first.message, "RCPT", to) from e
            except aiosmtplib.SMTPSenderRefused as e:
                await _reset(conn)
                raise RetryLater(f"SMTP refused sender {e.sender}: {e.code} {e.message}") from e
            except aiosmtplib.SMTPAuthenticationError as e:
                await conn.close()
                raise RetryLater(
                    f"SMTP login failed (check BRIEFBOT_SMTP_USER/PASSWORD): {e.code} {e.message}",
                    300,
                ) from e
            except aiosmtplib.SMTPDataError as e:
                await _reset(conn)
                raise _classify(e.code, e.message, "DATA", to) from e
            except aiosmtplib.SMTPServerDisconnected as e:
                await conn.close()
                if attempt == 2 or conn.fresh:
                    raise RetryLater(f"SMTP connection lost: {e}") from e
            except (aiosmtplib.SMTPException, OSError) as e:
                await conn.close()
                raise RetryLater(f"SMTP error: {e}") from e

    async def _connected(self, conn: _Conn) -> aiosmtplib.SMTP:
        if conn.smtp is not None and (
            not conn.smtp.is_connected or time.monotonic() - conn.last_used > self.idle_seconds
        ):
            await conn.close()
        if conn.smtp is None:
            smtp = await self._connect()
            conn.smtp, conn.fresh = smtp, True
            conn.last_used = time.monotonic()
            self.connections_opened += 1
        else:
            conn.fresh = False
        return conn.smtp

    async def _connect(self) -> aiosmtplib.SMTP:
        """A connected (TLS as configured) and logged-in client. Each step is ours, not
        aiosmtplib's connect-time automation, so that STARTTLS is required, never opportunistic
        or skipped, and AUTH only ever happens after it."""
        s = self.settings
        smtp = aiosmtplib.SMTP(
            hostname=s.host,
            port=s.port,
            use_tls=s.implicit_tls,
            start_tls=False,  # done below, and required when configured
            timeout=s.timeout,
            validate_certs=s.validate_certs,
            cert_bundle=s.ca_file,
        )
        try:
            await smtp.connect()
            if s.starttls:
                await smtp.ehlo()
                if not smtp.supports_extension("starttls"):
                    raise RetryLater(
                        f"SMTP server {s.host}:{s.port} does not offer STARTTLS, which "
                        "BRIEFBOT_SMTP_TLS=starttls (or BRIEFBOT_SMTP_STARTTLS=1) requires; "
                        "nothing was sent in plain text. Check BRIEFBOT_SMTP_HOST/PORT "
                        "(587 is usually STARTTLS, 465 implicit TLS: BRIEFBOT_SMTP_TLS=implicit)"
                    )
                await smtp.starttls()
            if s.user is not None:
                try:
                    await smtp.login(s.user, s.password or "")
                except aiosmtplib.SMTPException as e:
                    if s.tls == "none" and smtp.supports_extension("starttls"):
                        raise RetryLater(
                            f"SMTP login to {s.host}:{s.port} failed in plain text "
                            f"({getattr(e, 'message', e)}); the server offers STARTTLS: set "
                            "BRIEFBOT_SMTP_TLS=starttls (and check BRIEFBOT_SMTP_USER/PASSWORD)",
                            300,
                        ) from e
                    raise
        except BaseException as e:
            smtp.close()
            tls_error = _tls_error(e, s) if isinstance(e, Exception) else None
            if tls_error is not None:
                raise tls_error from e
            raise
        return smtp

    async def aclose(self) -> None:
        conns = []
        while not self._pool.empty():
            conns.append(self._pool.get_nowait())
        for c in conns:
            await c.close()
            self._pool.put_nowait(c)


class _Conn:
    def __init__(self) -> None:
        self.smtp: aiosmtplib.SMTP | None = None
        self.last_used = 0.0
        self.fresh = False

    async def close(self) -> None:
        smtp, self.smtp = self.smtp, None
        if smtp is None:
            return
        try:
            if smtp.is_connected:
                await smtp.quit(timeout=5)
        except (aiosmtplib.SMTPException, OSError):
            smtp.close()


def _tls_error(e: BaseException, s: SmtpSettings) -> RetryLater | None:
    """A RetryLater that says what to fix when ``e`` (or what caused it) is a TLS failure."""
    where = f"SMTP server {s.host}:{s.port}"
    seen: set[int] = set()
    cur: BaseException | None = e
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, ssl.SSLCertVerificationError):
            why = cur.verify_message or cur.reason or str(cur)
            return RetryLater(
                f"{where}: TLS certificate not trusted ({why}). If the server uses a private CA "
                "or a self-signed certificate, set BRIEFBOT_SMTP_CA_FILE to a PEM file with "
                "that CA; BRIEFBOT_SMTP_HOST must be a name the certificate is issued for"
            )
        if isinstance(cur, ssl.SSLError):
            why = cur.reason or str(cur)
            return RetryLater(
                f"{where}: TLS handshake failed ({why}). Check that BRIEFBOT_SMTP_TLS matches "
                f"the port (now {s.tls!r}; 465 is usually implicit, 587 starttls)"
            )
        cur = cur.__cause__ or cur.__context__
    return None


_LEADING_DOT = re.compile(rb"(?m)^\.")


async def _sendmail(smtp: aiosmtplib.SMTP, sender: str, to: str, data: bytes) -> None:
    """``smtp.sendmail(sender, [to], data)`` for ``data`` in wire form already (CRLF line ends,
    as ``email_bytes`` builds it), with the same commands, replies and exceptions.

    aiosmtplib's ``sendmail`` runs three regular-expression passes over the whole message
    (line endings twice, for SIZE and for DATA, and dot-stuffing) and copies it each time: with
    a chart, ~60 KB per recipient, the largest part of a fan-out's CPU. Here the message is
    dot-stuffed only if a line starts with a dot, and written as it is.
    """
    if smtp.is_ehlo_or_helo_needed:
        try:
            await smtp.ehlo()
        except aiosmtplib.SMTPHeloError:
            if not smtp.is_connected:
                raise
            await smtp.helo()
    if data.startswith(b".") or b"\n." in data:
        data = _LEADING_DOT.sub(b"..", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    options = [f"size={len(data)}"] if smtp.supports_extension("size") else []
    try:
        await smtp.mail(sender, options=options)
        try:
            await smtp.rcpt(to)
        except aiosmtplib.SMTPRecipientRefused as e:
            raise aiosmtplib.SMTPRecipientsRefused([e]) from e
        start = await smtp.execute_command(b"DATA")
        if start.code != 354:
            raise aiosmtplib.SMTPDataError(start.code, start.message)
        proto = smtp.protocol
        if proto is None:
            raise aiosmtplib.SMTPServerDisconnected("Connection lost")
        try:
            proto.write(data)
            proto.write(b".\r\n")
            reply = await proto.read_response(timeout=smtp.timeout)
        except (aiosmtplib.SMTPServerDisconnected, aiosmtplib.SMTPTimeoutError):
            smtp.close()  # as aiosmtplib does: a connection out of step is not reused
            raise
        if reply.code != 250:
            raise aiosmtplib.SMTPDataError(reply.code, reply.message)
    except (aiosmtplib.SMTPResponseException, aiosmtplib.SMTPRecipientsRefused):
        with contextlib.suppress(ConnectionError, aiosmtplib.SMTPResponseException):
            await smtp.rset()  # as sendmail does: the next transaction starts clean
        raise


async def _reset(conn: _Conn) -> None:
    """After a refused transaction the pooled connection must not stay mid-transaction (the next
    recipient's MAIL got "503 nested MAIL command"): RSET it, or drop it if that fails."""
    if conn.smtp is None:
        return
    try:
        await conn.smtp.rset()
    except (aiosmtplib.SMTPException, OSError):
        await conn.close()


def _classify(code: int, text: str, stage: str, to: str) -> Exception:
    detail = f"SMTP {stage} {code} {text}".strip()
    if 400 <= code < 500:
        return RetryLater(f"{detail} (temporary, for {to})")
    if 500 <= code < 600:
        return Bounce(f"{detail} (permanent, for {to})")
    return PermanentFailure(detail)


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
