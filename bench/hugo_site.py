"""The benchmark's corpus as a Hugo site: the pages facttrack builds, with the same content.

One page per claim, source, figure and speaker, and the lists facttrack also writes
(home, figures, speakers, sources, all claims, the timeline), each page showing what
facttrack's shows, in about as much HTML (layouts in bench/hugo/, facttrack's own
stylesheet):

- every page: title, description, Open Graph and Twitter tags, the stylesheet and the
  feed link; the site header with its seven links and the two-paragraph footer;
- a claim: its schema.org Claim as JSON-LD, heading, lede, the quote in its sentence
  before and after (found in the source's text), "Cite this claim" and all its fields;
- a figure: kind and unit, description (Markdown), an SVG chart with a mark per claim,
  "How it moved" (each claim with its change from the one before), the table of its
  claims, download links and the sources cited;
- a speaker: role, the table of their claims, their events;
- a source: its fields, the claims drawn from it, and its full text with each claim's
  quote in a <mark> (its number in a <strong>, a footnote to the claim) and each
  event's;
- home: twelve figure cards with a sparkline; figures (latest number, as of, count),
  speakers and sources indexes; all claims 200 to a page (Hugo's paginator); the
  timeline as a page of months and a page a month (a taxonomy of months, 300 entries
  to a page), claims by the day stated and events by the day they happened.

Figures, speakers, sources cited (cites) and months are Hugo taxonomies, so pages list
claims and events from Hugo's own index. Events have no page of their own, as in
facttrack. What Hugo does not render: facttrack's consistency checks (on figure pages
and the checks page), its search attributes, and its other files (feed, downloads, open
data, changes, checks, search and 404 pages), to which the links point all the same.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from .generate import Claim, Corpus, Event

TEMPLATE = Path(__file__).resolve().parent / "hugo"  # config and layouts
# facttrack's own stylesheet, so that both sites are styled (and weigh) the same
STYLESHEET = Path(__file__).resolve().parent.parent / "templates" / "static" / "style.css"


def _front_matter(fields: dict[str, object]) -> str:
    lines = "".join(f"{key}: {json.dumps(value)}\n" for key, value in fields.items())
    return f"---\n{lines}---\n"


def _claim_page(claim: Claim, stated_on: str) -> str:
    return _front_matter(
        {
            "title": claim.id,
            "date": stated_on,  # stated when its source was published: the timeline's order
            "figures": [claim.figure],
            "speakers": [claim.speaker],
            "cites": [claim.source],
            "months": [stated_on[:7]],  # the timeline's month pages: the month it was stated
            "figure": claim.figure,
            "speaker": claim.speaker,
            "source": claim.source,
            "low": claim.low,
            "high": claim.high,
            "qualifier": claim.qualifier,
            "number_text": claim.number_text,
            "as_of": claim.as_of,
            "quote": claim.quote,
        }
    )


def _event_page(event: Event) -> str:
    return _front_matter(
        {
            "title": event.title,
            "date": event.date,
            "speakers": [event.speaker],
            "cites": [event.source],
            "months": [event.date[:7]],
            "speaker": event.speaker,
            "source": event.source,
            "quote": event.quote,
        }
    )


def write_hugo_site(data: Corpus, folder: Path) -> Path:
    """Write a Hugo project (config, layouts, content) for the corpus; returns the folder."""
    shutil.copytree(TEMPLATE, folder, dirs_exist_ok=True)
    (folder / "static").mkdir(exist_ok=True)
    shutil.copyfile(STYLESHEET, folder / "static" / "style.css")
    content = folder / "content"
    never = {"render": "never"}
    files: dict[str, str] = {
        "claims/_index.md": _front_matter({"title": "All claims"}),
        "sources/_index.md": _front_matter({"title": "Sources"}),
        "timeline.md": _front_matter({"title": "Timeline", "type": "timeline"}),
        # events have no page of their own (as in facttrack); they are listed, in the
        # taxonomies, with a link to their passage
        "events/_index.md": _front_matter(
            {"title": "Events", "build": never, "cascade": {"build": {"render": "link"}}}
        ),
        # the cites taxonomy only indexes claims and events by source: none of its pages
        "cites/_index.md": _front_matter(
            {"title": "Cites", "build": never, "cascade": {"build": never}}
        ),
        # the timeline page lists the months: their taxonomy's own page is not needed
        "months/_index.md": _front_matter({"title": "Months", "build": never}),
    }
    for figure in data.figures:
        meta = {"title": figure.label, "unit": figure.unit, "kind": figure.kind}
        files[f"figures/{figure.id}/_index.md"] = _front_matter(meta) + figure.description + "\n"
    for speaker in data.speakers:
        files[f"speakers/{speaker.id}/_index.md"] = _front_matter(
            {"title": speaker.name, "role": speaker.role}
        )
    for source in data.sources:
        meta = {"title": source.title, "publisher": source.publisher, "kind": "news article"}
        files[f"sources/{source.id}.md"] = (
            _front_matter({**meta, "published": source.published}) + source.text
        )
    published = {source.id: source.published for source in data.sources}
    for claim in data.claims:  # stated when its source was published
        files[f"claims/{claim.id}.md"] = _claim_page(claim, published[claim.source])
    for event in data.events:
        files[f"events/{event.id}.md"] = _event_page(event)
    for relative, text in files.items():
        path = content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder
