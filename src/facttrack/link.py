"""Anchor every quote to character offsets in its source, and find its number.

A quote matches its source when the two are equal after collapsing runs of
whitespace; nothing else may differ. The number of a claim is its number_text,
or the one number in the quote whose value equals the claim's.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections import defaultdict
from dataclasses import dataclass

from . import parallel
from .errors import Problems
from .model import Anchor, Claim, Dataset, Event, Linked, Source, Span
from .quantities import Quantity, find_quantities, parse_quantity


def flexible_pattern(text: str) -> re.Pattern[str]:
    """A pattern matching text with any run of whitespace standing for any other."""
    words = text.split()
    return re.compile(r"\s+".join(re.escape(word) for word in words))


# every character str.split() and the pattern \s take for whitespace (str.isspace)
_WHITESPACE = (
    " \t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_NOT_SPACES = _WHITESPACE[1:]  # all but the space
_SPACES = re.compile(" +")


def _spaced(text: str) -> str:
    """The text with every whitespace character written as a space: same length, same
    offsets. One str.replace for each kind the text has: a text has few kinds (line
    breaks; tabs or no-break spaces perhaps), and a translation table, which looks up
    every character, is 4 to 10 times slower on texts with curly quotes or dashes."""
    for space in _NOT_SPACES:
        if space in text:  # a character wider than the text's own is not searched for
            text = text.replace(space, " ")
    return text


@dataclass(frozen=True)
class FlatText:
    """A text with every run of whitespace written as one space, and the way back.

    Quotes are looked up in the flat text with plain string search, one pass of
    text per source rather than one compiled pattern per quote. For every run of
    two or more whitespace characters, `jump_at` holds the first flat offset
    after it and `lag` how far flat offsets fall behind the text from there on.
    """

    flat: str
    jump_at: tuple[int, ...]
    lag: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> FlatText:
        # Only runs of two or more shift offsets. In the text with all whitespace as
        # spaces they are found by searching for two spaces: a few per paragraph, where
        # a pattern for whitespace runs (or str.split) would stop at every word.
        spaced = _spaced(text)
        jump_at: list[int] = []
        lag: list[int] = []
        kept: list[str] = []
        lagging = after_run = 0
        start = spaced.find("  ")
        while start >= 0:
            run = _SPACES.match(spaced, start)
            assert run is not None  # find() stopped at two spaces
            end = run.end()
            kept.append(spaced[after_run:start])
            after_run = end
            jump_at.append(start - lagging + 1)
            lagging += end - start - 1
            lag.append(lagging)
            start = spaced.find("  ", end)
        kept.append(spaced[after_run:])
        return cls(" ".join(kept), tuple(jump_at), tuple(lag))

    def offset(self, flat_offset: int) -> int:
        """The text offset of the character at a flat offset."""
        index = bisect.bisect_right(self.jump_at, flat_offset)
        return flat_offset + (self.lag[index - 1] if index else 0)

    def find(self, quote: str) -> tuple[Span | None, int]:
        """Where the quote first occurs (in text offsets), and how many times it does."""
        needle = " ".join(quote.split())
        if not needle:
            return None, 0
        start = self.flat.find(needle)
        if start < 0:
            return None, 0
        end = start + len(needle)  # the last character is not whitespace: map it, then step
        # str.count finds the first occurrence where find did, then goes on from its end
        count = 1 + self.flat.count(needle, end)
        return Span(self.offset(start), self.offset(end - 1) + 1), count


def find_passage(text: str, quote: str) -> tuple[Span | None, int]:
    """The first place the quote occurs in the text, and how many places it does."""
    return FlatText.of(text).find(quote)


def closest_passage(text: str, quote: str) -> str:
    """The passage of the text most like the quote, for the error message."""
    matcher = difflib.SequenceMatcher(None, text, quote, autojunk=False)
    block = matcher.find_longest_match(0, len(text), 0, len(quote))
    start = max(0, block.a - block.b)
    end = min(len(text), start + len(quote))
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    passage = " ".join(text[start:end].split())
    return passage if len(passage) <= 300 else passage[:297] + "..."


def first_difference(passage: str, quote: str) -> str:
    """Describe where the quote first departs from the passage."""
    a, b = " ".join(passage.split()), " ".join(quote.split())
    index = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    if index >= len(b):
        return ""
    return (
        f"first difference at character {index + 1} of the quote: "
        f"quote has {b[index : index + 12]!r}, source has {a[index : index + 12]!r}"
    )


def _error(problems: Problems, record: Claim | Event, key: str, message: str, hint: str) -> None:
    kind = "claim" if isinstance(record, Claim) else "event"
    line, col = record.position(key)
    problems.error(
        record.location.file,
        line,
        col,
        message,
        record=f"{kind} '{record.id}'",
        field=key,
        hint=hint,
    )


def _quote_problem(problems: Problems, record: Claim | Event, source: Source) -> None:
    passage = closest_passage(source.text, record.quote)
    hint = f'closest passage: "{passage}"'
    difference = first_difference(passage, record.quote)
    if difference:
        hint += "\n" + difference
    hint += "\ncopy the passage from the source exactly (run 'facttrack find' to locate it)"
    _error(problems, record, "quote", f"quote not found in source '{source.id}'", hint)


def _format_value(claim: Claim) -> str:
    def plain(value: float) -> str:
        return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"

    return plain(claim.low) if not claim.is_range else f"{plain(claim.low)}–{plain(claim.high)}"


def claim_number(claim: Claim, text: str, quote: Span, problems: Problems) -> Span | None:
    """Locate the claim's number inside its quote and check it equals the claim's value."""
    passage = text[quote.start : quote.end]
    if claim.number_text is not None:
        found = _written_number(claim, claim.number_text, passage, problems)
    else:
        found = _equal_number(claim, passage, problems)
    if found is None:
        return None
    quantity, start, end = found
    if quantity.unit is not None and quantity.unit != claim.unit:
        has_unit = claim.wrote("unit")
        _error(
            problems,
            claim,
            "unit" if has_unit else _value_key(claim),
            f"the quote writes '{quantity.text}', in {quantity.unit}, but the claim's unit "
            f"is '{claim.unit}'",
            f"put the claim under a figure in {quantity.unit}, or set "
            f"'unit: {quantity.unit}' on the claim",
        )
        return None
    return Span(quote.start + start, quote.start + end)


def _value_key(claim: Claim) -> str:
    return "low" if claim.is_range else "value"


def _written_number(
    claim: Claim, number_text: str, passage: str, problems: Problems
) -> tuple[Quantity, int, int] | None:
    """The claim's number_text, where it is in the passage, if it equals the claim's value."""
    quantity = parse_quantity(number_text)
    if quantity is None:
        _error(
            problems,
            claim,
            "number_text",
            f"'{number_text}' is not a number facttrack can read",
            "write the number exactly as the quote has it, e.g. '541,210', '1.7 million', '98%'",
        )
        return None
    found = flexible_pattern(number_text).search(passage)
    if found is None:
        _error(
            problems,
            claim,
            "number_text",
            f"number_text '{number_text}' does not occur in the quote",
            "copy the number from the quote exactly as written",
        )
        return None
    if not quantity.equals(claim.low, claim.high):
        what = "range" if claim.is_range else "value"
        _error(
            problems,
            claim,
            _value_key(claim),
            f"the quote says {quantity.describe()} but the claim's {what} is "
            f"{_format_value(claim)}",
            "make the value match the source, or pick the right number_text",
        )
        return None
    return quantity, found.start(), found.end()


def _equal_number(
    claim: Claim, passage: str, problems: Problems
) -> tuple[Quantity, int, int] | None:
    """The one number of the passage equal to the claim's value, and where it is."""
    candidates = [q for q in find_quantities(passage) if q.equals(claim.low, claim.high)]
    if len(candidates) != 1:
        _no_single_number(claim, passage, candidates, problems)
        return None
    quantity = candidates[0]
    return quantity, quantity.start, quantity.end


