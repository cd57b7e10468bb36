"""A local fake of the Telegram Bot API that the real PTB client talks to (``base_url``).

It speaks HTTP/1.1 with keep-alive on 127.0.0.1 (a free port), in a thread with its own event
loop, and answers with the Bot API's JSON shapes for getMe, sendMessage, sendPhoto,
editMessageText, answerCallbackQuery, setMyCommands/getMyCommands/deleteMyCommands, getUpdates
(long polling, fed by ``push_text``/``push_callback``), setWebhook/deleteWebhook/getWebhookInfo,
sendChatAction, close/logOut. Every request is recorded with its time.

Switches::

    api.fail("sendMessage", "429", retry_after=3, chat_id=42)   # once (times=N; None: always)
    api.fail("sendMessage", "403" | "400" | "entities" | "500" | "502")
    api.blocked_chats.add(42)                # 403 "bot was blocked by the user", always
    api.flood(global_rate=30, chat_rate=1)   # strict sliding-window limits -> 429s
    api.latency = 0.01

A request to a chat (or any request, after a bot-wide 429) before the ``retry_after`` of its
last 429 has elapsed is an *early retry*: counted in ``api.early_retries`` (and answered 429).

Use in tests (``telegram_api`` fixture in ``tests.fakes.fixtures``)::

    with FakeBotAPI() as api:
        bot = telegram.Bot(api.token, base_url=api.base_url, base_file_url=api.base_file_url)

Or in its own process: ``python -m tests.fakes.telegram_api --port 0`` prints its URL; control
it with ``RemoteFakeBotAPI(url)`` (same switches, over ``/_fake/*``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import contextvars
import itertools
import json
import math
import threading
import time
import urllib.request
from collections import defaultdict, deque
from dataclasses import asdict, dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from html.parser import HTMLParser
from typing import Any, cast
from urllib.parse import parse_qs, urlsplit

TOKEN = "123456:TEST-fake-token"
_READER: contextvars.ContextVar[asyncio.StreamReader] = contextvars.ContextVar("reader")
BOT_ID = 123456
SEND_METHODS = {"sendMessage", "sendPhoto", "sendDocument", "editMessageText"}
_INT_KEYS = {
    "chat_id",
    "message_id",
    "offset",
    "limit",
    "timeout",
    "reply_to_message_id",
    "user_id",
}
_JSON_KEYS = {
    "reply_markup",
    "entities",
    "caption_entities",
    "commands",
    "allowed_updates",
    "link_preview_options",
    "scope",
    "reply_parameters",
}
_TG_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
    "tg-spoiler", "span", "blockquote", "tg-emoji",
}  # fmt: skip


@dataclass
class Recorded:
    t: float  # time.monotonic() on the server
    wall: float  # time.time()
    method: str
    params: dict[str, Any]
    chat_id: int | None
    status: int
    description: str = ""


@dataclass
class _Failure:
    method: str | None
    kind: str
    times: int | None
    chat_id: int | None
    retry_after: int


@dataclass
class _Flood:
    global_rate: float | None = None
    chat_rate: float | None = None
    retry_after: int = 1
    window_times: dict[Any, deque[float]] = field(default_factory=lambda: defaultdict(deque))


class _EntityCheck(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.error: str | None = None

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag not in _TG_TAGS and self.error is None:
            self.error = f'Unsupported start tag "{tag}" at byte offset {self.getpos()[1]}'
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if (not self.stack or self.stack[-1] != tag) and self.error is None:
            self.error = f'Unexpected end tag "{tag}" at byte offset {self.getpos()[1]}'
        elif self.stack:
            self.stack.pop()


def check_html(text: str) -> str | None:
    """Telegram's complaint about ``text`` as parse_mode=HTML, or None if it would parse."""
    p = _EntityCheck()
    p.feed(text)
    p.close()
    if p.error is None and p.stack:
        p.error = f'Can\'t find end tag corresponding to start tag "{p.stack[-1]}"'
    return None if p.error is None else f"Bad Request: can't parse entities: {p.error}"


