"""The benchmark's corpus as a Hugo site: the same pages facttrack builds.

One page per claim, source, figure and speaker, plus the lists facttrack also
writes (home, timeline, all claims, all sources, all figures, all speakers).
Figures and speakers are Hugo taxonomies, so their pages list their claims
from Hugo's own index; a source page renders its text from Markdown and wraps
each quoted passage in a <mark>, as facttrack highlights it. Long lists are split
as facttrack splits them: the list of all claims 200 to a page (Hugo's
paginator), the timeline into a page a month (a taxonomy of months, 300 entries
to a page). The layouts are
minimal and of about the size of facttrack's templates; they are in bench/hugo/.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from .generate import Claim, Corpus

TEMPLATE = Path(__file__).resolve().parent / "hugo"  # config, layouts, stylesheet


def _front_matter(fields: dict[str, object]) -> str:
    lines = "".join(f"{key}: {json.dumps(value)}\n" for key, value in fields.items())
    return f"---\n{lines}---\n"


def _claim_page(claim: Claim, stated_on: str) -> str:
    return _front_matter(
        {
            "title": claim.id,
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


def write_hugo_site(data: Corpus, folder: Path) -> Path:
    """Write a Hugo project (config, layouts, content) for the corpus; returns the folder."""
    shutil.copytree(TEMPLATE, folder, dirs_exist_ok=True)
    content = folder / "content"
    files: dict[str, str] = {
        "claims/_index.md": _front_matter({"title": "All claims"}),
        "sources/_index.md": _front_matter({"title": "Sources"}),
        "timeline.md": _front_matter({"title": "Timeline", "type": "timeline"}),
        # the cites taxonomy only indexes claims by source: render none of its pages
        "cites/_index.md": _front_matter(
            {
                "title": "Cites",
                "build": {"render": "never"},
                "cascade": {"build": {"render": "never"}},
            }
        ),
    }
    for figure in data.figures:
        files[f"figures/{figure.id}/_index.md"] = (
            _front_matter({"title": figure.label, "unit": figure.unit}) + figure.description + "\n"
        )
    for speaker in data.speakers:
        files[f"speakers/{speaker.id}/_index.md"] = _front_matter(
            {"title": speaker.name, "role": speaker.role}
        )
    for source in data.sources:
        meta = {"title": source.title, "publisher": source.publisher}
        files[f"sources/{source.id}.md"] = (
            _front_matter({**meta, "published": source.published}) + source.text
        )
    published = {source.id: source.published for source in data.sources}
    for claim in data.claims:  # stated when its source was published
        files[f"claims/{claim.id}.md"] = _claim_page(claim, published[claim.source])
    for relative, text in files.items():
        path = content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder
