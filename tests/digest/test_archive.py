from __future__ import annotations

from pathlib import Path

from bot.digest import select_digest
from bot.digest.archive import write_archive
from bot.models import Period


def test_write_archive_writes_the_period_files_and_index(digest, tmp_path: Path) -> None:
    paths = write_archive(digest, tmp_path)
    assert [p.name for p in paths] == ["2026-W06.md", "2026-W06.html", "2026-W06.png", "index.html"]
    md = (tmp_path / "2026-W06.md").read_text(encoding="utf-8")
    assert "$135B" in md and "![Bar chart: capex by company in US dollars](2026-W06.png)" in md
    assert '<img src="2026-W06.png"' in (tmp_path / "2026-W06.html").read_text(encoding="utf-8")
    assert (tmp_path / "2026-W06.png").read_bytes().startswith(b"\x89PNG")
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'href="2026-W06.html"' in index and "11 figures" in index
    assert all(p.stat().st_mode & 0o777 == 0o644 for p in paths)  # public pages, not mkstemp's 0600


def test_write_archive_is_idempotent(digest, tmp_path: Path) -> None:
    paths = write_archive(digest, tmp_path)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in paths}
    again = write_archive(digest, tmp_path)
    assert again == paths
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in again} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)


def test_index_collects_earlier_periods(figures, digest, tmp_path: Path) -> None:
    write_archive(select_digest(figures, Period.parse("2026-W05")), tmp_path)
    write_archive(digest, tmp_path)
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert index.index("2026-W06.html") < index.index("2026-W05.html")
    assert "0 figures" in index and "11 figures" in index
    write_archive(digest, tmp_path, periods_index=[("2026-W01", 4)])
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "2026-W01.html" in index and "2026-W05.html" not in index


def test_write_archive_in_chinese(digest, tmp_path: Path) -> None:
    write_archive(digest, tmp_path, lang="zh")
    assert "1,350 亿美元" in (tmp_path / "2026-W06.md").read_text(encoding="utf-8")
