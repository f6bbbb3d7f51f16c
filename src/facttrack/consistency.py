"""Does the data agree with itself? Relations, conflicts and falling running totals.

Three checks, all on claims read as intervals (see intervals.py):

- relations the editors declared (sum, difference, ratio, percent) hold or fail;
- two claims of one figure about overlapping dates conflict when their intervals
  cannot both be true;
- a running total (a cumulative figure with `counting_from`) is flagged where a
  later claim is lower than an earlier one.

Nothing here stops a build: the results are shown on the site and reported by
`facttrack check` as warnings.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from operator import attrgetter

from . import formatting
from .dates import PartialDate
from .errors import Problems
from .intervals import Interval, claim_interval
from .model import Claim, Figure, Linked, Relation

HOLDS = "holds"
FAILS = "fails"
COMPUTED = "computed"  # only two of a percent's three numbers are stated: nothing to contradict


@dataclass(frozen=True)
class Piece:
    """One piece of written-out arithmetic: a claim's number (a link) or text."""

    text: str
    claim: Claim | None = None


@dataclass(frozen=True)
class RelationCheck:
    """A relation between claims, checked: whether it holds, and the arithmetic that
    shows it."""

    relation: Relation
    status: str  # holds, fails or computed
    arithmetic: tuple[Piece, ...]  # e.g. 271,985 + 159,161 + 110,064 = 541,210 ✓
    explanation: str  # the intervals behind the verdict, in words

    @property
    def claims(self) -> tuple[Claim, ...]:
        return tuple(piece.claim for piece in self.arithmetic if piece.claim is not None)

    def plain(self) -> str:
        """The arithmetic as plain text, for messages and downloads."""
        return "".join(piece.text for piece in self.arithmetic)


@dataclass(frozen=True)
class Conflict:
    """Two claims of one figure about overlapping dates that cannot both be true."""

    figure: str
    first: Claim
    second: Claim
    first_interval: Interval
    second_interval: Interval


@dataclass(frozen=True)
class Decrease:
    """A running total that is lower than an earlier claim counting from the same start."""

    figure: str
    earlier: Claim
    later: Claim


@dataclass(frozen=True)
class Consistency:
    """What the consistency checks found: relations, conflicts and decreases, and each
    claim's interval."""

    intervals: dict[str, Interval]  # claim id -> the values it allows
    relations: tuple[RelationCheck, ...]
    conflicts: tuple[Conflict, ...]
    decreases: tuple[Decrease, ...]
    monotone_checked: frozenset[str]  # cumulative figures whose series was checked

    # Indexes by claim and by figure, built once: pages ask for every claim.
    @cached_property
    def _relations_by(self) -> dict[str, tuple[RelationCheck, ...]]:
        index: dict[str, list[RelationCheck]] = defaultdict(list)
        for check in self.relations:
            keys = {c.id for c in check.claims} | {f"figure:{c.figure}" for c in check.claims}
            for key in sorted(keys):
                index[key].append(check)
        return {key: tuple(value) for key, value in index.items()}

    @cached_property
    def _conflicts_by(self) -> dict[str, tuple[Conflict, ...]]:
        index: dict[str, list[Conflict]] = defaultdict(list)
        for conflict in self.conflicts:
            for key in (conflict.first.id, conflict.second.id, f"figure:{conflict.figure}"):
                index[key].append(conflict)
        return {key: tuple(value) for key, value in index.items()}

    @cached_property
    def _decreases_by(self) -> dict[str, tuple[Decrease, ...]]:
        index: dict[str, list[Decrease]] = defaultdict(list)
        for decrease in self.decreases:
            for key in (decrease.earlier.id, decrease.later.id, f"figure:{decrease.figure}"):
                index[key].append(decrease)
        return {key: tuple(value) for key, value in index.items()}

    def relations_of_figure(self, figure_id: str) -> tuple[RelationCheck, ...]:
        return self._relations_by.get(f"figure:{figure_id}", ())

    def relations_of_claim(self, claim_id: str) -> tuple[RelationCheck, ...]:
        return self._relations_by.get(claim_id, ())

    def conflicts_of_figure(self, figure_id: str) -> tuple[Conflict, ...]:
        return self._conflicts_by.get(f"figure:{figure_id}", ())

    def conflicts_of_claim(self, claim_id: str) -> tuple[Conflict, ...]:
        return self._conflicts_by.get(claim_id, ())

    def decreases_of_figure(self, figure_id: str) -> tuple[Decrease, ...]:
        return self._decreases_by.get(f"figure:{figure_id}", ())

    def decreases_of_claim(self, claim_id: str) -> tuple[Decrease, ...]:
        return self._decreases_by.get(claim_id, ())

    @cached_property
    def claims_involved(self) -> frozenset[str]:
        """The claims some relation, conflict or decrease names."""
        return frozenset(
            key
            for index in (self._relations_by, self._conflicts_by, self._decreases_by)
            for key in index
            if not key.startswith("figure:")
        )

    def involves_claim(self, claim_id: str) -> bool:
        """Some relation, conflict or decrease names the claim."""
        return claim_id in self.claims_involved

    @property
    def failed(self) -> tuple[RelationCheck, ...]:
        return tuple(r for r in self.relations if r.status == FAILS)


