"""``briefbot status`` and the service's start-up summary: a gatherer and pure formatters.

The running service (``service.app.App``) writes its jobs and their next run times to a small state
file (``.briefbot/service.json`` under the project root) every few seconds; ``gather_status``
reads it together with the store (feed health, outbox depth, digests sent per period) and
``format_status`` turns the result into text. Formatters take values only (no clock, no I/O).
"""

from __future__ import annotations

import json
import os
import socket
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.outbox import OutboxStatus

if TYPE_CHECKING:
    from bot.config import Config
    from bot.store.replicas import Replica
    from bot.store.store import Store

STATE_FILE = Path(".briefbot") / "service.json"
STALE_AFTER = timedelta(seconds=90)  # no heartbeat for this long: the service is not running
DIGEST_PERIODS_SHOWN = 6


def state_path(config: Config) -> Path:
    return config.root / STATE_FILE


# ---- values ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class JobInfo:
    """One scheduled job as the service sees it (times are the service clock's)."""

    id: str
    what: str
    every: str
    next_run: datetime | None = None
    next_due: datetime | None = None  # the next thing due: a feed's next poll, a digest slot
    last_run: datetime | None = None
    last_error: str | None = None
    runs: int = 0

    def to_json(self) -> dict[str, Any]:
        return {k: _iso(v) if isinstance(v, datetime) else v for k, v in asdict(self).items()}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> JobInfo:
        return cls(
            id=str(d.get("id", "?")),
            what=str(d.get("what", "")),
            every=str(d.get("every", "")),
            next_run=_dt(d.get("next_run")),
            next_due=_dt(d.get("next_due")),
            last_run=_dt(d.get("last_run")),
            last_error=d.get("last_error"),
            runs=int(d.get("runs") or 0),
        )


