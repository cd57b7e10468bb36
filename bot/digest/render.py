"""Digest -> Markdown, archive HTML, email (HTML + text), Telegram HTML, Message (pure).

Templates live in ``templates/digest/`` at the repository root (jinja2; autoescape on for
``.html``). A :class:`Renderer` owns one Environment, compiles each template once and memoizes the
language-level rendering of a digest (the view, the email skeleton) in a small LRU, so 100,000
personalised digests cost one render per *distinct* digest plus a string substitution per
subscriber for the links. The module-level functions use one shared Renderer.

The templates directory is found from this file (``<repo>/templates``), which works for the
editable install and a checkout; a wheel would need ``templates/`` shipped as package data (or
``BRIEFBOT_TEMPLATES``/``Renderer(templates_dir=...)`` pointing at it).
"""

from __future__ import annotations

import html as _html
import re
import secrets
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import css_inline
import jinja2

from bot.digest import i18n
from bot.digest.model import Digest, DigestLine
from bot.digest.split import split_message
from bot.digest.view import DigestView, LineView, digest_view, line_view
from bot.models import Lang, Message, Period
from bot.paths import templates_dir

TEMPLATES_DIR = templates_dir()
TEMPLATES = {
    "markdown": "digest/archive.md",
    "html": "digest/archive.html",
    "email_html": "digest/email.html",
    "email_text": "digest/email.txt",
    "telegram": "digest/telegram.html",
    "index": "digest/index.html",
}
FRAGMENTS = ("digest/_fragments.html", "digest/_fragments.md", "digest/_fragments.txt")
# Stand-ins for per-subscriber links in the memoized email; a per-process nonce keeps content
# from ever containing them.
_NONCE = secrets.token_hex(6)
UNSUB_TOKEN = f"https://briefbot.invalid/{_NONCE}/unsubscribe"
MANAGE_TOKEN = f"https://briefbot.invalid/{_NONCE}/manage"

_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|~])")
T = TypeVar("T")


def md_escape(value: object) -> str:
    """Text safe inside Markdown: no emphasis/links/HTML from the content itself."""
    return _md_escape(str(value))


@lru_cache(maxsize=8192)
def _md_escape(s: str) -> str:
    s = " ".join(s.split())
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = _MD_SPECIAL.sub(r"\\\1", s)
    return re.sub(r"^(\d+)\.|^([-+>])", lambda m: f"{m[1]}\\." if m[1] else f"\\{m[2]}", s)


def md_url(value: object) -> str:
    """A link target that cannot end the link early or smuggle a title/HTML."""
    return quote(str(value), safe=":/?#@!$&'*+,;=%~")


def check_link(url: str | None, what: str) -> str | None:
    if url is None:
        return None
    if not url.lower().startswith(("https://", "http://")):
        raise ValueError(f"{what} must be an absolute http(s) URL, got {url[:80]!r}")
    return url


def make_env(templates_dir: Path = TEMPLATES_DIR) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,
    )
    env.filters["md"] = md_escape
    env.filters["mdurl"] = md_url
    return env