def _no_single_number(
    claim: Claim, passage: str, candidates: list[Quantity], problems: Problems
) -> None:
    key = _value_key(claim)
    if candidates:
        listed = ", ".join(q.describe() for q in candidates)
        _error(
            problems,
            claim,
            key,
            f"the quote has {len(candidates)} numbers equal to {_format_value(claim)}: {listed}",
            "add number_text with the one this claim is about",
        )
        return
    listed = ", ".join(q.describe() for q in find_quantities(passage)) or "none"
    _error(
        problems,
        claim,
        key,
        f"no number in the quote equals {_format_value(claim)}",
        f"numbers in the quote: {listed}\n"
        "fix the value, or add number_text with the number as written",
    )


LINK_CHUNK = 64  # sources a forked worker links at a time


@dataclass(frozen=True)
class _Group:
    """One source with its claims and events."""

    source: Source
    claims: tuple[Claim, ...]
    events: tuple[Event, ...]


def link(data: Dataset, problems: Problems, jobs: int = 1) -> Linked:
    """Anchor every claim and event, one source at a time (on up to `jobs` forked
    processes, sources being independent); problems are collected in source order."""
    claims_by_source: dict[str, list[Claim]] = defaultdict(list)
    for claim in data.claims.values():
        claims_by_source[claim.source].append(claim)
    events_by_source: dict[str, list[Event]] = defaultdict(list)
    for event in data.events.values():
        events_by_source[event.source].append(event)
    groups = [
        _Group(source, tuple(claims_by_source.get(i, ())), tuple(events_by_source.get(i, ())))
        for i, source in data.sources.items()
    ]
    chunks = [groups[at : at + LINK_CHUNK] for at in range(0, len(groups), LINK_CHUNK)]
    claim_anchors: dict[str, Anchor] = {}
    event_anchors: dict[str, Anchor] = {}
    for claims, events, found in parallel.forked_map(_link_groups, chunks, jobs):
        claim_anchors.update(claims)
        event_anchors.update(events)
        problems.items.extend(found.items)
    return Linked(data, claim_anchors, event_anchors)


def _link_groups(
    groups: list[_Group],
) -> tuple[dict[str, Anchor], dict[str, Anchor], Problems]:
    problems = Problems()
    claim_anchors: dict[str, Anchor] = {}
    event_anchors: dict[str, Anchor] = {}
    for group in groups:
        flat = FlatText.of(group.source.text)
        for claim in group.claims:
            if anchor := anchor_claim(flat, group.source, claim, problems):
                claim_anchors[claim.id] = anchor
        for event in group.events:
            if anchor := anchor_event(flat, group.source, event, problems):
                event_anchors[event.id] = anchor
    return claim_anchors, event_anchors, problems


def anchor_claim(flat: FlatText, source: Source, claim: Claim, problems: Problems) -> Anchor | None:
    """Where the claim's quote and number are in its source (flat: the source's FlatText)."""
    span, count = flat.find(claim.quote)
    if span is None:
        _quote_problem(problems, claim, source)
        return None
    number = claim_number(claim, source.text, span, problems)
    return None if number is None else Anchor(claim.id, source.id, span, number, count)


def anchor_event(flat: FlatText, source: Source, event: Event, problems: Problems) -> Anchor | None:
    span, count = flat.find(event.quote)
    if span is None:
        _quote_problem(problems, event, source)
        return None
    return Anchor(event.id, source.id, span, None, count)
