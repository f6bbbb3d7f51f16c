"""The small pieces of HTML every page repeats: a claim's number with its link, a
date, and links to a speaker, figure, source or claim.

They are Python rather than Jinja macros because a page calls them dozens of
times and a site has tens of thousands of pages: a macro call costs about 12 µs,
these about 1 µs. Templates reach them as

    {{ date(claim.as_of) }}          a <time> element (a global)
    {{ link.number(claim) }}         the claim's number, linked to its passage
    {{ link.speaker(claim.speaker) }}, link.figure(id), link.source(id)
    {{ link.claim_row(claim, columns, search_filters) }}  a row of a table of claims

`link` is in every page's context, made for the page's `root` (the relative way
back to the top of the site). It is a plain object rather than functions that
read the template's context: Jinja copies the context for such a function at
every call inside a loop, which cost more than the fragment itself.
"""

from __future__ import annotations

from collections.abc import Sequence

import jinja2
from markupsafe import Markup, escape

from . import formatting
from .dates import PartialDate
from .model import Claim, Dataset


def claim_target(claim: Claim) -> str:
    """Where every number of a claim links: its highlighted passage, from the root."""
    return f"sources/{claim.source}.html#claim-{claim.id}"


class Fragments:
    """What the fragments compute once per record (a claim's amount in words, a
    date's element), kept for every page a renderer renders."""

    def __init__(self, data: Dataset) -> None:
        self.data = data
        self._amounts: dict[str, str] = {}  # claim id -> escaped claim_amount
        self._dates: dict[PartialDate, Markup] = {}
        self._links: dict[str, Links] = {}  # root -> its links

    def register(self, env: jinja2.Environment) -> None:
        env.globals["date"] = self.date

    def links(self, root: str) -> Links:
        """The link fragments of pages with this root."""
        links = self._links.get(root)
        if links is None:
            links = self._links[root] = Links(self, str(escape(root)))
        return links

    def amount(self, claim: Claim) -> str:
        """claim_amount, escaped, computed once per claim."""
        text = self._amounts.get(claim.id)
        if text is None:
            text = self._amounts[claim.id] = str(escape(formatting.claim_amount(claim)))
        return text

    def date(self, value: PartialDate) -> Markup:
        """<time datetime="2024-11">November 2024</time>"""
        html = self._dates.get(value)
        if html is None:
            html = self._dates[value] = Markup(
                f'<time datetime="{value.iso()}">{escape(value.human())}</time>'
            )
        return html


class Links:
    """Links from one page (its root) to records of the site."""

    def __init__(self, fragments: Fragments, root: str) -> None:
        self._fragments = fragments
        self._data = fragments.data
        self._root = root  # escaped

    def number(self, claim: Claim) -> Markup:
        """A claim's number, always a link to its highlighted passage in the source."""
        return Markup(
            f'<a class="num" href="{self._root}{escape(claim_target(claim))}" '
            f'data-claim="{escape(claim.id)}">{self._fragments.amount(claim)}</a>'
        )

    def claim_row(self, claim: Claim, columns: Sequence[str], search_filters: bool) -> Markup:
        """A claim's row in a table of claims (macros.html claims_table): as of, number,
        the figure, speaker and source `columns` asked for, stated, and the claim's page.
        The figure and speaker cells are search filters of the page if asked."""
        date = self._fragments.date
        figure_filter = ' data-pagefind-filter="figure"' if search_filters else ""
        speaker_filter = ' data-pagefind-filter="speaker"' if search_filters else ""
        claim_id = escape(claim.id)
        cells = [
            f'<tr>\n<td data-label="As of">{date(claim.as_of)}</td>\n'
            f'<td data-label="Number">{self.number(claim)}</td>\n'
        ]
        if "figure" in columns:
            cells.append(f'<td data-label="Figure"{figure_filter}>{self.figure(claim.figure)}</td>')
        if "speaker" in columns:
            cells.append(
                f'<td data-label="Said by"{speaker_filter}>{self.speaker(claim.speaker)}</td>'
            )
        cells.append(f'<td data-label="Stated">{date(claim.stated_on)}</td>\n')
        if "source" in columns:
            cells.append(f'<td data-label="Source">{self.source(claim.source)}</td>')
        # the row's last line ends in the macro
        cells.append(
            f'<td data-label="Claim"><a href="{self._root}claims/{claim_id}.html" '
            f'aria-label="Claim {claim_id}">{claim_id}</a></td>\n</tr>'
        )
        return Markup("".join(cells))

    def speaker(self, speaker_id: str) -> Markup:
        name = self._data.speakers[speaker_id].name
        return Markup(
            f'<a href="{self._root}speakers/{escape(speaker_id)}.html">{escape(name)}</a>'
        )

    def figure(self, figure_id: str) -> Markup:
        label = self._data.figures[figure_id].label
        return Markup(f'<a href="{self._root}figures/{escape(figure_id)}.html">{escape(label)}</a>')

    def source(self, source_id: str) -> Markup:
        title = self._data.sources[source_id].title
        return Markup(f'<a href="{self._root}sources/{escape(source_id)}.html">{escape(title)}</a>')