class Renderer:
    """Compiled templates plus a bounded memo of per-(digest, language) work.

    ``cache_size=0`` disables the memo (the benchmark's baseline builds a fresh Renderer, i.e. a
    fresh Environment and freshly compiled templates, for every digest).
    """

    def __init__(self, templates_dir: Path = TEMPLATES_DIR, *, cache_size: int = 4096) -> None:
        self.env = make_env(templates_dir)
        self.templates = {k: self.env.get_template(v) for k, v in TEMPLATES.items()}
        self._macros: dict[str, Callable[..., str]] = {}
        for name in FRAGMENTS:
            module = self.env.get_template(name).module
            self._macros.update(
                {k: getattr(module, k) for k in dir(module) if not k.startswith("_")}
            )
        self._frags: dict[tuple[object, ...], str] = {}
        self.env.globals["frag"] = self.frag
        self._memo: OrderedDict[Hashable, Any] = OrderedDict()
        self._size = cache_size
        self._inliner = css_inline.CSSInliner(load_remote_stylesheets=False)
        self._lines: dict[tuple[DigestLine, Lang], LineView] = {}
        self._views: OrderedDict[tuple[Digest, Lang], DigestView] = OrderedDict()

    def _cached(self, key: Hashable, make: Callable[[], T]) -> T:
        if not self._size:
            return make()
        try:
            self._memo.move_to_end(key)
            return self._memo[key]
        except KeyError:
            value = make()
            self._memo[key] = value
            if len(self._memo) > self._size:
                self._memo.popitem(last=False)
            return value

    def frag(self, name: str, *args: object) -> str:
        """A per-line fragment macro's output, memoized: lines recur across many digests."""
        if not self._size:
            return self._macros[name](*args)
        key = (name, *args)
        out = self._frags.get(key)
        if out is None:
            if len(self._frags) >= 8 * self._size:
                self._frags.clear()
            out = self._frags[key] = self._macros[name](*args)
        return out

    def _line(self, ln: DigestLine, lang: Lang) -> LineView:
        if not self._size:
            return line_view(ln, lang)
        v = self._lines.get((ln, lang))
        if v is None:
            if len(self._lines) >= 4 * self._size:
                self._lines.clear()
            v = self._lines[(ln, lang)] = line_view(ln, lang)
        return v

    def view(self, d: Digest, lang: Lang) -> DigestView:
        """The digest's display strings; a short memo (the formats of one digest come together)."""
        if not self._size:
            return digest_view(d, lang)
        v = self._views.get((d, lang))
        if v is None:
            v = self._views[(d, lang)] = digest_view(d, lang, line=self._line)
            if len(self._views) > 64:
                self._views.popitem(last=False)
        return v

    def markdown(self, d: Digest, lang: Lang, *, chart_src: str | None = None) -> str:
        def make() -> str:
            out = self.templates["markdown"].render(v=self.view(d, lang), chart_src=chart_src)
            return re.sub(r"\n{3,}", "\n\n", out).strip() + "\n"

        return self._cached(("md", d, lang, chart_src), make)

    def html(self, d: Digest, lang: Lang, *, chart_src: str | None = None) -> str:
        v = self.view(d, lang)
        return self.templates["html"].render(v=v, chart_src=chart_src if v.has_chart else None)

    def telegram(self, d: Digest, lang: Lang) -> list[str]:
        def make() -> tuple[str, ...]:
            out = self.templates["telegram"].render(v=self.view(d, lang))
            return tuple(split_message(out))

        return list(self._cached(("tg", d, lang), make))

    def _email_skeleton(self, d: Digest, lang: Lang, unsub: bool, manage: bool) -> tuple[str, str]:
        def make() -> tuple[str, str]:
            v = self.view(d, lang)
            ctx = {
                "v": v,
                "chart_src": "cid:chart" if v.has_chart else None,
                "unsubscribe_url": UNSUB_TOKEN if unsub else None,
                "manage_url": MANAGE_TOKEN if manage else None,
            }
            html = self._inliner.inline(self.templates["email_html"].render(**ctx))
            text = self.templates["email_text"].render(**ctx)
            return html, re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"

        return self._cached(("email", d, lang, unsub, manage), make)

    def email(
        self,
        d: Digest,
        lang: Lang,
        *,
        unsubscribe_url: str | None = None,
        manage_url: str | None = None,
    ) -> tuple[str, str]:
        unsub = check_link(unsubscribe_url, "unsubscribe_url")
        manage = check_link(manage_url, "manage_url")
        html, text = self._email_skeleton(d, lang, unsub is not None, manage is not None)
        if unsub is not None:
            html = html.replace(UNSUB_TOKEN, _html.escape(unsub, quote=True))
            text = text.replace(UNSUB_TOKEN, unsub)
        if manage is not None:
            html = html.replace(MANAGE_TOKEN, _html.escape(manage, quote=True))
            text = text.replace(MANAGE_TOKEN, manage)
        return html, text

    def index(self, periods: Sequence[tuple[str, int]], lang: Lang = "en") -> str:
        rows = []
        for key, n in sorted(periods, key=lambda p: p[0], reverse=True):
            try:
                p = Period.parse(key)
                when = i18n.date_range(lang, p.start(), p.end())
            except ValueError:
                when = ""
            rows.append(
                {
                    "key": key,
                    "href": f"{key}.html",
                    "when": when,
                    "count": i18n.plural(lang, "figures_n", n),
                }
            )
        s = i18n.CATALOG.get(lang, i18n.CATALOG["en"])
        return self.templates["index"].render(rows=rows, s=s, lang=lang)


@cache
def default_renderer() -> Renderer:
    return Renderer()


def render_markdown(d: Digest, lang: Lang, *, chart_src: str | None = None) -> str:
    return default_renderer().markdown(d, lang, chart_src=chart_src)


def render_html(d: Digest, lang: Lang, *, chart_src: str | None = None) -> str:
    """The archive page: standalone (inline styles in <head>), responsive, light and dark."""
    return default_renderer().html(d, lang, chart_src=chart_src)


def render_email(
    d: Digest,
    lang: Lang,
    *,
    unsubscribe_url: str | None = None,
    manage_url: str | None = None,
) -> tuple[str, str]:
    """(HTML with inlined CSS, plain text). The HTML shows the chart as ``cid:chart`` if any."""
    return default_renderer().email(d, lang, unsubscribe_url=unsubscribe_url, manage_url=manage_url)


def render_telegram(d: Digest, lang: Lang) -> list[str]:
    """Telegram HTML parse-mode messages, each ≤ 4,096 characters with balanced tags."""
    return default_renderer().telegram(d, lang)


def render_index(periods: Sequence[tuple[str, int]], lang: Lang = "en") -> str:
    """``digests/index.html``: every period (newest first) with its figure count."""
    return default_renderer().index(periods, lang)


def render_message(
    d: Digest,
    lang: Lang,
    *,
    chart_png: bytes | None = None,
    unsubscribe_url: str | None = None,
    manage_url: str | None = None,
) -> Message:
    r = default_renderer()
    html, text = r.email(d, lang, unsubscribe_url=unsubscribe_url, manage_url=manage_url)
    return Message(
        kind="digest",
        key=f"digest:{d.period.key}",
        subject=r.view(d, lang).title,
        text=text,
        html=html,
        telegram_html=tuple(r.telegram(d, lang)),
        markdown=r.markdown(d, lang),
        chart_png=chart_png,
    )
