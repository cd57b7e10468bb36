"""Email addresses Briefbot accepts: ones every SMTP server can deliver to (pure).

The check is strict on purpose. An address that ``email-validator`` calls valid can still be
undeliverable or hostile here: a non-ASCII local part needs SMTPUTF8, which many relays do not
offer (it failed 12 times with tracebacks before it went dead), and an encoded-word
(``=?utf-8?q?…?=``) in the local part is legal RFC 5322 text that mail clients decode into header
lines. So: no SMTPUTF8, no ``=?``, no controls or spaces, and the domain in its ASCII (IDNA) form,
which is also how the address is stored and echoed back, so a look-alike domain shows as
``xn--…``.
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from bot.errors import BriefbotError

MAX_EMAIL_LEN = 254


class InvalidEmail(BriefbotError, ValueError):
    """Not an address Briefbot can deliver to; the message says why."""


def normalize_email(address: str) -> str:
    """The deliverable ASCII form of ``address`` (domain lower-cased, IDNA), or ``InvalidEmail``."""
    raw = address.strip()
    if not raw or len(raw) > MAX_EMAIL_LEN:
        raise InvalidEmail(f"{address[:80]!r} is not a valid email address: empty or too long")
    if "=?" in raw or any(c.isspace() or ord(c) < 32 or 127 <= ord(c) < 160 for c in raw):
        raise InvalidEmail(f"{address[:80]!r} is not a valid email address: forbidden characters")
    try:
        checked = validate_email(raw, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as e:
        raise InvalidEmail(f"{address[:80]!r} is not a valid email address: {e}") from None
    ascii_form = checked.ascii_email
    if ascii_form is None:  # only with SMTPUTF8, which is off; kept for the type checker
        raise InvalidEmail(f"{address[:80]!r} needs SMTPUTF8, which Briefbot does not use")
    return str(ascii_form)


def deliverable(address: str) -> bool:
    """True when ``address`` is already in the form ``normalize_email`` gives (cheap on ASCII)."""
    try:
        return normalize_email(address) == address
    except InvalidEmail:
        return False