@dataclass(frozen=True)
class ServiceState:
    """What ``briefbot run`` writes to its state file."""

    pid: int
    host: str
    started_at: datetime
    heartbeat: datetime  # real time (not the test clock): staleness is measured with it
    clock_now: datetime
    clock: str
    telegram: str
    web: str
    channels: tuple[str, ...]
    jobs: tuple[JobInfo, ...]
    sent: int = 0
    stopping: bool = False
    # dependencies: {"name", "up", "down_since" (ISO or None), "last_error"}
    health: tuple[dict[str, Any], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "health": list(self.health),
            "pid": self.pid,
            "host": self.host,
            "started_at": _iso(self.started_at),
            "heartbeat": _iso(self.heartbeat),
            "clock_now": _iso(self.clock_now),
            "clock": self.clock,
            "telegram": self.telegram,
            "web": self.web,
            "channels": list(self.channels),
            "jobs": [j.to_json() for j in self.jobs],
            "sent": self.sent,
            "stopping": self.stopping,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> ServiceState:
        return cls(
            pid=int(d["pid"]),
            host=str(d.get("host", "")),
            started_at=_dt(d["started_at"]) or datetime.min.replace(tzinfo=UTC),
            heartbeat=_dt(d["heartbeat"]) or datetime.min.replace(tzinfo=UTC),
            clock_now=_dt(d.get("clock_now")) or datetime.min.replace(tzinfo=UTC),
            clock=str(d.get("clock", "")),
            telegram=str(d.get("telegram", "")),
            web=str(d.get("web", "")),
            channels=tuple(d.get("channels") or ()),
            jobs=tuple(JobInfo.from_json(j) for j in d.get("jobs") or ()),
            sent=int(d.get("sent") or 0),
            stopping=bool(d.get("stopping")),
            health=tuple(h for h in d.get("health") or () if isinstance(h, dict)),
        )


@dataclass(frozen=True)
class FeedHealth:
    name: str
    url: str
    health: str  # ok | failing | disabled | new
    last_status: int | None
    last_success: datetime | None
    failures: int
    next_poll: datetime | None
    last_error: str | None


@dataclass(frozen=True)
class DigestRun:
    """A period's weekly digest: subscriber messages by state, and the archive copy."""

    period: str
    sent: int = 0
    pending: int = 0
    dead: int = 0
    last_sent: datetime | None = None
    channels: tuple[str, ...] = ()
    archive_built: datetime | None = None


@dataclass(frozen=True)
class Status:
    now: datetime  # the service clock
    real_now: datetime
    service: ServiceState | None
    jobs: tuple[JobInfo, ...]
    feeds: tuple[FeedHealth, ...]
    outbox: OutboxStatus
    digests: tuple[DigestRun, ...]
    counts: dict[str, int] = field(default_factory=dict)
    subscribers: int = 0
    next_digest: datetime | None = None
    replicas: tuple[Replica, ...] = ()
    """Every live ``briefbot run`` on this database (heartbeat rows), the leader first."""

    @property
    def running(self) -> bool:
        s = self.service
        return s is not None and not s.stopping and self.real_now - s.heartbeat < STALE_AFTER

    def to_json(self) -> dict[str, Any]:
        """``briefbot status --format json``: one object, datetimes as ISO strings."""

        def plain(v: Any) -> Any:
            if isinstance(v, datetime):
                return v.isoformat()
            if isinstance(v, list | tuple):
                return [plain(x) for x in v]
            if isinstance(v, dict):
                return {str(k): plain(x) for k, x in v.items()}
            return v

        return {
            "now": self.now.isoformat(),
            "running": self.running,
            "jobs": [j.to_json() for j in self.jobs],
            "feeds": [plain(asdict(f)) for f in self.feeds],
            "outbox": self.outbox.to_json(),
            "digests": [plain(asdict(d)) for d in self.digests],
            "counts": self.counts,
            "health": list(self.service.health) if self.service and self.running else [],
            "subscribers": self.subscribers,
            "next_digest": self.next_digest.isoformat() if self.next_digest else None,
            "replicas": [plain(asdict(r)) for r in self.replicas],
        }


# ---- formatting (pure) ----------------------------------------------------------------------


def format_jobs(jobs: tuple[JobInfo, ...] | list[JobInfo], now: datetime) -> list[str]:
    lines = []
    for j in jobs:
        nxt = f"next {_when(j.next_run, now)}" if j.next_run else "next -"
        due = f"; due {_when(j.next_due, now)}" if j.next_due else ""
        last = f"; last {_when(j.last_run, now)}" if j.last_run else ""
        err = f"; last error: {_cut(j.last_error, 80)}" if j.last_error else ""
        lines.append(f"  {j.id:<9} {j.every:<24} {nxt}{due}{last}{err}  ({j.what})")
    return lines


def format_startup(
    *,
    feeds: int,
    subscribers: int,
    by_channel: dict[str, int],
    telegram: str,
    web: str,
    channels: tuple[str, ...],
    jobs: list[JobInfo],
    clock: str,
    now: datetime,
) -> str:
    """The one start-up log line: what runs, for whom, and when each job runs next."""
    subs = ", ".join(f"{c} {n}" for c, n in sorted(by_channel.items()))
    parts = [
        f"briefbot started: {feeds} feed(s), {subscribers} active subscriber(s)"
        + (f" ({subs})" if subs else ""),
        f"telegram bot {telegram}",
        f"web {web}",
        f"channels {', '.join(channels)}",
        f"clock {clock}",
    ]
    job_text = "; ".join(
        f"{j.id} {j.every}, next {_iso(j.next_run) if j.next_run else '-'}"
        + (f" (due {_iso(j.next_due)})" if j.next_due else "")
        for j in jobs
    )
    return " | ".join(parts) + f" | jobs: {job_text}"


def format_replicas(replicas: tuple[Replica, ...]) -> list[str]:
    """``replicas: 3 live`` and one line each (leader first), from the heartbeat rows."""
    if not replicas:
        return ["replicas: none live (no heartbeat within one lease)"]
    out = [f"replicas: {len(replicas)} live"]
    for r in replicas:
        role = "leader " if r.leader else "standby"
        web = r.info.get("web", "?")
        out.append(
            f"  {role} {r.host} pid {r.pid}, up since {_iso(r.started_at)}, "
            f"heartbeat {r.age:.0f}s ago, web {web}, sent {r.info.get('sent', 0)}"
        )
    return out


def format_health(health: tuple[dict[str, Any], ...]) -> str:
    """``health: database up; telegram down since 2026-02-09T08:00:00Z (Bad Gateway); …``"""
    if not health:
        return "health: nothing checked yet"
    parts = []
    for h in health:
        if h.get("up", True):
            parts.append(f"{h.get('name')} up")
        else:
            since = _dt(h.get("down_since"))
            when = _iso(since) if since else "?"
            err = f" ({_cut(str(h.get('last_error') or ''), 80)})" if h.get("last_error") else ""
            parts.append(f"{h.get('name')} DOWN since {when}{err}")
    return "health: " + "; ".join(parts)


def format_status(st: Status) -> str:
    now = st.now
    out: list[str] = []
    s = st.service
    if s is None:
        out.append("service: not running (no state file: `briefbot run` writes one)")
    elif st.running:
        out.append(
            f"service: running (pid {s.pid} on {s.host}, up since {_iso(s.started_at)}; "
            f"telegram bot {s.telegram}; web {s.web}; clock {s.clock}; {s.sent} sent)"
        )
    else:
        out.append(
            f"service: not running (last heartbeat {_iso(s.heartbeat)}"
            + ("; stopped cleanly" if s.stopping else "")
            + ")"
        )
    if s is not None and st.running:
        out.append(format_health(s.health))
    out += format_replicas(st.replicas)
    out.append(
        "store: "
        + "  ".join(f"{k} {v}" for k, v in st.counts.items())
        + f"  (active subscribers {st.subscribers})"
    )
    out.append("")
    out.append("jobs:" if st.running else "jobs (as last seen):" if st.jobs else "jobs: -")
    out += format_jobs(st.jobs, now)
    if st.next_digest is not None:
        out.append(f"  next digest slot: {_when(st.next_digest, now)}")
    out.append("")
    ok = sum(f.health == "ok" for f in st.feeds)
    out.append(f"feeds: {len(st.feeds)} ({ok} ok)" if st.feeds else "feeds: none")
    for f in st.feeds:
        when = f"last ok {_when(f.last_success, now)}" if f.last_success else "never fetched"
        nxt = f", next {_when(f.next_poll, now)}" if f.next_poll else ""
        err = f", {f.failures} failure(s): {_cut(f.last_error, 60)}" if f.failures else ""
        out.append(f"  {f.health:<8} {_cut(f.name, 40):<40} {when}{nxt}{err}")
    out.append("")
    ob = st.outbox
    out.append(
        f"outbox: {ob.total('pending')} pending ({ob.due_now} due now), "
        f"{ob.total('sending')} sending, {ob.total('sent')} sent, {ob.total('dead')} dead"
        + (f"; oldest due {_when(ob.oldest_due, now)}" if ob.oldest_due else "")
        + (f"; {ob.expired_leases} expired lease(s)" if ob.expired_leases else "")
    )
    by_channel = Counter[str]()
    for (state, channel), n in ob.counts.items():
        if state == "pending":
            by_channel[channel] += n
    if by_channel:
        out.append(
            "  pending by channel: " + ", ".join(f"{c} {n}" for c, n in sorted(by_channel.items()))
        )
    out.append("")
    out.append("digests (last sent per period):" if st.digests else "digests: none yet")
    for d in st.digests:
        sent = f"sent {d.sent}" + (f", last {_iso(d.last_sent)}" if d.last_sent else "")
        extra = "".join(
            [
                f", {d.pending} pending" if d.pending else "",
                f", {d.dead} dead" if d.dead else "",
                f" ({', '.join(d.channels)})" if d.channels else "",
                f"; archive written {_iso(d.archive_built)}" if d.archive_built else "",
            ]
        )
        out.append(f"  {d.period}: {sent}{extra}")
    return "\n".join(out).rstrip()


# ---- gathering ------------------------------------------------------------------------------


def read_state(path: Path) -> ServiceState | None:
    try:
        return ServiceState.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_state(path: Path, state: ServiceState) -> None:
    """Atomically replace the state file (a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(state.to_json(), indent=1), encoding="utf-8")
    os.replace(tmp, path)


def feed_health(rows: list[dict[str, Any]]) -> tuple[FeedHealth, ...]:
    out = []
    for r in rows:
        if not r.get("enabled", True):
            health = "disabled"
        elif r.get("failures"):
            health = "failing"
        elif r.get("last_success"):
            health = "ok"
        else:
            health = "new"
        out.append(
            FeedHealth(
                name=r.get("name") or r["url"],
                url=r["url"],
                health=health,
                last_status=r.get("last_status"),
                last_success=_dt(r.get("last_success")),
                failures=int(r.get("failures") or 0),
                next_poll=_dt(r.get("next_poll")),
                last_error=r.get("last_error"),
            )
        )
    return tuple(out)


def digest_runs(
    rows: list[tuple[str, str, str, datetime | None]],
    built: dict[str, datetime],
    limit: int = DIGEST_PERIODS_SHOWN,
) -> tuple[DigestRun, ...]:
    """Per period, newest first, from outbox rows ``(key, status, channel, sent_at)`` whose key
    is ``digest:<period>:...`` and the archive digests' build times."""
    acc: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"sent": 0, "pending": 0, "dead": 0, "last": None, "channels": set()}
    )
    for key, status, channel, sent_at in rows:
        parts = key.split(":")
        if len(parts) < 3 or parts[0] != "digest":
            continue
        a = acc[parts[1]]
        a["channels"].add(channel)
        if status == "sent":
            a["sent"] += 1
            if sent_at is not None and (a["last"] is None or sent_at > a["last"]):
                a["last"] = sent_at
        elif status == "dead":
            a["dead"] += 1
        else:
            a["pending"] += 1
    periods = sorted(set(acc) | set(built), reverse=True)[:limit]
    return tuple(
        DigestRun(
            period=p,
            sent=acc[p]["sent"] if p in acc else 0,
            pending=acc[p]["pending"] if p in acc else 0,
            dead=acc[p]["dead"] if p in acc else 0,
            last_sent=acc[p]["last"] if p in acc else None,
            channels=tuple(sorted(acc[p]["channels"])) if p in acc else (),
            archive_built=built.get(p),
        )
        for p in periods
    )


