"""Speed-ups of session 4 give what the plain forms they replace give (see each module)."""

from __future__ import annotations

import json
import random
from pathlib import Path

from bot.extract import mentions, sentences
from bot.extract import numbers as nb
from bot.extract.sentences import normalize

DATA = Path(__file__).resolve().parents[1] / "data" / "extract"


def _corpus() -> list[str]:
    texts: list[str] = []
    for name in ("labelled.jsonl", "real_dev.jsonl"):
        with (DATA / name).open(encoding="utf-8") as fh:
            texts += [json.loads(line)["text"] for line in fh if line.strip()]
    return [normalize(t) for t in texts]


def _random_texts(alphabet: str, n: int = 3000) -> list[str]:
    rng = random.Random(4)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14))) for _ in range(n)]


def test_clause_starts_are_the_clause_regex_matches() -> None:
    # Digits of other scripts are re's \d too (Arabic-Indic, full-width, Devanagari).
    edge = [",123", "1,234", "1,2345", "1,23", "a,123", "1,234,567,", "١,٢٣٤", "1,２３4x", "5,६७८"]
    for text in [*_corpus(), *edge, *_random_texts("1,a ٣")]:
        plain = [m.end() for m in sentences._CLAUSE.finditer(text)]
        assert sentences._clause_starts(text) == plain, text


def test_ascii_anchors_find_what_the_anchor_regex_finds() -> None:
    texts = [t.lower() for t in _corpus() if t.isascii()]
    texts += _random_texts("0 9tmbhnrlaiouds", 4000)
    texts += ["", "tn", "trn 5 bn", "mmn", "halfhalf", "thousand1", "bnbn9"]
    texts += ["millionbillion trillion", "illion xillion rillion tillion trrillion mbillion"]
    for hay in texts:
        anchors = mentions._AsciiAnchors(hay)
        for pos in range(len(hay) + 1):
            m = mentions._ANCHOR_ASCII.search(hay, pos)
            assert anchors.next(pos) == (m.start() if m else -1), (hay, pos)


def test_ascii_number_heads_are_the_head_regex_matches() -> None:
    assert mentions._ASCII_NUMBER == nb.NUMBER  # what _ascii_number_head reads by hand
    assert mentions._MAG_TAIL_F is not None  # the magnitude twin for lower-cased text
    texts = [t for t in _corpus() if t.isascii()]
    texts += _random_texts("0123456789,. -$US RsHKk bmBTtMxa_\n", 6000)
    texts += ["1,234,567,890,123,456.1234567", "1234567890123456789.5", "US$ 5", "a$5", "9,5",
              "1,234.", "5 lakh  crore", "5-million", "5Bn", "5 tn2", "Rs.5", "HK$12,345.67bn",
              "5T", "5t", "5Tn", "5 BILLION", "5 Million", "5 LAKH Crores", "5K", "5kb", "5 Bn."]  # fmt: skip
    for text in texts:
        folded = text.lower()
        digits = mentions._AsciiAnchors(folded).digits
        for at, ch in enumerate(text):
            if not ch.isdigit():
                continue
            pos = at
            while pos > 0 and not text[pos - 1].isdigit():
                pos -= 1
            for p in range(pos, at + 1):
                fast = mentions._ascii_number_head(text, folded, p, at, digits)
                plain = mentions._head(mentions._number_head(text, p, at))
                got = None if fast is None else (fast.s, fast.e, fast.groups)
                want = None if plain is None else (plain.s, plain.e, plain.groups)
                assert got == want, (text, p, at)


