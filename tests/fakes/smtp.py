"""A real SMTP server (aiosmtpd) on 127.0.0.1 that records what it receives.

    with FakeSMTP() as smtp:                  # free port; smtp.host, smtp.port
        smtp.temp_fail.add("a@example.com")   # RCPT -> 451 4.3.0 (try again later)
        smtp.perm_fail.add("b@example.com")   # RCPT -> 550 5.1.1 (no such user)
        smtp.mode = "451" | "550" | "ok"      # the same for every recipient
        smtp.mode = "421"                     # MAIL -> 421 (service not available)
        ...
        smtp.messages[0].message["Subject"]   # parsed email.message.EmailMessage
        smtp.sessions                         # connections that said EHLO/HELO

``FakeSMTP(auth=("user", "pw"))`` requires AUTH (PLAIN/LOGIN, allowed without TLS for tests).

TLS, with a certificate for 127.0.0.1 and localhost from a throwaway CA (``ThrowawayCA``, made
with trustme; share one per test session, its ``ca_file`` is what a client must trust)::

    FakeSMTP(tls="starttls", ca=ca)           # offers STARTTLS and requires it before AUTH/MAIL
    FakeSMTP(tls="starttls", ca=ca, require_tls=False)   # offers it, plain text also accepted
    FakeSMTP(tls="implicit", ca=ca)           # TLS from the first byte (SMTPS)
    smtp.events      # [(session, "EHLO" | "STARTTLS" | "AUTH" | "DATA", TLS version or None)]
    smtp.messages[0].tls, .cipher             # what the server negotiated for that message
"""

from __future__ import annotations

import socket
import ssl
import threading
import time
import warnings
from dataclasses import dataclass
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any, Literal

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session

# AUTH without TLS is what the tests want on 127.0.0.1 (aiosmtpd warns on every connection)
warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    at: float
    session: int
    tls: str | None = None  # "TLSv1.3" etc. on a TLS connection
    cipher: str | None = None

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.data, policy=default_policy)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ThrowawayCA:
    """A certificate authority made for one test session (trustme, nothing on disk but
    ``ca_file``) and a server certificate it issued for ``hosts``."""

    def __init__(self, directory: Path, hosts: tuple[str, ...] = ("127.0.0.1", "localhost")):
        import trustme  # dev dependency; only the TLS tests need it

        self._ca = trustme.CA(organization_name="Briefbot test CA")
        self._cert = self._ca.issue_cert(*hosts)
        self.ca_file = str(directory / "briefbot-test-ca.pem")
        self._ca.cert_pem.write_to_path(self.ca_file)

    def server_context(self) -> ssl.SSLContext:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self._cert.configure_cert(ctx)
        return ctx


def tls_of(server: Any) -> tuple[str, str] | None:
    """(version, cipher) of the TLS session on an aiosmtpd connection, None in plain text."""
    transport = getattr(server, "transport", None)
    obj = transport.get_extra_info("ssl_object") if transport is not None else None
    if obj is None:
        return None
    cipher = obj.cipher()
    return str(obj.version()), str(cipher[0] if cipher else "")


