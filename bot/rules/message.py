"""Alert -> Message, in English or Chinese; plain text plus Telegram HTML (every dynamic part escaped).

``render_alert`` gives one message per alert, e.g.
"Meta capex up to $135B (2026) — above your 100B USD threshold." then the sentence it came from,
quoted with its link, then "Source(s): <title> <url>". An alert on a fact that changes an earlier
one says so: "…(2025), an update: was $85B — above …".
``render_alert_batch`` one summary when a pass fires many (``render_alerts`` picks: more than
``BATCH_OVER`` alerts -> one batch). ``format_amount`` is shared with the digest renderer.
Only http(s) URLs become links; a message lists at most ``MAX_SOURCES`` sources and stays well
under Telegram's 4096-character limit.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from bot.labels import metric_name
from bot.models import Alert, Figure, Lang, Message, StoredFigure, stable_id
from bot.money import is_money
from bot.textsafe import one_line, safe_url

BATCH_OVER = 5
MAX_SOURCES = 8
MAX_BATCH_LINES = 30
MAX_SENTENCE = 300

_SYMBOL = {"USD": "$", "EUR": "€", "GBP": "£", "CNY": "¥", "JPY": "¥", "KRW": "₩"}
_CODE_AFTER = {"CNY", "JPY", "KRW"}  # ¥ and ₩ alone are ambiguous or unfamiliar: add the code
_ZH_CURRENCY = {
    "USD": "美元",
    "CNY": "人民币",
    "EUR": "欧元",
    "JPY": "日元",
    "KRW": "韩元",
    "HKD": "港元",
    "TWD": "新台币",
    "GBP": "英镑",
    "INR": "印度卢比",
    "CHF": "瑞士法郎",
    "CAD": "加元",
    "AUD": "澳元",
    "SGD": "新加坡元",
}
_EN_SCALES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))
_ZH_SCALES = ((1e12, "万亿"), (1e8, "亿"), (1e4, "万"))
_QUALIFIER = {
    "en": {
        "about": "about ",
        "up_to": "up to ",
        "more_than": "more than ",
        "at_least": "at least ",
        "less_than": "less than ",
        "nearly": "nearly ",
    },
    "zh": {
        "about": "约 ",
        "up_to": "最高 ",
        "more_than": "超过 ",
        "at_least": "至少 ",
        "less_than": "不到 ",
        "nearly": "接近 ",
    },
}
_OP = {
    "en": {
        ">": "above",
        ">=": "at or above",
        "<": "below",
        "<=": "at or below",
        "==": "equal to",
        "!=": "different from",
    },
    "zh": {">": "高于", ">=": "不低于", "<": "低于", "<=": "不高于", "==": "等于", "!=": "不等于"},
}
_BASIS_ZH = {"yoy": "同比", "qoq": "环比", "mom": "环比"}


def _num(x: float) -> str:
    a = abs(x)
    if a >= 100:
        return f"{x:,.0f}"
    s = f"{x:.1f}" if a >= 10 else f"{x:.2f}"
    return s.rstrip("0").rstrip(".") if "." in s else s


def _scaled(value: float, lang: Lang) -> tuple[str, str]:
    """(number, scale word): 135e9 -> ("135", "B") in English, ("1,350", "亿") in Chinese."""
    for scale, word in _ZH_SCALES if lang == "zh" else _EN_SCALES:
        if abs(value) >= scale:
            return _num(value / scale), word
    return _num(value), ""


def format_amount(
    value: float, unit: str | None, lang: Lang = "en", *, signed: bool = False
) -> str:
    """``$135B``, ``¥480B CNY`` / ``4,800 亿人民币``, ``10M users`` / ``1,000 万用户``, ``-10%``."""
    sign = "-" if value < 0 else ("+" if signed and value > 0 else "")
    value = abs(value)
    if unit == "percent":
        return f"{sign}{_num(value)}%"
    number, scale = _scaled(value, lang)
    if lang == "zh":
        name = {"users": "用户", "count": ""}.get(
            unit or "", _ZH_CURRENCY.get(unit or "", unit or "")
        )
        spaced = f"{number} {scale}{name}" if scale or name else number
        return sign + spaced.rstrip()
    if unit is not None and unit in _SYMBOL:
        code = f" {unit}" if unit in _CODE_AFTER else ""
        return f"{sign}{_SYMBOL[unit]}{number}{scale}{code}"
    tail = "" if unit in (None, "count") else f" {unit}"
    return f"{sign}{number}{scale}{tail}"


def _threshold(alert: Alert, lang: Lang) -> str:
    rule = alert.rule
    t = rule.threshold or 0.0
    if rule.unit == "percent" or rule.unit in ("users", "count") or rule.unit is None:
        return format_amount(t, rule.unit, lang)
    if lang == "zh":
        return format_amount(t, rule.unit, lang)
    number, scale = _scaled(t, lang)
    return f"{'-' if t < 0 else ''}{number}{scale} {rule.unit}"


def _subject(fig: Figure, lang: Lang) -> str:
    metric = metric_name(fig.metric, lang)
    if fig.metric == "users":  # the amount says "users" already
        metric = ""
    return " ".join(p for p in (fig.entity or "", metric) if p)


def _amount(alert: Alert, lang: Lang) -> str:
    """The figure as reported, with a converted value when it was compared in another unit."""
    fig = alert.figure
    if fig.is_change:
        basis = fig.change_basis or ""
        if lang == "zh":
            pct = format_amount(fig.value, "percent", lang, signed=True)
            return f"{_BASIS_ZH.get(basis, basis)} {pct}".strip()
        return f"{format_amount(fig.value, 'percent', lang, signed=True)} {basis}".rstrip()
    qualifier = _QUALIFIER[lang].get(fig.qualifier, "")
    text = qualifier + format_amount(fig.value, fig.unit, lang)
    extras = [fig.period] if fig.period else []
    if alert.unit and alert.unit != fig.unit and alert.value is not None and is_money(alert.unit):
        extras.append("≈ " + format_amount(alert.value, alert.unit, lang))
    if extras:
        text += f"（{'，'.join(extras)}）" if lang == "zh" else f" ({', '.join(extras)})"
    if alert.derived_change and alert.value is not None and fig.previous is not None:
        change = format_amount(alert.value, "percent", lang, signed=True)
        prev = format_amount(fig.previous, fig.unit, lang)
        text += f"，较 {prev} 变化 {change}" if lang == "zh" else f", {change} from {prev}"
    if alert.update_from is not None:
        was = format_amount(alert.update_from, fig.unit, lang)
        if alert.update_from_low is not None and alert.update_from_low < alert.update_from:
            was = f"{format_amount(alert.update_from_low, fig.unit, lang)}–{was}"
        text += f"，更新（此前为 {was}）" if lang == "zh" else f", an update: was {was}"
    return text


def _headline(alert: Alert, lang: Lang) -> str:
    fig, rule = alert.figure, alert.rule
    if rule.kind == "keyword":
        kw = rule.keyword or ""
        if rule.regex:
            kw = "/" + kw.removeprefix("(?i)") + "/"
        sentence = _clip(fig.sentence, MAX_SENTENCE)
        return f"关键词 “{kw}” 出现：{sentence}" if lang == "zh" else f"Keyword “{kw}”: {sentence}"
    subject, amount = _subject(fig, lang), _amount(alert, lang)
    op, threshold = _OP[lang][rule.op], _threshold(alert, lang)
    if lang == "zh":
        kind = "变化" if rule.change else ""
        return f"{subject} {amount} — {op}你设定的{kind}阈值 {threshold}。"
    kind = "change " if rule.change else ""
    return f"{subject} {amount} — {op} your {threshold} {kind}threshold."


def _clip(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _sources(figures: Sequence[StoredFigure], lang: Lang) -> tuple[str, str]:
    """(plain, telegram-html) source list."""
    plain: list[str] = []
    rich: list[str] = []
    for sf in figures[:MAX_SOURCES]:
        title = _clip(sf.item_title or sf.item_source or sf.item_id, 120)
        url = safe_url(sf.item_url)
        plain.append(f"{title} {url}" if url else title)
        rich.append(
            f'<a href="{html.escape(url, quote=True)}">{html.escape(title, quote=False)}</a>'
            if url
            else html.escape(title, quote=False)
        )
    more = len(figures) - MAX_SOURCES
    if more > 0:
        extra = f"另有 {more} 个" if lang == "zh" else f"and {more} more"
        plain.append(extra)
        rich.append(extra)
    if lang == "zh":
        return "来源：" + "；".join(plain), "来源：" + "；".join(rich)
    label = "Source: " if len(figures) == 1 else "Sources: "
    return label + "; ".join(plain), label + "; ".join(rich)


def _quote(alert: Alert) -> tuple[str, str]:
    """(plain, telegram-html): the sentence the alert came from, quoted, with its link."""
    sf = alert.figures[0]
    sentence = _clip(one_line(sf.figure.sentence), MAX_SENTENCE)
    if not sentence or alert.rule.kind == "keyword":  # a keyword alert quotes it already
        return "", ""
    url = safe_url(sf.item_url)
    plain = f"“{sentence}”" + (f" {url}" if url else "")
    rich = f"<i>“{html.escape(sentence, quote=False)}”</i>"
    if url:
        rich += f' <a href="{html.escape(url, quote=True)}">↗</a>'
    return plain, rich


def render_alert(alert: Alert, lang: Lang = "en") -> Message:
    """One alert as a message: text, Telegram HTML and e-mail HTML, all escaped."""
    headline = _headline(alert, lang)
    plain_src, rich_src = _sources(alert.figures, lang)
    plain_quote, rich_quote = _quote(alert)
    text = "\n".join(p for p in (headline, plain_quote, plain_src) if p)
    tg = "\n".join(
        p for p in (f"<b>{html.escape(headline, quote=False)}</b>", rich_quote, rich_src) if p
    )
    subject = ("提醒：" if lang == "zh" else "Alert: ") + _clip(headline, 90)
    return Message(
        kind="alert",
        key=f"alert:{alert.key}",
        subject=subject,
        text=text,
        html=f"<p>{tg}</p>".replace("\n", "<br>\n"),
        telegram_html=(tg,),
    )


def render_alert_batch(alerts: Sequence[Alert], lang: Lang = "en") -> Message:
    """One summary message for many alerts fired in one pass (instead of a flood)."""
    n = len(alerts)
    title = f"{n} 条提醒" if lang == "zh" else f"{n} alert{'s' if n != 1 else ''} fired"
    plain = [title]
    rich = [f"<b>{html.escape(title, quote=False)}</b>"]
    for alert in alerts[:MAX_BATCH_LINES]:
        line = _clip(_headline(alert, lang), 200)
        url = safe_url(alert.figures[0].item_url)
        said = "" if alert.rule.kind == "keyword" else _clip(one_line(alert.figure.sentence), 120)
        quote = f" “{said}”" if said else ""
        plain.append(f"• {line}{quote}" + (f" {url}" if url else ""))
        esc = html.escape(line, quote=False)
        link = f'<a href="{html.escape(url, quote=True)}">{esc}</a>' if url else esc
        rich.append(f"• {link}" + (f" <i>{html.escape(quote, quote=False)}</i>" if quote else ""))
    if n > MAX_BATCH_LINES:
        more = n - MAX_BATCH_LINES
        extra = f"……另有 {more} 条" if lang == "zh" else f"… and {more} more"
        plain.append(extra)
        rich.append(extra)
    tg = "\n".join(rich)
    return Message(
        kind="alert",
        key="alerts:" + stable_id(*sorted(a.key for a in alerts)),
        subject=("Briefbot 提醒：" if lang == "zh" else "Briefbot: ") + title,
        text="\n".join(plain),
        html=f"<p>{tg}</p>".replace("\n", "<br>\n"),
        telegram_html=(tg,),
    )


def render_alerts(alerts: Sequence[Alert], lang: Lang = "en") -> list[Message]:
    """One message per alert, or one batch when more than ``BATCH_OVER`` fire at once."""
    if len(alerts) > BATCH_OVER:
        return [render_alert_batch(alerts, lang)]
    return [render_alert(a, lang) for a in alerts]
