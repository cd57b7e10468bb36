"""Human names of metrics in English and Chinese (pure): one catalog for digests, alerts and the
bot, so a metric reads the same wherever a subscriber sees it."""

from __future__ import annotations

from bot.models import Lang

METRIC_NAMES: dict[Lang, dict[str, str]] = {
    "en": {
        "capex": "capex",
        "spending": "spending",
        "investment": "investment",
        "revenue": "revenue",
        "profit": "profit",
        "borrowing": "borrowing",
        "share_price": "share price",
        "users": "users",
        "market_value": "market value",
        "funding": "funding",
        "backlog": "backlog",
        "eps": "EPS",
        "operating_income": "operating income",
        "free_cash_flow": "free cash flow",
        "power_capacity": "power capacity",
        "compute_capacity": "compute capacity",
        "gpus": "GPUs",
        "other": "figure",
        "any": "figure",
    },
    "zh": {
        "capex": "资本支出",
        "spending": "支出",
        "investment": "投资",
        "revenue": "营收",
        "profit": "利润",
        "borrowing": "借款",
        "share_price": "股价",
        "users": "用户数",
        "market_value": "市值",
        "funding": "融资",
        "backlog": "未履约订单",
        "eps": "每股收益",
        "operating_income": "营业利润",
        "free_cash_flow": "自由现金流",
        "power_capacity": "电力容量",
        "compute_capacity": "算力",
        "gpus": "GPU 数量",
        "other": "数据",
        "any": "数据",
    },
}


def metric_name(metric: str, lang: Lang) -> str:
    """The metric's name in ``lang``; an unknown metric reads as itself, underscores spaced."""
    return METRIC_NAMES.get(lang, METRIC_NAMES["en"]).get(metric, metric.replace("_", " "))
