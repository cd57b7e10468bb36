from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import load_config
from bot.errors import ConfigError
from tests.conftest import ROOT

SHIPPED = ROOT / "config" / "briefbot.toml"


def write(tmp_path: Path, text: str) -> Path:
    cfg = tmp_path / "config"
    cfg.mkdir(exist_ok=True)
    p = cfg / "briefbot.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_shipped_config_loads() -> None:
    c = load_config({}, SHIPPED)
    assert c.rates["CNY"] > 0 and c.rates["USD"] == 1.0
    assert c.archive_path == ROOT / "archive"
    assert c.env.database_url == "sqlite:///briefbot.db"
    assert c.file.schedule.weekday_index == 0
    assert {r.text for r in c.file.rules} >= {"capex > 100B USD"}


def test_env_overrides(tmp_path: Path) -> None:
    c = load_config(
        {
            "BRIEFBOT_DATABASE_URL": "postgresql://postgres@127.0.0.1/test",
            "BRIEFBOT_ADMIN_CHAT_IDS": "1, 22",
            "BRIEFBOT_SMTP_PORT": "2525",
            "BRIEFBOT_TELEGRAM_TOKEN": "123:abc",
        },
        SHIPPED,
    )
    assert c.env.admin_chat_ids == (1, 22) and c.env.smtp_port == 2525
    assert c.env.telegram_token == "123:abc"


@pytest.mark.parametrize(
    ("toml", "needle"),
    [
        (
            '[rates]\nas_of = 2026-02-04\n[schedule]\ntimezone = "Mars/Base"\n',
            "schedule.timezone = 'Mars/Base': expected an IANA timezone",
        ),
        (
            '[rates]\nas_of = 2026-02-04\n[schedule]\ndigest_time = "25:00"\n',
            "schedule.digest_time = '25:00'",
        ),
        (
            "[rates]\nas_of = 2026-02-04\n[schedule]\nfeed_poll_mins = 5\n",
            "schedule.feed_poll_mins: unknown key",
        ),
        (
            '[rates]\nas_of = 2026-02-04\n[schedule]\ndigest_weekday = "caturday"\n',
            "schedule.digest_weekday = 'caturday'",
        ),
        ('[rates]\nas_of = 2026-02-04\n[[feeds]]\nurl = "ftp://x"\n', "feeds.0.url = 'ftp://x'"),
        ("[archive]\npath = 'a'\n", "rates: missing"),
        ("[rates\n", "not valid TOML"),
    ],
)
def test_bad_config_names_key_and_value(tmp_path: Path, toml: str, needle: str) -> None:
    with pytest.raises(ConfigError) as e:
        load_config({}, write(tmp_path, toml))
    assert needle in str(e.value)
    assert "\n" not in str(e.value)


def test_bad_env_names_variable() -> None:
    with pytest.raises(ConfigError, match=r"BRIEFBOT_SMTP_PORT = 'abc': expected"):
        load_config({"BRIEFBOT_SMTP_PORT": "abc"}, SHIPPED)
    with pytest.raises(ConfigError, match="BRIEFBOT_DATABASE_URL"):
        load_config({"BRIEFBOT_DATABASE_URL": "mysql://x"}, SHIPPED)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config({}, tmp_path / "nope.toml")


def test_rank_weights_are_validated_and_named(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bot.digest.rank import DEFAULT
    from bot.errors import ConfigError

    base = (ROOT / "config" / "briefbot.toml").read_text(encoding="utf-8")
    assert load_config({}, ROOT / "config" / "briefbot.toml").file.digests.rank.weights() == DEFAULT
    bad = tmp_path / "briefbot.toml"
    bad.write_text(base.replace("share_move = 7.0", "share_move = -1"), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"digests\.rank\.share_move = -1"):
        load_config({}, bad)
    bad.write_text(base.replace("headline = 6.0", "headlines = 6.0"), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"digests\.rank\.headlines: unknown key"):
        load_config({}, bad)
