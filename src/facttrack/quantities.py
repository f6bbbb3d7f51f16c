"""Numbers as sources write them: 541,210, 1.7 million, 1.15m, one million,
100,000–165,000, 90 percent, 98%, $830, £660, 4.5 billion rupees, US$4 billion,
and number words such as eight or eleven.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SMALL = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
    "k": 1_000,
    "m": 1_000_000,
    "mn": 1_000_000,
    "bn": 1_000_000_000,
}
_CURRENCY_PREFIX = {"us$": "USD", "$": "USD", "£": "GBP", "€": "EUR", "rs": "PKR", "pkr": "PKR"}
_CURRENCY_SUFFIX = {"rupees": "PKR", "rupee": "PKR", "dollars": "USD", "pounds": "GBP"}

_WORD = "|".join(sorted([*_SMALL, *_TENS], key=len, reverse=True))
_WORD_NUMBER = rf"(?:(?:{_WORD})(?:-(?:{_WORD}))?)"
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_BIG_SCALE = r"(?:hundred|thousand|million|billion|trillion)"
_SHORT_SCALE = r"(?:bn|mn|m|k)"
# A magnitude: digits or words, then optionally scale words ("1.7 million", "one
# hundred thousand") or a glued short scale ("1.15m").
_MAGNITUDE = (
    rf"(?:{_DIGITS}{_SHORT_SCALE}|(?:{_DIGITS}|{_WORD_NUMBER})(?:\s+{_BIG_SCALE})*"
    rf"|an?\s+{_BIG_SCALE}(?:\s+{_BIG_SCALE})*)"
)
_PREFIX = r"(?:US\$|\$|£|€|(?:Rs|PKR)\.?\s?)"
_RANGE_SEP = r"(?:\s?[–—-]\s?|\s+to\s+)"
_SUFFIX = r"(?:\s?%|\s+per\s?cent|\s+rupees?|\s+dollars|\s+pounds)"

# Every number starts with a digit, a currency sign or prefix (US$, Rs, PKR), the
# first two letters of a number word (zero ... ninety) or "a " or "an " (a million):
# the lookahead turns away every other word at once, instead of trying each
# alternative there. Without it the pattern finds the same numbers (a test checks).
_WORD_STARTS = "|".join(sorted({word[:2] for word in (*_SMALL, *_TENS)}))
_FIRST_CHARACTERS = rf"(?=[\d$£€]|{_WORD_STARTS}|us\$|rs|pkr|an?\s)"
NUMBER_RE = re.compile(
    rf"(?<![\w$£€.,]){_FIRST_CHARACTERS}(?P<prefix>{_PREFIX})?(?P<low>{_MAGNITUDE})"
    rf"(?:{_RANGE_SEP}(?P<prefix2>{_PREFIX})?(?P<high>{_MAGNITUDE}))?"
    rf"(?P<suffix>{_SUFFIX})?(?![\w]|[.,]\d)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Quantity:
    """A number found in text: its span, its text and its value or range."""

    start: int
    end: int
    text: str
    low: float
    high: float
    unit: str | None  # "percent", "USD", "GBP", "PKR" when the text says so

    @property
    def is_range(self) -> bool:
        return self.low != self.high

    def equals(self, low: float, high: float) -> bool:
        return _close(self.low, low) and _close(self.high, high)

    def describe(self) -> str:
        value = _plain(self.low) if not self.is_range else f"{_plain(self.low)}–{_plain(self.high)}"
        return f"'{self.text}' ({value})"


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _plain(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


_PLAIN = re.compile(r"\d+(?:\.\d+)?")
_SHORT_SCALED = re.compile(r"(\d+(?:\.\d+)?)(bn|mn|m|k)")


def _magnitude_value(text: str) -> float:
    words = text.lower().replace(",", "").split()
    head, scales = words[0], words[1:]
    if _PLAIN.fullmatch(head):
        value = float(head)
    elif short := _SHORT_SCALED.fullmatch(head):
        value = float(short.group(1)) * _SCALES[short.group(2)]
    elif head in ("a", "an"):  # "a million"
        value = 1.0
    else:
        value = float(sum(_SMALL.get(part, 0) + _TENS.get(part, 0) for part in head.split("-")))
    for scale in scales:
        value *= _SCALES[scale]
    return value


def _unit(prefix: str | None, suffix: str | None) -> str | None:
    if suffix:
        word = suffix.strip().lower().replace(" ", "")
        if word in ("%", "percent"):
            return "percent"
        return _CURRENCY_SUFFIX[word]
    if prefix:
        return _CURRENCY_PREFIX[prefix.strip().rstrip(".").lower()]
    return None


def _from_match(match: re.Match[str], offset: int = 0) -> Quantity:
    low_text, high_text, prefix, prefix2, suffix = match.group(
        "low", "high", "prefix", "prefix2", "suffix"
    )
    low = _magnitude_value(low_text)
    high = _magnitude_value(high_text) if high_text else low
    # "1–1.5 million": the scale written once applies to both ends.
    if high_text and not re.search(r"[a-z]", low_text, re.I):
        scale_words = re.findall(_BIG_SCALE + "|" + _SHORT_SCALE + r"$", high_text, re.I)
        if scale_words and low < 1000 <= high:
            for word in scale_words:
                low *= _SCALES[word.lower()]
    unit = _unit(prefix or prefix2, suffix)
    return Quantity(
        start=match.start() + offset,
        end=match.end() + offset,
        text=match.group(0),
        low=low,
        high=high,
        unit=unit,
    )


def find_quantities(text: str) -> list[Quantity]:
    """Every number written in the text, in order."""
    return [_from_match(match) for match in NUMBER_RE.finditer(text)]


def parse_quantity(text: str) -> Quantity | None:
    """Parse text that is one number and nothing else; None when it is not."""
    stripped = text.strip()
    match = NUMBER_RE.fullmatch(stripped)
    return _from_match(match) if match else None
