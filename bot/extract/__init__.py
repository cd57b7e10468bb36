"""Figure extraction: numbers, units, periods, entities and metrics from briefing text (pure).

    from bot.extract import extract, default_lexicon
    figures = extract(text, published=date(2026, 2, 4), rates={"CNY": 0.1385})

Modules, one concept each: ``sentences`` (normalize, segments), ``numbers`` (parse_amount),
``units`` (currencies, percent, people), ``periods`` (period strings), ``entities`` (Lexicon),
``qualifiers`` (about/up to/changes), ``mentions`` (scan and merge quantities), ``figures``
(extract: attribution and the Figure objects).
"""

from bot.extract.entities import Lexicon, default_lexicon, load_lexicon
from bot.extract.figures import extract
from bot.extract.numbers import parse_amount
from bot.extract.units import parse_quantity

__all__ = [
    "Lexicon",
    "default_lexicon",
    "extract",
    "load_lexicon",
    "parse_amount",
    "parse_quantity",
]
