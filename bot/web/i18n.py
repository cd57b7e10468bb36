"""English and Chinese for the web pages and emails: a small catalog and language negotiation.

``pick_lang(query, cookie, accept_language)`` -> "en" | "zh"; ``translator(lang)("key", n=3)``
looks a key up and formats it. A missing key falls back to English, then to the key itself, so
a typo shows up on the page instead of crashing it.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.models import Lang

LANGS: tuple[Lang, ...] = ("en", "zh")
_BY_NAME: dict[str | None, Lang] = {"en": "en", "zh": "zh"}

CATALOG: dict[str, dict[str, str]] = {
    "site.name": {"en": "Briefbot", "zh": "Briefbot"},
    "site.tagline": {
        "en": "Key financial figures from the news, in a weekly digest and instant alerts.",
        "zh": "从新闻中提取关键财务数字：每周摘要与即时提醒。",
    },
    "nav.label": {"en": "Main", "zh": "主导航"},
    "nav.home": {"en": "Home", "zh": "首页"},
    "nav.digests": {"en": "Digest archive", "zh": "摘要存档"},
    "nav.feed": {"en": "Atom feed", "zh": "Atom 订阅源"},
    "nav.lang": {"en": "中文", "zh": "English"},
    "nav.lang_label": {"en": "Switch language", "zh": "切换语言"},
    "skip": {"en": "Skip to content", "zh": "跳到正文"},
    "home.title": {"en": "Briefbot — figures that matter", "zh": "Briefbot — 重要的数字"},
    "home.what": {
        "en": "Briefbot reads news briefings and feeds, extracts the figures that matter "
        "(capital spending, revenue, borrowing, users…) and sends you a short weekly digest. "
        "Add thresholds to be told the moment a figure crosses them.",
        "zh": "Briefbot 阅读新闻简报和订阅源，提取重要数字（资本支出、营收、借款、用户数……），"
        "每周给你发送一份简短摘要。设置阈值后，一旦有数字越过阈值就会立即通知你。",
    },
    "home.latest": {"en": "Latest digest: {period}", "zh": "最新摘要：{period}"},
    "home.no_digest": {
        "en": "No digest has been published yet.",
        "zh": "还没有发布任何摘要。",
    },
    "home.chart_alt": {
        "en": "Bar chart of capital spending by company for {period}",
        "zh": "{period} 各公司资本支出柱状图",
    },
    "home.read_digest": {"en": "Read the full digest", "zh": "阅读完整摘要"},
    "home.subscribe": {"en": "Subscribe by email", "zh": "邮件订阅"},
    "home.subscribe_note": {
        "en": "We send a confirmation link first; nothing else arrives until you open it. "
        "Already subscribed? Enter your address to get a link to your settings.",
        "zh": "我们会先发送一封确认邮件；在你点击确认链接之前不会收到其他邮件。"
        "已经订阅？输入你的邮箱即可收到设置链接。",
    },
    "col.entity": {"en": "Company", "zh": "公司"},
    "col.metric": {"en": "Figure", "zh": "指标"},
    "col.value": {"en": "Value", "zh": "数值"},
    "col.period": {"en": "Period", "zh": "期间"},
    "col.when": {"en": "When", "zh": "时间"},
    "col.rule": {"en": "Rule", "zh": "规则"},
    "field.email": {"en": "Email address", "zh": "邮箱地址"},
    "field.lang": {"en": "Language", "zh": "语言"},
    "field.weekday": {"en": "Digest day", "zh": "摘要发送日"},
    "field.time": {"en": "Digest time", "zh": "摘要发送时间"},
    "field.timezone": {"en": "Time zone", "zh": "时区"},
    "field.timezone_hint": {
        "en": "An IANA name such as Europe/Berlin, Asia/Shanghai or UTC.",
        "zh": "IANA 时区名，例如 Asia/Shanghai、Europe/Berlin 或 UTC。",
    },
    "field.rules": {"en": "Alert thresholds (optional)", "zh": "提醒阈值（可选）"},
    "field.rules_hint": {
        "en": "One rule per line, e.g. capex > 100B USD, Meta capex >= 50B, share_price <= -20%.",
        "zh": "每行一条规则，例如 capex > 100B USD、Meta capex >= 50B、share_price <= -20%。",
    },
    "manage.rules_hint": {
        "en": "Examples: capex > 100B USD, Meta capex >= 50B, share_price <= -20%, users > 10M.",
        "zh": "例如：capex > 100B USD、Meta capex >= 50B、share_price <= -20%、users > 10M。",
    },
    "lang.en": {"en": "English", "zh": "英语"},
    "lang.zh": {"en": "Chinese", "zh": "中文"},
    "day.0": {"en": "Monday", "zh": "星期一"},
    "day.1": {"en": "Tuesday", "zh": "星期二"},
    "day.2": {"en": "Wednesday", "zh": "星期三"},
    "day.3": {"en": "Thursday", "zh": "星期四"},
    "day.4": {"en": "Friday", "zh": "星期五"},
    "day.5": {"en": "Saturday", "zh": "星期六"},
    "day.6": {"en": "Sunday", "zh": "星期日"},
    "btn.subscribe": {"en": "Subscribe", "zh": "订阅"},
    "btn.save": {"en": "Save preferences", "zh": "保存设置"},
    "btn.save_rule": {"en": "Save rule", "zh": "保存规则"},
    "btn.delete_rule": {"en": "Delete", "zh": "删除"},
    "btn.add_rule": {"en": "Add rule", "zh": "添加规则"},
    "btn.unsubscribe": {"en": "Unsubscribe", "zh": "退订"},
    "btn.unsubscribe_confirm": {"en": "Yes, unsubscribe me", "zh": "是的，退订"},
    "err.form": {"en": "Please correct the fields marked below.", "zh": "请修正下面标出的字段。"},
    "err.email": {
        "en": "Enter a valid email address, like name@example.com.",
        "zh": "请输入有效的邮箱地址，例如 name@example.com。",
    },
    "err.lang": {"en": "Choose English or Chinese.", "zh": "请选择英语或中文。"},
    "err.weekday": {"en": "Choose a day of the week.", "zh": "请选择星期几。"},
    "err.time": {
        "en": "Enter a time as HH:MM, e.g. 08:00.",
        "zh": "请按 HH:MM 格式输入时间，例如 08:00。",
    },
    "err.timezone": {
        "en": "Unknown time zone; use a name such as Europe/Berlin or UTC.",
        "zh": "未知时区；请使用 Asia/Shanghai 或 UTC 这样的名称。",
    },
    "err.rule": {"en": "Line {n}: {message}", "zh": "第 {n} 行：{message}"},
    "err.rule_one": {"en": "{message}", "zh": "{message}"},
    "err.too_many_rules": {
        "en": "At most {n} rules, please.",
        "zh": "最多 {n} 条规则。",
    },
    "sent.title": {"en": "Check your inbox", "zh": "请查收邮件"},
    "sent.text": {
        "en": "If {email} can receive our email, a message with a link is on its way. "
        "Open it within two days to confirm. Nothing else will be sent until then.",
        "zh": "如果 {email} 能收到我们的邮件，一封含链接的邮件正在路上。请在两天内打开链接确认。"
        "确认之前我们不会发送其他邮件。",
    },
    "confirmed.title": {"en": "You're subscribed", "zh": "订阅成功"},
    "confirmed.text": {
        "en": "Thank you — {email} will get the weekly digest and your alerts.",
        "zh": "谢谢！{email} 将收到每周摘要和你设置的提醒。",
    },
    "confirmed.manage": {"en": "Change your preferences", "zh": "修改你的设置"},
    "manage.title": {"en": "Your Briefbot settings", "zh": "你的 Briefbot 设置"},
    "manage.for": {"en": "Settings for {email}", "zh": "{email} 的设置"},
    "manage.saved": {"en": "Your preferences were saved.", "zh": "设置已保存。"},
    "manage.rule_saved": {"en": "Rule saved.", "zh": "规则已保存。"},
    "manage.rule_added": {"en": "Rule added.", "zh": "规则已添加。"},
    "manage.rule_deleted": {"en": "Rule deleted.", "zh": "规则已删除。"},
    "manage.prefs": {"en": "Digest", "zh": "摘要"},
    "manage.rules": {"en": "Alert rules", "zh": "提醒规则"},
    "manage.no_rules": {"en": "No rules yet.", "zh": "还没有规则。"},
    "manage.new_rule": {"en": "New rule", "zh": "新规则"},
    "manage.rule_n": {"en": "Rule {n}", "zh": "规则 {n}"},
    "manage.alerts": {"en": "Recent alerts", "zh": "最近的提醒"},
    "manage.no_alerts": {"en": "No alerts have fired yet.", "zh": "还没有触发任何提醒。"},
    "manage.stopped": {
        "en": "This address is unsubscribed. Subscribe again from the home page.",
        "zh": "此邮箱已退订。可以在首页重新订阅。",
    },
    "manage.leave": {"en": "Leave", "zh": "退订"},
    "unsub.title": {"en": "Unsubscribe", "zh": "退订"},
    "unsub.question": {
        "en": "Stop sending Briefbot email to {email}?",
        "zh": "停止向 {email} 发送 Briefbot 邮件？",
    },
    "unsub.done_title": {"en": "You're unsubscribed", "zh": "已退订"},
    "unsub.done_text": {
        "en": "{email} will get no more Briefbot email. Changed your mind? Subscribe again "
        "from the home page.",
        "zh": "{email} 将不再收到 Briefbot 邮件。改变主意了？可以在首页重新订阅。",
    },
    "digests.title": {"en": "Digest archive", "zh": "摘要存档"},
    "digests.empty": {"en": "No digests yet.", "zh": "还没有摘要。"},
    "digests.week": {"en": "Week {period}", "zh": "{period} 周"},
    "digests.figures": {"en": "{n} figures", "zh": "{n} 个数字"},
    "digests.range": {"en": "{start} to {end}", "zh": "{start} 至 {end}"},
    "error.title": {"en": "Something went wrong", "zh": "出了点问题"},
    "error.invalid_token.title": {"en": "This link is not valid", "zh": "此链接无效"},
    "error.invalid_token.text": {
        "en": "The link is incomplete or was changed. Copy the whole link from the email, or "
        "enter your address on the home page to get a new one.",
        "zh": "链接不完整或已被修改。请从邮件中完整复制链接，或在首页输入你的邮箱获取新链接。",
    },
    "error.expired_token.title": {"en": "This link has expired", "zh": "此链接已过期"},
    "error.expired_token.text": {
        "en": "For your safety, links expire. Enter your address on the home page and we will "
        "send you a fresh one.",
        "zh": "为了安全，链接会过期。请在首页输入你的邮箱，我们会发送一个新链接。",
    },
    "error.used_token.title": {"en": "This link was already used", "zh": "此链接已使用过"},
    "error.used_token.text": {
        "en": "Confirmation links work once. If you are subscribed, use the settings link in "
        "any Briefbot email; otherwise subscribe again from the home page.",
        "zh": "确认链接只能使用一次。如果你已订阅，请使用任意 Briefbot 邮件中的设置链接；"
        "否则请在首页重新订阅。",
    },
    "error.csrf.title": {"en": "Please try again", "zh": "请重试"},
    "error.csrf.text": {
        "en": "The form had expired or came from another site. Go back, reload the page and "
        "send it again.",
        "zh": "表单已过期或来自其他网站。请返回、刷新页面后重新提交。",
    },
    "error.rate.title": {"en": "Too many attempts", "zh": "尝试次数过多"},
    "error.rate.text": {
        "en": "Please wait {minutes} minute(s) and try again.",
        "zh": "请等待 {minutes} 分钟后再试。",
    },
    "error.not_found.title": {"en": "Page not found", "zh": "找不到页面"},
    "error.not_found.text": {
        "en": "There is nothing at this address. Try the home page or the digest archive.",
        "zh": "这个地址没有内容。请访问首页或摘要存档。",
    },
    "error.server.text": {
        "en": "Please try again in a few minutes.",
        "zh": "请几分钟后再试。",
    },
    "error.bad_form.title": {"en": "That form did not arrive whole", "zh": "表单内容不完整"},
    "error.bad_form.text": {
        "en": "The page could not read what was sent. Reload the page and send the form again.",
        "zh": "无法读取提交的内容。请刷新页面后重新提交。",
    },
    "error.too_large.title": {"en": "That was too much text", "zh": "内容太多"},
    "error.too_large.text": {
        "en": "The form was larger than we accept. Shorten it and try again.",
        "zh": "表单内容超出了限制。请缩短后重试。",
    },
    "error.server.title": {"en": "Something went wrong", "zh": "出了点问题"},
    "error.store.title": {"en": "Briefbot is briefly unavailable", "zh": "Briefbot 暂时不可用"},
    "error.store.text": {
        "en": "We could not reach our database. Please try again in a few minutes.",
        "zh": "暂时无法连接数据库。请几分钟后再试。",
    },
    "error.method.title": {"en": "Not allowed", "zh": "不允许的操作"},
    "error.method.text": {
        "en": "This address does not accept that kind of request.",
        "zh": "此地址不接受这种请求。",
    },
    "error.back_home": {"en": "Back to the home page", "zh": "返回首页"},
    "mail.confirm.subject": {
        "en": "Confirm your Briefbot subscription",
        "zh": "确认你的 Briefbot 订阅",
    },
    "mail.confirm.intro": {
        "en": "Someone (hopefully you) asked to receive Briefbot's weekly digest at this address.",
        "zh": "有人（希望是你）请求在此邮箱接收 Briefbot 每周摘要。",
    },
    "mail.confirm.action": {"en": "Confirm my subscription", "zh": "确认订阅"},
    "mail.confirm.rules": {
        "en": "Confirming also turns on these alert rules (they apply only once you confirm):",
        "zh": "确认后还会启用以下提醒规则（仅在你确认后生效）：",
    },
    "mail.confirm.ignore": {
        "en": "If it wasn't you, ignore this email: nothing will be sent. The link expires in "
        "two days.",
        "zh": "如果不是你本人，请忽略此邮件，我们不会再发送任何内容。链接两天后失效。",
    },
    "mail.manage.subject": {"en": "Your Briefbot settings link", "zh": "你的 Briefbot 设置链接"},
    "mail.manage.intro": {
        "en": "This address is already subscribed to Briefbot. Use this link to change your "
        "digest, alerts or to unsubscribe.",
        "zh": "此邮箱已订阅 Briefbot。可以用这个链接修改摘要、提醒或退订。",
    },
    "mail.manage.action": {"en": "Open my settings", "zh": "打开我的设置"},
    "mail.manage.ignore": {
        "en": "If you didn't ask for this, you can ignore this email.",
        "zh": "如果这不是你的请求，请忽略此邮件。",
    },
    "js.checking": {"en": "Checking…", "zh": "检查中…"},
    "js.ok": {"en": "Looks good.", "zh": "格式正确。"},
}


def translator(lang: Lang) -> Callable[..., str]:
    def t(key: str, **kw: object) -> str:
        entry = CATALOG.get(key)
        text = key if entry is None else entry.get(lang) or entry["en"]
        return text.format(**kw) if kw else text

    return t


def pick_lang(query: str | None, cookie: str | None, accept_language: str | None) -> Lang:
    """``?lang=`` first, then the remembered choice, then the browser's preference, then English."""
    for choice in (query, cookie):
        if choice in _BY_NAME:
            return _BY_NAME[choice]
    best: tuple[float, Lang] = (0.0, "en")
    for n, part in enumerate((accept_language or "").split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in _BY_NAME and q > best[0]:
            best = (q - n * 1e-6, _BY_NAME[primary])  # an earlier tag wins a tie
    return best[1]
