"""Lexicon: canonical names, user files, matching rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.extract import Lexicon, default_lexicon, extract, load_lexicon

CONFIG = Path(__file__).parents[2] / "config" / "entities.toml"


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [("微软", "Microsoft"), ("meta", "Meta"), ("Alphabet", "Google"), ("谷歌", "Google"),
     ("英伟达", "Nvidia"), ("台积电", "TSMC"), ("SK海力士", "SK Hynix"), ("字节跳动", "ByteDance"),
     ("甲骨文", "Oracle"), ("特斯拉", "Tesla"), ("亚马逊", "Amazon"), ("阿里巴巴", "Alibaba"),
     ("腾讯", "Tencent"), ("华硕", "ASUS"), ("联想", "Lenovo"), ("xai", "xAI"), ("Dola", "Dola")],
)  # fmt: skip
def test_canonical(alias: str, canonical: str) -> None:
    assert default_lexicon().canonical(alias) == canonical


def test_names_and_unknown() -> None:
    lex = default_lexicon()
    assert {"Meta", "OpenAI", "Anthropic", "CoreWeave", "Synopsys"} <= set(lex.names())
    assert lex.canonical("Nonexistent Corp") is None
    assert default_lexicon() is lex  # cached


def test_english_aliases_are_case_sensitive_words() -> None:
    found = default_lexicon().find_entities("an arm and metadata; Arm and Meta")
    assert [name for _, _, name in found] == ["Arm", "Meta"]


def test_chinese_aliases_inside_text() -> None:
    found = default_lexicon().find_entities("据悉腾讯和阿里巴巴")
    assert [name for _, _, name in found] == ["Tencent", "Alibaba"]


def test_metric_words() -> None:
    lex = default_lexicon()
    assert lex.metric("资本支出") == "capex" and lex.metric("Capital Expenditures") == "capex"
    assert lex.metric("股价") == "share_price" and lex.metric("活跃用户") == "users"


def test_config_file_extends_builtins() -> None:
    lex = load_lexicon(CONFIG)
    assert lex.canonical("中际旭创") == "Zhongji Innolight"
    assert lex.canonical("老黄") == "Nvidia" and lex.canonical("英伟达") == "Nvidia"
    assert lex.metric("capital outlay") == "capex"
    f = extract("中际旭创营收 100 亿元", lexicon=lex)[0]
    assert f.entity == "Zhongji Innolight" and f.metric == "revenue"
    assert load_lexicon(None) is default_lexicon()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[entities]\nFoo = 3\n", "[entities] Foo"),
        ("[metrics]\nsales = ['x']\n", "[metrics] sales: unknown metric"),
        ("[persons]\n", "unknown table"),
        ("[people]\nBob = 'Meta'\n", "[people] Bob: expected a table"),
        ("[people]\nBob = {firm = 'Meta'}\n", "[people] Bob: unknown key"),
        ("[people]\nBob = {aliases = ['B']}\n", "[people] Bob: missing 'company'"),
        ("[segments]\nX = {parent = ['A', 'B']}\n", "[segments] X.parent: expected one"),
        ("[segments]\nX = {parent = 'A', aliases = [1]}\n", "[segments] X.aliases"),
        ("[fiscal_year_start]\nAcme = 13\n", "[fiscal_year_start] Acme: expected a month"),
        ("[fiscal_year_start]\nAcme = 'July'\n", "[fiscal_year_start] Acme"),
        ("[reporting_currency]\nAcme = 'yuan'\n", "[reporting_currency] Acme: expected a"),
        ("not toml = = =", "invalid TOML"),
    ],
)
def test_config_errors_name_the_key(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "entities.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_lexicon(path)


def test_custom_lexicon_object() -> None:
    lex = Lexicon({"Acme": ["阿克米"]}, {"revenue": ["revenue"]})
    f = extract("Acme revenue was $5 billion.", lexicon=lex)[0]
    assert (f.entity, f.metric) == ("Acme", "revenue")