def test_ascii_prefixes_are_what_the_prefix_regex_matches() -> None:
    import itertools
    import re

    from bot.extract import units

    prefix = re.compile(units.PREFIX)
    assert all(prefix.fullmatch(p) for p in mentions._ASCII_PREFIXES)
    alphabet = sorted(set("".join(mentions._ASCII_PREFIXES)) | set("Xx1_, "))
    for n in range(1, 6):
        for chars in itertools.product(alphabet, repeat=n) if n <= 3 else ():
            word = "".join(chars)
            assert (prefix.fullmatch(word) is not None) == (word in mentions._ASCII_PREFIXES), word
    for word in _random_texts("".join(alphabet), 20000):
        assert (prefix.fullmatch(word) is not None) == (word in mentions._ASCII_PREFIXES), word
    # Heads after a prefix, its lookbehinds and the search's start (fast form against regex).
    texts = _random_texts("0123456789 $.,_USDNTHKACRMBEYJPGIFsx", 8000)
    texts += ["U.S.$5", "xU.S.$5", "1,US$5", "a,$5", "_$5", ".$5", "CA$ 5", "Rs.5", "Rs. 5",
              "SGD5", "ASGD5", "9,HK$5", "a US$ 5bn", "USD$5"]  # fmt: skip
    for text in texts:
        folded = text.lower()
        digits = mentions._AsciiAnchors(folded).digits
        for at, ch in enumerate(text):
            if not ch.isdigit():
                continue
            pos = at  # the first anchor at or after the search's start is this digit
            while pos > 0 and not text[pos - 1].isdigit():
                pos -= 1
            for p in range(pos, at + 1):
                fast = mentions._ascii_number_head(text, folded, p, at, digits)
                plain = mentions._head(mentions._number_head(text, p, at))
                got = None if fast is None else (fast.s, fast.e, fast.groups)
                want = None if plain is None else (plain.s, plain.e, plain.groups)
                assert got == want, (text, p, at)


def test_figure_cue_gate_on_ascii_text_is_the_regex() -> None:
    texts = [t.lower() for t in _corpus()]
    texts += _random_texts("capex /<>hr-wk eachper ", 3000)
    for low in texts:
        want = mentions._FIGURE_CUES_RE.search(low) is not None
        assert mentions._may_not_be_figure(low, low) == want, low


def test_supplier_gate_never_hides_a_match() -> None:
    """Where the gate says no (no purchase or product word), neither pattern matches anywhere."""
    from bot.extract import figures

    texts = [t.lower() for t in _corpus()]
    texts += ["x (a) chips", "on nvidia h100s", "（英伟达）采购", "b200 servers", "(note) gpus"]
    for low in texts:
        gate = figures._has(low, figures._SUPPLY_WORDS) or figures._HB_DIGITS.search(low)
        if gate:
            continue
        for i in range(len(low) + 1):
            assert figures._PURCHASED_AFTER.match(low, i) is None, low
            assert figures._PRODUCT_AFTER.match(low, i) is None, low


def test_full_year_gate_is_the_regex() -> None:
    from bot.extract import figures

    texts = [t.lower() for t in _corpus()]
    texts += ["full-year", "for the full year", "annually", "annual", "全年", "年度", "fully ear"]
    for low in texts:
        for lo in range(0, len(low) + 1, 7):
            hi = min(len(low), lo + 64)
            want = figures._FULL_YEAR.search(low, lo, hi) is not None
            assert figures._full_year(low, lo, hi) == want, (low, lo)


def test_supplier_patterns_without_a_bracket_near_are_their_twins() -> None:
    """Where no closing bracket is within _PAREN_REACH, the twins without the parenthetical
    match exactly what the full patterns match (and a bracket further away changes nothing)."""
    from bot.extract import figures

    texts = [t.lower() for t in _corpus()]
    texts += _random_texts(" (（)）。a的芯片采购 chipsgpus", 3000)
    texts += ["(nvidia) chips", "（英伟达，nvda）采购", " " * 29 + ") gpus", "x" * 31 + ")采购"]
    for low in texts:
        for at in range(len(low) + 1):
            reach = at + figures._PAREN_REACH
            if low.find(")", at, reach) >= 0 or low.find("）", at, reach) >= 0:
                continue
            for full, twin in (
                (figures._PURCHASED_AFTER, figures._PURCHASED_AFTER_NP),
                (figures._PRODUCT_AFTER, figures._PRODUCT_AFTER_NP),
            ):
                a, b = full.match(low, at), twin.match(low, at)
                assert (a and a.span()) == (b and b.span()), (low, at)


