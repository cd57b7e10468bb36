"""Configuration: ``config/briefbot.toml`` (behaviour) + ``BRIEFBOT_*`` environment (secrets).

``load_config(environ, path)`` is the only entry point; it returns a frozen ``Config`` or raises
``ConfigError`` whose message is one line naming the bad key, the bad value and what was expected.
"""

from __future__ import annotations

import ipaddress
import ssl
import tomllib
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from bot.errors import ConfigError

if TYPE_CHECKING:
    from bot.digest.rank import Weights

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DEFAULT_CONFIG = Path("config/briefbot.toml")


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ArchiveConfig(_Section):
    path: Path = Path("archive")


class RankConfig(_Section):
    """``[digests.rank]``: the named weights of ``bot.digest.rank.importance`` (its docstring)."""

    core: float = Field(10.0, ge=0)
    share_move: float = Field(7.0, ge=0)
    share_move_min: float = Field(5.0, ge=0, le=100)
    other_metric: float = Field(4.0, ge=0)
    metric_other: float = Field(0.0, ge=0)
    headline: float = Field(6.0, ge=0)
    lead: float = Field(4.0, ge=0)
    outlet: float = Field(1.5, ge=0)
    max_outlets: int = Field(5, ge=1, le=100)
    update: float = Field(2.0, ge=0)
    size: float = Field(0.4, ge=0)
    no_entity: float = Field(10.0, ge=0)
    unknown_entity: float = Field(2.0, ge=0)
    estimate: float = Field(10.0, ge=0)
    aggregate: float = Field(10.0, ge=0)
    mention: float = Field(2.0, ge=0)
    max_mentions: int = Field(4, ge=1, le=100)
    percent_level: float = Field(4.0, ge=0)
    stale: float = Field(6.0, ge=0)
    stale_months: int = Field(12, ge=0, le=1200)
    line_needs_entity: bool = True
    line_needs_metric: bool = True
    top_per_entity: int = Field(3, ge=1, le=5)
    top_related: int = Field(2, ge=0, le=5)
    related_min: float = 4.0

    def weights(self) -> Weights:
        from bot.digest.rank import Weights  # the digest package loads jinja2: only when used

        return Weights(**self.model_dump())


class DigestsConfig(_Section):
    path: Path = Path("digests")
    rank: RankConfig = RankConfig()


class ScheduleConfig(_Section):
    feed_poll_minutes: int = Field(30, ge=1, le=7 * 24 * 60)
    digest_weekday: Literal[WEEKDAYS] = "monday"  # type: ignore[valid-type]
    digest_time: str = Field("08:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    timezone: str = "UTC"
    outbox_drain_seconds: float = Field(5, gt=0, le=3600)
    archive_rescan_minutes: int = Field(10, ge=1)
    missed_digest_grace_hours: float = Field(24, ge=0)

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError) as e:
            raise ValueError("an IANA timezone such as Europe/Berlin or UTC") from e
        return v

    @property
    def weekday_index(self) -> int:
        return WEEKDAYS.index(self.digest_weekday)


class ExtractConfig(_Section):
    entities_file: Path | None = Path("config/entities.toml")


class RatesConfig(_Section):
    model_config = ConfigDict(frozen=True, extra="allow")
    as_of: date

    @property
    def usd_per_unit(self) -> dict[str, float]:
        extra = self.model_extra or {}
        return {"USD": 1.0, **{k: float(v) for k, v in extra.items()}}


class ChannelsConfig(_Section):
    enabled: tuple[Literal["file", "telegram", "email"], ...] = ("file", "telegram", "email")
    telegram_global_per_second: float = Field(30, gt=0, le=1000)
    telegram_per_chat_per_second: float = Field(1, gt=0, le=100)


class WebConfig(_Section):
    enabled: bool = True
    # reverse proxies whose X-Forwarded-For / Forwarded headers name the client (rate limits);
    # addresses or networks, e.g. ["127.0.0.1", "::1"]. Empty: the socket peer is the client.
    trusted_proxies: tuple[str, ...] = ()

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for entry in v:
            try:
                ipaddress.ip_network(entry.strip(), strict=False)
            except ValueError:
                raise ValueError(
                    f"{entry!r} is not an IP address or network (e.g. 127.0.0.1 or 10.0.0.0/8)"
                ) from None
        return v