# -- numbers as the arithmetic shows them ---------------------------------------


def bare_amount(claim: Claim) -> str:
    """The claim's number without a unit word: 'about 1.7 million', '90%', '$830'."""
    text = formatting.amount(claim.low, claim.high, claim.unit)
    text = text.removesuffix(f" {claim.unit}")
    words = formatting.QUALIFIER_WORDS[claim.qualifier]
    return f"{words} {text}" if words else text


def number_text(value: float, unit: str) -> str:
    """A computed number: percentages to one decimal, counts and money whole."""
    if math.isinf(value):
        return "no limit" if value > 0 else "no lower limit"
    if unit == "percent":
        return f"{formatting.plain_number(round(value, 1))}%"
    whole = formatting.plain_number(round(value))
    if unit in formatting.CURRENCY_SYMBOLS:
        return f"{formatting.CURRENCY_SYMBOLS[unit]}{whole}"
    return f"{unit} {whole}" if unit.isupper() and len(unit) == 3 else whole


def interval_text(interval: Interval, unit: str) -> str:
    """'1,092,500 to 1,207,500', 'at least 340,000', 'exactly 541,210'."""
    if interval.is_point:
        return f"exactly {number_text(interval.low, unit)}"
    if math.isinf(interval.high):
        if math.isinf(interval.low):
            return "any value"
        return f"at least {number_text(interval.low, unit)}"
    if math.isinf(interval.low):
        return f"at most {number_text(interval.high, unit)}"
    return f"{number_text(interval.low, unit)} to {number_text(interval.high, unit)}"


def _written(claim: Claim) -> Interval:
    """The value as written, without qualifier or rounding: the arithmetic readers see."""
    return Interval(claim.low, claim.high)


def _result_text(interval: Interval, unit: str) -> str:
    if interval.is_point:
        return number_text(interval.low, unit)
    return f"{number_text(interval.low, unit)}–{number_text(interval.high, unit)}"


def _joined(claims: Iterable[Claim], operator: str) -> list[Piece]:
    pieces: list[Piece] = []
    for index, claim in enumerate(claims):
        if index:
            pieces.append(Piece(f" {operator} "))
        pieces.append(Piece(bare_amount(claim), claim))
    return pieces


# -- relations ------------------------------------------------------------------


