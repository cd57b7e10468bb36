"""Every string the chat bot shows, in English and 中文 (Telegram HTML).

``t(lang, key, **values)`` fills a template; every value is HTML-escaped unless wrapped in
``Safe`` (markup the bot built itself from escaped parts). So user text echoed back can never
inject markup::

    t("en", "alert_added", id=3, text="capex > 100B")   # -> 'Alert #3 added: <code>capex &gt; 100B</code>'
"""

from __future__ import annotations

import html

from bot.models import Lang


class Safe(str):
    """Markup built by the bot from already escaped parts; ``t`` inserts it as is."""

    __slots__ = ()


def lang_of(code: str | None) -> Lang:
    """Telegram's ``language_code`` ("zh-hans", "en-US", None) -> "zh" or "en"."""
    return "zh" if code and code.lower().startswith("zh") else "en"


def t(lang: Lang, key: str, /, **values: object) -> str:
    """The catalog entry ``key`` in ``lang`` with ``values`` escaped into it."""
    template = CATALOG[key]["zh" if lang == "zh" else "en"]
    return template.format(**{k: _esc(v) for k, v in values.items()})


def _esc(v: object) -> str:
    return str(v) if isinstance(v, Safe) else html.escape(str(v), quote=False)


WEEKDAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
}
LANG_NAMES = {"en": "English", "zh": "中文"}
CHANNEL_NAMES = {
    "en": {"telegram": "Telegram", "email": "email", "both": "Telegram + email"},
    "zh": {"telegram": "Telegram", "email": "邮件", "both": "Telegram + 邮件"},
}

# (command, English description, Chinese description) — the menu set with setMyCommands.
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("start", "Subscribe and see the top figures", "订阅并查看最重要的数字"),
    ("digest", "The latest digest now", "立即查看最新摘要"),
    ("latest", "The newest figures: /latest 5", "最新数字：/latest 5"),
    ("figures", "Figures for a company: /figures Meta", "某公司的数字：/figures Meta"),
    (
        "alert",
        "Add/remove an alert: /alert add capex > 100B USD",
        "添加/删除提醒：/alert add capex > 100B USD",
    ),
    ("alerts", "Your alerts, with pause/delete buttons", "你的提醒（可暂停/删除）"),
    (
        "email",
        "Get the digest by email: /email you@example.com",
        "通过邮件接收摘要：/email you@example.com",
    ),
    ("confirm", "Confirm your email: /confirm 123456", "确认邮箱：/confirm 123456"),
    ("settings", "Digest day and time, timezone, language, channels", "摘要时间、时区、语言、渠道"),
    ("mute", "Pause alerts for a while: /mute 8h", "暂停提醒一段时间：/mute 8h"),
    ("unmute", "Alerts back on", "恢复提醒"),
    ("stop", "Unsubscribe from everything", "退订全部"),
    ("resume", "Subscribe again after /stop", "/stop 后重新订阅"),
    ("help", "Every command with an example", "所有命令及示例"),
)
ADMIN_COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("stats", "Subscribers, rules, outbox, feeds", "订阅者、规则、发件箱、订阅源"),
    ("feeds", "List/add/remove feeds", "列出/添加/删除订阅源"),
    ("broadcast", "Message every subscriber (asks first)", "群发消息（先确认）"),
)