class FakeBotAPI:
    def __init__(self, token: str = TOKEN, *, port: int = 0, latency: float = 0.0) -> None:
        self.token, self.port, self.latency = token, port, latency
        self.requests: list[Recorded] = []
        self.blocked_chats: set[int] = set()
        self.commands: list[dict[str, Any]] = []
        self.early_retries = 0
        self.flood_429s = 0
        self._lock = threading.Lock()
        self._failures: list[_Failure] = []
        self._flood = _Flood()
        self._paused: dict[Any, float] = {}  # chat id (or "*") -> monotonic time
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.Server | None = None
        self._thread: threading.Thread | None = None
        self._new_update: asyncio.Event | None = None
        # getUpdates in progress: poll id -> [the client's reader, terminated by a newer one]
        self._polls: dict[int, list[Any]] = {}
        self._poll_ids = itertools.count(1)
        self.conflicts = 0  # 409 Conflicts answered to a bot still connected
        # sends (not getMe/getUpdates) received, answered or not; while ``hold_sends`` is set
        # they wait before being answered, so a test can act while they are in flight
        self.sends_arrived = 0
        self.hold_sends = threading.Event()

    # ---- lifecycle ---------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    def start(self) -> FakeBotAPI:
        ready = threading.Event()

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            self._new_update = asyncio.Event()
            self._server = loop.run_until_complete(
                asyncio.start_server(self._client, "127.0.0.1", self.port, backlog=1024)
            )
            self.port = self._server.sockets[0].getsockname()[1]
            ready.set()
            loop.run_forever()
            self._server.close()
            # cancel open client connections (and long polls) so no task dies pending
            pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
            for t in pending:
                t.cancel()
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            loop.run_until_complete(self._server.wait_closed())
            loop.close()

        self._thread = threading.Thread(target=run, name="fake-telegram", daemon=True)
        self._thread.start()
        ready.wait(10)
        return self

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
            self._loop = None

    def __enter__(self) -> FakeBotAPI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- switches ----------------------------------------------------------------------

    def fail(
        self,
        method: str | None,
        kind: str,
        *,
        times: int | None = 1,
        chat_id: int | None = None,
        retry_after: int = 1,
    ) -> None:
        """Answer ``method`` (None: any send) with an error: 429, 403, 400, entities, 500, 502."""
        with self._lock:
            self._failures.append(_Failure(method, kind, times, chat_id, retry_after))

    def flood(
        self, global_rate: float | None = None, chat_rate: float | None = None, retry_after: int = 1
    ) -> None:
        """Strict limits: more than ``global_rate`` sends in any 1 s (or ``chat_rate`` to one
        chat in any max(1, 1/rate) s) is answered 429 with ``retry_after``."""
        with self._lock:
            self._flood = _Flood(global_rate, chat_rate, retry_after)

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self._failures.clear()
            self._paused.clear()
            self._flood = _Flood()
            self.blocked_chats.clear()
            self.early_retries = self.flood_429s = 0
            self.sends_arrived = 0
        self.hold_sends.clear()

    # ---- inspection --------------------------------------------------------------------

    def calls(self, method: str | None = None, *, ok: bool | None = None) -> list[Recorded]:
        with self._lock:
            return [
                r
                for r in self.requests
                if (method is None or r.method == method)
                and (ok is None or (r.status == 200) == ok)
            ]

    def delivered(self, chat_id: int | None = None) -> list[Recorded]:
        """Accepted sendMessage/sendPhoto calls (optionally to one chat), in arrival order."""
        return [
            r
            for r in self.calls(ok=True)
            if r.method in ("sendMessage", "sendPhoto")
            and (chat_id is None or r.chat_id == chat_id)
        ]

    def stats(self) -> dict[str, Any]:
        with self._lock:
            by: dict[str, int] = defaultdict(int)
            for r in self.requests:
                by[f"{r.method}:{r.status}"] += 1
            return {
                "requests": len(self.requests),
                "by_method_status": dict(by),
                "flood_429s": self.flood_429s,
                "early_retries": self.early_retries,
                "conflicts": self.conflicts,
            }

    # ---- updates (for bots that poll) --------------------------------------------------

    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": next(self._update_ids), **update}
        with self._lock:
            self._updates.append(update)
        if self._loop is not None and self._new_update is not None:
            self._loop.call_soon_threadsafe(self._new_update.set)
        return update

    def push_text(self, chat_id: int, text: str, *, user_id: int | None = None) -> dict[str, Any]:
        """A user writes ``text`` (a command such as "/start" gets its bot_command entity)."""
        msg = self._message(chat_id, text, from_user=self._user(user_id or chat_id))
        if text.startswith("/"):
            msg["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return self.push_update({"message": msg})

    def push_callback(
        self, chat_id: int, data: str, *, message_id: int = 1, user_id: int | None = None
    ) -> dict[str, Any]:
        """A user presses an inline button with ``callback_data=data`` under message_id."""
        message = self._message(chat_id, "…", from_user=self._bot_user(), message_id=message_id)
        return self.push_update(
            {
                "callback_query": {
                    "id": str(next(self._update_ids) * 7919),
                    "from": self._user(user_id or chat_id),
                    "chat_instance": str(chat_id),
                    "message": message,
                    "data": data,
                }
            }
        )

    # ---- HTTP --------------------------------------------------------------------------

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                line = await reader.readline()
                if not line:
                    return
                method_, target, _ = line.decode("latin-1").split(" ", 2)
                headers: dict[str, str] = {}
                while (h := await reader.readline()) not in (b"\r\n", b"\n", b""):
                    k, _, v = h.decode("latin-1").partition(":")
                    headers[k.strip().lower()] = v.strip()
                body = b""
                if n := int(headers.get("content-length", "0") or 0):
                    body = await reader.readexactly(n)
                _READER.set(reader)
                status, payload = await self._handle(method_, target, headers, body)
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                ctype = "application/json" if not isinstance(payload, bytes) else "text/html"
                writer.write(
                    f"HTTP/1.1 {status} {_REASONS.get(status, 'OK')}\r\n"
                    f"Content-Type: {ctype}\r\nContent-Length: {len(data)}\r\n"
                    "Connection: keep-alive\r\n\r\n".encode("latin-1")
                    + data
                )
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, ValueError):
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    async def _handle(
        self, verb: str, target: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, Any]:
        path = urlsplit(target).path
        if path.startswith("/_fake/"):
            return self._control(verb, path, body)
        parts = path.strip("/").split("/")
        if len(parts) != 2 or not parts[0].startswith("bot"):
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        token, api_method = parts[0][3:], parts[1]
        params = _parse_params(headers.get("content-type", ""), body, urlsplit(target).query)
        if api_method.startswith("send"):
            with self._lock:
                self.sends_arrived += 1
            while self.hold_sends.is_set():
                await asyncio.sleep(0.005)
        if self.latency:
            await asyncio.sleep(self.latency)
        now = time.monotonic()
        chat_id = params.get("chat_id") if isinstance(params.get("chat_id"), int) else None
        with self._lock:
            if token != self.token:
                status, resp = 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
            else:
                status, resp = self._decide(api_method, params, chat_id, now)
            self.requests.append(
                Recorded(now, time.time(), api_method, _loggable(params), chat_id, status,
                         "" if status == 200 else _description(resp))
            )  # fmt: skip
        if api_method == "getUpdates" and status == 200:
            return await self._get_updates(params, resp)
        return status, resp

    async def _get_updates(self, p: dict[str, Any], resp: Any) -> tuple[int, Any]:
        """Like Telegram: a getUpdates terminates the one in progress (from another bot
        instance), which gets 409 Conflict; counted in ``conflicts`` if its client is still
        there (a killed instance's pending poll is ended too, but nobody sees that answer)."""
        reader = _READER.get(None)
        me = next(self._poll_ids)
        with self._lock:
            for st in self._polls.values():
                st[1] = True
            self._polls[me] = [reader, False]
        if self._new_update is not None:
            self._new_update.set()
        try:
            if not resp["result"]:
                resp = await self._long_poll(p, me)
        finally:
            with self._lock:
                _, terminated = self._polls.pop(me)
        if not terminated:
            return 200, resp
        with self._lock:
            if reader is None or not reader.at_eof():
                self.conflicts += 1
        return _error(409, "Conflict: terminated by other getUpdates request; make sure that "
                      "only one bot instance is running")  # fmt: skip

    def _decide(
        self, api_method: str, params: dict[str, Any], chat_id: int | None, now: float
    ) -> tuple[int, Any]:
        """Under the lock: the flood rules, the failure switches, then the real answer."""
        if api_method in SEND_METHODS:
            for scope in (chat_id, "*"):
                until = self._paused.get(scope)
                if until is not None and now < until:
                    self.early_retries += 1
                    return _error(429, f"Too Many Requests: retry after {math.ceil(until - now)}",
                                  retry_after=math.ceil(until - now))  # fmt: skip
            for f in list(self._failures):
                if (f.method is None or f.method == api_method) and f.chat_id in (None, chat_id):
                    if f.times is not None:
                        f.times -= 1
                        if f.times <= 0:
                            self._failures.remove(f)
                    return self._failure(f, chat_id, now)
            if chat_id in self.blocked_chats:
                return _error(403, "Forbidden: bot was blocked by the user")
            if (flooded := self._flooded(chat_id, now)) is not None:
                return flooded
            if params.get("parse_mode") == "HTML":
                text = params.get("text") if api_method != "sendPhoto" else params.get("caption")
                if isinstance(text, str) and (problem := check_html(text)):
                    return _error(400, problem)
        elif api_method != "getUpdates":
            for f in list(self._failures):
                if f.method == api_method:
                    if f.times is not None:
                        f.times -= 1
                        if f.times <= 0:
                            self._failures.remove(f)
                    return self._failure(f, chat_id, now)
        return self._answer(api_method, params, chat_id)

    def _failure(self, f: _Failure, chat_id: int | None, now: float) -> tuple[int, Any]:
        if f.kind == "429":
            self._paused[chat_id if chat_id is not None else "*"] = now + f.retry_after
            return _error(429, f"Too Many Requests: retry after {f.retry_after}", f.retry_after)
        if f.kind == "429-bot":
            self._paused["*"] = now + f.retry_after
            return _error(429, f"Too Many Requests: retry after {f.retry_after}", f.retry_after)
        if f.kind == "403":
            return _error(403, "Forbidden: bot was blocked by the user")
        if f.kind == "entities":
            return _error(
                400,
                'Bad Request: can\'t parse entities: Unsupported start tag "x" at byte offset 0',
            )
        if f.kind == "400":
            return _error(400, "Bad Request: message text is empty")
        if f.kind == "502":
            return 502, b"<html><body><h1>502 Bad Gateway</h1></body></html>"
        return _error(500, "Internal Server Error")

    def _flooded(self, chat_id: int | None, now: float) -> tuple[int, Any] | None:
        fl = self._flood
        checks: list[tuple[Any, float, float]] = []
        if fl.global_rate:
            checks.append(("*", fl.global_rate, 1.0))
        if fl.chat_rate and chat_id is not None:
            window = max(1.0, 1.0 / fl.chat_rate)
            checks.append((chat_id, fl.chat_rate * window, window))
        for scope, limit, window in checks:
            q = fl.window_times[scope]
            while q and q[0] <= now - window:
                q.popleft()
            if len(q) + 1 > limit + 1e-9:
                self.flood_429s += 1
                self._paused[chat_id] = now + fl.retry_after  # Telegram names no scope: the chat
                return _error(
                    429, f"Too Many Requests: retry after {fl.retry_after}", fl.retry_after
                )
        for scope, _, _ in checks:
            fl.window_times[scope].append(now)
        return None

    def _answer(self, m: str, p: dict[str, Any], chat_id: int | None) -> tuple[int, Any]:
        if m == "getMe":
            return _ok(self._bot_user(full=True))
        if m == "sendMessage":
            return _ok(self._message(chat_id or 0, _visible(p), from_user=self._bot_user()))
        if m == "sendPhoto":
            msg = self._message(chat_id or 0, None, from_user=self._bot_user())
            msg.pop("text")
            uid = f"AgAD{msg['message_id']}"
            msg["photo"] = [
                {"file_id": f"{uid}-s", "file_unique_id": f"{uid}s", "width": 90, "height": 60, "file_size": 1200},
                {"file_id": f"{uid}-m", "file_unique_id": f"{uid}m", "width": 800, "height": 533, "file_size": 35000},
            ]  # fmt: skip
            if p.get("caption"):
                msg["caption"] = _visible({"text": p["caption"], "parse_mode": p.get("parse_mode")})
            return _ok(msg)
        if m == "editMessageText":
            if "inline_message_id" in p:
                return _ok(True)
            msg = self._message(chat_id or 0, _visible(p), from_user=self._bot_user(),
                                message_id=int(p.get("message_id", 1)))  # fmt: skip
            msg["edit_date"] = int(time.time())
            return _ok(msg)
        if m == "setMyCommands":
            self.commands = list(p.get("commands") or [])
            return _ok(True)
        if m == "getMyCommands":
            return _ok(self.commands)
        if m == "deleteMyCommands":
            self.commands = []
            return _ok(True)
        if m == "getWebhookInfo":
            return _ok({"url": "", "has_custom_certificate": False, "pending_update_count": 0})
        if m in {"answerCallbackQuery", "sendChatAction", "deleteWebhook", "setWebhook", "close",
                 "logOut", "deleteMessage", "setChatMenuButton", "setMyDescription"}:  # fmt: skip
            return _ok(True)
        if m == "getUpdates":
            return _ok(self._pending_updates(p))
        return _error(404, "Not Found")

    def _pending_updates(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(p.get("offset") or 0)
        if offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        return self._updates[: int(p.get("limit") or 100)]

    async def _long_poll(self, p: dict[str, Any], poll: int | None = None) -> Any:
        timeout = float(p.get("timeout") or 0)
        deadline = time.monotonic() + timeout
        assert self._new_update is not None
        while True:
            with self._lock:
                got = self._pending_updates(p)
                ended = poll is not None and self._polls.get(poll, [None, False])[1]
            left = deadline - time.monotonic()
            if got or left <= 0 or ended:
                return {"ok": True, "result": got}
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), min(left, 0.5))

    # ---- control over HTTP (for a fake in another process) ----------------------------

    def _control(self, verb: str, path: str, body: bytes) -> tuple[int, Any]:
        if path == "/_fake/stats":
            return 200, self.stats()
        if path == "/_fake/requests":
            with self._lock:
                return 200, [asdict(r) for r in self.requests]
        if path == "/_fake/push_text" and verb == "POST":  # users write (commands)
            cfg = json.loads(body or b"{}")
            for chat in cfg.get("chats", []):
                self.push_text(int(chat), str(cfg["text"]))
            return 200, {"ok": True}
        if path == "/_fake/config" and verb == "POST":
            cfg = json.loads(body or b"{}")
            if cfg.get("reset"):
                self.reset()
            if "flood" in cfg:
                self.flood(**cfg["flood"])
            for f in cfg.get("fail", []):
                self.fail(f.pop("method", None), f.pop("kind"), **f)
            with self._lock:
                self.blocked_chats.update(int(c) for c in cfg.get("blocked_chats", []))
            if "latency" in cfg:
                self.latency = float(cfg["latency"])
            return 200, {"ok": True}
        return 404, {"ok": False}

    # ---- shapes ------------------------------------------------------------------------

    def _bot_user(self, full: bool = False) -> dict[str, Any]:
        user: dict[str, Any] = {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Briefbot Test",
            "username": "briefbot_test_bot",
        }
        if full:
            user.update(
                can_join_groups=True,
                can_read_all_group_messages=False,
                supports_inline_queries=False,
                can_connect_to_business=False,
                has_main_web_app=False,
            )
        return user

    @staticmethod
    def _user(user_id: int) -> dict[str, Any]:
        return {
            "id": user_id,
            "is_bot": False,
            "first_name": f"User{user_id}",
            "language_code": "en",
        }

    def _message(
        self,
        chat_id: int,
        text: str | None,
        *,
        from_user: dict[str, Any],
        message_id: int | None = None,
    ) -> dict[str, Any]:
        chat: dict[str, Any] = (
            {"id": chat_id, "type": "private", "first_name": f"User{chat_id}"}
            if chat_id > 0
            else {"id": chat_id, "type": "group", "title": f"Group {chat_id}"}
        )
        return {
            "message_id": message_id or next(self._message_ids),
            "from": from_user,
            "chat": chat,
            "date": int(time.time()),
            "text": text,
        }


