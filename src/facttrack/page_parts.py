"""Parts of pages the templates call: charts, citations, Text Fragment links,
schema.org JSON-LD and absolute addresses.

Each is a Jinja global taking the template's context, so templates stay the
single place that decides what a page shows.
"""

from __future__ import annotations

import heapq
import itertools
import operator
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import jinja2
from markupsafe import Markup

from . import formatting
from .chart import ChartPoint, chart_svg, sparkline_svg
from .consistency import interval_text
from .dates import PartialDate
from .derive import Derived
from .model import Claim, Dataset, Event, Figure
from .opendata import json_text
from .textfragment import fragment_url


def _charted(derived: Derived, figure: Figure) -> tuple[list[Claim], list[Claim]]:
    """The figure's claims in its own unit (charted), and those in another unit."""
    claims = [step.claim for step in derived.series.get(figure.id, ())]
    return [c for c in claims if c.unit == figure.unit], [
        c for c in claims if c.unit != figure.unit
    ]


def _point(claim: Claim, href: str = "", label: str = "") -> ChartPoint:
    """A claim's dates and value, as the charts draw them, with where its mark links
    and what it says."""
    return ChartPoint(
        claim_id=claim.id,
        href=href,
        start=claim.as_of.first_day(),
        end=claim.as_of.last_day(),
        low=claim.low,
        high=claim.high,
        qualifier=claim.qualifier,
        label=label,
    )


def _points(context: Any, claims: list[Claim]) -> list[ChartPoint]:
    data: Dataset = context["data"]
    target = context["claim_target"]  # render's: where every number of a claim links
    return [
        _point(
            claim,
            href=context["root"] + target(claim),
            label=f"{formatting.claim_amount(claim)}, as of {claim.as_of.human()}, "
            f"according to {data.speakers[claim.speaker].name}",
        )
        for claim in claims
    ]


@jinja2.pass_context
def figure_chart(context: Any, figure: Figure) -> Markup:
    """The figure's claims over time as inline SVG; empty when it has no claims."""
    derived: Derived = context["derived"]
    charted, other = _charted(derived, figure)
    if not charted:
        return Markup("")
    first, last = charted[0].as_of, charted[-1].as_of
    description = (
        f"{len(charted)} claim{'s' if len(charted) != 1 else ''} from {first.human()} to "
        f"{last.human()}, one mark each; the table of claims below lists the same numbers."
    )
    if other:
        description += f" Not charted: {len(other)} claim(s) in another unit."
    svg = chart_svg(
        _points(context, charted),
        title=f"{figure.label}: claims over time",
        description=description,
        unit=figure.unit,
        target=figure.kind == "target",
        id_prefix=f"chart-{figure.id}",
    )
    return Markup(svg)


@jinja2.pass_context
def figure_sparkline(context: Any, figure: Figure) -> Markup:
    """A small chart of the figure's claims for the home page."""
    derived: Derived = context["derived"]
    charted, _ = _charted(derived, figure)
    if not charted:
        return Markup("")
    title = (
        f"{figure.label}: {len(charted)} claim{'s' if len(charted) != 1 else ''} from "
        f"{charted[0].as_of.human()} to {charted[-1].as_of.human()}"
    )
    points = [_point(claim) for claim in charted]  # a sparkline links nothing, says nothing
    return Markup(sparkline_svg(points, title=title, id_prefix=f"spark-{figure.id}"))


@jinja2.pass_context
def quote_link(context: Any, claim: Claim) -> str | None:
    """The source's address opened at the quote (a Text Fragment), if it has one."""
    derived: Derived = context["derived"]
    source = derived.linked.data.sources[claim.source]
    if not source.url:
        return None
    anchor = derived.linked.claim_anchors[claim.id]
    return fragment_url(source.url, source.text, anchor.quote)


@jinja2.pass_context
def absolute(context: Any, path: str) -> str | None:
    """The page's address on the published site, when site.url is set."""
    data: Dataset = context["data"]
    return f"{data.url}/{path}" if data.url else None


def json_ld(value: dict[str, Any]) -> Markup:
    """A JSON-LD script element; '<' is escaped so no text can close the element."""
    text = json_text(value, indent=1).replace("<", "\\u003c")
    return Markup(f'<script type="application/ld+json">\n{text}\n</script>')


def _organisation_or_person(name: str, role: str) -> dict[str, str]:
    # A speaker with a job title is a person; ministries, outlets and agencies are not.
    person = any(word in role.lower() for word in ("minister", "spokesperson", "rapporteur"))
    return {"@type": "Person" if person else "Organization", "name": name}


@jinja2.pass_context
def claim_json_ld(context: Any, claim: Claim) -> Markup:
    """schema.org Claim: who said it, when, and the document it appears in."""
    data: Dataset = context["data"]
    source = data.sources[claim.source]
    speaker = data.speakers[claim.speaker]
    appearance: dict[str, Any] = {
        "@type": "CreativeWork",
        "name": source.title,
        "datePublished": source.published.iso(),
    }
    if source.publisher.lower() != "unknown":
        appearance["publisher"] = {"@type": "Organization", "name": source.publisher}
    if source.url:
        appearance["url"] = source.url
    value: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Claim",
        "name": f"{data.figures[claim.figure].label}: {formatting.claim_amount(claim)}",
        "text": claim.quote,
        "author": _organisation_or_person(speaker.name, speaker.role),
        "datePublished": claim.stated_on.iso(),
        "temporalCoverage": claim.as_of.iso(),
        "appearance": appearance,
    }
    if data.url:
        value["url"] = f"{data.url}/claims/{claim.id}.html"
    return json_ld(value)


