from __future__ import annotations

from html.parser import HTMLParser

import pytest

from bot.digest import (
    render_email,
    render_html,
    render_index,
    render_markdown,
    render_message,
    render_telegram,
    select_digest,
)
from bot.digest.render import Renderer
from bot.digest.split import split_message, tg_len
from bot.models import Period
from tests.digest.seed import figure, seed_figures, stored

TELEGRAM_TAGS = {"b", "i", "u", "s", "a", "code", "pre", "blockquote"}
HOSTILE_ENTITY = "<b>Evil & Co</b><script>alert(1)</script>"
HOSTILE_TITLE = "<script>steal()</script> Fish & Chips *daily* [x](javascript:y)"


class TagChecker(HTMLParser):
    """Records tags and fails on any close without its open, like Telegram's parser."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: set[str] = set()
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"unbalanced </{tag}> in {self.stack}"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text += data


def check_telegram_part(part: str) -> TagChecker:
    assert tg_len(part) <= 4096
    p = TagChecker()
    p.feed(part)
    p.close()
    assert p.stack == [], f"unclosed {p.stack}"
    assert p.tags <= TELEGRAM_TAGS, p.tags - TELEGRAM_TAGS
    return p


@pytest.fixture
def hostile(week):
    f = figure(
        "en", dict(entity=HOSTILE_ENTITY, metric="capex", value=500e9, unit="USD"), "<i>x</i>"
    )
    sf = stored(
        f,
        id=1,
        lang="en",
        title=HOSTILE_TITLE,
        url='https://evil.example/"onmouseover="x',
        item_id="evil",
    )
    bad_link = stored(
        figure("en", dict(entity="A&B", metric="profit", value=1e9, unit="USD"), ""),
        id=2,
        lang="en",
        title="js link",
        url="javascript:alert(1)",
        item_id="evil2",
    )
    return select_digest([sf, bad_link], week)


# --- Markdown ---------------------------------------------------------------------------------


def test_markdown_reads_well_in_english(digest) -> None:
    md = render_markdown(digest, "en")
    assert md.startswith("# Week 2026-W06: 11 key figures\n")
    assert "$135B" in md and "$37.5B" in md
    assert "1. **Meta** — capex up to $135B (2026) · source: Avalaches briefing" in md
    assert (
        "5. **ByteDance** — capex ¥160B (≈ $23B, 2026) · source: Avalaches briefing 2026-02-04"
        " (EN, ZH)" in md
    )
    assert (
        "4. **Microsoft** — capex $37.5B (Q4 2025); capex ▲ +66% (year over year, Q4 2025); "
        "shares ▼ -10% (week after announcement) · source:" in md
    )  # the company's related facts of the same report share its Top line
    assert "- **Tesla** — spending more than $20B (2026), up 135% from $8.5B · source:" in md
    assert "- **Dola** — more than 10M users" in md
    assert md.index("## Top 5") < md.index("## More, by company")
    assert md.index("### Tesla") < md.index("### Tencent") < md.index("### Dola")
    # each of the 11 facts exactly once: 8 in the 5 Top lines, 3 in the groups
    fact_lines = [
        ln for ln in md.splitlines() if ln.startswith(("- **", "1. ", "2. ", "3. ", "4. ", "5. "))
    ]
    assert len(fact_lines) == 8
    assert sum(1 + ln.split(" · ")[0].count("; ") for ln in fact_lines) == 11
    assert all(" — " in ln and "source" in ln for ln in fact_lines)


def test_markdown_in_chinese(digest) -> None:
    md = render_markdown(digest, "zh")
    assert md.startswith("# 2026 年第 6 周:11 个关键数字\n")
    assert "资本支出最高 1,350 亿美元(2026 年)" in md
    assert "1,600 亿人民币(约 230 亿美元,2026 年)" in md
    assert "4,800 亿人民币" in md and "1,000 万用户" in md and "-10%" in md
    assert "来源: Avalaches briefing 2026-02-04 (中文、英文)" in md  # the reader's language first
    assert "(2025 年第 1–3 季度)" in md


def test_markdown_escapes_hostile_text(hostile) -> None:
    md = render_markdown(hostile, "en")
    assert "<script" not in md and "<b>" not in md
    assert "&lt;b&gt;Evil &amp; Co&lt;/b&gt;&lt;script&gt;" in md
    assert r"\*daily\* \[x\](javascript:y)" in md
    assert "](javascript:" not in md.replace(r"\](javascript:", "")


def test_empty_digest_says_so(figures) -> None:
    d = select_digest(figures, Period.parse("2026-W07"))
    assert "No key figures were reported this week." in render_markdown(d, "en")
    d = select_digest(figures, Period.parse("2026-W06"), follow_entities=["Nvidia"])
    assert "本周没有符合你关注内容的数字。" in render_markdown(d, "zh")
    assert render_telegram(d, "en") and render_email(d, "en")[1]


def test_omitted_and_fallback_notes(week) -> None:
    d = select_digest(seed_figures(("zh",)), week, lang="en", max_lines=5)
    md = render_markdown(d, "en")
    assert "+6 more figures in the archive." in md
    assert "Nothing in your language this week" in md


# --- Archive HTML and index -------------------------------------------------------------------


def test_archive_html_is_standalone_and_escaped(digest, hostile) -> None:
    html = render_html(digest, "en", chart_src="2026-W06.png")
    assert html.startswith("<!DOCTYPE html>") and '<meta name="viewport"' in html
    assert '<img src="2026-W06.png"' in html and "$135B" in html
    assert "prefers-color-scheme: dark" in html
    assert '<meta name="briefbot-figures" content="11">' in html
    bad = render_html(hostile, "en")
    assert "<script" not in bad and "&lt;script&gt;" in bad
    assert 'href="javascript:' not in bad
    assert '"onmouseover="' not in bad and "%22onmouseover=%22" in bad  # percent-encoded


def test_index_lists_periods_newest_first() -> None:
    html = render_index([("2026-W05", 3), ("2026-W06", 11)], "en")
    assert html.index("2026-W06.html") < html.index("2026-W05.html")
    assert "11 figures" in html and "3 figures" in html
    assert "1 个数字" in render_index([("2026-W06", 1)], "zh")


# --- Email ------------------------------------------------------------------------------------


def test_email_html_is_inlined_with_preheader_chart_and_footer(digest) -> None:
    html, text = render_email(
        digest,
        "en",
        unsubscribe_url="https://b.example/u?s=42&t=x",
        manage_url="https://b.example/m",
    )
    assert 'src="cid:chart"' in html
    assert "max-width: 600px" in html  # inlined from the stylesheet
    assert 'class="card font"' in html and "style=" in html
    assert "display:none" in html.replace(" ", "")  # the hidden preheader...
    assert "Meta — capex up to $135B (2026) · Alibaba" in html  # ...is the top 3
    assert 'href="https://b.example/u?s=42&amp;t=x"' in html
    assert 'href="https://b.example/m"' in html and ">Unsubscribe</a>" in html
    assert "prefers-color-scheme: dark" in html  # kept for clients that support it
    assert "briefbot.invalid" not in html and "briefbot.invalid" not in text


def test_plain_text_reads_well_alone(digest) -> None:
    _, text = render_email(digest, "en", unsubscribe_url="https://b.example/u?s=42&t=x")
    lines = text.splitlines()
    assert lines[0] == "Week 2026-W06: 11 key figures"
    assert lines[1] == "2–8 February 2026"
    assert "  1. Meta — capex up to $135B (2026)" in lines
    assert "  5. ByteDance — capex ¥160B (≈ $23B, 2026)" in lines
    assert "     source: Avalaches briefing 2026-02-04 (EN, ZH)" in lines
    assert "  - spending more than $20B (2026), up 135% from $8.5B" in lines
    assert "    source: Avalaches briefing 2026-02-04 (EN, ZH)" in lines
    assert "Unsubscribe: https://b.example/u?s=42&t=x" in lines
    assert "<" not in text.replace("<https://", "")  # no markup
    assert "Manage subscription" not in text  # no manage URL given, no dangling label
    assert "\n\n\n" not in text


def test_email_without_chart_has_no_cid(week) -> None:
    only_shares = [sf for sf in seed_figures() if sf.figure.metric == "share_price"]
    html, _ = render_email(select_digest(only_shares, week), "en")
    assert "cid:chart" not in html


def test_email_escapes_hostile_text_and_rejects_bad_links(hostile) -> None:
    html, text = render_email(hostile, "en")
    assert "<script" not in html and "&lt;script&gt;" in html
    assert 'href="javascript:' not in html
    assert HOSTILE_ENTITY in text  # plain text is not HTML: shown as is
    with pytest.raises(ValueError, match="unsubscribe_url"):
        render_email(hostile, "en", unsubscribe_url="javascript:alert(1)")


def test_email_in_chinese(digest) -> None:
    html, text = render_email(digest, "zh", unsubscribe_url="https://b.example/u")
    assert '<html lang="zh">' in html and "退订" in html
    assert "1,350 亿美元" in text and "退订: https://b.example/u" in text


def test_personalised_links_do_not_leak_between_subscribers(digest) -> None:
    a, _ = render_email(digest, "en", unsubscribe_url="https://b.example/u/1")
    b, _ = render_email(digest, "en", unsubscribe_url="https://b.example/u/2")
    assert "u/1" in a and "u/2" not in a and "u/2" in b and "u/1" not in b


# --- Telegram ---------------------------------------------------------------------------------


def test_telegram_seed_digest_is_one_valid_message(digest) -> None:
    parts = render_telegram(digest, "en")
    assert len(parts) == 1
    p = check_telegram_part(parts[0])
    assert p.text.startswith("Week 2026-W06: 11 key figures")
    assert "1. Meta — capex up to $135B (2026)" in p.text
    zh = render_telegram(digest, "zh")
    assert "资本支出最高 1,350 亿美元" in check_telegram_part(zh[0]).text


def test_telegram_splits_a_huge_digest_at_boundaries(week) -> None:
    figs = []
    for i in range(400):
        f = figure(
            "en",
            dict(
                entity=f"Company {i % 37} <&> " + "x" * 60,
                metric="capex",
                value=(i + 1) * 1e9,
                unit="USD",
                period="2026",
            ),
            "s",
        )
        figs.append(
            stored(
                f,
                id=i,
                lang="en",
                item_id=f"it{i}",
                title=f"Outlet {i} & <Co>",
                url=f"https://news.example/{i}?a=1&b=2",
            )
        )
    d = select_digest(figs, week, max_lines=400)
    parts = render_telegram(d, "en")
    assert len(parts) > 5
    seen = ""
    for part in parts:
        seen += check_telegram_part(part).text
        assert not part.startswith("\n") and not part.endswith("\n")
    for i in (0, 199, 399):
        assert f"Outlet {i} & <Co>" in seen  # nothing lost, entities decoded back


def test_telegram_escapes_hostile_text(hostile) -> None:
    for part in render_telegram(hostile, "en"):
        p = check_telegram_part(part)
        assert "<script" not in part and "&lt;script&gt;" in part
        assert HOSTILE_ENTITY in p.text
        assert "javascript:" not in part.split("href=")[-1].split(">")[0] or "href" not in part


def test_split_message_hard_splits_an_overlong_line_without_cutting_entities() -> None:
    line = "<b>" + "a&amp;b " * 2000 + "</b>"
    parts = split_message("<b>head</b>\n\n" + line, limit=500)
    assert parts[0] == "<b>head</b>"
    for part in parts[1:]:
        assert tg_len(part) <= 500 and "<b>" not in part
        assert not part.endswith("&") and "&amp" not in part.replace("&amp;", "")


def test_split_counts_utf16_units() -> None:
    emoji = "📈" * 3000  # 6000 UTF-16 units
    parts = split_message(emoji)
    assert all(tg_len(p) <= 4096 for p in parts) and "".join(parts) == emoji


# --- Message and caching ----------------------------------------------------------------------


def test_render_message(digest) -> None:
    m = render_message(digest, "en", chart_png=b"\x89PNG", unsubscribe_url="https://b.example/u")
    assert (m.kind, m.key, m.subject) == (
        "digest",
        "digest:2026-W06",
        "Week 2026-W06: 11 key figures",
    )
    assert m.html and "cid:chart" in m.html and m.markdown and "$135B" in m.markdown
    assert (
        m.telegram_html
        and m.chart_png == b"\x89PNG"
        and "Unsubscribe: https://b.example/u" in m.text
    )


def test_fresh_renderer_matches_cached_one(digest) -> None:
    fresh = Renderer(cache_size=0)
    assert fresh.markdown(digest, "zh") == render_markdown(digest, "zh")
    assert fresh.telegram(digest, "en") == render_telegram(digest, "en")
    assert fresh.email(digest, "en") == render_email(digest, "en")
