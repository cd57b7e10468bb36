from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.sources.archive import load_file, load_folder, parse_briefing
from tests.conftest import SEED


def test_seed_briefing_gives_two_language_items(seed_text: str) -> None:
    items = parse_briefing(seed_text, "archive:seed")
    assert items is not None
    assert [i.lang for i in items] == ["zh", "en"]
    for item in items:
        assert item.published == datetime(2026, 2, 4, tzinfo=UTC)
        assert len(item.paragraphs) == 3
        assert "8e5c5f71e06a.png" not in item.text
        assert "返回" not in item.text and "2026-02-04 (Wednesday)" not in item.text
    assert items[1].paragraphs[0].startswith("Big Tech shows no sign")
    assert "$135 billion" in items[1].text
    assert "1,350 亿美元" in items[0].text


def test_ids_are_stable_and_distinct(seed_text: str) -> None:
    a = parse_briefing(seed_text, "archive:seed")
    b = parse_briefing(seed_text, "archive:elsewhere")
    assert a and b
    assert [i.id for i in a] == [i.id for i in b]
    assert len({i.id for i in a}) == 2


def test_folder_with_plain_files(tmp_path: Path, seed_text: str) -> None:
    (tmp_path / "000_seed.txt").write_text(seed_text, encoding="utf-8")
    (tmp_path / "note-2026-03-02.md").write_text(
        "# Capex\n\nGoogle plans $75 billion.\n", encoding="utf-8"
    )
    (tmp_path / "page.html").write_text(
        "<html><head><style>p{}</style><script>alert(1)</script></head>"
        "<body><p>Amazon &amp; AWS spend $100 billion.</p><p>Second.</p></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "ignored.pdf").write_bytes(b"%PDF")
    res = load_folder(tmp_path)
    assert res.files == 3 and res.warnings == []
    by_name = {i.source.removeprefix("archive:"): i for i in res.items}
    md = by_name["note-2026-03-02.md"]
    assert md.published == datetime(2026, 3, 2, tzinfo=UTC) and not md.date_is_fallback
    html = by_name["page.html"]
    assert html.text == "Amazon & AWS spend $100 billion.\n\nSecond."
    assert html.date_is_fallback and html.paragraphs == (
        "Amazon & AWS spend $100 billion.",
        "Second.",
    )


def test_unknown_shape_is_one_item_with_warning(tmp_path: Path) -> None:
    bad = tmp_path / "broken.txt"
    bad.write_text("← 返回 Somewhere\n中文段落 1,350 亿美元\nno date line here\n", encoding="utf-8")
    items, warnings, error = load_file(bad, tmp_path)
    assert len(items) == 1 and items[0].lang == "zh" and error is None
    assert warnings and "not in the briefing format" in warnings[0]


def test_bad_files_warn_and_never_crash(tmp_path: Path) -> None:
    (tmp_path / "latin1.txt").write_bytes("caf\xe9 \xff\xfe".encode("latin-1"))
    (tmp_path / "empty.md").write_text("   \n", encoding="utf-8")
    (tmp_path / "bin.txt").write_bytes(b"abc\x00def")
    unreadable = tmp_path / "secret.txt"
    unreadable.write_text("x", encoding="utf-8")
    unreadable.chmod(0)
    res = load_folder(tmp_path)
    assert res.items == [] or os.geteuid() == 0  # root reads files without permissions
    errors = "\n".join(res.errors)
    assert "not UTF-8" in errors and "binary" in errors
    assert "empty" in "\n".join(res.warnings)


def test_seed_is_shipped_in_archive() -> None:
    assert SEED.exists(), "the seed briefing must ship in archive/"
    assert load_folder(SEED.parent).items


@pytest.mark.parametrize(
    "garbage", ["", "\n\n", "2026-02-04 (Wednesday) · zz", "x\n2026-13-40 (Monday) · abcdef"]
)
def test_parse_briefing_rejects_garbage(garbage: str) -> None:
    assert parse_briefing(garbage, "s") is None


def test_briefing_date(seed_text: str) -> None:
    from datetime import date

    from bot.sources.archive import briefing_date

    assert briefing_date(seed_text) == date(2026, 2, 4)
    assert briefing_date("no date here") is None
    assert briefing_date("x\n2026-13-40 (Monday) · abcdef") is None
