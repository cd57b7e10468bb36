"""The digest archive, its Atom feed, and the operators' endpoints (/healthz, /metrics)."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response

from bot.errors import StoreError
from bot.web.archive import atom_feed, file_for, published
from bot.web.context import PageError, render, web_of
from bot.web.data import Stats
from bot.web.security import DIGEST_CSP


async def digests(request: Request) -> Response:
    web = web_of(request)
    return render(request, "digests.html", digests=published(web.config.digests_path))


async def digest(request: Request) -> Response:
    """``/digests/2026-W06`` (the page), ``…/2026-W06.png`` (its chart), ``….md`` (Markdown)."""
    web = web_of(request)
    name: str = request.path_params["name"]
    folder = web.config.digests_path
    if name == "index.html":
        return Response(status_code=308, headers={"location": "/digests/"})
    stem, _, ext = name.partition(".")
    kinds = {
        "": (".html", "text/html; charset=utf-8"),
        "html": (".html", "text/html; charset=utf-8"),
        "png": (".png", "image/png"),
        "md": (".md", "text/markdown; charset=utf-8"),
    }
    if ext not in kinds:
        raise PageError(404, "not_found")
    suffix, media = kinds[ext]
    path = file_for(folder, stem, suffix)
    if path is None:
        raise PageError(404, "not_found")
    headers = {"content-security-policy": DIGEST_CSP, "cache-control": "public, max-age=300"}
    return FileResponse(path, media_type=media, headers=headers)


async def favicon(request: Request) -> Response:
    """Pages without an icon link (the archived digests) make browsers ask for this."""
    path = Path(__file__).resolve().parent / "static" / "favicon.svg"
    return FileResponse(
        path, media_type="image/svg+xml", headers={"cache-control": "max-age=86400"}
    )


async def feed(request: Request) -> Response:
    web = web_of(request)
    body = atom_feed(published(web.config.digests_path), web.public_url, web.now())
    return Response(body, media_type="application/atom+xml; charset=utf-8")


async def healthz(request: Request) -> Response:
    web = web_of(request)
    try:
        await web.data.ping()
    except StoreError as e:
        return JSONResponse({"status": "error", "store": str(e)}, status_code=503)
    return JSONResponse({"status": "ok", "store": "ok"})


def format_metrics(stats: Stats) -> str:
    """Prometheus text exposition (version 0.0.4) of the store's numbers."""
    out: list[str] = []

    def metric(name: str, kind: str, help_: str, samples: list[tuple[str, int]]) -> None:
        out.append(f"# HELP {name} {help_}")
        out.append(f"# TYPE {name} {kind}")
        out.extend(f"{name}{labels} {value}" for labels, value in samples)

    c = stats.counts
    metric(
        "briefbot_items",
        "gauge",
        "Items (briefing halves, feed entries) stored.",
        [("", c.get("items", 0))],
    )
    metric(
        "briefbot_figures", "gauge", "Figures extracted and stored.", [("", c.get("figures", 0))]
    )
    metric("briefbot_rules", "gauge", "Alert rules stored.", [("", c.get("rules", 0))])
    metric(
        "briefbot_alerts_fired_total",
        "counter",
        "Alerts fired (one per rule and fact).",
        [("", c.get("alerts", 0))],
    )
    metric("briefbot_digests", "gauge", "Digests built.", [("", c.get("digests", 0))])
    metric(
        "briefbot_outbox_messages",
        "gauge",
        "Outbox rows by state.",
        [(f'{{state="{k}"}}', v) for k, v in sorted(stats.outbox.items())],
    )
    metric(
        "briefbot_subscribers",
        "gauge",
        "Subscribers by status.",
        [(f'{{status="{k}"}}', v) for k, v in sorted(stats.subscribers.items())],
    )
    metric("briefbot_feeds", "gauge", "Feeds configured.", [("", c.get("feeds", 0))])
    metric(
        "briefbot_feeds_failing",
        "gauge",
        "Feeds whose last poll failed.",
        [("", stats.feeds_failing)],
    )
    metric(
        "briefbot_feed_failures",
        "gauge",
        "Consecutive poll failures summed over all feeds.",
        [("", stats.feed_failures)],
    )
    return "\n".join(out) + "\n"


async def metrics(request: Request) -> Response:
    web = web_of(request)
    try:
        stats = await web.data.stats()
    except StoreError as e:
        return PlainTextResponse(f"# store unavailable: {e}\nbriefbot_up 0\n", status_code=503)
    body = (
        format_metrics(stats)
        + "# HELP briefbot_up The store answered.\n# TYPE briefbot_up gauge\nbriefbot_up 1\n"
    )
    return PlainTextResponse(body, media_type="text/plain; version=0.0.4; charset=utf-8")
