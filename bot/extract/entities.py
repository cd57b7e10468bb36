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

from bot.errors import ConfigError
from bot.extract import lexicon_data
from bot.extract.textfold import ascii_lower
from bot.extract.wordscan import PhraseFinder, is_simple, trie_regex
from bot.models import METRICS


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


class Lexicon:
    """Entities and metric words, with compiled matchers. Immutable; build with :meth:`extended`."""

    def __init__(
        self,
        entities: Mapping[str, Iterable[str]],
        metrics: Mapping[str, Iterable[str]],
    ) -> None:
        self._entities: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in entities.items()}
        self._metrics: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in metrics.items()}
        self._lookup: dict[str, str] = {}
        for canon, aliases in self._entities.items():
            for name in (canon, *aliases):
                self._lookup.setdefault(name.casefold(), canon)
        self._metric_lookup: dict[str, str] = {}
        for metric, words in self._metrics.items():
            for w in words:
                self._metric_lookup.setdefault(" ".join(w.casefold().split()), metric)
        surface = [n for canon, al in self._entities.items() for n in (canon, *al)]
        self._entity_re = _compile(surface)
        # In ASCII text the word finder gives the regex's matches, sharing the tokenizer pass
        # with find_metrics (see wordscan); what find_entities reports for each of its phrases.
        self._entity_finder = _ascii_finder(surface)
        self._entity_labels = {n: self._lookup[n.casefold()] for n in surface if n and n.isascii()}
        # Metric words match case-insensitively: patterns are lower-case and run on text whose
        # ASCII letters are lowered (same length, so offsets hold; faster than IGNORECASE).
        metric_words = [
            w.lower() if w.isascii() else w for ws in self._metrics.values() for w in ws
        ]
        self._metric_re = _compile(metric_words)
        # Entity names start mostly with capitals, which the regex skips to quickly; metric
        # words start with almost any letter, where the word finder is faster (see wordscan).
        self._metric_finder = _ascii_finder(metric_words)
        # What find_metrics reports for each word the finder finds (as it appears in the text).
        self._metric_labels = {
            w: self._metric_lookup.get(" ".join(w.casefold().split()), "other")
            for w in metric_words
        }

    def canonical(self, name: str) -> str | None:
        """Canonical name for any alias, case-insensitively: ``"微软"`` -> ``"Microsoft"``."""
        return self._lookup.get(" ".join(name.split()).casefold())

    def names(self) -> list[str]:
        """Canonical entity names, in lexicon order."""
        return list(self._entities)

    def aliases(self, name: str) -> tuple[str, ...]:
        canon = self.canonical(name)
        return () if canon is None else self._entities[canon]

    def metric(self, word: str) -> str | None:
        """The metric a word belongs to: ``"资本支出"`` -> ``"capex"``; None if unknown."""
        return self._metric_lookup.get(" ".join(word.casefold().split()))

    def find_entities(
        self, text: str, low: str | None = None, low_words: list[bytes] | None = None
    ) -> list[tuple[int, int, str]]:
        """(start, end, canonical) for every entity mention in ``text``, in order.

        For ASCII ``text``, the caller may pass ``low = text.lower()`` and
        ``low_words = wordscan.words(low)`` (shared with :meth:`find_metrics`).
        """
        if self._entity_finder is not None and text.isascii():
            labels = self._entity_labels
            return [
                (s, e, labels[text[s:e]]) for s, e in self._entity_finder.find(text, low, low_words)
            ]
        look = self._lookup
        return [
            (m.start(), m.end(), look[m.group().casefold()]) for m in self._entity_re.finditer(text)
        ]

    def find_metrics(
        self, text: str, low: str | None = None, low_words: list[bytes] | None = None
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
    ) -> Lexicon:
        """A new lexicon with more entities/aliases and metric words (existing ones kept)."""
        ents = {k: list(v) for k, v in self._entities.items()}
        for name, aliases in (entities or {}).items():
            canon = self.canonical(name) or name
            ents.setdefault(canon, [])
            ents[canon] += [a for a in aliases if a not in ents[canon]]
        mets = {k: list(v) for k, v in self._metrics.items()}
        for metric, words in (metrics or {}).items():
            mets.setdefault(metric, [])
            mets[metric] += list(words)
        return Lexicon(ents, mets)


@functools.cache
def default_lexicon() -> Lexicon:
    """The built-in lexicon (compiled once per process)."""
    return Lexicon(lexicon_data.ENTITIES, lexicon_data.METRICS)


def _str_list(value: object, where: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return [v.strip() for v in value]
    raise ConfigError(f"{where}: expected a list of non-empty strings")


def load_lexicon(path: Path | None) -> Lexicon:
    """Built-ins extended by a user TOML file (see module docstring); ``None`` -> built-ins.

    Raises ConfigError naming the file and key when the file is malformed.
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
    unknown = set(data) - {"entities", "metrics"}
    if unknown:
        raise ConfigError(f"{path}: unknown table(s) {sorted(unknown)}; use [entities], [metrics]")
    ents_raw = data.get("entities", {})
    mets_raw = data.get("metrics", {})
    if not isinstance(ents_raw, dict) or not isinstance(mets_raw, dict):
        raise ConfigError(f"{path}: [entities] and [metrics] must be tables")
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
    if not entities and not metrics:
        return base
    return base.extended(entities, metrics)
