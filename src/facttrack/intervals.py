"""Claims as intervals: what range of true values each claim allows.

A claim says more than its number: "about 1.7 million" allows 1,615,000 to
1,785,000, "over 340,000" allows anything from 340,000 up. The consistency checks
compare and combine these intervals, so a relation fails or two claims conflict
only when no true values could satisfy both. The rules are documented in
docs/data-format.md ("How claims are read as intervals").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .frozen import pickled_by_fields
from .model import Claim

# "about" allows this fraction either side of the value, or the rounding of the
# written number when that is wider. 5% keeps "about 3.8 million" and "about 4.4
# million" apart (they are different estimates), while "about 1.7 million" still
# allows the 1,158,790 + 541,210 that the interior ministry's own reply implies.
ABOUT_TOLERANCE = 0.05
# A whole number written with at least this many trailing zeros ("340,000") is
# read as rounded to its last non-zero digit; "541,210" or "49" are exact counts.
ROUND_ZEROS = 3
INF = math.inf

_SCALE_WORDS = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}
_SCALE_WORD_RE = re.compile(rf"\b({'|'.join(_SCALE_WORDS)})\b")
_SHORT_SCALES = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000}
_DIGITS_RE = re.compile(r"(\d[\d,]*)(?:\.(\d+))?(bn|mn|m|k)?(?![\w])", re.IGNORECASE)


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Interval:
    """A closed interval of values; either end may be infinite."""

    low: float
    high: float

    @classmethod
    def point(cls, value: float) -> Interval:
        return cls(value, value)

    @property
    def is_point(self) -> bool:
        return self.low == self.high

    def overlaps(self, other: Interval) -> bool:
        return self.low <= other.high and other.low <= self.high

    def __add__(self, other: Interval) -> Interval:
        # Low ends are never +inf and high ends never -inf, so no inf - inf arises.
        return Interval(self.low + other.low, self.high + other.high)

    def __sub__(self, other: Interval) -> Interval:
        return Interval(self.low - other.high, self.high - other.low)

    def nonnegative(self) -> Interval:
        """Counts and percentages are never below zero."""
        return Interval(max(self.low, 0.0), max(self.high, 0.0))

    def times_percent(self, percent: Interval) -> Interval:
        """percent% of this (both taken as non-negative)."""
        a, p = self.nonnegative(), percent.nonnegative()
        return Interval(_mul(a.low, p.low) / 100, _mul(a.high, p.high) / 100)

    def share_of(self, whole: Interval) -> Interval:
        """This as a percentage of whole (both taken as non-negative)."""
        part, total = self.nonnegative(), whole.nonnegative()
        return Interval(_div(part.low, total.high) * 100, _div(part.high, total.low) * 100)

    def divided_by_percent(self, percent: Interval) -> Interval:
        """The whole of which this is percent%."""
        part, p = self.nonnegative(), percent.nonnegative()
        return Interval(_div(part.low * 100, p.high), _div(part.high * 100, p.low))


def _mul(a: float, b: float) -> float:
    return 0.0 if a == 0 or b == 0 else a * b  # 0 x inf is 0 here: nothing of anything


def _div(a: float, b: float) -> float:
    if a == 0:
        return 0.0
    return INF if b == 0 else a / b


def written_rounding(text: str, unit: str) -> float:
    """Half the step to which a written number is rounded: '1.7 million' -> 50,000,
    '1.15m' -> 5,000, 'one million' -> 500,000, '340,000' -> 5,000, '98%' -> 0.5,
    '541,210' or 'eight' -> 0 (exact)."""
    lowered = text.lower()
    scale = 1.0
    for word in _SCALE_WORD_RE.findall(lowered):
        scale *= _SCALE_WORDS[word]
    digits = _DIGITS_RE.search(lowered)
    if digits is None:  # number words: "one million", "a million", "eight"
        return scale / 2 if scale > 1 else 0.0
    whole, decimals, short = digits.group(1).replace(",", ""), digits.group(2), digits.group(3)
    if short:
        scale *= _SHORT_SCALES[short.lower()]
    if decimals:
        step = 10.0 ** -len(decimals)
    elif scale > 1 or unit == "percent":
        step = 1.0  # "4 million", "98%": rounded to the digit written
    else:
        zeros = len(whole) - len(whole.rstrip("0"))
        step = 10.0**zeros if zeros >= ROUND_ZEROS and whole.strip("0") else 0.0
    return step * scale / 2


def claim_interval(claim: Claim, written: str) -> Interval:
    """The values a claim allows, from its value or range, qualifier and the
    precision of its number as written in the source."""
    rounding = 0.0 if claim.is_range else written_rounding(written, claim.unit)
    low, high = claim.low, claim.high
    qualifier = claim.qualifier
    if qualifier == "exact":
        return Interval(low - rounding, high + rounding)
    if qualifier == "about":
        return Interval(
            low - max(ABOUT_TOLERANCE * abs(low), rounding),
            high + max(ABOUT_TOLERANCE * abs(high), rounding),
        )
    if qualifier in ("over", "at least"):
        return Interval(low, INF)
    if qualifier == "under":
        return Interval(-INF, high)
    assert qualifier in ("up to", "as many as"), qualifier
    return Interval(min(0.0, high), high)