class _Evaluator:
    def __init__(self, claims: dict[str, Claim], intervals: dict[str, Interval]) -> None:
        self.claims = claims
        self.intervals = intervals

    def check(self, relation: Relation) -> RelationCheck:
        if relation.type == "sum":
            return self.sum(relation)
        if relation.type == "difference":
            return self.difference(relation)
        return self.proportion(relation)

    def compared(
        self,
        relation: Relation,
        left: list[Piece],
        written: Interval,
        allowed: Interval,
        stated: Claim,
        unit: str,
    ) -> RelationCheck:
        """left = written value, compared with the stated claim's interval."""
        stated_interval = self.intervals[stated.id]
        holds = allowed.overlaps(stated_interval)
        pieces = [*left]
        if written == _written(stated) and holds:
            pieces += [Piece(" = "), Piece(bare_amount(stated), stated), Piece(" ✓")]
        else:
            pieces += [
                Piece(f" = {_result_text(written, unit)} "),
                Piece("≈ " if holds else "≠ "),
                Piece(bare_amount(stated), stated),
                Piece(" ✓" if holds else " ✗"),
            ]
        relation_word = "agree" if holds else "cannot be reconciled"
        explanation = (
            f"Allowing for qualifiers and rounding, the arithmetic gives "
            f"{interval_text(allowed, unit)} and the stated figure means "
            f"{interval_text(stated_interval, unit)}: they {relation_word}."
        )
        return RelationCheck(relation, HOLDS if holds else FAILS, tuple(pieces), explanation)

    def sum(self, relation: Relation) -> RelationCheck:
        parts = [self.claims[claim_id] for claim_id in relation.parts]
        assert relation.total is not None
        total = self.claims[relation.total]
        written = _sum(_written(part) for part in parts)
        allowed = _sum(self.intervals[part.id] for part in parts)
        return self.compared(relation, _joined(parts, "+"), written, allowed, total, total.unit)

    def difference(self, relation: Relation) -> RelationCheck:
        assert relation.whole and relation.part and relation.remainder
        whole, part = self.claims[relation.whole], self.claims[relation.part]
        remainder = self.claims[relation.remainder]
        written = _written(whole) - _written(part)
        allowed = self.intervals[whole.id] - self.intervals[part.id]
        left = _joined([whole, part], "−")
        return self.compared(relation, left, written, allowed, remainder, remainder.unit)

    def proportion(self, relation: Relation) -> RelationCheck:
        numerator = self.claims.get(relation.numerator or "")
        denominator = self.claims.get(relation.denominator or "")
        percent = self.claims.get(relation.percent or "")
        if numerator and denominator and percent:
            left = _joined([numerator, denominator], "÷")
            written = _written(numerator).share_of(_written(denominator))
            allowed = self.intervals[numerator.id].share_of(self.intervals[denominator.id])
            return self.compared(relation, left, written, allowed, percent, "percent")
        if numerator and denominator:
            return self.part_of_whole(relation, numerator, denominator)
        assert percent is not None
        return self.implied(relation, percent, numerator, denominator)

    def part_of_whole(self, relation: Relation, part: Claim, whole: Claim) -> RelationCheck:
        """A ratio without a stated percentage: the part can be no more than its whole."""
        part_interval, whole_interval = self.intervals[part.id], self.intervals[whole.id]
        holds = part_interval.low <= whole_interval.high
        share = _written(part).share_of(_written(whole))
        pieces = [
            Piece(bare_amount(part), part),
            Piece(" of " if holds else " is more than "),
            Piece(bare_amount(whole), whole),
            Piece(f" = {_result_text(share, 'percent')}" if holds else ""),
            Piece(" ✓" if holds else " ✗"),
        ]
        explanation = (
            f"A part can be no more than its whole. Allowing for qualifiers and rounding, "
            f"the part is {interval_text(part_interval, part.unit)} and the whole "
            f"{interval_text(whole_interval, whole.unit)}"
            + (": consistent." if holds else ": the part is larger.")
        )
        return RelationCheck(relation, HOLDS if holds else FAILS, tuple(pieces), explanation)

    def implied(
        self, relation: Relation, percent: Claim, numerator: Claim | None, denominator: Claim | None
    ) -> RelationCheck:
        """Two of the three numbers: compute the third, which no source states."""
        if denominator is not None:
            unit = denominator.unit
            written = _written(denominator).times_percent(_written(percent))
            allowed = self.intervals[denominator.id].times_percent(self.intervals[percent.id])
            left = _joined([percent, denominator], "of")
            what = "the part"
        else:
            assert numerator is not None
            unit = numerator.unit
            written = _written(numerator).divided_by_percent(_written(percent))
            allowed = self.intervals[numerator.id].divided_by_percent(self.intervals[percent.id])
            left = _joined([numerator, percent], "÷")
            what = "the whole"
        pieces = [*left, Piece(f" = {_result_text(written, unit)}")]
        explanation = (
            f"No source states {what}, so there is nothing to check it against. Allowing "
            f"for qualifiers and rounding it is {interval_text(allowed, unit)}."
        )
        return RelationCheck(relation, COMPUTED, tuple(pieces), explanation)