class RemoteFakeBotAPI:
    """Controls a ``FakeBotAPI`` running in another process (``python -m tests.fakes...``)."""

    def __init__(self, url: str, token: str = TOKEN) -> None:
        self.url, self.token = url.rstrip("/"), token
        self.base_url, self.base_file_url = f"{self.url}/bot", f"{self.url}/file/bot"

    def _call(self, path: str, data: dict[str, Any] | None = None) -> Any:
        body = None if data is None else json.dumps(data).encode()
        req = urllib.request.Request(self.url + path, data=body, method="POST" if body else "GET")
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.loads(r.read())

    def configure(self, **cfg: Any) -> None:
        self._call("/_fake/config", cfg)

    def stats(self) -> dict[str, Any]:
        return dict(self._call("/_fake/stats"))

    def push_texts(self, chats: list[int], text: str) -> None:
        """Each chat's user writes ``text`` (``FakeBotAPI.push_text``)."""
        self._call("/_fake/push_text", {"chats": chats, "text": text})

    def requests(self) -> list[Recorded]:
        return [Recorded(**r) for r in self._call("/_fake/requests")]


def _parse_params(ctype: str, body: bytes, query: str) -> dict[str, Any]:
    raw: dict[str, Any] = {k: v[-1] for k, v in parse_qs(query).items()}
    if ctype.startswith("application/json") and body:
        raw.update(json.loads(body))
        return raw
    if ctype.startswith("multipart/form-data"):
        msg = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + ctype.encode("latin-1") + b"\r\nMIME-Version: 1.0\r\n\r\n" + body
        )
        for part in msg.iter_parts():
            name = str(part.get_param("name", header="content-disposition"))
            data = cast(bytes, part.get_payload(decode=True) or b"")
            if part.get_filename():
                raw[name] = {"filename": part.get_filename(), "size": len(data), "bytes": data}
            else:
                raw[name] = data.decode("utf-8")
    elif body:
        raw.update(
            {k: v[-1] for k, v in parse_qs(body.decode("utf-8"), keep_blank_values=True).items()}
        )
    out: dict[str, Any] = {}
    for k, v in raw.items():
        if isinstance(v, str) and k in _INT_KEYS:
            with contextlib.suppress(ValueError):
                v = int(v)
        elif isinstance(v, str) and k in _JSON_KEYS:
            with contextlib.suppress(ValueError):
                v = json.loads(v)
        out[k] = v
    if isinstance(out.get("photo"), str) and out["photo"].startswith("attach://"):
        out["photo"] = out.get(out["photo"].removeprefix("attach://"), out["photo"])
    return out


def _loggable(params: dict[str, Any]) -> dict[str, Any]:
    return {
        k: (
            {"filename": v["filename"], "size": v["size"]}
            if isinstance(v, dict) and "bytes" in v
            else v
        )
        for k, v in params.items()
    }


def _visible(p: dict[str, Any]) -> str:
    text = str(p.get("text", ""))
    if p.get("parse_mode") == "HTML":
        import html
        import re

        text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return text


def _description(resp: Any) -> str:
    if isinstance(resp, dict):
        return str(resp.get("description", ""))
    return bytes(resp).decode("utf-8", "replace")[:200]  # an HTML error page (502)


def _ok(result: Any) -> tuple[int, Any]:
    return 200, {"ok": True, "result": result}


def _error(code: int, description: str, retry_after: int | None = None) -> tuple[int, Any]:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return code, body


_REASONS = {
    200: "OK", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
    429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway",
}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description="Run the fake Telegram Bot API until killed.")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--token", default=TOKEN)
    args = ap.parse_args()
    api = FakeBotAPI(args.token, port=args.port).start()
    print(api.url, flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        threading.Event().wait()


if __name__ == "__main__":
    main()
