"""Who and what: a lexicon of entities (canonical name + English/Chinese aliases) and metric words.

    lex = default_lexicon()
    lex.canonical("微软") == "Microsoft"; lex.canonical("meta") == "Meta"
    lex = load_lexicon(Path("config/entities.toml"))   # built-ins extended by the user's file

The file format is documented in ``config/entities.toml``::

    [entities]
    "Moore Threads" = ["摩尔线程", "MTT"]     # a new entity, or more aliases for a built-in one

    [metrics]
    capex = ["capital outlay"]                 # more words for a metric (bot.models.Metric)

Matching in text: English aliases are whole words and case-sensitive ("Arm" is not "arm"),
Chinese ones match anywhere; metric words ignore case. Each lexicon compiles its patterns once
(a prefix trie turned into a regex, so scanning stays linear in the text length).
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Final

from bot.errors import ConfigError
from bot.extract import lexicon_data
from bot.extract.textfold import ascii_lower, simplified
from bot.extract.wordscan import PhraseFinder, is_simple, trie_regex
from bot.models import METRICS
from bot.money import CURRENCIES


def _is_latin(word: str) -> bool:
    return word[:1].isascii() and word[-1:].isascii()


def _compile(words: Iterable[str]) -> re.Pattern[str]:
    """Leftmost-longest matcher for ``words``; Latin words only as whole words.

    Same matches as ``(?<![A-Za-z0-9])LATIN(?![A-Za-z0-9])|OTHER`` (each a
    :func:`.wordscan.trie_regex`), but written as one alternation per first character, each
    branch starting with that character (Latin words before other words, as in that form) and checking the character
    before it afterwards. Starting every branch with a literal lets ``re`` jump straight to the
    positions where a word can begin instead of trying the pattern at every character.
    """
    words = sorted({w for w in words if w})
    by_first: dict[str, tuple[list[str], list[str]]] = {}
    for w in words:
        latin, other = by_first.setdefault(w[0], ([], []))
        (latin if _is_latin(w) else other).append(w[1:])
    parts = []
    for first, (latin, other) in sorted(by_first.items()):
        head = re.escape(first)
        if latin:
            # "(?<![A-Za-z0-9][\s\S])" after one character == "(?<![A-Za-z0-9])" before it.
            parts.append(head + r"(?<![A-Za-z0-9][\s\S])" + trie_regex(latin) + r"(?![A-Za-z0-9])")
        if other:
            parts.append(head + trie_regex(other))
    return re.compile("|".join(parts) if parts else r"(?!)")


def _ascii_finder(words: Iterable[str]) -> PhraseFinder | None:
    """A finder for ``words`` that, in ASCII text, gives the same matches as ``_compile(words)``
    several times faster (see :mod:`.wordscan`); None when some ASCII word is not simple.

    In ASCII text only the ASCII words can match: the others hold a non-ASCII character.
    """
    ascii_words = [w for w in words if w and w.isascii()]
    return PhraseFinder(ascii_words) if all(map(is_simple, ascii_words)) else None


# What a name found in text stands for (``Lexicon.role``).
COMPANY: Final = 0
SEGMENT: Final = 1
PERSON: Final = 2
AGGREGATE: Final = 3
ANALYST: Final = 4


def _with_simplified(names: Iterable[str]) -> list[str]:
    """``names`` plus the simplified form of any written in traditional characters (the text
    is folded to simplified before matching, see :func:`.textfold.simplified`)."""
    out: list[str] = []
    for n in names:
        out.append(n)
        s = simplified(n)
        if s != n:
            out.append(s)
    return out


def _capitalised(name: str) -> str | None:
    """``name`` with only its first letter capital, for one-word camel-cased names of six
    letters or more ("CoreWeave" -> "Coreweave"); None for any other name."""
    if (
        len(name) < 6
        or not name.isascii()
        or not name.isalpha()
        or not name[0].isupper()
        or name[1:].islower()
        or name[1:].isupper()
    ):
        return None
    return name[0] + name[1:].lower()


def _shouted(name: str) -> str | None:
    """``name`` in capitals, for a one-word name that starts lower-case and holds a capital
    ("xAI" -> "XAI": headlines and some outlets write it so); None for any other name."""
    if (
        len(name) < 3
        or not name.isascii()
        or not name.isalpha()
        or not name[0].islower()
        or name.islower()
    ):
        return None
    return name.upper()


class Lexicon:
    """Entities and metric words, with compiled matchers. Immutable; build with :meth:`extended`.

    Besides companies (``entities``), names of segments (with their parent company), people
    (with their companies), aggregates ("Big Tech") and analysts (banks, research firms) are
    found in text; :meth:`role` says which a found name is. ``fiscal_start`` maps a company to
    the first month of its fiscal year, ``currency`` to the currency it reports in.
    """

    def __init__(
        self,
        entities: Mapping[str, Iterable[str]],
        metrics: Mapping[str, Iterable[str]],
        *,
        segments: Mapping[str, tuple[str, Iterable[str]]] | None = None,
        people: Mapping[str, tuple[Iterable[str], Iterable[str]]] | None = None,
        aggregates: Mapping[str, Iterable[str]] | None = None,
        analysts: Mapping[str, Iterable[str]] | None = None,
        fiscal_start: Mapping[str, int] | None = None,
        currency: Mapping[str, str] | None = None,
    ) -> None:
        self._entities: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in entities.items()}
        self._metrics: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in metrics.items()}
        self._segments: dict[str, tuple[str, tuple[str, ...]]] = {
            k: (p, tuple(a)) for k, (p, a) in (segments or {}).items()
        }
        self._people: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
            k: (tuple(c), tuple(a)) for k, (c, a) in (people or {}).items()
        }
        self._aggregates: dict[str, tuple[str, ...]] = {
            k: tuple(v) for k, v in (aggregates or {}).items()
        }
        self._analysts: dict[str, tuple[str, ...]] = {
            k: tuple(v) for k, v in (analysts or {}).items()
        }
        self.fiscal_start: dict[str, int] = dict(fiscal_start or {})
        self.currency: dict[str, str] = dict(currency or {})
        self._lookup: dict[str, str] = {}
        for canon, aliases in self._entities.items():
            for name in _with_simplified((canon, *aliases)):
                self._lookup.setdefault(name.casefold(), canon)
        # A segment's name resolves to its parent for lookups (rules: "AWS capex" is Amazon's).
        for seg, (parent, aliases) in self._segments.items():
            for name in _with_simplified((seg, *aliases)):
                self._lookup.setdefault(
                    name.casefold(), self._lookup.get(parent.casefold(), parent)
                )
        # Every name found in text -> (label, role): the label is the canonical name of its kind.
        self._found: dict[str, tuple[str, int]] = {}
        tables: list[tuple[int, dict[str, tuple[str, ...]]]] = [
            (COMPANY, self._entities),
            (SEGMENT, {k: a for k, (_, a) in self._segments.items()}),
            (PERSON, {k: a for k, (_, a) in self._people.items()}),
            (AGGREGATE, self._aggregates),
            (ANALYST, self._analysts),
        ]
        for role, table in tables:
            for canon, aliases in table.items():
                for name in _with_simplified((canon, *aliases)):
                    self._found.setdefault(name, (canon, role))
                    if role == COMPANY:
                        # "Coreweave", "Bytedance": a camel-cased name written capitalised.
                        # "XAI": one starting lower-case written in capitals.
                        for variant in (_capitalised(name), _shouted(name)):
                            if variant is not None:
                                self._found.setdefault(variant, (canon, role))
        self._metric_lookup: dict[str, str] = {}
        for metric, words in self._metrics.items():
            for w in _with_simplified(words):
                self._metric_lookup.setdefault(" ".join(w.casefold().split()), metric)
        surface = [n for n in self._found if n]
        self._entity_re = _compile(surface)
        # In ASCII text the word finder gives the regex's matches, sharing the tokenizer pass
        # with find_metrics (see wordscan); what find_entities reports for each of its phrases.
        self._entity_finder = _ascii_finder(surface)
        self._entity_labels = {n: self._found[n][0] for n in surface if n.isascii()}
        self._found_folded = {n.casefold(): v for n, v in self._found.items()}
        self._roles: dict[str, int] = {label: role for label, role in self._found.values()}
        # Metric words match case-insensitively: patterns are lower-case and run on text whose
        # ASCII letters are lowered (same length, so offsets hold; faster than IGNORECASE).
        metric_words = [
            w.lower() if w.isascii() else w
            for ws in self._metrics.values()
            for w in _with_simplified(ws)
        ]
        self._metric_re = _compile(metric_words)
        # Entity names start mostly with capitals, which the regex skips to quickly; metric
        # words start with almost any letter, where the word finder is faster (see wordscan).
        self._metric_finder = _ascii_finder(metric_words)
        # The first words of both finders' phrases (see wordscan.PhraseFinder.firsts).
        self.first_words: frozenset[bytes] = frozenset().union(
            *(f.firsts for f in (self._entity_finder, self._metric_finder) if f is not None)
        )
        # What find_metrics reports for each word the finder finds (as it appears in the text).
        self._metric_labels = {
            w: self._metric_lookup.get(" ".join(w.casefold().split()), "other")
            for w in metric_words
        }

    def canonical(self, name: str) -> str | None:
        """Canonical company for any alias, case-insensitively, in either Chinese script:
        ``"微软"`` -> ``"Microsoft"``, ``"字節跳動"`` -> ``"ByteDance"``, ``"AWS"`` -> ``"Amazon"``."""
        key = " ".join(name.split()).casefold()
        found = self._lookup.get(key)
        if found is None and not key.isascii():
            found = self._lookup.get(simplified(key))
        return found

    def names(self) -> list[str]:
        """Canonical entity names, in lexicon order."""
        return list(self._entities)

    def aliases(self, name: str) -> tuple[str, ...]:
        canon = self.canonical(name)
        return () if canon is None else self._entities.get(canon, ())

    def role(self, label: str) -> int:
        """What a label from :meth:`find_entities` is: COMPANY, SEGMENT, PERSON, AGGREGATE or
        ANALYST (unknown labels are companies)."""
        return self._roles.get(label, COMPANY)

    def parent(self, segment: str) -> str:
        """The company a segment belongs to (``"AWS"`` -> ``"Amazon"``)."""
        return self._segments[segment][0] if segment in self._segments else segment

    def companies_of(self, person: str) -> tuple[str, ...]:
        """The companies a person speaks for, first the usual one."""
        return self._people[person][0] if person in self._people else ()

    def is_name(self, word: str) -> bool:
        """Whether ``word`` is a name this lexicon knows (any kind, case-insensitively)."""
        return " ".join(word.split()).casefold() in self._found_folded

    def metric(self, word: str) -> str | None:
        """The metric a word belongs to: ``"资本支出"`` -> ``"capex"``; None if unknown."""
        key = " ".join(word.casefold().split())
        found = self._metric_lookup.get(key)
        if found is None and not key.isascii():
            found = self._metric_lookup.get(simplified(key))
        return found

    def find_entities(
        self, text: str, low: str | None = None, low_words: Iterable[bytes] | None = None
    ) -> list[tuple[int, int, str]]:
        """(start, end, label) for every name in ``text``, in order; :meth:`role` says what
        each label is (a company's label is its canonical name).

        For ASCII ``text``, the caller may pass ``low = text.lower()`` and
        ``low_words = wordscan.words(low)`` (shared with :meth:`find_metrics`).
        """
        if self._entity_finder is not None and text.isascii():
            labels = self._entity_labels
            return [
                (s, e, labels[text[s:e]]) for s, e in self._entity_finder.find(text, low, low_words)
            ]
        found = self._found
        out = [
            (m.start(), m.end(), found[m.group()][0])
            for m in self._entity_re.finditer(text)
            # "科技股" in "智谱华章科技股份有限公司" is the name's 股份 (a company limited by
            # shares), not tech stocks
            if not (text[m.end() - 1] == "股" and text[m.end() : m.end() + 1] == "份")
            and not (m.group() in lexicon_data.WORD_NAMES and _as_word(text, m.start(), m.end()))
        ]
        return self._elided_names(text, out) if out else out

    def _elided_names(
        self, text: str, found_spans: list[tuple[int, int, str]]
    ) -> list[tuple[int, int, str]]:
        """``found_spans`` and the names a list writes without the country they share with the
        name before them: "中国移动、电信、联通" and "中国移动电信联通" list 中国电信 and 中国联通."""
        found = self._found
        extra: list[tuple[int, int, str]] = []
        starts = {s for s, _, _ in found_spans}
        for s, e, _ in found_spans:
            prefix = text[s : s + 2]
            if prefix not in _SHARED_PREFIXES or e - s < 4:
                continue
            pos = e
            while pos < len(text):
                at = pos + 1 if text[pos] in "、和与及" else pos
                for n in (2, 3, 4):
                    hit = found.get(prefix + text[at : at + n])
                    if hit is not None and at not in starts:
                        extra.append((at, at + n, hit[0]))
                        pos = at + n
                        break
                else:
                    break
        if not extra:
            return found_spans
        return sorted(found_spans + extra)

    def find_metrics(
        self, text: str, low: str | None = None, low_words: Iterable[bytes] | None = None
    ) -> list[tuple[int, int, str]]:
        """(start, end, metric) for every metric word in ``text``, in order.

        ``low``: ``ascii_lower(text)`` if the caller has it (for ASCII text, ``text.lower()``);
        ``low_words``: ``wordscan.words(low)`` (shared with :meth:`find_entities`).
        """
        look = self._metric_lookup
        if low is None:
            low = ascii_lower(text)
        if self._metric_finder is not None and low.isascii():
            # The finder's matches are its words verbatim: their labels are looked up already.
            labels = self._metric_labels
            return [
                (s, e, labels[low[s:e]]) for s, e in self._metric_finder.find(low, low, low_words)
            ]
        return [
            (m.start(), m.end(), look.get(" ".join(m.group().casefold().split()), "other"))
            for m in self._metric_re.finditer(low)
        ]

    def extended(
        self,
        entities: Mapping[str, Iterable[str]] | None = None,
        metrics: Mapping[str, Iterable[str]] | None = None,
        *,
        segments: Mapping[str, tuple[str, Iterable[str]]] | None = None,
        people: Mapping[str, tuple[Iterable[str], Iterable[str]]] | None = None,
        fiscal_start: Mapping[str, int] | None = None,
        currency: Mapping[str, str] | None = None,
    ) -> Lexicon:
        """A new lexicon with more entities/aliases, metric words, segments, people, fiscal
        years and reporting currencies (existing ones kept; a segment named again with the same
        parent gains the aliases, with another parent it is replaced, as is a person named
        again)."""
        ents = {k: list(v) for k, v in self._entities.items()}
        for name, aliases in (entities or {}).items():
            canon = self.canonical(name) or name
            if canon not in ents:
                canon = name  # a segment's name may not become a company's alias
            ents.setdefault(canon, [])
            ents[canon] += [a for a in aliases if a not in ents[canon]]
        mets = {k: list(v) for k, v in self._metrics.items()}
        for metric, words in (metrics or {}).items():
            mets.setdefault(metric, [])
            mets[metric] += list(words)
        segs: dict[str, tuple[str, Iterable[str]]] = dict(self._segments)
        for seg, (parent, aliases) in (segments or {}).items():
            parent = self.canonical(parent) or parent
            old = segs.get(seg)
            if old is not None and old[0] == parent:
                # Same parent: the config's aliases add to the built-in ones.
                aliases = (*old[1], *(a for a in aliases if a not in old[1]))
            segs[seg] = (parent, tuple(aliases))
        ppl: dict[str, tuple[Iterable[str], Iterable[str]]] = dict(self._people)
        for person, (companies, aliases) in (people or {}).items():
            ppl[person] = (tuple(self.canonical(c) or c for c in companies), tuple(aliases))
        fiscal = dict(self.fiscal_start)
        for company, month in (fiscal_start or {}).items():
            fiscal[self.canonical(company) or company] = month
        cur = dict(self.currency)
        for company, code in (currency or {}).items():
            cur[self.canonical(company) or company] = code
        return Lexicon(
            ents,
            mets,
            segments=segs,
            people=ppl,
            aggregates=self._aggregates,
            analysts=self._analysts,
            fiscal_start=fiscal,
            currency=cur,
        )


@functools.cache
def default_lexicon() -> Lexicon:
    """The built-in lexicon (compiled once per process)."""
    return Lexicon(
        lexicon_data.ENTITIES,
        lexicon_data.METRICS,
        segments=lexicon_data.SEGMENTS,
        people=lexicon_data.PEOPLE,
        aggregates=lexicon_data.AGGREGATES,
        analysts=lexicon_data.ANALYSTS,
        fiscal_start=lexicon_data.FISCAL_YEAR_START,
        currency=lexicon_data.REPORTING_CURRENCY,
    )


def _str_list(value: object, where: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return [v.strip() for v in value]
    raise ConfigError(f"{where}: expected a list of non-empty strings")


_TABLES: Final = (
    "entities",
    "metrics",
    "people",
    "segments",
    "fiscal_year_start",
    "reporting_currency",
)


def _table(data: dict[str, object], name: str, path: Path) -> dict[str, object]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: [{name}] must be a table")
    return value


def _record(value: object, where: str, key: str, example: str) -> tuple[list[str], list[str]]:
    """(``key`` values, aliases) of an inline table such as ``{company = "Meta", aliases = [..]}``."""
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a table like {example}")
    unknown = set(value) - {key, "aliases"}
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {sorted(unknown)}; expected {example}")
    if key not in value:
        raise ConfigError(f"{where}: missing '{key}'; expected {example}")
    aliases = value.get("aliases", [])
    alias_list = _str_list(aliases, f"{where}.aliases") if aliases != [] else []
    return _str_list(value[key], f"{where}.{key}"), alias_list


def load_lexicon(path: Path | None) -> Lexicon:
    """Built-ins extended by a user TOML file (see ``config/entities.toml``); ``None`` ->
    built-ins.

    Tables: ``[entities]`` (name = [aliases]), ``[metrics]`` (metric = [words]), ``[people]``
    (name = {company = "Meta" or [..], aliases = [..]}), ``[segments]`` (name = {parent =
    "Amazon", aliases = [..]}), ``[fiscal_year_start]`` (company = month 1-12),
    ``[reporting_currency]`` (company = "CNY", an ISO 4217 code). Raises
    ConfigError naming the file and the bad key when the file is malformed.
    """
    base = default_lexicon()
    if path is None:
        return base
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: cannot read entities file ({e})") from e
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: invalid TOML ({e})") from e
    unknown = set(data) - set(_TABLES)
    if unknown:
        tables = ", ".join(f"[{t}]" for t in _TABLES)
        raise ConfigError(f"{path}: unknown table(s) {sorted(unknown)}; use {tables}")
    ents_raw = _table(data, "entities", path)
    mets_raw = _table(data, "metrics", path)
    entities = {
        str(name): _str_list(aliases, f"{path}: [entities] {name}")
        for name, aliases in ents_raw.items()
    }
    metrics: dict[str, list[str]] = {}
    for metric, words in mets_raw.items():
        if metric not in METRICS or metric == "other":
            allowed = ", ".join(m for m in METRICS if m != "other")
            raise ConfigError(f"{path}: [metrics] {metric}: unknown metric (use one of {allowed})")
        metrics[metric] = _str_list(words, f"{path}: [metrics] {metric}")
    people: dict[str, tuple[Iterable[str], Iterable[str]]] = {}
    for name, value in _table(data, "people", path).items():
        companies, aliases = _record(
            value,
            f"{path}: [people] {name}",
            "company",
            '{company = "Meta", aliases = ["Zuckerberg"]}',
        )
        people[str(name)] = (companies, aliases)
    segments: dict[str, tuple[str, Iterable[str]]] = {}
    for name, value in _table(data, "segments", path).items():
        parents, aliases = _record(
            value,
            f"{path}: [segments] {name}",
            "parent",
            '{parent = "Amazon", aliases = ["Amazon Web Services"]}',
        )
        if len(parents) != 1:
            raise ConfigError(f"{path}: [segments] {name}.parent: expected one company name")
        segments[str(name)] = (parents[0], aliases)
    fiscal: dict[str, int] = {}
    for name, month in _table(data, "fiscal_year_start", path).items():
        if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
            raise ConfigError(
                f"{path}: [fiscal_year_start] {name}: expected a month number 1-12 "
                f"(7 for a fiscal year starting in July), got {month!r}"
            )
        fiscal[str(name)] = month
    currency: dict[str, str] = {}
    for name, code in _table(data, "reporting_currency", path).items():
        if not isinstance(code, str) or code not in CURRENCIES:
            raise ConfigError(
                f"{path}: [reporting_currency] {name}: expected a currency code such as "
                f'"CNY" or "TWD", got {code!r}'
            )
        currency[str(name)] = code
    if not (entities or metrics or people or segments or fiscal or currency):
        return base
    return base.extended(
        entities,
        metrics,
        segments=segments,
        people=people,
        fiscal_start=fiscal,
        currency=currency,
    )


# A short name that is also a common noun (浪潮 "wave", 曙光 "dawn", 地平线 "horizon") is the
# noun after a modifier ("AI浪潮", "这轮浪潮", "数字化浪潮", "看到曙光") or before a locative
# or a noun's verb ("浪潮中", "浪潮下", "浪潮来袭", "曙光初现").
_WORD_BEFORE: Final = re.compile(r"(?:[A-Za-z0-9的轮輪波股场場这這此那大新化潮到现現线線丝絲]\s?)$")
_WORD_AFTER: Final = re.compile(r"中|下|之|来袭|來襲|席卷|席捲|般|迭起|初现|初現|在望|上(?![市半涨漲调調])")


def _as_word(text: str, start: int, end: int) -> bool:
    return (
        _WORD_BEFORE.search(text, max(0, start - 2), start) is not None
        or _WORD_AFTER.match(text, end) is not None
    )


# Country prefixes a Chinese list of companies writes once ("中国移动、电信、联通").
_SHARED_PREFIXES: Final = frozenset({"中国", "美国", "日本", "韩国"})