def _sum(intervals: Iterable[Interval]) -> Interval:
    total = Interval.point(0.0)
    for interval in intervals:
        total = total + interval
    return total


# -- conflicts and decreasing series --------------------------------------------


Periods = dict[PartialDate, tuple[int, int]]  # as-of date -> its span of days, once each


def _periods(claims: list[Claim], known: Periods) -> dict[str, tuple[int, int]]:
    """Claim id -> its as-of date as a span of days (a month spans its days): ordinals.
    `known` has the dates worked out already (many claims share one)."""
    result = {}
    for claim in claims:
        span = known.get(claim.as_of)
        if span is None:
            span = claim.as_of.first_day().toordinal(), claim.as_of.last_day().toordinal()
            known[claim.as_of] = span
        result[claim.id] = span
    return result


def conflicts(
    figure_id: str, claims: list[Claim], intervals: dict[str, Interval], known: Periods
) -> list[Conflict]:
    """Pairs of same-unit claims whose dates overlap but whose intervals do not.

    A sweep over claims in date order compares each with those still open, so
    claims far apart in time are never compared.
    """
    found: list[Conflict] = []
    by_unit: dict[str, list[Claim]] = defaultdict(list)
    period = _periods(claims, known)
    for claim in claims:
        by_unit[claim.unit].append(claim)
    for group in by_unit.values():
        group.sort(key=lambda c: (period[c.id], c.id))
        open_claims: list[Claim] = []
        for claim in group:
            start, _ = period[claim.id]
            open_claims = [c for c in open_claims if period[c.id][1] >= start]
            for other in open_claims:
                if not intervals[other.id].overlaps(intervals[claim.id]):
                    found.append(
                        Conflict(figure_id, other, claim, intervals[other.id], intervals[claim.id])
                    )
            open_claims.append(claim)
    return found


def decreases(
    figure: Figure, claims: list[Claim], intervals: dict[str, Interval], known: Periods
) -> list[Decrease]:
    """Claims lower than the highest earlier claim (dates not overlapping) of a running total."""
    found: list[Decrease] = []
    period = _periods(claims, known)
    by_start = sorted(claims, key=lambda c: (period[c.id][0], c.id))
    by_end = sorted(claims, key=lambda c: (period[c.id][1], c.id))
    highest: Claim | None = None  # the earlier claim with the highest lower bound so far
    index = 0
    for claim in by_start:
        start, _ = period[claim.id]
        while index < len(by_end) and period[by_end[index].id][1] < start:
            candidate = by_end[index]
            if highest is None or intervals[candidate.id].low > intervals[highest.id].low:
                highest = candidate
            index += 1
        if highest is not None and intervals[claim.id].high < intervals[highest.id].low:
            found.append(Decrease(figure.id, highest, claim))
    return found


