"""Search the source texts for a number or a phrase; make a claim stub from each match.

An editor never retypes a quote: the stub carries the enclosing sentence
verbatim, the number as written and its value, so it passes `facttrack check`
once the figure, the speaker and the as-of date are filled in.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from . import load
from .errors import Problems
from .link import flexible_pattern
from .load import RawSource
from .model import Span
from .quantities import Quantity, find_quantities, parse_quantity

# Words before a number -> the qualifier (docs/data-notes.md, "Qualifiers").
# Longer phrases first, so "no fewer than" wins over "than".
QUALIFIER_PHRASES = (
    ("as many as", "as many as"),
    ("as high as", "as many as"),
    ("no fewer than", "at least"),
    ("no less than", "at least"),
    ("at least", "at least"),
    ("up to", "up to"),
    ("more than", "over"),
    ("in excess of", "over"),
    ("upwards of", "over"),
    ("over", "over"),
    ("above", "over"),
    ("fewer than", "under"),
    ("less than", "under"),
    ("under", "under"),
    ("below", "under"),
    ("approximately", "about"),
    ("an estimated", "about"),
    ("estimated", "about"),
    ("close to", "about"),
    ("roughly", "about"),
    ("around", "about"),
    ("nearly", "about"),
    ("almost", "about"),
    ("about", "about"),
    ("some", "about"),
)
_QUALIFIER_RE = re.compile(
    r"\b(" + "|".join(re.escape(p) for p, _ in QUALIFIER_PHRASES) + r")\s+$", re.IGNORECASE
)
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "no", "vs", "gen", "gov", "sen", "rep", "lt", "col", "capt",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "inc", "ltd", "co", "corp", "approx", "est", "e.g", "i.e", "u.s", "u.n", "u.k",
}  # fmt: skip
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?:\[\d+\])*(?=\s)")  # "visas.[15] The"
_OPENING = "\"'“‘(["
MAX_QUOTE = 400  # characters; a longer "sentence" is cut to the words around the match


@dataclass(frozen=True)
class Match:
    """One place a query was found, with what the stub needs."""

    source: RawSource
    span: Span  # the matched text
    quote: Span  # the enclosing sentence
    quantity: Quantity | None  # the number the stub is about (offsets in the source text)

    @property
    def line(self) -> int:
        return self.source.text_line + self.source.text.count("\n", 0, self.span.start)

    @property
    def col(self) -> int:
        return self.span.start - (self.source.text.rfind("\n", 0, self.span.start) + 1) + 1


def load_sources(data_dir: Path, problems: Problems) -> list[RawSource]:
    """Every readable source of the project; unreadable ones are reported and skipped."""
    return load.load_sources(data_dir, problems)[1]


def closest_source(wanted: str, ids: Iterable[str]) -> str | None:
    """The source id an editor probably meant: the only one starting so, or a near miss."""
    known = sorted(ids)
    starting = [source_id for source_id in known if source_id.startswith(wanted)]
    if len(starting) == 1:
        return starting[0]
    close = difflib.get_close_matches(wanted, known, n=1, cutoff=0.6)
    return close[0] if close else None


# -- finding ------------------------------------------------------------------


def search(sources: list[RawSource], query: str) -> list[Match]:
    """Every match of the query: a number in any written form, else a phrase."""
    number = parse_quantity(query)
    matches: list[Match] = []
    for source in sources:
        if number is not None:
            matches += _number_matches(source, number)
        else:
            matches += _phrase_matches(source, query)
    return matches


def _same_number(found: Quantity, wanted: Quantity) -> bool:
    if wanted.unit is not None and found.unit != wanted.unit:
        return False
    if found.equals(wanted.low, wanted.high):
        return True
    # a single number also finds a range that starts or ends with it
    return not wanted.is_range and (
        found.equals(wanted.low, found.high) or found.equals(found.low, wanted.low)
    )


def _number_matches(source: RawSource, number: Quantity) -> list[Match]:
    text = source.text
    return [
        Match(source, Span(q.start, q.end), sentence_around(text, Span(q.start, q.end)), q)
        for q in find_quantities(text)
        if _same_number(q, number)
    ]


def _phrase_matches(source: RawSource, phrase: str) -> list[Match]:
    if not phrase.split():
        return []
    pattern = re.compile(flexible_pattern(phrase).pattern, re.IGNORECASE)
    matches = []
    for found in pattern.finditer(source.text):
        span = Span(found.start(), found.end())
        sentence = sentence_around(source.text, span)
        inside = [
            q
            for q in find_quantities(source.text[sentence.start : sentence.end])
            if span.start <= sentence.start + q.start and sentence.start + q.end <= span.end
        ]
        quantity = _shifted(inside[0], sentence.start) if inside else None
        matches.append(Match(source, span, sentence, quantity))
    return matches


def _shifted(quantity: Quantity, offset: int) -> Quantity:
    return Quantity(
        quantity.start + offset,
        quantity.end + offset,
        quantity.text,
        quantity.low,
        quantity.high,
        quantity.unit,
    )


def _ends_sentence(text: str, match: re.Match[str]) -> bool:
    """A full stop that ends a sentence, not one of 'Oct. 3' or 'U.S.' or '3.5'."""
    word = re.search(r"([\w.]+)$", text[: match.start()])
    if match.group().startswith(".") and word:
        before = word.group(1).lower()
        if before in _ABBREVIATIONS or re.fullmatch(r"(?:[a-z]\.)*[a-z]", before):
            return False
    after = text[match.end() :].lstrip()
    return not after[:1].islower()


def sentence_around(text: str, span: Span) -> Span:
    """The sentence (or sentences) holding the span, trimmed, never across a line break."""
    line_start = text.rfind("\n", 0, span.start) + 1
    line_end = text.find("\n", span.end)
    line_end = len(text) if line_end == -1 else line_end
    start, end = line_start, line_end
    for found in _SENTENCE_END.finditer(text, line_start, line_end):
        if not _ends_sentence(text, found):
            continue
        if found.end() <= span.start:
            start = found.end()
        elif found.end() >= span.end:
            end = found.end()
            break
    start, end = _trimmed(text, start, end, span)
    if end - start > MAX_QUOTE:
        start, end = _words_around(text, start, end, span)
    return Span(start, end)


def _trimmed(text: str, start: int, end: int, span: Span) -> tuple[int, int]:
    """Strip spaces and a lone opening quotation mark, never into the match."""
    while start < span.start and (text[start].isspace() or text[start] in _OPENING):
        start += 1
    while end > span.end and text[end - 1].isspace():
        end -= 1
    return start, end


def _words_around(text: str, start: int, end: int, span: Span) -> tuple[int, int]:
    """At most about MAX_QUOTE characters of the sentence, centred on the match."""
    room = max(0, (MAX_QUOTE - (span.end - span.start)) // 2)
    new_start, new_end = max(start, span.start - room), min(end, span.end + room)
    while new_start > start and not text[new_start - 1].isspace():
        new_start -= 1  # whole words only
    while new_end < end and not text[new_end].isspace():
        new_end += 1
    return new_start, new_end


# -- stubs ----------------------------------------------------------------------


def guess_qualifier(text: str, start: int) -> str:
    """The qualifier the words just before a number imply: 'over 340,000' -> over."""
    found = _QUALIFIER_RE.search(text[max(0, start - 30) : start])
    if found is None:
        return "exact"
    words = " ".join(found.group(1).lower().split())
    return dict(QUALIFIER_PHRASES)[words]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _scalar(value: Any) -> str:
    """One YAML value, quoted only when YAML needs it, on one line."""
    dumped = yaml.safe_dump({"k": value}, allow_unicode=True, width=1_000_000, sort_keys=False)
    return dumped[len("k: ") :].rstrip("\n")


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def stub_id(match: Match) -> str:
    if match.quantity is not None:
        what = _slug(match.quantity.text)
    else:
        what = "-".join(_slug(match.source.text[match.span.start : match.span.end]).split("-")[:4])
    return f"{_slug(match.source.id)}-{what}".strip("-")


def claim_stub(match: Match, record_id: str) -> str:
    """A claims.yaml record ready to paste under 'claims:'."""
    quantity = match.quantity
    assert quantity is not None
    text = match.source.text
    published = match.source.meta.get("published")
    lines = [
        f"  - id: {record_id}",
        "    figure:      # fill in: a figure id from the figures list",
    ]
    if quantity.is_range:
        lines += [f"    low: {_number(quantity.low)}", f"    high: {_number(quantity.high)}"]
    else:
        lines.append(f"    value: {_number(quantity.low)}")
    lines += [
        f"    qualifier: {_scalar(guess_qualifier(text, quantity.start))}",
        "    as_of:       # fill in: the date the number describes, YYYY, YYYY-MM or YYYY-MM-DD"
        + (f" (the source is of {published})" if published else ""),
        "    speaker:     # fill in: who states the number, a speaker id",
        f"    source: {match.source.id}",
        f"    quote: {_scalar(text[match.quote.start : match.quote.end])}",
        f"    number_text: {_scalar(quantity.text)}",
    ]
    if quantity.unit is not None:
        lines.append(f"    unit: {quantity.unit}")
    return "\n".join(lines)


def event_stub(match: Match, record_id: str) -> str:
    """An events record ready to paste under 'events:' (for a phrase with no number)."""
    text = match.source.text
    return "\n".join(
        [
            f"  - id: {record_id}",
            "    date:        # fill in: when it happened, YYYY, YYYY-MM or YYYY-MM-DD",
            "    title:       # fill in: a short headline",
            f"    source: {match.source.id}",
            f"    quote: {_scalar(text[match.quote.start : match.quote.end])}",
        ]
    )


def stubs(matches: list[Match]) -> list[str]:
    """One stub per match; ids made unique among them (-2, -3, ...)."""
    seen: dict[str, int] = {}
    result = []
    for match in matches:
        base = stub_id(match)
        seen[base] = seen.get(base, 0) + 1
        record_id = base if seen[base] == 1 else f"{base}-{seen[base]}"
        make = claim_stub if match.quantity is not None else event_stub
        result.append(make(match, record_id))
    return result


def in_context(match: Match) -> str:
    """The sentence with the match in [brackets], on one line."""
    text = match.source.text
    quote, span = match.quote, match.span
    shown = (
        text[quote.start : span.start]
        + "["
        + text[span.start : span.end]
        + "]"
        + text[span.end : quote.end]
    )
    return " ".join(shown.split())