class _Handler:
    def __init__(self, owner: FakeSMTP) -> None:
        self.owner = owner

    async def handle_EHLO(
        self, server: Any, session: Session, envelope: Envelope, hostname: str, responses: list[str]
    ) -> list[str]:
        session.host_name = hostname
        self.owner._session_seen(server, session)
        self.owner._event(server, "EHLO")
        return responses

    async def handle_HELO(
        self, server: Any, session: Session, envelope: Envelope, hostname: str
    ) -> str:
        session.host_name = hostname
        self.owner._session_seen(server, session)
        self.owner._event(server, "HELO")
        return "250 fake"

    def handle_STARTTLS(self, server: Any, session: Session, envelope: Envelope) -> bool:
        # aiosmtpd calls this (synchronously) once the TLS handshake after STARTTLS is done
        self.owner._event(server, "STARTTLS")
        return True

    async def handle_MAIL(
        self, server: Any, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if self.owner.mode == "421":
            return "421 4.3.2 Service not available, closing transmission channel"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(
        self, server: Any, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        o = self.owner
        if o.mode == "451" or address in o.temp_fail:
            return "451 4.3.0 Mailbox temporarily unavailable, try again later"
        if o.mode == "550" or address in o.perm_fail:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:
        o = self.owner
        data = envelope.original_content or envelope.content or b""
        if isinstance(data, str):
            data = data.encode("utf-8")
        tls = tls_of(server)
        o._event(server, "DATA")
        with o._lock:
            o.messages.append(
                Received(str(envelope.mail_from), list(envelope.rcpt_tos), data, time.monotonic(),
                         getattr(server, "briefbot_session_no", 0),
                         tls[0] if tls else None, tls[1] if tls else None)
            )  # fmt: skip
        return "250 Message accepted for delivery"


class FakeSMTP:
    def __init__(
        self,
        *,
        auth: tuple[str, str] | None = None,
        tls: Literal["starttls", "implicit"] | None = None,
        ca: ThrowawayCA | None = None,
        require_tls: bool = True,
    ) -> None:
        if tls is not None and ca is None:
            raise ValueError("FakeSMTP(tls=...) needs ca=ThrowawayCA(...)")
        self.host = "127.0.0.1"
        self.port = 0
        self.auth = auth
        self.tls = tls
        self.ca = ca
        self.require_tls = require_tls
        self.events: list[tuple[int, str, str | None]] = []
        self.mode = "ok"
        self.temp_fail: set[str] = set()
        self.perm_fail: set[str] = set()
        self.messages: list[Received] = []
        self.logins: list[str] = []
        self._lock = threading.Lock()
        self._sessions = 0
        self._controller: Controller | None = None

    @property
    def sessions(self) -> int:
        return self._sessions

    def _session_seen(self, server: Any, session: Session) -> None:
        # numbered on the connection's protocol object (aiosmtpd makes a new Session after
        # STARTTLS; id() of a finished connection can be reused)
        with self._lock:
            if getattr(server, "briefbot_session_no", None) is None:
                self._sessions += 1
                server.briefbot_session_no = self._sessions
            session.briefbot_session_no = server.briefbot_session_no  # type: ignore[attr-defined]

    def _event(self, server: Any, what: str) -> None:
        tls = tls_of(server)
        with self._lock:
            no = getattr(server, "briefbot_session_no", 0)
            self.events.append((no, what, tls[0] if tls else None))

    def _authenticate(
        self, server: Any, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        if isinstance(data, LoginPassword) and self.auth is not None:
            user, pw = data.login.decode(), data.password.decode()
            self._event(server, "AUTH")
            if (user, pw) == self.auth:
                self.logins.append(user)
                return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    def start(self) -> FakeSMTP:
        self.port = free_port()
        kwargs: dict[str, Any] = {}
        if self.auth is not None:
            kwargs = {
                "authenticator": self._authenticate,
                "auth_required": True,
                "auth_require_tls": False,
            }
        if self.tls == "starttls":
            assert self.ca is not None
            kwargs["tls_context"] = self.ca.server_context()
            kwargs["require_starttls"] = self.require_tls
            kwargs["auth_require_tls"] = self.require_tls
        elif self.tls == "implicit":
            assert self.ca is not None
            # aiosmtpd's auth_require_tls only knows STARTTLS; here every byte is TLS already
            kwargs["ssl_context"] = self.ca.server_context()
        self._controller = Controller(
            _Handler(self), hostname=self.host, port=self.port, ready_timeout=10, **kwargs
        )
        with warnings.catch_warnings():  # AUTH without TLS: fine on 127.0.0.1 in tests
            warnings.simplefilter("ignore", UserWarning)
            self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> FakeSMTP:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def to(self, address: str) -> list[Received]:
        with self._lock:
            return [m for m in self.messages if address in m.rcpt_tos]


def main() -> None:
    """Run the fake SMTP server in its own process (for benchmarks); prints ``host:port``."""
    server = FakeSMTP().start()
    print(f"{server.host}:{server.port}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