def register(env: jinja2.Environment) -> None:
    """Make the page parts available to every template."""
    env.globals.update(
        figure_chart=figure_chart,
        figure_sparkline=figure_sparkline,
        quote_link=quote_link,
        absolute=absolute,
        claim_json_ld=claim_json_ld,
        json_ld=json_ld,
        interval_text=interval_text,
    )


def dataset(derived: Derived) -> dict[str, Any]:
    """schema.org Dataset for the downloads page."""
    data = derived.linked.data
    base = f"{data.url}/" if data.url else ""
    claims = list(data.claims.values())
    value: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": f"{data.title}: claims",
        "description": (
            f"{len(claims)} claims about {len(data.figures)} figures, each with its speaker, "
            "date and verbatim quote from its source."
        ),
        "isAccessibleForFree": True,
        "variableMeasured": sorted(f.label for f in data.figures.values()),
        "distribution": [
            {"@type": "DataDownload", "encodingFormat": kind, "contentUrl": base + path}
            for kind, path in (
                ("application/json", "data/claims.json"),
                ("application/schema+json", "data/claims.schema.json"),
                ("text/csv", "data/claims.csv"),
            )
        ],
    }
    if claims:
        first = min((c.as_of for c in claims), key=lambda d: d.sort_key()).iso()
        last = max((c.as_of for c in claims), key=lambda d: d.sort_key()).iso()
        value["temporalCoverage"] = f"{first}/{last}"
    if data.url:
        value["url"] = f"{data.url}/downloads.html"
    return value


FEED_ENTRIES = 100  # the newest claims and events in the feed


@dataclass(frozen=True)
class FeedEntry:
    """One entry of the Atom feed: a claim or an event."""

    id: str
    href: str  # absolute with site.url, else relative to the feed (at the site root)
    title: str
    updated: str  # RFC 3339; a partial date counts from its first day
    author: str | None
    summary: str


@dataclass(frozen=True)
class Feed:
    """The Atom feed of the latest claims and events."""

    id: str
    updated: str
    entries: tuple[FeedEntry, ...]


def _feed_entry(data: Dataset, record: Claim | Event) -> FeedEntry:
    base = f"{data.url}/" if data.url else ""
    if isinstance(record, Event):
        href = f"{base}sources/{record.source}.html#event-{record.id}"
        return FeedEntry(
            id=_entry_id(data, "event", record.id, href),
            href=href,
            title=record.title,
            updated=_timestamp(record.date),
            author=data.speakers[record.speaker].name if record.speaker else None,
            summary=f"{record.date.human()}: {record.title}. “{record.quote}” "
            f"({data.sources[record.source].title})",
        )
    claim = record
    href = f"{base}claims/{claim.id}.html"
    speaker = data.speakers[claim.speaker].name
    figure = data.figures[claim.figure].label
    return FeedEntry(
        id=_entry_id(data, "claim", claim.id, href),
        href=href,
        title=f"{figure}: {formatting.claim_amount(claim)} ({speaker})",
        updated=_timestamp(claim.stated_on),
        author=speaker,
        summary=f"{speaker}: {figure}, "
        f"{formatting.claim_amount(claim)} as of {claim.as_of.human()}: “{claim.quote}” "
        f"({data.sources[claim.source].title})",
    )


def _timestamp(date: PartialDate) -> str:
    return f"{date.first_day().isoformat()}T00:00:00Z"


def _entry_id(data: Dataset, kind: str, record_id: str, href: str) -> str:
    """A permanent id: the page's address when the site's is known, else a name-based UUID."""
    if data.url:
        return href
    return _name_uuid(f"facttrack:{data.title}:{kind}:{record_id}")


def _name_uuid(name: str) -> str:
    """A name-based (version 5) UUID, as a URN. uuid is imported here, by the builds
    that render the feed: with the platform module it brings, it took 2 ms of every
    rebuild's start."""
    import uuid

    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def feed_records(derived: Derived) -> list[Claim | Event]:
    """The claims (by the date stated) and events the feed shows: the newest, in the
    order a sort of them all by (date, kind, id), newest first, gives; without one."""
    data = derived.linked.data
    dated: Iterator[tuple[int, str, str, Claim | Event]] = itertools.chain(
        ((claim.stated_on.sort_key(), "claim", claim.id, claim) for claim in data.claims.values()),
        ((event.date.sort_key(), "event", event.id, event) for event in data.events.values()),
    )
    newest = heapq.nlargest(FEED_ENTRIES, dated, key=operator.itemgetter(0, 1, 2))
    return [item[3] for item in newest]


def feed_entries(derived: Derived) -> Feed:
    """The Atom feed: the newest claims (by the date stated) and events."""
    data = derived.linked.data
    entries = tuple(_feed_entry(data, record) for record in feed_records(derived))
    feed_id = f"{data.url}/feed.xml" if data.url else _name_uuid(f"facttrack:{data.title}:feed")
    updated = max((e.updated for e in entries), default="1970-01-01T00:00:00Z")
    return Feed(feed_id, updated, entries)