def is_running_total(figure: Figure) -> bool:
    """Checked for decreases: cumulative counts with a known start. A percentage of a
    running total may fall, and without `counting_from` sources may count from
    different starts."""
    return (
        figure.kind == "cumulative"
        and figure.counting_from is not None
        and figure.unit != "percent"
    )


# -- the whole check --------------------------------------------------------------


def check_consistency(
    linked: Linked, known_intervals: dict[str, Interval] | None = None
) -> Consistency:
    """Every relation, conflict and decrease of the linked data; `known_intervals`
    has claims' intervals computed already."""
    data = linked.data
    known = known_intervals or {}
    intervals: dict[str, Interval] = {}
    for claim in data.claims.values():
        if claim.id in known:
            intervals[claim.id] = known[claim.id]
            continue
        anchor = linked.claim_anchors[claim.id]
        assert anchor.number is not None
        written = data.sources[claim.source].text[anchor.number.start : anchor.number.end]
        intervals[claim.id] = claim_interval(claim, written)
    evaluator = _Evaluator(data.claims, intervals)
    relations = tuple(evaluator.check(r) for r in sorted(data.relations.values(), key=_line))
    by_figure: dict[str, list[Claim]] = defaultdict(list)
    for claim in sorted(data.claims.values(), key=attrgetter("id")):
        by_figure[claim.figure].append(claim)
    found_conflicts: list[Conflict] = []
    found_decreases: list[Decrease] = []
    checked: set[str] = set()
    periods: Periods = {}
    for figure_id, figure in sorted(data.figures.items()):
        claims = by_figure.get(figure_id, [])
        found_conflicts += conflicts(figure_id, claims, intervals, periods)
        if is_running_total(figure):
            checked.add(figure_id)
            counted = [c for c in claims if c.unit == figure.unit]
            found_decreases += decreases(figure, counted, intervals, periods)
    return Consistency(
        intervals=intervals,
        relations=relations,
        conflicts=tuple(found_conflicts),
        decreases=tuple(found_decreases),
        monotone_checked=frozenset(checked),
    )


def _line(relation: Relation) -> tuple[int, str]:
    return (relation.location.line or 0, relation.id)


def _dates(first: Claim, second: Claim) -> str:
    if first.as_of == second.as_of:
        return first.as_of.human()
    return f"{first.as_of.human()} and {second.as_of.human()}"


def _claim_line(claim: Claim) -> str:
    return f"line {claim.location.line}" if claim.location.line else claim.location.file


def report(consistency: Consistency, problems: Problems) -> None:
    """Failed relations, conflicts and decreases as warnings, with file and line."""
    for check in consistency.failed:
        location = check.relation.location
        problems.warning(
            location.file,
            location.line,
            location.col,
            f"does not hold: {check.plain()}",
            record=f"relation '{check.relation.id}'",
            hint=check.explanation,
        )
    for conflict in consistency.conflicts:
        second, first = conflict.second, conflict.first
        problems.warning(
            second.location.file,
            second.location.line,
            second.location.col,
            f"conflicts with claim '{first.id}' ({_claim_line(first)}): "
            f"{bare_amount(second)} and {bare_amount(first)} cannot both be true "
            f"as of {_dates(second, first)}",
            record=f"claim '{second.id}'",
            hint=f"read as {interval_text(conflict.second_interval, second.unit)} and "
            f"{interval_text(conflict.first_interval, first.unit)}; shown side by side on "
            f"the figure's page",
        )
    for decrease in consistency.decreases:
        later, earlier = decrease.later, decrease.earlier
        problems.warning(
            later.location.file,
            later.location.line,
            later.location.col,
            f"running total falls: {bare_amount(later)} as of {later.as_of.human()} is lower "
            f"than {bare_amount(earlier)} as of {earlier.as_of.human()} "
            f"(claim '{earlier.id}', {_claim_line(earlier)})",
            record=f"claim '{later.id}'",
            hint="both count from the same start (the figure's counting_from); check the "
            "dates, or give the claims different figures if they count different things",
        )
