"""Hostile input: huge lines, megabytes of digits, control characters. No crash, linear time.

Linearity is checked by comparing the time for an input and for the same input four times as
long (the ratio must stay well below quadratic's 16), never by a wall-clock threshold.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

import pytest

from bot.extract import extract, parse_amount

UNIT = {
    "sentence_no_breaks": "Meta said revenue rose 5% to $10 billion and Foo Corp spent 3 亿元 ",
    "digits": "9",
    "commas": "1,",
    "dots": "1.",
    "dollars": "$",
    "spaces_newline": " " * 50 + "\n",
    "cjk_numerals": "一二三万亿",
    "ranges": "$1-2bn to ",
    "control": "\x00\x01\x07\x1b\x7f5%\u200b\ufeff",
    "capitals": "Alpha Beta Gamma 10 million ",
    "periods": "in 2025 this year Q3 2024 ",
    "cjk_points": "三點三四兆一三五點五八億一一三○億",
    "power_compute": "5 GW 3兆瓦 7百萬瓩 5万P算力 280 EFLOPS ",
    "counted": "200,000 NVIDIA H100 GPUs 五座資料中心 约500台服务器 ",
    "amount_words": "several billion dollars threefold tens of billions of yuan ",
    "signs_ranges": "同比-16.5% 25%–35% 净亏损112亿元 below the price by 9% ",
    "doubling": "doubled to over 200,000 翻倍至 ",
    "not_counted": "Llama-3-70B 405 billion parameters enough to power 4 million homes ",
    "implied_money": "营收 5 亿元 3,800 亿 ",
}


def _best_time(fn: Callable[[], object], repeat: int = 5) -> float:
    """Best of ``repeat`` runs of this process's CPU time with the cyclic GC paused: in the full
    suite a collection walks every object other tests left alive, a cost unrelated to the
    extractor's own complexity (it made a 4x input look 9.6x slower in one CI run; alone the
    ratio is ~3-4), and on a busy machine wall-clock time counts other processes' turns (a 4x
    input of 1 ms timed 20x at load 7; its CPU time was 3.8x)."""
    best = float("inf")
    gc.collect()
    gc.disable()
    try:
        for _ in range(repeat):
            t0 = time.process_time()
            fn()
            best = min(best, time.process_time() - t0)
    finally:
        gc.enable()
    return best


@pytest.mark.parametrize("name", sorted(UNIT))
def test_linear_time(name: str) -> None:
    unit = UNIT[name]
    n = max(1, 20_000 // len(unit))
    small, large = unit * n, unit * (4 * n)
    extract(small)  # warm up (patterns compiled, lexicon built)
    t1 = _best_time(lambda: extract(small))
    t4 = _best_time(lambda: extract(large))
    assert t4 / max(t1, 1e-4) < 9, f"{name}: 1x {t1:.4f}s, 4x {t4:.4f}s"


def test_million_char_line() -> None:
    filler = "the quick brown fox jumps over the lazy dog and keeps running " * 15
    line = ((filler + "Nvidia revenue rose 62% to $57 billion, ") * 1_100)[:1_000_000]
    figs = extract(line)
    assert len(figs) > 1_500
    assert all(f.entity == "Nvidia" for f in figs[:10])


def test_ten_megabytes_of_digits() -> None:
    assert extract("7" * 10_000_000) == []
    assert parse_amount("7" * 10_000_000) is None


def test_control_characters() -> None:
    text = "Meta\x00 will\x1b spend\x07 $10\u200b billion\x7f.\r\nTesla \x0c 5%"
    figs = extract(text)
    assert [f.unit for f in figs] == ["USD", "percent"]
    for f in figs:
        assert 0 <= f.span[0] < f.span[1] <= len(text)


@pytest.mark.parametrize(
    "text",
    [
        "(" * 10_000,
        "$" * 10_000 + "5",
        "亿" * 10_000,
        "1" + ",000" * 5_000,
        "9." * 5_000,
        "\n" * 10_000,
        "－" * 1000 + "５",
        "百分之" * 1000,
        "點" * 10_000,
        "三點" * 5_000,
        "○" * 10_000 + "億",
        "兆" * 10_000,
        "成" * 10_000,
        "several " * 5_000 + "billion dollars",
        "Llama-" * 5_000 + "70B",
        "doubled to " * 3_000 + "200,000",
        "from to " * 1000 + "$5bn",
        "\ud800",
        "🙂" * 1000 + "$5bn",
    ],
)
def test_odd_inputs_do_not_crash(text: str) -> None:
    extract(text)


def test_dotless_i_ordinal_does_not_crash() -> None:
    from bot.extract import extract

    assert isinstance(extract("Capex was $5 billion in the fırst quarter of 2025."), list)
