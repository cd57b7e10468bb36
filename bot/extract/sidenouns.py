"""English measures that are not one of the key metrics, as metric spans of their own.

A figure takes the metric noun that governs it in its own clause ("costs rose by 19%", "profit
margins stayed at 75%", "an option for a 10% stake"). When that noun is a measure Briefbot does
not track (costs, margins, stakes, returns, cash flow, orders, spreads, headcount, ...), the
figure is labelled ``other`` rather than inheriting the sentence's revenue or profit: these
spans carry the label ``other`` and are merged with the lexicon's metric spans, so the nearest
noun wins as it does for the key metrics.

Two verb forms of a valuation are added as ``market_value`` ("a round valuing the company at
$157bn", "could value OpenAI at $300 billion"), and a deal's own worth ("a contract valued at
$17.4 billion") is ``other``: the value of an agreement is no company's market value.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["merge", "side_spans"]

# Lower-cased English text. Longer phrases first where they share a word.
_OTHER: Final = re.compile(
    r"\b(?:"
    r"(?:gross|operating|profit|net|ebitda|pre-tax|pretax|ebit|cloud|adjusted|"
    r"operating\s+profit|net\s+profit|gross\s+profit)\s+margins?"
    r"|margins?"
    r"|(?:total\s+|operating\s+|running\s+|rising\s+|higher\s+)?costs?\s+(?:of\s+revenue|of\s+sales)"
    r"|(?:total\s+|operating\s+|running\s+|energy\s+|labor\s+|labour\s+|input\s+)?costs"
    r"|operating\s+expenses?|opex|(?:r&d|research\s+and\s+development|selling|marketing|"
    r"administrative|interest|tax|total)\s+expenses?"
    r"|(?:equity\s+|ownership\s+|minority\s+|majority\s+|controlling\s+)?stakes?"
    r"|ownership|market\s+share"
    r"|(?:total\s+|index\s+|shareholder\s+|annual\s+|investment\s+)?returns"
    r"|(?:operating\s+)?cash\s+flows?(?:\s+(?:provided\s+by|from)\s+operations)?"
    r"|cash\s+(?:burn|position|pile|reserves?|balance)"
    r"|dividends?|buybacks?|share\s+repurchases?|repurchases?"
    r"|headcount|workforce|employees|jobs|staff"
    r"|(?:viewing|watch|screen)\s+time"
    r"|(?:tax|interest|utili[sz]ation|coupon)\s+rates?|yields?|spreads?"
    r"|(?:investment|valuation|fair[-\s]value)\s+(?:gains?|losses)"
    r"|depreciation|amortization|amortisation"
    r"|orders|peak\s+demand"
    r")\b"
)
# "a round valuing the company at $157bn", "could value OpenAI at $300 billion".
_VALUE_AT: Final = re.compile(
    r"\b(?:valuing|valuate[sd]?|values?)\s+(?:[\w.&'’-]+\s+){1,4}?at\b"
    r"|\b(?:valuing|valuate[sd]?)\b"
)
# "a deal valued at $17.4 billion", "an agreement worth up to $19.4 billion": the deal's worth.
_DEAL_WORTH: Final = re.compile(
    r"\b(?:deal|deals|contract|contracts|agreement|agreements|transaction|pact|package|order)"
    r"(?:\s+[\w.&'’-]+){0,2}?\s+(?:valued|worth)\b"
)
_CUES: Final = (
    "margin", "cost", "expense", "opex", "stake", "ownership", "share", "return", "cash",
    "dividend", "buyback", "repurchase", "headcount", "workforce", "employees", "jobs", "staff",
    "time", "rate", "yield", "spread", "gain", "loss", "depreciation", "amorti", "orders",
    "demand", "valu", "worth",
)  # fmt: skip


def side_spans(low: str) -> list[tuple[int, int, str]]:
    """(start, end, label) of the side measures and valuation verbs in lower-cased ``low``."""
    if not any(c in low for c in _CUES):
        return []
    out = [(m.start(), m.end(), "other") for m in _OTHER.finditer(low)]
    if "valu" in low:
        out += [
            (m.start(), m.start() + _word_len(low, m.start()), "market_value")
            for m in _VALUE_AT.finditer(low)
        ]
    if "valued" in low or "worth" in low:
        out += [(m.start(), m.end(), "other") for m in _DEAL_WORTH.finditer(low)]
    out.sort()
    return out


def _word_len(low: str, at: int) -> int:
    end = at
    while end < len(low) and low[end].isalpha():
        end += 1
    return end - at


def merge(
    spans: list[tuple[int, int, str]], extra: list[tuple[int, int, str]]
) -> list[tuple[int, int, str]]:
    """The lexicon's ``spans`` and the ``extra`` ones in order: where two overlap the longer
    one stands ("profit margin" is a margin, "free cash flow" stays free cash flow); on a tie
    the lexicon's."""
    if not extra:
        return spans
    merged = sorted(
        [(s, e, lab, 0) for s, e, lab in spans] + [(s, e, lab, 1) for s, e, lab in extra]
    )
    out: list[tuple[int, int, str, int]] = []
    for span in merged:
        if out and span[0] < out[-1][1]:
            last = out[-1]
            if (span[1] - span[0], -span[3]) > (last[1] - last[0], -last[3]):
                out[-1] = span
            continue
        out.append(span)
    return [(s, e, lab) for s, e, lab, _ in out]
