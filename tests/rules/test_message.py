"""Alert messages: English and Chinese, plain text and escaped Telegram HTML."""

from __future__ import annotations

import pytest

from bot.models import Alert, Figure, StoredFigure
from bot.rules.evaluate import evaluate
from bot.rules.message import (
    BATCH_OVER,
    format_amount,
    render_alert,
    render_alert_batch,
    render_alerts,
)
from bot.rules.parse import parse_rule
from tests.rules.conftest import NOW, RATES, stored


def alert_for(text: str, figures: list[StoredFigure], entity: str | None = None) -> Alert:
    alerts = evaluate([parse_rule(text)], figures, rates=RATES, now=NOW)
    return next(a for a in alerts if entity is None or a.figure.entity == entity)


@pytest.mark.parametrize(
    ("value", "unit", "en", "zh"),
    [
        (135e9, "USD", "$135B", "1,350 亿美元"),
        (480e9, "CNY", "¥480B CNY", "4,800 亿人民币"),
        (37.5e9, "USD", "$37.5B", "375 亿美元"),
        (1.2e12, "CNY", "¥1.2T CNY", "1.2 万亿人民币"),
        (10e6, "users", "10M users", "1,000 万用户"),
        (-10, "percent", "-10%", "-10%"),
        (66, "percent", "66%", "66%"),
        (5, "count", "5", "5"),
        (2.5e9, "HKD", "2.5B HKD", "25 亿港元"),
        (-5e9, "USD", "-$5B", "-50 亿美元"),
        (50e9, None, "50B", "500 亿"),
    ],
)
def test_format_amount(value: float, unit: str | None, en: str, zh: str) -> None:
    assert format_amount(value, unit, "en") == en
    assert format_amount(value, unit, "zh") == zh


def test_format_amount_signed() -> None:
    assert format_amount(66, "percent", "en", signed=True) == "+66%"


def test_render_alert_english(figures: list[StoredFigure]) -> None:
    msg = render_alert(alert_for("capex > 100B USD", figures), "en")
    assert msg.kind == "alert"
    assert msg.text.splitlines()[0] == (
        "Meta capex up to $135B (2026) — above your 100B USD threshold."
    )
    assert "Source: AI capex briefing https://example.com/briefing" in msg.text
    assert msg.telegram_html[0].startswith("<b>Meta capex up to $135B (2026)")
    assert '<a href="https://example.com/briefing">AI capex briefing</a>' in msg.telegram_html[0]
    assert msg.key.startswith("alert:rule-")


def test_render_alert_chinese(figures: list[StoredFigure]) -> None:
    msg = render_alert(alert_for("capex > 100B USD", figures), "zh")
    assert msg.text.splitlines()[0] == (
        "Meta 资本支出 最高 1,350 亿美元（2026） — 高于你设定的阈值 1,000 亿美元。"
    )
    assert "来源：AI capex briefing" in msg.text
    assert msg.subject.startswith("提醒：")


def test_render_conversion_and_change(figures: list[StoredFigure]) -> None:
    meta = render_alert(alert_for("any > 400B CNY", figures, "Meta"), "en")
    assert "(2026, ≈ ¥975B CNY) — above your 400B CNY threshold" in meta.text
    msft = render_alert(alert_for("capex change >= 50%", figures), "en")
    assert msft.text.startswith("Microsoft capex +66% yoy — at or above your 50% change threshold")
    oracle = render_alert(alert_for("share_price <= -20%", figures), "zh")
    assert oracle.text.startswith("Oracle 股价 -50% — 不高于你设定的变化阈值 -20%。")
    tesla = render_alert(alert_for("any change >= 50%", figures, "Tesla"), "en")
    assert "more than $20B (2026), +135% from $8.5B" in tesla.text


def test_hostile_text_is_escaped() -> None:
    fig = Figure(
        entity="<script>alert(1)</script>",
        metric="capex",
        value=200e9,
        unit="USD",
        sentence="<b>bold</b> & <script>x</script>",
    )
    sf = stored(
        fig,
        id=1,
        title='Tom & Jerry <script>"',
        url='javascript:alert("x")',
    )
    sf2 = stored(fig, id=2, item="b", title="ok", url='https://e.com/?a=1&b="2"')
    for text in ("capex > 100B USD", 'keyword "script"'):
        alerts = evaluate([parse_rule(text)], [sf, sf2], rates=RATES, now=NOW)
        for lang in ("en", "zh"):
            msg = render_alert(alerts[0], lang)
            tg = msg.telegram_html[0]
            assert "<script>" not in tg and "<script>" not in (msg.html or "")
            assert "&lt;script&gt;" in tg
            assert "Tom &amp; Jerry" in tg
            assert "javascript:" not in tg  # not a link
            assert 'href="https://e.com/?a=1&amp;b=%222%22"' in tg  # quotes percent-encoded
            assert "<script>" in msg.text  # plain text stays as written


def test_keyword_alert_message(figures: list[StoredFigure]) -> None:
    msg = render_alert(alert_for(r"keyword /HBM\d|Oracle/", figures), "en")
    assert msg.text.startswith("Keyword “/HBM\\d|Oracle/”: Oracle")


def test_many_sources_are_capped() -> None:
    fig = Figure(entity="Meta", metric="capex", value=135e9, unit="USD")
    many = [stored(fig, id=i, item=f"i{i}", title=f"outlet {i}") for i in range(20)]
    alerts = evaluate([parse_rule("capex > 1B")], many, rates=RATES, now=NOW)
    assert len(alerts) == 1
    msg = render_alert(alerts[0], "en")
    assert "and 12 more" in msg.text
    assert len(msg.telegram_html[0]) < 4096


def test_batch_when_many_fire(figures: list[StoredFigure]) -> None:
    alerts = evaluate(
        [parse_rule("any > 0"), parse_rule("any change != 0")], figures, rates=RATES, now=NOW
    )
    assert len(alerts) > BATCH_OVER
    messages = render_alerts(alerts, "en")
    assert len(messages) == 1
    batch = messages[0]
    assert batch.text.splitlines()[0] == f"{len(alerts)} alerts fired"
    assert len(batch.text.splitlines()) == len(alerts) + 1
    assert batch.key == render_alert_batch(list(reversed(alerts)), "en").key  # order-free
    zh = render_alert_batch(alerts, "zh")
    assert zh.text.startswith(f"{len(alerts)} 条提醒")
    assert render_alerts(alerts[:BATCH_OVER], "en") == [render_alert(a, "en") for a in alerts[:5]]


def test_alert_quotes_its_sentence_with_its_link(figures: list[StoredFigure]) -> None:
    msg = render_alert(alert_for("capex > 100B USD", figures), "en")
    lines = msg.text.splitlines()
    assert lines[1] == (
        "“Meta says it will nearly double capex this year to as much as $135 billion”"
        " https://example.com/briefing"
    )
    assert "<i>“Meta says it will nearly double capex" in msg.telegram_html[0]
    assert '<a href="https://example.com/briefing">↗</a>' in msg.telegram_html[0]


def test_alert_says_when_it_is_an_update(figures: list[StoredFigure]) -> None:
    alert = alert_for("capex > 100B USD", figures).model_copy(update={"update_from": 115e9})
    en = render_alert(alert, "en").text.splitlines()[0]
    assert (
        en == "Meta capex up to $135B (2026), an update: was $115B — above your 100B USD threshold."
    )
    assert "更新（此前为 1,150 亿美元）" in render_alert(alert, "zh").text