CATALOG: dict[str, dict[str, str]] = {
    # ---- start / stop ----------------------------------------------------------------------
    "welcome": {
        "en": "<b>Welcome to Briefbot!</b>\nI read news briefings, pick out the key financial "
        "figures (capex, revenue, borrowing…) and send a weekly digest, plus alerts when a "
        "figure crosses your threshold.\n\nThis chat is subscribed: the digest comes every "
        "{day} at {time} ({tz}).",
        "zh": "<b>欢迎使用 Briefbot！</b>\n我阅读新闻简报，提取关键财务数字（资本支出、营收、借款等），"
        "每周发送摘要，并在数字超过你设定的阈值时提醒你。\n\n本聊天已订阅：每{day} {time}（{tz}）发送摘要。",
    },
    "welcome_back": {
        "en": "<b>Welcome back!</b> This chat is already subscribed (digest every {day} at {time}, {tz}).",
        "zh": "<b>欢迎回来！</b>本聊天已订阅（每{day} {time}，{tz}）。",
    },
    "top_header": {
        "en": "\n\n<b>Top figures of the latest briefing</b> ({date}):",
        "zh": "\n\n<b>最新简报中最重要的数字</b>（{date}）：",
    },
    "no_figures_yet": {
        "en": "\n\nNo figures are stored yet; they will come with the next briefing.",
        "zh": "\n\n暂时还没有数字，下一份简报到来时就会有。",
    },
    "start_next": {
        "en": "\n\nNext: <code>/alert add capex &gt; 100B USD</code>, /digest, /settings or /help.",
        "zh": "\n\n接下来可以试试：<code>/alert add capex &gt; 100B USD</code>、/digest、/settings 或 /help。",
    },
    "stopped": {
        "en": "You are unsubscribed from everything. Your {n} alert rule(s) are kept; send /resume to come back.",
        "zh": "已退订全部内容。你的 {n} 条提醒规则已保留；发送 /resume 即可恢复。",
    },
    "already_stopped": {
        "en": "This chat is already unsubscribed. /resume turns everything back on.",
        "zh": "本聊天已退订。发送 /resume 恢复。",
    },
    "resumed": {
        "en": "Welcome back! Digest and alerts are on again. Messages from while you were away are not re-sent.",
        "zh": "欢迎回来！摘要和提醒已恢复。离开期间的消息不会补发。",
    },
    "not_stopped": {
        "en": "This chat is subscribed already. /settings shows what you get.",
        "zh": "本聊天已经订阅。/settings 可查看设置。",
    },
    "not_subscribed": {
        "en": "This chat is not subscribed yet. Send /start first.",
        "zh": "本聊天尚未订阅，请先发送 /start。",
    },
    # ---- help and fallbacks ----------------------------------------------------------------
    "help": {
        "en": "<b>Briefbot commands</b>\n"
        "/start — subscribe; shows the top figures\n"
        "/digest — the latest digest now\n"
        "/latest 5 — the newest 5 figures\n"
        "/figures Meta — figures for one company (any name, e.g. 微软)\n"
        "<code>/alert add capex &gt; 100B USD</code> — an alert (also <code>Meta capex &gt;= 50B</code>, "
        '<code>share_price &lt;= -20%</code>, <code>keyword "SK Hynix"</code>)\n'
        "/alerts — your alerts with pause/delete buttons\n"
        "/alert rm 3 · /alert pause 3 · /alert resume 3\n"
        "/email you@example.com — the digest by email (then /confirm 123456); /email off\n"
        "/settings — digest day/time, timezone, language, channels, follows, quiet hours\n"
        "/timezone Shanghai · /timezone UTC+8 · /timezone UTC+5:30\n"
        "/time 07:30 — when the weekly digest comes (in your timezone)\n"
        "/follow Meta · /follow capex · /unfollow Meta\n"
        "/quiet 22-7 · /quiet off — quiet hours for alerts\n"
        "/mute 8h · /unmute — pause alerts for a while\n"
        "/stop — unsubscribe (alerts are kept) · /resume",
        "zh": "<b>Briefbot 命令</b>\n"
        "/start — 订阅，并显示最重要的数字\n"
        "/digest — 立即查看最新摘要\n"
        "/latest 5 — 最新 5 个数字\n"
        "/figures Meta — 某公司的数字（中英文名称均可，如 微软）\n"
        "<code>/alert add capex &gt; 100B USD</code> — 添加提醒（也可 <code>腾讯 capex &gt; 100亿 CNY</code>、"
        '<code>share_price &lt;= -20%</code>、<code>keyword "SK Hynix"</code>）\n'
        "/alerts — 你的提醒（可暂停/删除）\n"
        "/alert rm 3 · /alert pause 3 · /alert resume 3\n"
        "/email you@example.com — 通过邮件接收摘要（之后 /confirm 123456）；/email off 取消\n"
        "/settings — 摘要日期/时间、时区、语言、渠道、关注、免打扰\n"
        "/timezone 上海 · /timezone UTC+8\n"
        "/time 07:30 — 每周摘要的发送时间（按你的时区）\n"
        "/follow Meta · /follow capex · /unfollow Meta\n"
        "/quiet 22-7 · /quiet off — 提醒免打扰时段\n"
        "/mute 8h · /unmute — 暂停提醒一段时间\n"
        "/stop — 退订（提醒规则保留）· /resume",
    },
    "help_admin": {
        "en": "\n\n<b>Admin</b>\n/stats · /feeds · /feeds add URL · /feeds rm ID · /broadcast TEXT",
        "zh": "\n\n<b>管理员</b>\n/stats · /feeds · /feeds add URL · /feeds rm ID · /broadcast 文本",
    },
    "unknown_command": {
        "en": "I don't know {cmd}. Send /help for every command with an example.",
        "zh": "我不认识 {cmd}。发送 /help 查看所有命令及示例。",
    },
    "free_text": {
        "en": "I answer commands. Try /latest, /figures Meta or <code>/alert add capex &gt; 100B USD</code>; /help lists them all.",
        "zh": "我只回应命令。试试 /latest、/figures Meta 或 <code>/alert add capex &gt; 100B USD</code>；/help 列出全部命令。",
    },
    "edited": {
        "en": "I saw your edit, but edited messages are not run again. Send the command as a new message.",
        "zh": "我看到你编辑了消息，但编辑后的消息不会再次执行。请重新发送命令。",
    },
    "slow_down": {
        "en": "Slow down a little: too many commands. Try again in a few seconds.",
        "zh": "请慢一点：命令太多了。请几秒后再试。",
    },
    "too_long": {
        "en": "That is too long ({n} characters; the limit is {limit}).",
        "zh": "内容太长（{n} 个字符，上限 {limit}）。",
    },
    "not_allowed": {"en": "Not allowed.", "zh": "无权限。"},
    "group_admins_only": {
        "en": "Only this group's admins can change its subscription and settings.",
        "zh": "只有本群管理员可以更改本群的订阅和设置。",
    },
    "error": {
        "en": "Sorry, something went wrong. Please try again in a moment.",
        "zh": "抱歉，出了点问题。请稍后再试。",
    },
    # ---- figures / digest ------------------------------------------------------------------
    "no_figures": {
        "en": "No figures are stored yet.",
        "zh": "暂时还没有数字。",
    },
    "latest_header": {"en": "<b>The newest {n} figures</b>", "zh": "<b>最新 {n} 个数字</b>"},
    "latest_usage": {
        "en": "Usage: /latest N with N from 1 to {max}, e.g. /latest 5",
        "zh": "用法：/latest N，N 为 1 到 {max}，例如 /latest 5",
    },
    "figures_usage": {
        "en": "Usage: /figures COMPANY, e.g. /figures Meta or /figures 微软",
        "zh": "用法：/figures 公司名，例如 /figures Meta 或 /figures 微软",
    },
    "figures_header": {"en": "<b>Figures for {entity}</b>", "zh": "<b>{entity} 的数字</b>"},
    "figures_none": {
        "en": "No figures for {entity} yet. /latest shows the newest ones.",
        "zh": "暂无 {entity} 的数字。/latest 可查看最新数字。",
    },
    "digest_header": {
        "en": "<b>Briefbot digest {period}</b> ({n} figures)",
        "zh": "<b>Briefbot 摘要 {period}</b>（{n} 个数字）",
    },
    "more_lines": {"en": "… and {n} more", "zh": "……另有 {n} 条"},
    # ---- alerts ----------------------------------------------------------------------------
    "alert_usage": {
        "en": "Usage: <code>/alert add RULE</code>, /alert rm ID, /alert pause ID, /alert resume ID\n"
        "Example: <code>/alert add capex &gt; 100B USD</code>",
        "zh": "用法：<code>/alert add 规则</code>、/alert rm 编号、/alert pause 编号、/alert resume 编号\n"
        "示例：<code>/alert add capex &gt; 100B USD</code>",
    },
    "alert_bad": {
        "en": "I could not read that rule: {error}\nExample: <code>/alert add capex &gt; 100B USD</code>",
        "zh": "无法理解这条规则：{error}\n示例：<code>/alert add capex &gt; 100B USD</code>",
    },
    "alert_added": {
        "en": "Alert #{id} added: <code>{text}</code>",
        "zh": "已添加提醒 #{id}：<code>{text}</code>",
    },
    "alert_exists": {
        "en": "You already have this alert: #{id} <code>{text}</code>",
        "zh": "你已有这条提醒：#{id} <code>{text}</code>",
    },
    "backtest_none": {
        "en": "\nOn the stored history it would not have fired yet.",
        "zh": "\n按已存历史数据，它还不会触发。",
    },
    "backtest": {
        "en": "\nOn the stored history it would have fired {n} time(s); last:",
        "zh": "\n按已存历史数据，它会触发 {n} 次；最近：",
    },
    "alert_too_costly": {
        "en": "<code>{text}</code> takes too long to check against the stored news, so I did "
        "not add it. Make it simpler: a plainer keyword or pattern, e.g. "
        "<code>/alert add keyword /HBM\\d/</code>",
        "zh": "<code>{text}</code> 检查已存新闻耗时过长，未添加。请改简单一些：更简单的关键词或正则，"
        "例如 <code>/alert add keyword /HBM\\d/</code>",
    },
    "alert_limit": {
        "en": "You have {n} alerts, the maximum. Remove one with /alert rm ID.",
        "zh": "你已有 {n} 条提醒，达到上限。请先用 /alert rm 编号 删除一条。",
    },
    "alert_deleted": {"en": "Alert #{id} deleted.", "zh": "已删除提醒 #{id}。"},
    "alert_paused": {"en": "Alert #{id} paused.", "zh": "已暂停提醒 #{id}。"},
    "alert_resumed": {"en": "Alert #{id} is active again.", "zh": "提醒 #{id} 已恢复。"},
    "alert_not_found": {
        "en": "There is no alert #{id} in this chat. /alerts lists yours.",
        "zh": "本聊天没有提醒 #{id}。/alerts 可查看你的提醒。",
    },
    "alert_id_usage": {
        "en": "Give the alert's number, e.g. /alert rm 3 (/alerts lists them).",
        "zh": "请给出提醒编号，例如 /alert rm 3（/alerts 可查看）。",
    },
    "alerts_none": {
        "en": "No alerts yet. Add one: <code>/alert add capex &gt; 100B USD</code>",
        "zh": "还没有提醒。添加一条：<code>/alert add capex &gt; 100B USD</code>",
    },
    "alerts_header": {"en": "<b>Your alerts</b>", "zh": "<b>你的提醒</b>"},
    "paused_mark": {"en": " (paused)", "zh": "（已暂停）"},
    "btn_pause": {"en": "⏸ Pause #{id}", "zh": "⏸ 暂停 #{id}"},
    "btn_resume": {"en": "▶ Resume #{id}", "zh": "▶ 恢复 #{id}"},
    "btn_delete": {"en": "🗑 Delete #{id}", "zh": "🗑 删除 #{id}"},
    # ---- email -----------------------------------------------------------------------------
    "email_usage": {
        "en": "Usage: /email you@example.com to get the weekly digest by email, /email off to stop.\nNow: {state}",
        "zh": "用法：/email you@example.com 通过邮件接收每周摘要，/email off 取消。\n当前：{state}",
    },
    "email_state_none": {"en": "no email linked", "zh": "未绑定邮箱"},
    "email_state_pending": {"en": "{addr} (waiting for /confirm)", "zh": "{addr}（等待 /confirm）"},
    "email_state_on": {"en": "{addr} (confirmed)", "zh": "{addr}（已确认）"},
    "email_bad": {
        "en": "{addr} is not a valid email address. Example: /email you@example.com",
        "zh": "{addr} 不是有效的邮箱地址。示例：/email you@example.com",
    },
    "email_sent": {
        "en": "I sent a confirmation code to {addr}. Send /confirm CODE (or open the link in the email); "
        "only then does the digest email start.",
        "zh": "确认码已发送到 {addr}。请发送 /confirm 确认码（或打开邮件中的链接），确认后才会开始发送摘要邮件。",
    },
    "email_taken": {
        "en": "That address is already linked to another subscription.",
        "zh": "该邮箱已绑定到其他订阅。",
    },
    "email_off": {
        "en": "Email unlinked; no more digest emails.",
        "zh": "已解绑邮箱，不再发送摘要邮件。",
    },
    "confirm_usage": {
        "en": "Usage: /confirm CODE, the 6 digits from the email.",
        "zh": "用法：/confirm 确认码（邮件中的 6 位数字）。",
    },
    "confirm_ok": {
        "en": "{addr} is confirmed: the weekly digest now also comes by email.",
        "zh": "{addr} 已确认：每周摘要也会通过邮件发送。",
    },
    "confirm_bad": {
        "en": "That code is not right ({left} tries left).",
        "zh": "确认码不正确（还可尝试 {left} 次）。",
    },
    "confirm_none": {
        "en": "No confirmation is waiting (or it expired). Send /email you@example.com again.",
        "zh": "没有待确认的邮箱（或已过期）。请重新发送 /email you@example.com。",
    },
    "taken_mail_subject": {
        "en": "Briefbot: a request to link this address",
        "zh": "Briefbot：有人请求绑定此邮箱",
    },
    "taken_mail_text": {
        "en": "Someone asked Briefbot to send its digest for a Telegram chat to this address. "
        "It already receives Briefbot, so nothing changed and no code was sent. If it was you, "
        "manage your subscription from the link in any Briefbot email.",
        "zh": "有人请求 Briefbot 把某个 Telegram 聊天的周报发到这个邮箱。该邮箱已在接收 Briefbot，"
        "因此没有任何更改，也没有发送验证码。如果是你本人，请通过任意一封 Briefbot 邮件中的链接管理订阅。",
    },
    "confirm_mail_subject": {
        "en": "Confirm your email for Briefbot",
        "zh": "确认你的 Briefbot 邮箱",
    },
    "confirm_mail_text": {
        "en": "Someone (hopefully you) asked Briefbot on Telegram to send the weekly digest to this "
        "address.\n\nYour code: {code}\nSend /confirm {code} to the bot, or open:\n{link}\n\n"
        "The code expires in {hours} hours. If this was not you, ignore this email.",
        "zh": "有人（希望是你）在 Telegram 上请求 Briefbot 把每周摘要发送到这个邮箱。\n\n确认码：{code}\n"
        "请向机器人发送 /confirm {code}，或打开：\n{link}\n\n确认码 {hours} 小时内有效。如果不是你本人操作，请忽略本邮件。",
    },
    # ---- settings --------------------------------------------------------------------------
    "settings": {
        "en": "<b>Settings</b>\nDigest: every {day} at {time} ({tz})\nLanguage: {lang}\n"
        "Channels: {channels}\nFollowing: {follow}\nQuiet hours: {quiet}\nAlerts muted: {muted}",
        "zh": "<b>设置</b>\n摘要：每{day} {time}（{tz}）\n语言：{lang}\n渠道：{channels}\n"
        "关注：{follow}\n免打扰：{quiet}\n提醒静音：{muted}",
    },
    "everything": {"en": "everything", "zh": "全部"},
    "off": {"en": "off", "zh": "关闭"},
    "until": {"en": "until {when}", "zh": "直到 {when}"},
    "pick_day": {"en": "Pick the digest day:", "zh": "选择摘要日期："},
    "pick_time": {"en": "Pick the digest time ({tz}):", "zh": "选择摘要时间（{tz}）："},
    "pick_tz": {
        "en": "Pick a timezone, or send /timezone CITY or /timezone UTC+8:",
        "zh": "选择时区，或发送 /timezone 城市 或 /timezone UTC+8：",
    },
    "pick_lang": {"en": "Pick the language:", "zh": "选择语言："},
    "pick_channels": {"en": "Where should the digest go?", "zh": "摘要发送到哪里？"},
    "pick_follow": {
        "en": "Tap metrics to follow or unfollow (none = everything). Companies: /follow Meta, /unfollow Meta.",
        "zh": "点击指标以关注或取消（不选 = 全部）。公司：/follow Meta、/unfollow Meta。",
    },
    "pick_quiet": {
        "en": "Quiet hours for alerts ({tz}); alerts wait until they end. Or send /quiet 22-7.",
        "zh": "提醒免打扰时段（{tz}）；期间的提醒会等到结束后发送。也可发送 /quiet 22-7。",
    },
    "btn_day": {"en": "📅 Day", "zh": "📅 日期"},
    "btn_time": {"en": "🕗 Time", "zh": "🕗 时间"},
    "btn_tz": {"en": "🌍 Timezone", "zh": "🌍 时区"},
    "btn_lang": {"en": "🔤 Language", "zh": "🔤 语言"},
    "btn_channels": {"en": "📨 Channels", "zh": "📨 渠道"},
    "btn_follow": {"en": "⭐ Follow", "zh": "⭐ 关注"},
    "btn_quiet": {"en": "🌙 Quiet hours", "zh": "🌙 免打扰"},
    "btn_back": {"en": "« Back", "zh": "« 返回"},
    "btn_done": {"en": "✔ Done", "zh": "✔ 完成"},
    "saved": {"en": "Saved.", "zh": "已保存。"},
    "settings_closed": {"en": "Settings saved.", "zh": "设置已保存。"},
    "email_first": {
        "en": "Link and confirm an email first: /email you@example.com",
        "zh": "请先绑定并确认邮箱：/email you@example.com",
    },
    "stale_button": {
        "en": "This button is out of date; send the command again.",
        "zh": "此按钮已过期，请重新发送命令。",
    },
    "tz_usage": {
        "en": "Usage: /timezone CITY or /timezone UTC+8, e.g. /timezone Berlin. Now: {tz}",
        "zh": "用法：/timezone 城市 或 /timezone UTC+8，例如 /timezone 上海。当前：{tz}",
    },
    "tz_bad": {
        "en": "I don't know the timezone {text}. Try a city (Berlin, New York, Shanghai) or UTC+8.",
        "zh": "不认识时区 {text}。请试试城市（上海、东京、Berlin）或 UTC+8。",
    },
    "tz_set": {"en": "Timezone set to {tz}.", "zh": "时区已设为 {tz}。"},
    "time_usage": {
        "en": "Usage: /time HH:MM, e.g. /time 07:30. Now: {time} ({tz})",
        "zh": "用法：/time 时:分，例如 /time 07:30。当前：{time}（{tz}）",
    },
    "time_set": {
        "en": "The weekly digest now comes at {time} ({tz}).",
        "zh": "每周摘要将在 {time}（{tz}）发送。",
    },
    "follow_usage": {
        "en": "Usage: /follow COMPANY or METRIC, e.g. /follow Meta or /follow capex. Following: {follow}",
        "zh": "用法：/follow 公司 或 指标，例如 /follow Meta 或 /follow capex。当前关注：{follow}",
    },
    "followed": {
        "en": "Following {name}. Your digest now shows: {follow}",
        "zh": "已关注 {name}。摘要将显示：{follow}",
    },
    "unfollowed": {
        "en": "No longer following {name}. Digest: {follow}",
        "zh": "已取消关注 {name}。摘要：{follow}",
    },
    "not_following": {"en": "You were not following {name}.", "zh": "你没有关注 {name}。"},
    "follow_limit": {
        "en": "You follow {n} things, the maximum.",
        "zh": "你已关注 {n} 项，达到上限。",
    },
    "quiet_usage": {
        "en": "Usage: /quiet 22-7 (hours, your timezone) or /quiet off. Now: {quiet}",
        "zh": "用法：/quiet 22-7（按你的时区的小时）或 /quiet off。当前：{quiet}",
    },
    "quiet_set": {
        "en": "Quiet hours {quiet} ({tz}): alerts in that window wait until it ends.",
        "zh": "免打扰时段 {quiet}（{tz}）：期间的提醒会等到结束后发送。",
    },
    "quiet_off": {"en": "Quiet hours off.", "zh": "已关闭免打扰时段。"},
    "mute_usage": {
        "en": "Usage: /mute 8h (also 30m, 2d, 1w; at most 30 days), /unmute to end it.",
        "zh": "用法：/mute 8h（也可 30m、2d、1w；最多 30 天），/unmute 结束静音。",
    },
    "muted": {
        "en": "Alerts muted until {until} ({tz}). They join your next digest; /unmute ends it now.",
        "zh": "提醒已静音至 {until}（{tz}）。期间的提醒会并入下一期摘要；/unmute 立即恢复。",
    },
    "unmuted": {"en": "Alerts are on again.", "zh": "提醒已恢复。"},
    "not_muted": {"en": "Alerts were not muted.", "zh": "提醒本来就没有静音。"},
    # ---- admin -----------------------------------------------------------------------------
    "stats": {
        "en": "<b>Stats</b>\nSubscribers: {active} active, {stopped} stopped, {blocked} blocked ({total} in all)\n"
        "Email confirmed: {emails}\nRules: {rules} ({paused} paused)\nOutbox: {pending} pending, "
        "{dead} dead, {sent} sent\nFeeds: {feeds} ({failing} failing)\nItems: {items}, figures: {figures}",
        "zh": "<b>统计</b>\n订阅者：活跃 {active}，已退订 {stopped}，已屏蔽 {blocked}（共 {total}）\n"
        "已确认邮箱：{emails}\n规则：{rules}（暂停 {paused}）\n发件箱：待发 {pending}，失败 {dead}，"
        "已发 {sent}\n订阅源：{feeds}（异常 {failing}）\n条目：{items}，数字：{figures}",
    },
    "feeds_none": {
        "en": "No feeds. Add one: /feeds add https://example.com/feed.xml",
        "zh": "没有订阅源。添加：/feeds add https://example.com/feed.xml",
    },
    "feeds_header": {"en": "<b>Feeds</b>", "zh": "<b>订阅源</b>"},
    "feeds_usage": {
        "en": "Usage: /feeds, /feeds add URL [NAME], /feeds rm ID",
        "zh": "用法：/feeds、/feeds add URL [名称]、/feeds rm 编号",
    },
    "feed_added": {"en": "Feed #{id} added: {url}", "zh": "已添加订阅源 #{id}：{url}"},
    "feed_exists": {"en": "That feed is already there (#{id}).", "zh": "该订阅源已存在（#{id}）。"},
    "feed_bad": {
        "en": "{url} is not an http(s) URL.",
        "zh": "{url} 不是 http(s) 链接。",
    },
    "feed_removed": {"en": "Feed #{id} removed.", "zh": "已删除订阅源 #{id}。"},
    "feed_not_found": {"en": "No feed #{id}.", "zh": "没有订阅源 #{id}。"},
    "broadcast_usage": {"en": "Usage: /broadcast TEXT", "zh": "用法：/broadcast 文本"},
    "broadcast_confirm": {
        "en": "Send this to {n} subscriber(s)?\n\n{text}",
        "zh": "要把这条消息发给 {n} 位订阅者吗？\n\n{text}",
    },
    "btn_send": {"en": "✅ Send", "zh": "✅ 发送"},
    "btn_cancel": {"en": "✖ Cancel", "zh": "✖ 取消"},
    "broadcast_queued": {
        "en": "Broadcast queued for {n} subscriber(s).",
        "zh": "群发已排队，共 {n} 位订阅者。",
    },
    "broadcast_cancelled": {"en": "Broadcast cancelled.", "zh": "已取消群发。"},
}
