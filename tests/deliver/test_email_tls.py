"""The email channel over TLS against a real aiosmtpd server whose certificate (for 127.0.0.1)
comes from a CA made for this test session. The client is configured as a user would: from
BRIEFBOT_SMTP_* variables, trusting that CA through BRIEFBOT_SMTP_CA_FILE.

STARTTLS before AUTH, implicit TLS on any port, an untrusted or misnamed certificate (retried,
nothing lost, no credentials sent), a server that does not offer STARTTLS (no plain-text
fallback), TLS against a plain-text port, and the settings' validation."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bot.config import load_config
from bot.deliver.email import EmailChannel, SmtpSettings
from bot.deliver.worker import build_channels, drain
from bot.errors import ConfigError, RetryLater
from bot.models import Message, OutboxEntry
from bot.store.store import Store
from tests.conftest import ROOT
from tests.deliver.test_email import T0, digest, setup
from tests.fakes.smtp import FakeSMTP, ThrowawayCA

SHIPPED = ROOT / "config" / "briefbot.toml"
USER, PASSWORD = "bot", "s3cret"
TLS_VERSIONS = {"TLSv1.2", "TLSv1.3"}


def environ(server: FakeSMTP, **env: str) -> dict[str, str]:
    return {
        "BRIEFBOT_SMTP_HOST": server.host,
        "BRIEFBOT_SMTP_PORT": str(server.port),
        "BRIEFBOT_SMTP_USER": USER,
        "BRIEFBOT_SMTP_PASSWORD": PASSWORD,
        "BRIEFBOT_MAIL_FROM": "Briefbot <news@brief.example>",
        **{f"BRIEFBOT_SMTP_{k.upper()}": v for k, v in env.items()},
    }


def channel(server: FakeSMTP, pool_size: int = 4, **env: str) -> EmailChannel:
    """The production channel, built from the environment as ``briefbot run`` builds it."""
    settings = SmtpSettings.from_env(load_config(environ(server, **env), SHIPPED).env)
    return EmailChannel(dataclasses.replace(settings, timeout=5), pool_size=pool_size)


def entry(n: int = 0) -> OutboxEntry:
    return OutboxEntry(key=f"k{n}", channel="email", recipient=f"r{n}@example.com", payload={})


def alert(n: int = 0) -> Message:
    return Message(kind="alert", key=f"alert:{n}", subject=f"Alert {n}", text="over TLS")


@pytest.mark.parametrize("switch", [{"starttls": "1"}, {"tls": "starttls"}])
async def test_starttls_then_auth_then_mail(smtp_ca: ThrowawayCA, switch: dict[str, str]) -> None:
    with FakeSMTP(auth=(USER, PASSWORD), tls="starttls", ca=smtp_ca) as server:
        ch = channel(server, pool_size=1, ca_file=smtp_ca.ca_file, **switch)
        assert ch.settings.starttls and not ch.settings.implicit_tls
        await ch.send(entry(0), alert(0))
        await ch.send(entry(1), alert(1))  # the same upgraded connection, reused
        await ch.aclose()
    assert [m.message["Subject"] for m in server.messages] == ["Alert 0", "Alert 1"]
    assert server.messages[0].rcpt_tos == ["r0@example.com"]
    version = server.messages[0].tls
    assert version in TLS_VERSIONS and server.messages[0].cipher
    assert server.logins == [USER] and server.sessions == 1
    # in plain text only the first EHLO; STARTTLS, then EHLO again, AUTH and the mail over TLS
    assert server.events == [
        (1, "EHLO", None),
        (1, "STARTTLS", version),
        (1, "EHLO", version),
        (1, "AUTH", version),
        (1, "DATA", version),
        (1, "DATA", version),
    ]


async def test_the_starttls_server_really_refuses_auth_in_plain_text(
    smtp_ca: ThrowawayCA,
) -> None:
    """The control for the test above: it could not have passed by logging in unencrypted."""
    with FakeSMTP(auth=(USER, PASSWORD), tls="starttls", ca=smtp_ca) as server:
        ch = channel(server, tls="none")
        with pytest.raises(RetryLater) as e:
            await ch.send(entry(), alert())
        await ch.aclose()
    # aiosmtpd offers AUTH only after STARTTLS; the error says which setting fixes it
    assert "failed in plain text" in str(e.value)
    assert "the server offers STARTTLS: set BRIEFBOT_SMTP_TLS=starttls" in str(e.value)
    assert server.logins == [] and server.messages == []
    assert [e[1] for e in server.events] == ["EHLO"]


async def test_implicit_tls_on_any_port(smtp_ca: ThrowawayCA) -> None:
    with FakeSMTP(auth=(USER, PASSWORD), tls="implicit", ca=smtp_ca) as server:
        assert server.port != 465
        ch = channel(server, tls="implicit", ca_file=smtp_ca.ca_file)
        assert ch.settings.implicit_tls and not ch.settings.starttls
        await ch.send(entry(), alert())
        await ch.aclose()
    [got] = server.messages
    assert got.message["Subject"] == "Alert 0" and got.rcpt_tos == ["r0@example.com"]
    assert got.tls in TLS_VERSIONS and got.cipher
    assert server.logins == [USER]
    # TLS from the first byte: no STARTTLS, nothing in plain text
    assert server.events == [(1, "EHLO", got.tls), (1, "AUTH", got.tls), (1, "DATA", got.tls)]


async def test_build_channels_reads_the_tls_settings(smtp_ca: ThrowawayCA) -> None:
    with FakeSMTP(tls="implicit", ca=smtp_ca) as server:
        env = environ(server, tls="implicit", ca_file=smtp_ca.ca_file)
        del env["BRIEFBOT_SMTP_USER"], env["BRIEFBOT_SMTP_PASSWORD"]
        ch = build_channels(load_config(env, SHIPPED))["email"]
        assert isinstance(ch, EmailChannel) and ch.settings.ca_file == smtp_ca.ca_file
        await ch.send(entry(), alert())
        await ch.aclose()
    assert server.messages[0].tls in TLS_VERSIONS and server.logins == []


@pytest.mark.parametrize("tls", ["starttls", "implicit"])
async def test_untrusted_certificate_is_retried_and_nothing_is_lost(
    store: Store, smtp_ca: ThrowawayCA, tmp_path: Path, tls: str
) -> None:
    other = ThrowawayCA(tmp_path)  # the client trusts this CA (and the system's), not the server's
    outbox, subs = await setup(store, ["ann@example.com"], [digest()])
    with FakeSMTP(auth=(USER, PASSWORD), tls=tls, ca=smtp_ca) as server:  # type: ignore[arg-type]
        ch = channel(server, tls=tls, ca_file=other.ca_file)
        report = await drain(outbox, {"email": ch}, subs, now=T0)
        await ch.aclose()
        assert report.retried == 1 and report.sent == 0 and report.dead == 0
        [row] = await outbox.entries()
        assert row.status == "pending" and row.attempts == 1
        assert row.next_attempt is not None and row.next_attempt > T0
        error = row.error or ""
        assert f"SMTP server 127.0.0.1:{server.port}: TLS certificate not trusted" in error
        assert "unable to get local issuer certificate" in error
        assert "BRIEFBOT_SMTP_CA_FILE" in error and "\n" not in error
        # neither the password nor the mail went to a server we could not authenticate
        assert server.logins == [] and server.messages == []
        assert "AUTH" not in {e[1] for e in server.events}

        fixed = channel(server, tls=tls, ca_file=smtp_ca.ca_file)
        report = await drain(outbox, {"email": fixed}, subs, now=row.next_attempt)
        await fixed.aclose()
    assert report.sent == 1
    [got] = server.messages
    assert got.rcpt_tos == ["ann@example.com"] and got.tls in TLS_VERSIONS
    assert got.message["Subject"] == "Week 6: AI capex"
    assert [e.status for e in await outbox.entries()] == ["sent"]


async def test_certificate_for_another_name_is_rejected(tmp_path: Path) -> None:
    ca = ThrowawayCA(tmp_path, hosts=("smtp.example.com",))
    with FakeSMTP(auth=(USER, PASSWORD), tls="starttls", ca=ca) as server:
        ch = channel(server, tls="starttls", ca_file=ca.ca_file)
        with pytest.raises(RetryLater) as e:
            await ch.send(entry(), alert())
        await ch.aclose()
    assert "TLS certificate not trusted (IP address mismatch" in str(e.value)
    assert "BRIEFBOT_SMTP_HOST must be a name the certificate is issued for" in str(e.value)
    assert server.logins == [] and server.messages == []


async def test_starttls_required_but_not_offered_sends_nothing(store: Store) -> None:
    outbox, subs = await setup(store, ["ann@example.com"], [digest()])
    # a server that would accept AUTH and mail in plain text: a silent fallback would succeed
    with FakeSMTP(auth=(USER, PASSWORD)) as server:
        ch = channel(server, starttls="1")
        report = await drain(outbox, {"email": ch}, subs, now=T0)
        await ch.aclose()
    assert report.retried == 1 and report.sent == 0
    [row] = await outbox.entries()
    assert row.status == "pending" and row.next_attempt is not None and row.next_attempt > T0
    assert f"SMTP server 127.0.0.1:{server.port} does not offer STARTTLS" in (row.error or "")
    assert "nothing was sent in plain text" in (row.error or "")
    assert server.logins == [] and server.messages == []
    assert [e[1] for e in server.events] == ["EHLO"]  # no AUTH, no MAIL: only the EHLO


async def test_implicit_tls_against_a_plain_text_port_says_which_setting(
    smtp_server: FakeSMTP,
) -> None:
    ch = channel(smtp_server, tls="implicit")
    with pytest.raises(RetryLater) as e:
        await ch.send(entry(), alert())
    await ch.aclose()
    assert "TLS handshake failed" in str(e.value)
    assert "BRIEFBOT_SMTP_TLS matches the port (now 'implicit'" in str(e.value)
    assert smtp_server.messages == []


@pytest.mark.parametrize(
    ("env", "mode"),
    [
        ({}, "none"),
        ({"BRIEFBOT_SMTP_PORT": "465"}, "implicit"),
        ({"BRIEFBOT_SMTP_PORT": "465", "BRIEFBOT_SMTP_STARTTLS": "1"}, "implicit"),  # as before
        ({"BRIEFBOT_SMTP_PORT": "587", "BRIEFBOT_SMTP_STARTTLS": "1"}, "starttls"),
        ({"BRIEFBOT_SMTP_PORT": "587", "BRIEFBOT_SMTP_STARTTLS": "0"}, "none"),
        ({"BRIEFBOT_SMTP_PORT": "465", "BRIEFBOT_SMTP_TLS": "starttls"}, "starttls"),
        ({"BRIEFBOT_SMTP_PORT": "465", "BRIEFBOT_SMTP_TLS": "none"}, "none"),
        ({"BRIEFBOT_SMTP_PORT": "2465", "BRIEFBOT_SMTP_TLS": "implicit"}, "implicit"),
        ({"BRIEFBOT_SMTP_TLS": "starttls", "BRIEFBOT_SMTP_STARTTLS": "1"}, "starttls"),
    ],
)
def test_tls_mode_from_env(env: dict[str, str], mode: str) -> None:
    settings = SmtpSettings.from_env(load_config(env, SHIPPED).env)
    assert settings.tls == mode
    assert settings.starttls == (mode == "starttls")
    assert settings.implicit_tls == (mode == "implicit")


def test_bad_tls_settings_name_the_variable(tmp_path: Path) -> None:
    def error(env: dict[str, str]) -> str:
        with pytest.raises(ConfigError) as e:
            load_config(env, SHIPPED)
        assert "\n" not in str(e.value)
        return str(e.value)

    assert error({"BRIEFBOT_SMTP_TLS": "ssl"}).startswith("BRIEFBOT_SMTP_TLS = 'ssl': expected")
    assert error({"BRIEFBOT_SMTP_TLS": "none", "BRIEFBOT_SMTP_STARTTLS": "1"}).startswith(
        "BRIEFBOT_SMTP_TLS = 'none': expected 'starttls' (or unset) while BRIEFBOT_SMTP_STARTTLS"
    )
    assert "BRIEFBOT_SMTP_TLS = 'implicit'" in error(
        {"BRIEFBOT_SMTP_TLS": "implicit", "BRIEFBOT_SMTP_STARTTLS": "yes"}
    )
    missing = tmp_path / "nope.pem"
    assert error({"BRIEFBOT_SMTP_CA_FILE": str(missing)}) == (
        f"BRIEFBOT_SMTP_CA_FILE = '{missing}': expected a readable PEM file of CA certificates "
        "(No such file or directory)"
    )
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate\n")
    assert error({"BRIEFBOT_SMTP_CA_FILE": str(junk)}).startswith(
        f"BRIEFBOT_SMTP_CA_FILE = '{junk}': expected a readable PEM file of CA certificates ("
    )


def test_settings_refuse_both_tls_modes() -> None:
    with pytest.raises(ValueError, match="exclusive"):
        SmtpSettings(host="h", starttls=True, implicit_tls=True)
