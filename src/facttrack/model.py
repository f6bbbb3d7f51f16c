"""The plain, frozen data passed between the steps of the build."""

from __future__ import annotations

from dataclasses import dataclass, field

from .dates import PartialDate

QUALIFIERS = ("exact", "about", "over", "under", "at least", "up to", "as many as")
FIGURE_KINDS = ("cumulative", "stock", "target", "amount", "count")


@dataclass(frozen=True)
class Location:
    """Where a record or field is written: file, 1-based line and column."""

    file: str
    line: int | None = None
    col: int | None = None


def _position(
    positions: tuple[tuple[str, int, int], ...], name: str, location: Location
) -> tuple[int | None, int | None]:
    """Where a field of a record is written; the record itself if it has no such field."""
    for field_name, line, col in positions:
        if field_name == name:
            return line, col
    return location.line, location.col


@dataclass(frozen=True)
class Source:
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


@dataclass(frozen=True)
class Speaker:
    id: str
    name: str
    role: str
    affiliation: str | None = None
    location: Location = field(default_factory=lambda: Location(""))


@dataclass(frozen=True)
class Figure:
    id: str
    label: str
    unit: str
    kind: str
    description: str
    key: bool = False
    counting_from: PartialDate | None = None
    location: Location = field(default_factory=lambda: Location(""))


@dataclass(frozen=True)
class Claim:
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
    positions: tuple[tuple[str, int, int], ...] = ()  # (field, line, col)

    @property
    def value(self) -> float:
        return self.low

    def position(self, name: str) -> tuple[int | None, int | None]:
        return _position(self.positions, name, self.location)


@dataclass(frozen=True)
class Event:
    id: str
    date: PartialDate
    title: str
    source: str
    quote: str
    speaker: str | None = None
    note: str | None = None
    location: Location = field(default_factory=lambda: Location(""))
    positions: tuple[tuple[str, int, int], ...] = ()  # (field, line, col)

    def position(self, name: str) -> tuple[int | None, int | None]:
        return _position(self.positions, name, self.location)


@dataclass(frozen=True)
class Dataset:
    """Everything the editors wrote, validated: the output of validate."""

    sources: dict[str, Source]
    speakers: dict[str, Speaker]
    figures: dict[str, Figure]
    claims: dict[str, Claim]
    events: dict[str, Event]
    title: str = "facttrack"
    description: str = ""


@dataclass(frozen=True)
class Span:
    """A passage of a source text: [start, end) character offsets."""

    start: int
    end: int


@dataclass(frozen=True)
class Anchor:
    """Where a claim's or event's quote sits in its source, and its number."""

    record_id: str
    source: str
    quote: Span
    number: Span | None  # None for events
    occurrences: int = 1


@dataclass(frozen=True)
class Linked:
    """The dataset with every quote anchored: the output of link."""

    data: Dataset
    claim_anchors: dict[str, Anchor]
    event_anchors: dict[str, Anchor]