async def gather_status(
    config: Config, store: Store, *, now: datetime, state_file: Path | None = None
) -> Status:
    """Everything ``briefbot status`` shows; ``now`` is the service clock's time."""
    from sqlalchemy import select

    from bot.service.schedule import next_slot
    from bot.store import schema as t
    from bot.store.conn import Guard, aware

    state = read_state(state_file or state_path(config))
    subs = await store.subscribers.list_active()
    o = t.outbox
    since = now - timedelta(weeks=DIGEST_PERIODS_SHOWN + 2)
    async with Guard(store.engine, begin=False) as conn:
        rows = [
            (r.key, r.status, r.channel, aware(r.sent_at))
            for r in await conn.execute(
                select(o.c.key, o.c.status, o.c.channel, o.c.sent_at).where(
                    o.c.key.like("digest:%"), o.c.created_at >= since
                )
            )
        ]
        built = {
            r.period: aware(r.built_at)
            for r in await conn.execute(select(t.digests.c.period, t.digests.c.built_at))
        }
    from bot.store.replicas import ReplicaRepo

    replicas = await ReplicaRepo(store.engine).live(config.file.replicas.lease_seconds)
    return Status(
        replicas=tuple(replicas),
        now=now,
        real_now=datetime.now(UTC),
        service=state,
        jobs=state.jobs if state else (),
        feeds=feed_health(await store.feeds.status()),
        outbox=await store.outbox.status(now),
        digests=digest_runs(rows, {k: v for k, v in built.items() if v is not None}),
        counts=await store.counts(),
        subscribers=len(subs),
        next_digest=next_slot(now, subs),
    )


def hostname() -> str:
    return socket.gethostname()


# ---- helpers --------------------------------------------------------------------------------


def _iso(dt: datetime | None) -> str | None:
    if dt is None:
        return None
    return dt.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _dt(v: Any) -> datetime | None:
    if not v:
        return None
    try:
        d = datetime.fromisoformat(str(v).replace("Z", "+00:00"))
    except ValueError:
        return None
    return d if d.tzinfo else d.replace(tzinfo=UTC)


def _when(dt: datetime | None, now: datetime) -> str:
    if dt is None:
        return "-"
    secs = (dt - now).total_seconds()
    rel = _span(abs(secs))
    return f"{_iso(dt)} ({'in ' + rel if secs >= 0 else rel + ' ago'})"


def _span(secs: float) -> str:
    if secs < 90:
        return f"{secs:.0f}s"
    if secs < 90 * 60:
        return f"{secs / 60:.0f}m"
    if secs < 36 * 3600:
        return f"{secs / 3600:.1f}h"
    return f"{secs / 86400:.1f}d"


def _cut(s: str | None, n: int) -> str:
    s = (s or "").replace("\n", " ")
    return s if len(s) <= n else s[: n - 1] + "…"
