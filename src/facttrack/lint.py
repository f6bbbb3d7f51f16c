"""Warnings: things that are allowed but usually a mistake, reported apart from errors.

A warning never stops a build unless --strict is given. Lint runs only on data
without errors, because a record missing after an error would cause false alarms
(a figure whose only claim failed to validate is not a figure "with no claims").
"""

from __future__ import annotations

from .derive import Derived
from .errors import Problems
from .model import Anchor, Claim, Event, Location


def lint(derived: Derived, problems: Problems) -> None:
    """Add every warning about the derived data to problems."""
    figure_claims(derived, problems)
    unused_sources(derived, problems)
    unused_speakers(derived, problems)
    repeated_quotes(derived, problems)


def _warn(
    problems: Problems,
    location: Location,
    position: tuple[int | None, int | None],
    message: str,
    record: str,
    field: str | None = None,
    hint: str | None = None,
) -> None:
    line, col = position
    problems.warning(location.file, line, col, message, record=record, field=field, hint=hint)


def figure_claims(derived: Derived, problems: Problems) -> None:
    """A figure with no claims shows an empty page; with one claim, nothing to compare."""
    for figure in derived.figures:
        steps = derived.series.get(figure.id, ())
        where = (figure.location.line, figure.location.col)
        if not steps:
            _warn(
                problems,
                figure.location,
                where,
                "no claim states this figure; its page will be empty",
                f"figure '{figure.id}'",
                hint=f"add a claim with 'figure: {figure.id}', or remove the figure",
            )
        elif len(steps) == 1:
            claim = steps[0].claim
            _warn(
                problems,
                claim.location,
                claim.position("figure"),
                f"the only claim of figure '{figure.id}'; there is nothing to compare it with",
                f"claim '{claim.id}'",
                field="figure",
                hint="add claims of the same figure from other dates or speakers, "
                "or attach this claim to a figure that has them",
            )


def unused_sources(derived: Derived, problems: Problems) -> None:
    """A source no claim and no event cites: probably a claim is missing, or a typo.

    A source cited only by events is in use (events quote it too), so it is not
    reported: warning about it would teach editors to ignore warnings.
    """
    for source in derived.linked.data.sources.values():
        if source.id in derived.claims_by_source or source.id in derived.events_by_source:
            continue
        _warn(
            problems,
            source.location,
            (source.location.line, source.location.col),
            "no claim or event cites this source",
            f"source '{source.id}'",
            hint=f"add claims with 'source: {source.id}' (run 'facttrack find TEXT "
            f"--source {source.id}' for ready-made stubs), or remove the file",
        )


def unused_speakers(derived: Derived, problems: Problems) -> None:
    """A speaker with no claim and no event gets an empty page."""
    for speaker in derived.linked.data.speakers.values():
        if speaker.id in derived.claims_by_speaker or speaker.id in derived.events_by_speaker:
            continue
        _warn(
            problems,
            speaker.location,
            (speaker.location.line, speaker.location.col),
            "no claim or event names this speaker; their page will be empty",
            f"speaker '{speaker.id}'",
            hint=f"add 'speaker: {speaker.id}' to their claims, or remove the speaker",
        )


def repeated_quotes(derived: Derived, problems: Problems) -> None:
    """A quote found in several places of its source: the site links to the first,
    which may not be the passage the editor meant."""
    linked = derived.linked
    records: list[tuple[Claim | Event, Anchor, str]] = [
        (claim, linked.claim_anchors[claim.id], "claim") for claim in linked.data.claims.values()
    ]
    records += [
        (event, linked.event_anchors[event.id], "event") for event in linked.data.events.values()
    ]
    for record, anchor, kind in records:
        if anchor.occurrences < 2:
            continue
        source = linked.data.sources[anchor.source]
        line = source.text_line + source.text.count("\n", 0, anchor.quote.start)
        _warn(
            problems,
            record.location,
            record.position("quote"),
            f"the quote occurs {anchor.occurrences} times in source '{anchor.source}'; "
            f"the site links to the first, on line {line} of the source file",
            f"{kind} '{record.id}'",
            field="quote",
            hint="lengthen the quote with words around it until it matches one place only",
        )
