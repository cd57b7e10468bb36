from __future__ import annotations

from pathlib import Path

from bot.paths import CHECKOUT_TEMPLATES, templates_dir


def test_explicit_folder_wins(tmp_path: Path) -> None:
    assert templates_dir({"BRIEFBOT_TEMPLATES": str(tmp_path)}) == tmp_path


def test_checkout_templates_hold_the_digest_and_web_templates() -> None:
    assert templates_dir({}) == CHECKOUT_TEMPLATES
    assert (CHECKOUT_TEMPLATES / "digest" / "archive.md").is_file()
    assert (CHECKOUT_TEMPLATES / "web").is_dir()


def test_installed_package_uses_the_working_directory(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import bot.paths

    monkeypatch.setattr(bot.paths, "CHECKOUT_TEMPLATES", tmp_path / "site-packages" / "templates")
    assert templates_dir({}, cwd=tmp_path) == tmp_path / "templates"
