"""Series per figure, indexes per speaker and source, and the timeline.

Everything here is computed from the linked dataset; nothing reads files.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from operator import attrgetter
from typing import NamedTuple, TypeVar

from .consistency import Consistency, check_consistency
from .dates import PartialDate
from .intervals import Interval
from .model import Claim, Event, Figure, Linked

_Record = TypeVar("_Record", Claim, Event)


class TimelineEntry(NamedTuple):
    """A claim, on the date it was stated, or an event. A tuple: every build makes one
    for every claim and event, and a frozen dataclass took twice as long to make."""

    date: PartialDate
    claim: Claim | None = None
    event: Event | None = None


@dataclass(frozen=True)
class Month:
    """One month of the timeline (or a year, for entries known only to the year)."""

    key: str  # 2023-11, or 2023 for entries known only to the year
    label: str
    entries: tuple[TimelineEntry, ...]


class Step(NamedTuple):
    """One claim in a figure's series, with its change from the claim before (a
    tuple, as TimelineEntry is)."""

    claim: Claim
    previous: Claim | None

    @property
    def change(self) -> float | None:
        if self.previous is None or self.claim.is_range or self.previous.is_range:
            return None
        return self.claim.value - self.previous.value


@dataclass(frozen=True)
class Derived:
    """The linked data plus everything the pages need to be rendered."""

    linked: Linked
    figures: tuple[Figure, ...]  # key figures first, then by label
    series: dict[str, tuple[Step, ...]]  # figure id -> claims in as-of order
    latest: dict[str, Claim]  # figure id -> the claim with the latest as_of
    claims_by_speaker: dict[str, tuple[Claim, ...]]
    claims_by_source: dict[str, tuple[Claim, ...]]
    events_by_source: dict[str, tuple[Event, ...]]
    events_by_speaker: dict[str, tuple[Event, ...]]
    timeline: tuple[Month, ...]
    consistency: Consistency  # relations, conflicts and decreasing running totals


def _stated_key(claim: Claim) -> int:
    return claim.stated_on.sort_key()


def _as_of_key(claim: Claim) -> int:
    return claim.as_of.sort_key()


def _event_key(event: Event) -> int:
    return event.date.sort_key()


_by_id = attrgetter("id")


def _by_date_then_id(
    records: Iterable[_Record], date_key: Callable[[_Record], int]
) -> list[_Record]:
    """Records by (date, id): sorted by id, then by date alone. Python's sort is
    stable, so that records of one date stay in id order; two sorts with plain keys
    take half the time of one with a (date, id) tuple for each record."""
    ordered = sorted(records, key=_by_id)
    ordered.sort(key=date_key)
    return ordered


def _series(claims: list[Claim]) -> tuple[Step, ...]:
    """A figure's claims, given in the order they were stated (by date, then id), in
    as-of order: the sort is stable, so that claims about the same date stay in the
    order they were stated."""
    ordered = sorted(claims, key=_as_of_key)
    return tuple(Step(claim, ordered[i - 1] if i else None) for i, claim in enumerate(ordered))


def _group(records: list[Claim] | list[Event], attribute: str) -> dict[str, list]:  # type: ignore[type-arg]
    groups: dict[str, list] = defaultdict(list)  # type: ignore[type-arg]
    for record in records:
        key = getattr(record, attribute)
        if key is not None:
            groups[key].append(record)
    return groups


def timeline(claims: list[Claim], events: list[Event]) -> tuple[Month, ...]:
    """Claims (by the date they were stated) and events, grouped by month; each list
    given in date order, then by id. A day's events come before its claims: they are
    put first, and the sort by date alone is stable."""
    entries = [TimelineEntry(e.date, None, e) for e in events]
    entries += [TimelineEntry(c.stated_on, c, None) for c in claims]
    keys = [entry.date.sort_key() for entry in entries]  # each computed once
    ordered = [entries[i] for i in sorted(range(len(entries)), key=keys.__getitem__)]
    months: dict[tuple[int, int], list[TimelineEntry]] = {}
    for entry in ordered:  # a month's entries, by (year, month or 0): one key per month
        months.setdefault((entry.date.year, entry.date.month or 0), []).append(entry)
    return tuple(
        Month(group[0].date.month_key(), _month_label(group[0].date), tuple(group))
        for group in months.values()
    )


def _month_label(date: PartialDate) -> str:
    return PartialDate(date.year, date.month).human()


def derive(linked: Linked, known_intervals: dict[str, Interval] | None = None) -> Derived:
    """`known_intervals`: claim id -> the values it allows, as the previous build
    found them for claims that did not change (see memo.py)."""
    data = linked.data
    claims = _by_date_then_id(data.claims.values(), _stated_key)
    events = _by_date_then_id(data.events.values(), _event_key)
    by_figure = _group(claims, "figure")
    series = {figure_id: _series(by_figure.get(figure_id, [])) for figure_id in data.figures}
    latest = {figure_id: steps[-1].claim for figure_id, steps in series.items() if steps}
    figures = tuple(sorted(data.figures.values(), key=lambda f: (not f.key, f.label.lower())))
    return Derived(
        linked=linked,
        figures=figures,
        series=series,
        latest=latest,
        claims_by_speaker={k: tuple(v) for k, v in _group(claims, "speaker").items()},
        claims_by_source={
            k: tuple(sorted(v, key=lambda c: linked.claim_anchors[c.id].quote.start))
            for k, v in _group(claims, "source").items()
        },
        events_by_source={k: tuple(v) for k, v in _group(events, "source").items()},
        events_by_speaker={k: tuple(v) for k, v in _group(events, "speaker").items()},
        timeline=timeline(claims, events),
        consistency=check_consistency(linked, known_intervals),
    )
