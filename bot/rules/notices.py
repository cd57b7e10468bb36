"""Notices about a subscriber's rules (pure): "your alert #7 is paused: too costly to check"."""

from __future__ import annotations

import html

from bot.models import Lang, Message, Rule


def render_rule_paused(rule: Rule, lang: Lang, when: str) -> Message:
    """The notice that ``rule`` went over its CPU budget and was paused (``when``: the pass,
    part of the key so a rule paused, resumed and paused again is told each time)."""
    rid = rule.id
    if lang == "zh":
        text = (
            f"你的提醒 #{rid}「{rule.text}」检查新闻时耗时过长，已暂停。"
            f"请把它改简单一些（更简单的关键词或正则），再发送 /alert resume {rid}，"
            f"或用 /alert rm {rid} 删除。"
        )
        subject = f"Briefbot：提醒 #{rid} 已暂停"
    else:
        text = (
            f"Your alert #{rid} “{rule.text}” took too long to check against the news and is "
            f"paused. Make it simpler (a plainer keyword or pattern) and send /alert resume {rid}, "
            f"or delete it with /alert rm {rid}."
        )
        subject = f"Briefbot: alert #{rid} paused"
    esc = html.escape(text, quote=False)
    return Message(
        kind="notice",
        key=f"rule-paused:{rid}:{when}",
        subject=subject,
        text=text,
        html=f"<p>{esc}</p>",
        telegram_html=(esc,),
    )