class LoggingConfig(_Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "WARNING"
    format: Literal["text", "json"] = "text"


class FeedConfig(_Section):
    url: str = Field(pattern=r"^https?://")
    name: str | None = None
    lang: Literal["en", "zh"] | None = None
    poll_minutes: int | None = Field(None, ge=1)


class AlertsConfig(_Section):
    # Alerts consider figures stored within this many days: a fact fires once, so older
    # figures can only add sources to alerts already sent, and reading them all on every pass
    # would grow without bound.
    lookback_days: float = Field(30, gt=0, le=3660)
    # CPU budgets of a pass (bot.alert_pass): a rule over rule_cpu_ms is paused and its owner
    # told; past pass_cpu_ms the remaining rules wait for the next pass. One rule gives at most
    # max_alerts_per_rule alerts (its newest facts) per pass.
    rule_cpu_ms: int = Field(1000, ge=1, le=600_000)
    pass_cpu_ms: int = Field(20_000, ge=1, le=3_600_000)
    max_alerts_per_rule: int = Field(20, ge=1, le=10_000)


class PollingConfig(_Section):
    # 0: feeds are parsed in a thread of the polling process (enough for tens of feeds);
    # N: in N worker processes, so that parsing hundreds of feeds uses every core.
    parse_workers: int = Field(0, ge=0, le=64)


class ReplicasConfig(_Section):
    # Leases of claimed outbox rows and of the leader (PostgreSQL), compared with the database
    # clock: a replica that dies is replaced, and its claimed rows taken over, within one lease.
    lease_seconds: float = Field(60, ge=1, le=3600)


class RuleConfig(_Section):
    text: str


class FileConfig(_Section):
    """The TOML file's shape."""

    archive: ArchiveConfig = ArchiveConfig()
    digests: DigestsConfig = DigestsConfig()
    schedule: ScheduleConfig = ScheduleConfig()
    extract: ExtractConfig = ExtractConfig()
    rates: RatesConfig
    channels: ChannelsConfig = ChannelsConfig()
    web: WebConfig = WebConfig()
    logging: LoggingConfig = LoggingConfig()
    alerts: AlertsConfig = AlertsConfig()
    polling: PollingConfig = PollingConfig()
    replicas: ReplicasConfig = ReplicasConfig()
    rules: tuple[RuleConfig, ...] = ()
    feeds: tuple[FeedConfig, ...] = ()


class Env(_Section):
    """Secrets and deployment, from ``BRIEFBOT_*`` variables (names as in DESIGN.md).

    SMTP transport security:

    * ``BRIEFBOT_SMTP_TLS`` = ``starttls`` | ``implicit`` | ``none``: how to protect the SMTP
      connection. ``starttls`` connects in plain text and upgrades with STARTTLS before AUTH
      and mail (port 587); it fails, sending nothing, if the server does not offer STARTTLS.
      ``implicit`` speaks TLS from the first byte (SMTPS, port 465). ``none`` sends in plain
      text (a relay on localhost). Unset: ``implicit`` on port 465, else ``starttls`` when
      ``BRIEFBOT_SMTP_STARTTLS`` is on, else ``none`` (the behaviour before this setting).
    * ``BRIEFBOT_SMTP_STARTTLS`` = 1: the older switch for ``starttls``; it may not disagree
      with ``BRIEFBOT_SMTP_TLS``.
    * ``BRIEFBOT_SMTP_CA_FILE`` = path of a PEM file of CA certificates that the server's
      certificate may chain to, trusted in addition to the system's CAs (a private CA or a
      self-signed relay). The server's name (``BRIEFBOT_SMTP_HOST``) must still match its
      certificate. Checked at start-up: the file must exist and hold certificates.
    """

    database_url: str = "sqlite:///briefbot.db"
    telegram_token: str | None = None
    telegram_base_url: str | None = None
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    smtp_tls: Literal["starttls", "implicit", "none"] | None = None
    smtp_ca_file: str | None = None
    mail_from: str = "Briefbot <briefbot@localhost>"
    admin_chat_ids: tuple[int, ...] = ()
    secret_key: str = ""  # unset: generated on first start and kept in the database
    allow_private_feeds: bool = False
    web_bind: str = "127.0.0.1:8080"
    public_url: str = "http://127.0.0.1:8080"
    webhook_url: str | None = None

    @field_validator("admin_chat_ids", mode="before")
    @classmethod
    def _ids(cls, v: Any) -> Any:
        if isinstance(v, str):
            return tuple(int(x) for x in v.replace(";", ",").split(",") if x.strip())
        return v

    @field_validator("smtp_tls")
    @classmethod
    def _smtp_tls(cls, v: str | None, info: ValidationInfo) -> str | None:
        if v in ("none", "implicit") and info.data.get("smtp_starttls"):
            raise ValueError(
                f"'starttls' (or unset) while BRIEFBOT_SMTP_STARTTLS is on; {v!r} contradicts it"
            )
        return v

    @field_validator("smtp_ca_file")
    @classmethod
    def _smtp_ca_file(cls, v: str | None) -> str | None:
        if v is None:
            return v
        try:
            ssl.create_default_context(cafile=v)
        except (OSError, ssl.SSLError, ValueError) as e:
            reason = getattr(e, "strerror", None) or str(e) or type(e).__name__
            raise ValueError(f"a readable PEM file of CA certificates ({reason})") from None
        return v

    @field_validator("database_url")
    @classmethod
    def _db(cls, v: str) -> str:
        if not v.startswith(("sqlite", "postgresql", "postgres")):
            raise ValueError("a sqlite:///PATH or postgresql://USER@HOST/DB URL")
        return v


class Config(_Section):
    """Everything Briefbot needs to start; paths are absolute (resolved against the root)."""

    root: Path
    path: Path
    file: FileConfig
    env: Env

    @property
    def archive_path(self) -> Path:
        return self._abs(self.file.archive.path)

    @property
    def digests_path(self) -> Path:
        return self._abs(self.file.digests.path)

    @property
    def entities_path(self) -> Path | None:
        p = self.file.extract.entities_file
        return None if p is None else self._abs(p)

    @property
    def rates(self) -> dict[str, float]:
        return self.file.rates.usd_per_unit

    def _abs(self, p: Path) -> Path:
        return p if p.is_absolute() else self.root / p


def _describe(err: ValidationError, prefix: str, data: Mapping[str, Any]) -> str:
    e = err.errors()[0]
    loc = ".".join(str(x) for x in e["loc"])
    value: Any = data
    for part in e["loc"]:
        if isinstance(value, Mapping) and part in value:
            value = value[part]
        elif isinstance(value, list | tuple) and isinstance(part, int) and part < len(value):
            value = value[part]
        else:
            value = None
            break
    msg = e["msg"].removeprefix("Value error, ")
    if e["type"] == "extra_forbidden":
        return f"{prefix}{loc}: unknown key (check the spelling; see config/briefbot.toml)"
    if e["type"] == "missing":
        return f"{prefix}{loc}: missing (expected a value)"
    return f"{prefix}{loc} = {value!r}: expected {msg}"


def _env_values(environ: Mapping[str, str]) -> dict[str, str]:
    out = {}
    for key, value in environ.items():
        if key.startswith("BRIEFBOT_") and key != "BRIEFBOT_CONFIG":
            name = key.removeprefix("BRIEFBOT_").lower()
            if name in Env.model_fields and value != "":
                out[name] = value
    return out


def load_config(environ: Mapping[str, str], path: Path | None = None) -> Config:
    """Read and validate the TOML file named by ``path``, ``BRIEFBOT_CONFIG`` or the default."""
    path = path or Path(environ.get("BRIEFBOT_CONFIG") or DEFAULT_CONFIG)
    path = path.resolve()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"config file {path} not found (set BRIEFBOT_CONFIG or run from the project folder)"
        ) from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"config file {path} unreadable: {e}") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"config file {path} is not valid TOML: {e}") from None
    try:
        file = FileConfig.model_validate(data)
    except ValidationError as e:
        raise ConfigError(_describe(e, f"{path.name}: ", data)) from None
    env_data = _env_values(environ)
    try:
        env = Env.model_validate(env_data)
    except ValidationError as e:
        first = e.errors()[0]
        key = "BRIEFBOT_" + str(first["loc"][0]).upper()
        msg = first["msg"].removeprefix("Value error, ")
        raise ConfigError(
            f"{key} = {env_data.get(str(first['loc'][0]))!r}: expected {msg}"
        ) from None
    root = path.parent.parent if path.parent.name == "config" else path.parent
    return Config(root=root, path=path, file=file, env=env)