def test_ascii_boundaries_are_the_boundary_regex_matches() -> None:
    texts = [t for t in _corpus() if t.isascii()]
    texts += _random_texts("\n \t.!?;:aZb)]\"'09\x1c", 6000)
    texts += ["", ".", "a.B", "a.Bc", "a.BC", ").Ab", "].Ab", "1.Ab", "10:30", ":3", "3:", "\n\n\n",
              "\n \t\n\n", "x.\x1cy", "end.\n", "a\t\n b"]  # fmt: skip
    for text in texts:
        want = [x for m in sentences._BOUNDARY.finditer(text) for x in m.span()]
        assert sentences._boundaries(text) == want, text


def test_hb_digits_and_investors_gates_are_the_regexes() -> None:
    from bot.extract import figures

    texts = [t.lower() for t in _corpus()]
    texts += [*_random_texts("hb01 ٣x", 4000), "h1", "h10", "b١٢", "hb12", "xh1b23"]
    for low in texts:
        assert figures._hb_digits(low) == (figures._HB_DIGITS.search(low) is not None), low
        if low.isascii() and "other" not in low:
            assert all(figures._INVESTORS_AFTER.match(low, i) is None for i in range(len(low) + 1))


def test_month_keys_are_the_month_word_matches() -> None:
    from bot.extract import periods

    texts = _corpus() + _random_texts("JanMayDecAIS a", 4000) + ["JanFeb", "JJan", "MarMarch"]
    for text in texts:
        assert periods._month_keys(text) == periods._key_spans(text, periods._MONTH_WORDS), text


def test_magnitude_words_start_with_the_gated_letters() -> None:
    words = nb.WORD_MAGNITUDE.removeprefix("(?:").removesuffix(")").split("|")
    assert {w[0] for w in words} <= set(mentions._WMAG_FIRST), words
    for text in ["5 lakh", "5-crore", "5 cr", "5 mln", "5 bln", "5 trn", "5 thousand", "5 l", "5-"]:
        folded = text.lower()
        digits = mentions._AsciiAnchors(folded).digits
        fast = mentions._ascii_number_head(text, folded, 0, 0, digits)
        plain = mentions._head(mentions._number_head(text, 0, 0))
        assert fast is not None and plain is not None
        assert (fast.s, fast.e, fast.groups) == (plain.s, plain.e, plain.groups), text


def test_phrase_finders_given_only_first_words_find_the_same() -> None:
    """extract() passes the finders only the text's words that start some phrase."""
    from bot.extract import figures, roles, wordscan
    from bot.extract.entities import default_lexicon

    lex = default_lexicon()
    firsts = figures._first_words(lex)
    assert firsts == lex.first_words | roles.CUE_FIRSTS
    assert figures._first_words(lex) is firsts  # cached
    for text in [t for t in _corpus() if t.isascii()]:
        low = text.lower()
        every = wordscan.words(low)
        some = firsts.intersection(every)
        assert lex.find_entities(text, low, some) == lex.find_entities(text, low, every)
        assert lex.find_metrics(text, low, some) == lex.find_metrics(text, low, every)
        assert roles.Cues(low, some).spans == roles.Cues(low, every).spans


def test_ascii_multiples_are_the_multiples_regex_matches() -> None:
    from bot.extract import qualifiers as ql

    texts = [t for t in _corpus() if t.isascii()]
    texts += _random_texts("doublDOUBLhalvHALVtriplquadrupledsing x-", 6000)
    texts += ["doubled", "Doubled.", "redoubled", "doubledx", "halving", "HALVES", "quadrupled",
              "tripled-doubled", "doubles doubling", "doubl", "doubleding"]  # fmt: skip
    for text in texts:
        want = []
        for m in ql._MULTIPLES.finditer(text):
            word = m.group("w").lower()
            want.append(
                (m.start(), m.end(), next(v for k, v in ql._MULTIPLE_VALUES.items() if k in word))
            )
        assert ql._ascii_multiples(text.lower()) == want, text
