"""The plain, frozen data passed between the steps of the build."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from .dates import PartialDate
from .frozen import MAKER, pickled_by_fields

QUALIFIERS = ("exact", "about", "over", "under", "at least", "up to", "as many as")
FIGURE_KINDS = ("cumulative", "stock", "target", "amount", "count")


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Location:
    """Where a record or field is written: file, 1-based line and column."""

    file: str
    line: int | None = None
    col: int | None = None


# Where each field of a claim or event is written, as one flat tuple: the field's
# name, how many lines below the record's own line it is, and its column, for every
# field. Small numbers, relative to the record, and one tuple: a 100,000-claim
# tracker keeps a million of them, and a record moved to another line keeps them.
Positions = tuple[str | int, ...]


@functools.lru_cache(maxsize=4096)
def shared(positions: Positions) -> Positions:
    """One tuple for all the mappings and records whose fields are laid out alike (most
    of a tracker's claims are): what holds them (the values the forked reader sends
    back, the check's memo) pickles it once, and reads back one object rather than one
    per record (a seventh of the time it takes to read the memo)."""
    return positions


def field_at(positions: Positions, name: str, line: int) -> tuple[int, int] | None:
    """Where a field is written, given the line of its record; None: it has no such field."""
    for index in range(0, len(positions), 3):
        if positions[index] == name:
            lines, col = positions[index + 1], positions[index + 2]
            assert isinstance(lines, int) and isinstance(col, int)
            return line + lines, col
    return None


def _position(positions: Positions, name: str, location: Location) -> tuple[int | None, int | None]:
    """Where a field of a record is written; the record itself if it has no such field."""
    if location.line is not None and (found := field_at(positions, name, location.line)):
        return found
    return location.line, location.col


def _wrote(positions: Positions, name: str) -> bool:
    return name in positions[::3]


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Source:
    """A source document: its front matter, and its text verbatim."""

    id: str
    title: str
    publisher: str
    published: PartialDate
    kind: str
    text: str  # the document, verbatim, after the front matter
    url: str | None = None
    retrieved: PartialDate | None = None
    note: str | None = None
    location: Location = field(default_factory=lambda: Location(""))
    text_line: int = 1  # line of the file on which the text starts


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Speaker:
    """A person or body that states figures."""

    id: str
    name: str
    role: str
    affiliation: str | None = None
    location: Location = field(default_factory=lambda: Location(""))


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Figure:
    """A quantity the tracker follows across claims: a running total, a stock, a target,
    an amount or a count (its kind)."""

    id: str
    label: str
    unit: str
    kind: str
    description: str
    key: bool = False
    counting_from: PartialDate | None = None
    location: Location = field(default_factory=lambda: Location(""))


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Claim:
    """One figure stated by a speaker, as of a date, quoted from a source."""

    id: str
    figure: str
    low: float  # equal to high for a single value
    high: float
    is_range: bool
    qualifier: str
    unit: str
    as_of: PartialDate
    stated_on: PartialDate
    speaker: str
    source: str
    quote: str
    number_text: str | None = None
    note: str | None = None
    location: Location = field(default_factory=lambda: Location(""))
    positions: Positions = ()  # where each field is written (see Positions)

    @property
    def value(self) -> float:
        return self.low

    def position(self, name: str) -> tuple[int | None, int | None]:
        return _position(self.positions, name, self.location)

    def wrote(self, name: str) -> bool:
        """The record has this field in the file (not a default)."""
        return _wrote(self.positions, name)


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened on a date, quoted from a source, shown on the timeline."""

    id: str
    date: PartialDate
    title: str
    source: str
    quote: str
    speaker: str | None = None
    note: str | None = None
    location: Location = field(default_factory=lambda: Location(""))
    positions: Positions = ()  # where each field is written (see Positions)

    def position(self, name: str) -> tuple[int | None, int | None]:
        return _position(self.positions, name, self.location)


RELATION_TYPES = ("sum", "difference", "ratio", "percent")


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Relation:
    """An editor's statement that some claims should agree arithmetically.

    sum: parts add up to total; difference: whole - part = remainder; ratio:
    numerator is a part of denominator (and percent of it, when given); percent:
    percent of denominator is numerator (one of them may be missing).
    """

    id: str
    type: str
    total: str | None = None
    parts: tuple[str, ...] = ()
    whole: str | None = None
    part: str | None = None
    remainder: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    percent: str | None = None
    note: str | None = None
    location: Location = field(default_factory=lambda: Location(""))

    def claim_ids(self) -> tuple[str, ...]:
        """Every claim the relation involves, in the order its arithmetic reads."""
        single = (
            self.whole, self.part, self.remainder,
            self.numerator, self.denominator, self.percent, self.total,
        )  # fmt: skip
        return (*self.parts, *(claim_id for claim_id in single if claim_id is not None))


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Dataset:
    """Everything the editors wrote, validated: the output of validate."""

    sources: dict[str, Source]
    speakers: dict[str, Speaker]
    figures: dict[str, Figure]
    claims: dict[str, Claim]
    events: dict[str, Event]
    title: str = "facttrack"
    description: str = ""
    relations: dict[str, Relation] = field(default_factory=dict)
    url: str | None = None  # site.url: where the site is published, without a trailing /


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Span:
    """A passage of a source text: [start, end) character offsets."""

    start: int
    end: int


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a claim's or event's quote sits in its source, and its number."""

    record_id: str
    source: str
    quote: Span
    number: Span | None  # None for events
    occurrences: int = 1

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickled with its spans' offsets, rather than as two records of their own: the
        memo holds one anchor per claim, and the link workers send each one back."""
        quote, number = self.quote, self.number
        offsets = (-1, -1) if number is None else (number.start, number.end)
        return _anchor, (
            self.record_id,
            self.source,
            quote.start,
            quote.end,
            *offsets,
            self.occurrences,
        )


def _anchor(
    record_id: str,
    source: str,
    start: int,
    end: int,
    number_start: int,
    number_end: int,
    occurrences: int,
) -> Anchor:
    """An anchor as Anchor.__reduce__ pickles it (number_start -1: no number)."""
    number = None if number_start < 0 else _new_span(number_start, number_end)
    anchor: Anchor = _new_anchor(record_id, source, _new_span(start, end), number, occurrences)
    return anchor


# their makers (frozen.pickled_by_fields), looked up once for every anchor read back
_new_span = getattr(Span, MAKER)
_new_anchor = getattr(Anchor, MAKER)


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Linked:
    """The dataset with every quote anchored: the output of link."""

    data: Dataset
    claim_anchors: dict[str, Anchor]
    event_anchors: dict[str, Anchor]
