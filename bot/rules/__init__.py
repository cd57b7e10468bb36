"""Alert rules (pure): rule text -> Rule (parse), rules x figures -> Alerts (evaluate), -> Message.

``parse_rule`` raises only ``RuleError``; ``evaluate`` takes ``now`` and ``rates`` as arguments.
"""

from bot.rules.evaluate import Backtest, backtest, evaluate, group_same_fact, match_text
from bot.rules.message import format_amount, render_alert, render_alert_batch, render_alerts
from bot.rules.parse import parse_rule

__all__ = [
    "Backtest",
    "backtest",
    "evaluate",
    "format_amount",
    "group_same_fact",
    "match_text",
    "parse_rule",
    "render_alert",
    "render_alert_batch",
    "render_alerts",
]
