"""The speed-ups give the same answers as the plain forms they replace (see each module)."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from pathlib import Path

import pytest

from bot.extract import entities, mentions, periods, qualifiers, wordscan
from bot.extract.sentences import normalize
from bot.extract.textfold import ascii_lower, fold

LABELLED = Path(__file__).resolve().parents[1] / "data" / "extract" / "labelled.jsonl"
TRICKY = [
    "the quarter ended Sept. 30, 2025; Q3 2025: H1 2026 (fiscal 2025) 2026–2030",
    "revenue rose in June. 2025 sales; first half\n\n2025 and year-end 2025",
    "2025 年第三季度、前三季、上半年、截至 9 月的三个月;去年 9 月以来 5%",
    "US$ 1.5 bn, half  a million users, two million, HALF A BILLION, 三千八百亿元",
    "abc123 5nm 8e5c $60-65bn U.S.$5 Rs. 300 crore 1,350 亿美元",
    "UP TO $5 BILLION, More Than 10%, SOME 3 million; ſecond Kelvin \u212a 1 bıllion",
]


def _corpus() -> list[str]:
    texts = [json.loads(line)["text"] for line in LABELLED.open(encoding="utf-8")]
    rng = random.Random(7)
    joined = [rng.choice(["\n\n", " ", "; ", ". "]).join(rng.sample(texts, 6)) for _ in range(40)]
    return [normalize(t) for t in texts + joined + TRICKY]


def test_fold_refuses_texts_where_lower_disagrees_with_ignorecase() -> None:
    assert fold("Q3 Revenue") == "q3 revenue"
    for ch in ("\u0130", "\u0131", "\u017f", "\u212a"):
        assert fold(f"a{ch}b") is None
    assert ascii_lower("AbC ÉÜ 微软 \u212a") == "abc ÉÜ 微软 \u212a"


def _plain_periods(text: str, pub: dt.date | None) -> list[tuple[int, int, str | None]]:
    """Every pattern over the whole text, gated as before blocks existed."""
    present = {h.lower() for h in periods._TRIGGER_RE.findall(text)}
    found = []
    for (pattern, handler), triggers in zip(periods._PATTERNS, periods._TRIGGER_SETS, strict=True):
        if present.isdisjoint(triggers):
            continue
        for m in pattern.finditer(text):
            if m.end() > m.start():
                found.append((m.start(), -m.end(), handler(m, pub)))
    return found


@pytest.mark.parametrize("pub", [dt.date(2026, 2, 4)])
def test_period_blocks_find_what_whole_text_scans_find(pub: dt.date) -> None:
    for text in _corpus():
        assert sorted(periods._raw_matches(text, pub)) == sorted(_plain_periods(text, pub)), text


def test_keyed_period_patterns_find_what_whole_text_scans_find() -> None:
    texts = [
        "Julast May 2025, blast  May; the fourthird quarter; bathe first quarter 2025",
        "THE FIRST HALF of 2025, in the\n\nfirst half, Dec.5 last\tDecember 3, 2025",
        "4the first quarter, This  June, nextMay, the 1st half the 2nd quarter of fiscal 2025",
        "lasthis year, the current quarter; THE  CURRENT YEAR, nextyear, This\nQuarter, recurrent",
    ]
    pub = dt.date(2026, 2, 4)
    for text in [*_corpus(), *texts]:
        assert sorted(periods._raw_matches(text, pub)) == sorted(_plain_periods(text, pub)), text


def test_ascii_sentence_path_finds_what_trigger_gated_scans_find() -> None:
    # Short ASCII texts skip the trigger search (substring tests, whole-text runs, str.find
    # anchors); a trigger word the search misses inside another ("EnDec") must still gate.
    words = [
        "the",
        "first",
        "second",
        "third",
        "fourth",
        "1st",
        "2nd",
        "quarter",
        "quarters",
        "half",
        "three",
        "nine",
        "six",
        "months",
        "month",
        "this",
        "last",
        "next",
        "current",
        "year",
        "years",
        "end",
        "year-end",
        "spend",
        "over",
        "in",
        "within",
        "five",
        "ten",
        "12",
        "0",
        "fiscal",
        "FY",
        "FY25",
        "Q3",
        "3Q25",
        "H1",
        "2025",
        "2026",
        "1999",
        "20",
        "-",
        "~",
        "week",
        "day",
        "today",
        "a",
        "single",
        "after",
        "Dec",
        "December",
        "EnDec",
        "JuNov",
        "SecondDec",
        "Sept.",
        "May",
        "ending",
        "ended",
        "to",
        "since",
        "peak",
    ]
    seps = [" ", "", "-", "  ", ", ", ". ", "\n", "\t", "_"]
    rng = random.Random(11)
    texts = ["EnDec 2025", "EnDec 2026 and Dec 2025", "five  years", "over the next  five years"]
    for _ in range(3000):
        texts.append(
            "".join(rng.choice(words) + rng.choice(seps) for _ in range(rng.randint(1, 8)))
        )
    for pub in (dt.date(2026, 2, 4), None):
        for text in texts:
            got = sorted(periods._raw_matches(text, pub))
            assert got == sorted(_plain_periods(text, pub)), text


def test_token_anchors_find_what_finditer_finds() -> None:
    prefixes = (
        "$ US$ U.S.$ HK$ NT$ A$ AU$ C$ CA$ S$ R$ € £ ¥ ₩ ₹ USD CNY RMB Rs Rs. 人民币 新台币 百分之"
    )
    prefixed = [
        f"x {p}5 {p} 6 a{p}7 {p}two million {p} 3,000 {p}十亿 5{p}" for p in prefixes.split()
    ]
    for text in [*_corpus(), *prefixed, "百分之 two million", "x1 two million 5 x2 half a 3"]:
        plain = [(m.start(), m.end(), m.groupdict()) for m in mentions._TOKEN.finditer(text)]
        for folded in (fold(text), None):
            fast = [
                (m.start(), end, {**m.groupdict(), "suf": suf})
                for m, suf, end in mentions._token_matches(text, folded)
            ]
            assert fast == plain, text


def _plain_lexicon_regex(words: list[str]) -> re.Pattern[str]:
    latin = [w for w in words if entities._is_latin(w)]
    other = [w for w in words if not entities._is_latin(w)]
    parts = [r"(?<![A-Za-z0-9])" + wordscan.trie_regex(latin) + r"(?![A-Za-z0-9])"]
    parts.append(wordscan.trie_regex(other))
    return re.compile("|".join(parts))


def test_lexicon_regex_matches_like_the_plain_alternation() -> None:
    words = ["Meta", "Meta Platforms", "Meta平台", "A股份", "AB", "A", "Amazon.com", "微软", "x"]
    fast, plain = entities._compile(words), _plain_lexicon_regex(sorted(set(words)))
    for text in [*_corpus(), "Meta平台 A股份 AB A Amazon.com.cn xA Ax 微软x", "MetaPlatforms"]:
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_lower_case_twins_have_no_upper_case_letters() -> None:
    """A twin runs on lower-cased text, so an upper-case letter in it could never match."""
    for twin in (
        qualifiers._QUAL_BEFORE_F,
        qualifiers._QUAL_AFTER_F,
        qualifiers._CHANGE_BEFORE_F,
        qualifiers._CHANGE_AFTER_F,
        qualifiers._BASIS_F,
        mentions._SUFFIX_F,
        mentions._PEOPLE_F,
        mentions._ANCHOR_F,
        mentions._OPEN_CONV_F,
        mentions._FROM_BEFORE_F,
        mentions._MOVE_GAP_F,
        mentions._RANGE_GAP_F,
        mentions._BETWEEN_BEFORE_F,
        mentions._COMPARE_GAP_F,
    ):
        source = re.sub(r"\[[^\]]*\]|\\.|\(\?P<\w+>", "", twin.pattern)
        assert not re.search(r"[A-Z]", source), twin.pattern


def test_period_twins_have_no_upper_case_letters() -> None:
    for twin in periods._FOLDED_TWINS.values():
        source = re.sub(r"\[[^\]]*\]|\\.|\(\?P<\w+>", "", twin.pattern)
        assert not re.search(r"[A-Z]", source), twin.pattern


def test_year_patterns_match_their_lookbehind_first_forms() -> None:
    year = periods._YEAR
    plain = {
        19: re.compile(
            rf"(?<![\d.,$A-Za-z])(?P<y>{year})(?![\d%A-Za-z])(?!\s*(?:亿|万|billion|million))"
        ),
        16: re.compile(rf"(?<!\d)(?P<a>{year})\s*[-~至到]\s*(?P<b>{year})(?!\d)"),
    }
    texts = [*_corpus(), "x2025 .2025 2025-2026 12025 2019~2020年 $2020 2025亿 2026 billion a2020"]
    for i, pattern in plain.items():
        fast = periods._PATTERNS[i][0]
        for text in texts:
            assert [(m.span(), m.groups()) for m in fast.finditer(text)] == [
                (m.span(), m.groups()) for m in pattern.finditer(text)
            ], text


_PHRASE_WORDS = (
    "up to as much high at the most a an maximum of no not more than record peak least less "
    "fewer over above topped under below shy close just nearly about roughly approx. some "
    "estimated approximate rose fell rise increase growth by wiped out cut down higher "
    "year-on-year annual from a year earlier prior quarter sequentially yoy 约 超过 增长 了 达 "
    "Up TO Over , $ ~"
)


def _phrase_texts() -> list[str]:
    """Numbers after random runs of the words the qualifier/change/basis patterns use."""
    words = _PHRASE_WORDS.split()
    rng = random.Random(3)
    out = []
    for _ in range(3000):
        pre = "".join(rng.choice(words) + rng.choice([" ", "  ", "\n", ""]) for _ in range(6))
        out.append(pre + "5% " + " ".join(rng.choice(words) for _ in range(4)))
    # Every word that may come before "of"/"to" in a phrase, and a few that may not.
    before = "increase rise jump surge growth decrease drop decline fall loss maximum minimum "
    before += "record peak excess upwards north shy up close wiped raised lowered xup sup so"
    out += [f"a {a} {b} 5% x" for a in before.split() for b in ("of", "to", "by", "out")]
    return out


def test_word_lookups_agree_with_the_case_insensitive_searches() -> None:
    """On lower-cased text the qualifier/change/basis lookups skip or narrow the end-anchored
    searches (word tables, word counts, needed words); the IGNORECASE path does no such thing."""
    for text in _phrase_texts():
        low = fold(text)
        assert low is not None
        start = text.index("5%")
        end, hi = start + 2, len(text)
        for lo in (0, max(0, start - 10)):
            for fn in (qualifiers.qualifier, qualifiers.change, qualifiers.change_basis):
                assert fn(low, start, end, lo, hi, folded=True) == fn(
                    text, start, end, lo, hi, folded=False
                ), (fn.__name__, text, lo)


def test_phrase_finder_matches_like_the_lexicon_regex() -> None:
    from bot.extract.wordscan import PhraseFinder, is_simple

    words = ["data", "data center", "data centers", "build-out", "a", "a b c", "ab", "9x", "x 9"]
    words += ["Amazon.com", "Amazon", "JD.com", "r&d", "AB", "Meta", "Meta Platforms"]
    assert all(map(is_simple, words))
    assert not any(map(is_simple, ["x.", " x", "-x", "微软", "SK海力士", ""]))
    fast, regex = PhraseFinder(words), entities._compile(words)
    rng = random.Random(3)
    vocab = [*words, "build", "out", "center", "b", "c", "-", " ", "  ", ".", "_", "0", "x9", "&"]
    vocab += ["com", "Platforms", "D", "r", "&d", "Am"]
    texts = [t for t in _corpus() if t.isascii()]
    texts += ["".join(rng.choice(vocab) for _ in range(rng.randint(0, 12))) for _ in range(4000)]
    for text in texts:
        expected = [m.span() for m in regex.finditer(text)]
        assert fast.find(text) == expected, text
        low = text.lower()
        assert fast.find(text, low, wordscan.words(low)) == expected, text
    lex = entities.default_lexicon()
    for text in [*texts[:400], "Meta META meta Amazon.com amazon.com ARM Arm arm"]:
        low = text.lower()
        regex_hits = [
            (m.start(), m.end(), lex._found[m.group()][0]) for m in lex._entity_re.finditer(text)
        ]
        assert lex.find_entities(text) == regex_hits, text
        assert lex.find_entities(text, low, wordscan.words(low)) == regex_hits, text
    for text in texts[:400]:
        low = ascii_lower(text)
        assert [(s, e) for s, e, _ in lex.find_metrics(text)] == [
            m.span() for m in lex._metric_re.finditer(low)
        ], text


def test_after_windows_start_only_with_their_first_characters() -> None:
    """No _QUAL_AFTER_F/_CHANGE_AFTER_F match starts (after spaces) with another character."""
    for pattern, first in (
        (qualifiers._QUAL_AFTER_F, qualifiers._QUAL_AFTER_FIRST),
        (qualifiers._CHANGE_AFTER_F, qualifiers._CHANGE_AFTER_FIRST),
    ):
        words = set(re.findall(r"[a-z\u4e00-\u9fff-]+", pattern.pattern))
        words |= {"or so", "or more", "year-on-year rise", "annual rise", "的增长", "的跌幅"}
        chars = {chr(c) for c in range(0x3000)} | set("".join(words))
        for c in sorted(chars - first):
            if not c.isspace():
                assert not any(pattern.match(c + w[1:]) for w in words), (pattern.pattern, c)


def test_object_matches_end_with_their_last_characters() -> None:
    from bot.extract import figures

    words = re.findall(r"[a-z]+", figures._OBJECT_BEFORE.pattern.split(")\\s+")[0])
    cjk = re.findall(r"[\u4e00-\u9fff]+", figures._OBJECT_BEFORE.pattern)
    ends = {w[-1] for w in words if w not in ("a", "z")} | {w[-1] for w in cjk} | set("向对给比较")
    assert {c.lower() for c in figures._OBJECT_LAST} == ends
    extra = [
        "sold to  Meta",
        "向 Meta",
        "FROM\tMeta",
        "infinity Meta",
        "用于英伟达",
        "向辉达采购 Nvidia",
    ]
    for text in [*_corpus(), *extra]:
        for i in range(len(text) + 1):
            for lo in (max(0, i - 8), 0):
                if figures._OBJECT_BEFORE.search(text, lo, i):
                    assert text[lo:i].rstrip()[-1:] in figures._OBJECT_LAST, (text, lo, i)


def test_people_and_counted_need_a_letter_within_two_spaces() -> None:
    extra = ["5  users", "5   users", "5 \tſhares", "5 名用户", "5\n台", "5 - units", "5 (users)"]
    for text in [*_corpus(), *extra]:
        for i in range(len(text) + 1):
            if not text[i : i + 3].lstrip()[:1].isalpha():
                assert mentions._PEOPLE.match(text, i) is None, (text, i)
                assert mentions._COUNTED.match(text, i) is None, (text, i)


def test_qualifier_and_change_equals_the_two_calls() -> None:
    extra = ["up to 5%", "rose as much as 5%", "about 5 or so", "fell nearly 5% year-on-year"]
    for text in [*_corpus(), *extra]:
        low = fold(text) or text
        for m in re.finditer(r"\d+%?", low):
            for lo in (0, max(0, m.start() - 10)):
                args = (low, m.start(), m.end(), lo, len(low))
                qual, qstart = qualifiers.qualifier(*args, folded=True)
                direction = qualifiers.change(low, qstart, m.end(), lo, len(low), folded=True)
                assert qualifiers.qualifier_and_change(*args, folded=True) == (
                    qual,
                    qstart,
                    direction,
                ), (text, m.start())


def test_trigger_tries_find_what_the_longest_first_alternations_find() -> None:
    words = sorted({t for ts in periods._TRIGGERS for t in ts}, key=len, reverse=True)
    plain = re.compile("|".join(map(re.escape, words)))
    plain_ascii = re.compile("|".join(re.escape(w) for w in words if w.isascii()))
    extra = ["quarterly q3 fy2025 fiscal first-half 前三季度 财年 一周 19 2000 endq", "qq"]
    for text in [*_corpus(), *extra]:
        low = text.lower()
        assert periods._TRIGGER_FOLDED_RE.findall(low) == plain.findall(low), text
        assert periods._TRIGGER_ASCII_RE.findall(low) == plain_ascii.findall(low), text


def test_period_gates_hit_wherever_their_pattern_matches() -> None:
    extra = [
        "year-end. year-end 2025, the end of 2025; end-2026 the END-2025 the\nend of next year",
        "the week after; a single day. in the single day following 一周 上一星期 单日 当日 一天内",
        "spend trend depend ended endless weekday today Monday",
    ]
    for text in [*_corpus(), *extra]:
        low = fold(text)
        if low is None:
            continue  # gates run only on lower-cased copies
        for i, gate in periods._GATES.items():
            pattern = periods._FOLDED_TWINS.get(i, periods._PATTERNS[i][0])
            if pattern.search(low) is not None:
                assert gate.search(low) is not None, (i, text)


def test_need_tries_find_the_first_hit_where_the_alternations_do() -> None:
    for (words, _), (need, _) in zip(periods._NEEDS, periods._NEED_RES, strict=True):
        plain = re.compile("|".join(map(re.escape, words)))
        for text in [*_corpus(), " ".join(words), "Ma May Jun June 19 1920 前9 前三 年底"]:
            for hay in (text, text.lower()):
                for pos in range(0, len(hay) + 1, 7):
                    a, b = need.search(hay, pos), plain.search(hay, pos)
                    assert (a and a.start()) == (b and b.start()), (words, hay, pos)


def test_basis_needs_trie_finds_what_the_alternation_finds() -> None:
    plain = re.compile("|".join(map(re.escape, qualifiers._BASIS_WORDS)) + r"|[^\x00-\x7f]")
    for text in [*_corpus(), "y/ yo q/ m/m yearly highs 同比", "earl year"]:
        low = text.lower()
        for pos in range(0, len(low) + 1, 5):
            for end in (pos + 12, pos + 45):
                a = qualifiers._may_hold_basis(low, pos, end)
                assert a == (plain.search(low, pos, end) is not None), (low, pos)


def test_multiple_needs_check_is_any_of_the_needs() -> None:
    for word in qualifiers._MULTIPLE_NEEDS:
        assert qualifiers._may_have_multiples(f"x {word} y")
    assert not qualifiers._may_have_multiples("rose 5% to $10 billion, a half")


def test_normalize_maps_no_printable_ascii_character() -> None:
    """normalize returns printable ASCII text as it is: nothing there is mapped."""
    from bot.extract import sentences

    assert all(not chr(c).isprintable() for c in sentences._MAP if c < 128)
    assert normalize("Q3 revenue: $5bn (up 3%)") == "Q3 revenue: $5bn (up 3%)"
    assert normalize("a\tb\r\x00") == "a b\n "


def test_starting_forms_search_like_the_twins() -> None:
    """The zero-width start test in front of an end-anchored twin changes no search result."""
    pairs = [
        (qualifiers._QUAL_BEFORE_F, qualifiers._QUAL_BEFORE_S),
        (qualifiers._CHANGE_BEFORE_F, qualifiers._CHANGE_BEFORE_S),
        (qualifiers._BASIS_F, qualifiers._BASIS_S),
    ]
    extra = [
        "up to 5", "(up to 5", "~5", "≈5", "约 5", "同比增长 5", "y/y 5", "q/q", "m/m", "yoy",
        "compared with a year earlier", "versus the prior year", "from a record high", "on the year",
        "sequentially", "annually", "grew by 5", "an increase of 5", "xup to 5", "最高达 5",
    ]  # fmt: skip
    for text in [*_corpus(), *extra]:
        low = fold(text)
        if low is None:
            continue
        for end in range(0, len(low) + 1, 3):
            for lo in (max(0, end - 30), max(0, end - 45)):
                for plain, fast in pairs:
                    a, b = plain.search(low, lo, end), fast.search(low, lo, end)
                    assert (a and (a.span(), a.lastgroup, a.groupdict())) == (
                        b and (b.span(), b.lastgroup, b.groupdict())
                    ), (text, lo, end, plain.pattern[:30])


def test_words_are_the_letter_and_digit_runs() -> None:
    for text in [*_corpus(), "a_b-c.d\te\x00f\x7fg 微软x9 é1 \udc80z", ""]:
        expected = [w.encode("utf-8", "surrogatepass") for w in re.findall(r"[A-Za-z0-9]+", text)]
        assert wordscan.words(text) == expected, text


def _first_chars(pattern: str) -> set[str]:
    """Characters a match of ``pattern`` can start with (literals, classes of literals and
    ranges, alternations, groups, repeats; zero-width assertions are passed over)."""
    from re import _constants as sre  # type: ignore[attr-defined]
    from re import _parser

    def seq(items: list[tuple[object, object]]) -> tuple[set[str], bool]:
        out: set[str] = set()
        for op, av in items:
            chars, nullable = one(op, av)
            out |= chars
            if not nullable:
                return out, False
        return out, True

    def one(op: object, av: object) -> tuple[set[str], bool]:
        if op is sre.LITERAL:
            return {chr(av)}, False  # type: ignore[arg-type]
        if op is sre.IN:
            chars: set[str] = set()
            for o, a in av:  # type: ignore[attr-defined]
                assert o in (sre.LITERAL, sre.RANGE), (o, a)
                lo, hi = (a, a) if o is sre.LITERAL else a
                chars |= {chr(c) for c in range(lo, hi + 1)}
            return chars, False
        if op is sre.BRANCH:
            parts = [seq(alt) for alt in av[1]]  # type: ignore[index]
            return set().union(*(p[0] for p in parts)), any(p[1] for p in parts)
        if op is sre.SUBPATTERN:
            return seq(av[3])  # type: ignore[index]
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            chars, nullable = seq(av[2])  # type: ignore[index]
            return chars, nullable or av[0] == 0  # type: ignore[index]
        assert op in (sre.ASSERT, sre.ASSERT_NOT, sre.AT), op
        return set(), True

    chars, nullable = seq(list(_parser.parse(pattern)))
    assert not nullable
    return chars


def test_suffix_first_characters_are_the_patterns() -> None:
    assert _first_chars(mentions._SUFFIX_F.pattern[len(r"\s?") :]) == set(mentions._SUFFIX_FIRST)
    for text in [*_corpus(), "5 usd", "5\tusd", "5  usd", "5 ", "5", "5%", "5 个百分点"]:
        low = fold(text) or text
        for end in range(len(low) + 1):
            may = mentions._may_have_suffix(low, end, len(low))
            assert may or mentions._SUFFIX_F.match(low, end) is None, (text, end)


def test_from_before_string_test_agrees_with_the_search() -> None:
    for text in [*_corpus(), "from 5", "from  5", "xfrom 5", "由5", "从 5", "From\t5", "from\n5"]:
        low = fold(text)
        if low is None:
            continue
        for start in range(len(low) + 1):
            plain = mentions._FROM_BEFORE_F.search(low, max(0, start - 8), start) is not None
            assert mentions._from_before(low, start, True) == plain, (text, start)


def test_ascii_anchors_are_the_anchors() -> None:
    extra = ["thousand trillion trn tn million mln mn billion bln bn half", "tmbh 0 9 t m b h x"]
    for text in [*_corpus(), *extra]:
        low = fold(text)
        if low is None or not low.isascii():
            continue
        for pos in range(len(low) + 1):
            plain = mentions._ANCHOR_F.search(low, pos)
            fast = mentions._ANCHOR_ASCII.search(low, pos)
            assert (plain and plain.start()) == (fast and fast.start()), (text, pos)
