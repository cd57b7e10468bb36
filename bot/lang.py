"""Language guess for a whole document (pure): the extractor's per-sentence rule, on a sample.

One rule for both, so an item and the figures extracted from it never disagree about language:
``"zh"`` when CJK characters make up at least a fifth of the letters, else ``"en"``.
"""

from __future__ import annotations

from bot.extract.sentences import detect_lang as _detect
from bot.models import Lang


def detect_lang(text: str, sample: int = 4000) -> Lang:
    """The language of the first ``sample`` characters (enough to decide, cheap for huge feeds)."""
    return _detect(text[:sample])
