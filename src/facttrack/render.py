"""Pages from the derived data: page kind -> (path, template, context) -> HTML.

One small function per page kind. Every link is relative (the context's `root`
leads back to the top of the site), so the site works from disk and under any
sub-path.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import formatting, page_parts
from .dates import PartialDate
from .derive import Derived, Month
from .fragments import Fragments, claim_target
from .highlight import Mark, highlight
from .history import History
from .model import Anchor, Claim, Event, Figure, Source, Span
from .pages import Family, Page

STATIC_DIR = "static"


@dataclass(frozen=True)
class MonthLink:
    """A month in the list of the timeline's months."""

    path: str
    label: str
    claims: int
    events: int


def _by_year(months: Sequence[Month], firsts: Sequence[PagerLink]) -> tuple[Any, ...]:
    """(year, its MonthLinks) for the page of the timeline's months."""
    years: dict[str, list[MonthLink]] = {}
    for month, link in zip(months, firsts, strict=True):
        claims = sum(1 for entry in month.entries if entry.claim is not None)
        entry = MonthLink(link.path, month.label, claims, len(month.entries) - claims)
        years.setdefault(month.key[:4], []).append(entry)
    return tuple((year, tuple(links)) for year, links in years.items())


def default_templates_dir() -> Path:
    """The templates shipped in the package, or the repository's in a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parents[1] / "templates"):
        if (candidate / "base.html").is_file():
            return candidate
    raise FileNotFoundError("facttrack's default templates are missing from the installation")


def root_of(path: str) -> str:
    """The relative prefix from a page back to the site root: '', '../', ..."""
    return "../" * path.count("/")


def environment(templates: Path | None, compiled: Path | None = None) -> jinja2.Environment:
    """The templates (a --templates folder first); `compiled`: a folder where Jinja
    keeps them compiled, so a build does not compile every template again."""
    folders = [str(templates)] if templates else []
    folders.append(str(default_templates_dir()))
    bytecode = None
    if compiled is not None:
        try:
            compiled.mkdir(parents=True, exist_ok=True)
            bytecode = jinja2.FileSystemBytecodeCache(str(compiled))
        except OSError:
            pass  # a folder we cannot write: templates are compiled each time
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders),
        bytecode_cache=bytecode,
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates do not change during a build: no stat() per page
    )
    env.filters["markdown"] = formatting.Markdown()
    env.filters["plain_number"] = formatting.plain_number
    env.globals["claim_amount"] = formatting.claim_amount
    env.globals["claim_target"] = claim_target
    page_parts.register(env)
    return env


_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s+|\n\s*")
_SENTENCE_END_CHARS = ".!?\"'”’)"  # what a sentence end is made of, with whitespace


def sentence_ends(text: str, start: int = 0, stop: int | None = None) -> list[int]:
    """The offsets at which the text's sentences end, in order: those whose end
    begins at `start` or after, and before `stop`."""
    ends = []
    for match in _SENTENCE_END.finditer(text, start):
        if stop is not None and match.start() >= stop:
            break
        ends.append(match.end())
    return ends


def context_span(text: str, quote: Span, sentences: int = 1, limit: int = 600) -> Span:
    """The quote widened by whole sentences on each side (at most `limit` characters)."""
    # Only the sentence ends within `limit` of the quote can matter, so only they are
    # looked for, from a place no sentence end straddles: a few hundred characters
    # a claim rather than every source's whole text.
    start = max(0, quote.start - limit)
    while start > 0 and (text[start - 1].isspace() or text[start - 1] in _SENTENCE_END_CHARS):
        start -= 1
    ends = sentence_ends(text, start, quote.end + limit)
    return span_between(text, quote, ends, sentences, limit)


def span_between(text: str, quote: Span, ends: Sequence[int], sentences: int, limit: int) -> Span:
    """context_span, given the sentence ends around the quote."""
    before = bisect.bisect_right(ends, quote.start)  # ends[:before] are <= quote.start
    after = bisect.bisect_left(ends, quote.end)  # ends[after:] are >= quote.end
    start = ends[before - 1 - sentences] if before > sentences else 0
    end = ends[after + sentences] if len(ends) - after > sentences else len(text)
    start = max(start, quote.start - limit)
    end = min(end, quote.end + limit)
    while start < quote.start and text[start].isspace():
        start += 1
    while end > quote.end and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


SITEMAP_LIMIT = 50_000  # URLs per sitemap file, as the sitemaps.org protocol allows
# Long lists are split into pages a phone can load (tests/browser: 200 kB a page at most).
CLAIMS_PER_PAGE = 200  # rows of the list of all claims
TIMELINE_PER_PAGE = 300  # timeline entries; past this, one page per month
HOME_FIGURES = 12  # figure cards on the home page when no figure is key
PAGER_AROUND = 2  # page links either side of the current one


@dataclass(frozen=True)
class PagerLink:
    """One link of a pager between the pages of a long list."""

    path: str  # from the site root
    label: str
    current: bool = False
    after_gap: bool = False  # pages between the link before and this one are left out


@dataclass(frozen=True)
class Pager:
    """Where a page is among the pages a long list is split into: links to the first
    and the last, to those around it, and to the previous and the next."""

    items: tuple[PagerLink, ...]
    previous: PagerLink | None
    next: PagerLink | None
    up: PagerLink | None = None  # the page the list hangs from (the timeline's months)
    numbered: bool = False  # the pages' labels are their numbers

    @classmethod
    def of(
        cls,
        links: Sequence[PagerLink],
        index: int,
        up: PagerLink | None = None,
        numbered: bool = False,
    ) -> Pager:
        around = range(index - PAGER_AROUND, index + PAGER_AROUND + 1)
        shown = sorted({0, len(links) - 1, *(n for n in around if 0 <= n < len(links))})
        items = tuple(
            replace(links[n], current=n == index, after_gap=i > 0 and n - shown[i - 1] > 1)
            for i, n in enumerate(shown)
        )
        return cls(
            items=items,
            previous=links[index - 1] if index > 0 else None,
            next=links[index + 1] if index + 1 < len(links) else None,
            up=up,
            numbered=numbered,
        )


def split_pages(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    """The items in runs of at most `size`; one empty run for no items."""
    return [items[start : start + size] for start in range(0, len(items), size)] or [items]


def sitemap_pages(paths: list[str]) -> Iterator[Page]:
    """sitemap.xml; past the protocol's limit, an index of numbered sitemaps."""
    if len(paths) <= SITEMAP_LIMIT:
        yield Page("sitemap.xml", "sitemap.xml", {"paths": paths})
        return
    parts = [paths[i : i + SITEMAP_LIMIT] for i in range(0, len(paths), SITEMAP_LIMIT)]
    names = [f"sitemap-{number}.xml" for number in range(1, len(parts) + 1)]
    for name, part in zip(names, parts, strict=True):
        yield Page(name, "sitemap.xml", {"paths": part})
    yield Page("sitemap.xml", "sitemap-index.xml", {"paths": names})


class Renderer:
    """Turns the derived data into pages and pages into HTML."""

    def __init__(
        self,
        derived: Derived,
        templates: Path | None = None,
        history: History | None = None,
        compiled: Path | None = None,
    ) -> None:
        self.derived = derived
        self.data = derived.linked.data
        self.env = environment(templates, compiled)
        self.markdown: formatting.Markdown = self.env.filters["markdown"]
        self.fragments = Fragments(self.data)
        self.fragments.register(self.env)
        self.env.globals["partial_cached"] = self.partial_cached
        self._partials: dict[tuple[str, str], Markup] = {}
        # the description of pages that have none of their own: the same for all
        description = jinja2.filters.do_striptags(self.data.description)
        self._site_summary = jinja2.filters.do_truncate(self.env, description, 200)
        self.history = history or History(available=False, reason="not read for this build")
        self._groups: dict[str, tuple[Any, ...]] = {}  # built once, shared by many pages

    # -- page kinds ---------------------------------------------------------

    def pages(self) -> Iterator[Page | Family]:
        """Every page, the claim pages in families (see Family; `expand` lists them all);
        then the sitemap of the HTML pages, when the site's address is known."""
        listed: list[str] = []
        for page in self._pages():
            if isinstance(page, Family):
                listed += page.paths  # claim pages: HTML, all of them
            elif page.path.endswith(".html") and page.path != "404.html":
                listed.append(page.path)
            yield page
        if self.data.url:
            for page in sitemap_pages(listed):
                yield replace(page, inputs=(tuple(page.context["paths"]),))

    def _pages(self) -> Iterator[Page | Family]:
        # Each page lists, as its inputs, the records it shows (see Page.inputs): the
        # lists of figures, speakers and sources their rows, the checks page its
        # checks and the claims they name, and so on. A claim stands for the figure,
        # speaker and source shown beside it too: its digest covers theirs (see
        # cache.Fingerprints).
        derived = self.derived
        figures, left_out = self.home_figures()
        yield Page(
            "index.html", "home.html", {"figures": figures, "figures_left_out": left_out},
            inputs=(self._home_shown(figures), left_out),
        )  # fmt: skip
        yield from self._timeline_pages()
        yield Page("figures/index.html", "figures.html", inputs=self._figures_shown())
        for figure in derived.figures:
            yield Page(
                f"figures/{figure.id}.html", "figure.html", {"figure": figure},
                inputs=(figure, self._shown_with_figure(figure.id)),
            )  # fmt: skip
        speakers = sorted(self.data.speakers.values(), key=lambda s: s.name.lower())
        counted = tuple((s, len(derived.claims_by_speaker.get(s.id, ()))) for s in speakers)
        yield Page("speakers/index.html", "speakers.html", inputs=counted)
        for speaker in speakers:
            claims = derived.claims_by_speaker.get(speaker.id, ())
            events = derived.events_by_speaker.get(speaker.id, ())
            yield Page(
                f"speakers/{speaker.id}.html", "speaker.html", {"speaker": speaker},
                inputs=(speaker, claims, events),
            )  # fmt: skip
        sources = self.data.sources.values()
        counts = tuple((s, len(derived.claims_by_source.get(s.id, ()))) for s in sources)
        yield Page("sources/index.html", "sources.html", inputs=counts)
        for source in sources:
            yield Page(
                f"sources/{source.id}.html", "source.html",
                lazy_context=partial(self.source_context, source),
                inputs=(source, self._shown_with_source(source.id)),
            )  # fmt: skip
        yield from self._claims_list_pages()
        involved = derived.consistency.claims_involved
        for source in sources:
            if of_source := derived.claims_by_source.get(source.id):
                yield self._claim_family(source.id, of_source, involved)
        yield Page("checks.html", "checks.html", inputs=self._all_checks_shown())
        yield Page(
            "downloads.html", "downloads.html",
            lazy_context=lambda: {"dataset": page_parts.dataset(self.derived)},
            inputs=self._downloads_shown(),
        )  # fmt: skip
        yield Page(
            "changes.html", "changes.html", {"history": self.history}, inputs=(self.history,)
        )
        # A 404 page is served at any depth: its links are absolute when they can be.
        root = f"{self.data.url}/" if self.data.url else ""
        yield Page("404.html", "404.html", {"root": root}, inputs=())  # the site's title only
        newest = page_parts.feed_records(derived)
        yield Page(
            "feed.xml", "feed.xml",
            lazy_context=lambda: {"feed": page_parts.feed_entries(self.derived)},
            inputs=tuple(self._record_shown(record) for record in newest),
        )  # fmt: skip
        yield Page("search.html", "search.html", inputs=self._search_shown())

    def _claim_family(
        self, source_id: str, claims: tuple[Claim, ...], involved: frozenset[str]
    ) -> Family:
        """The pages of a source's claims. Each shows its claim, its source with the
        source's claims (in _shown_with_source), and the checks that name it: the
        family's inputs are the source's, and the checks of those of its claims that
        some check names (the others show none)."""
        checks = tuple((c.id, self._checks_of_claim(c.id)) for c in claims if c.id in involved)
        return Family(
            f"claims of source {source_id}",
            tuple([f"claims/{claim.id}.html" for claim in claims]),
            (self._shown_with_source(source_id), checks),
            partial(self._claim_pages, claims),
        )

    def _claim_pages(self, claims: tuple[Claim, ...]) -> Iterator[Page]:
        for claim in claims:
            yield Page(
                f"claims/{claim.id}.html", "claim.html",
                lazy_context=partial(self.claim_context, claim),
                inputs=(
                    claim, self._shown_with_source(claim.source),
                    self._checks_of_claim(claim.id),
                ),
            )  # fmt: skip

    def home_figures(self) -> tuple[tuple[Figure, ...], int]:
        """The figures the home page shows, and how many it leaves out: the key
        figures; when none is key, the HOME_FIGURES whose latest claim is the most
        recent. Either way in the figures' order."""
        figures = self.derived.figures
        key = tuple(figure for figure in figures if figure.key)
        if key or len(figures) <= HOME_FIGURES:
            return key or figures, 0
        latest = self.derived.latest

        def recency(figure: Figure) -> tuple[Any, ...]:
            claim = latest[figure.id]
            return (claim.as_of.sort_key(), claim.stated_on.sort_key(), figure.id)

        recent = sorted((f for f in figures if f.id in latest), key=recency, reverse=True)
        chosen = {figure.id for figure in recent[:HOME_FIGURES]}
        return tuple(f for f in figures if f.id in chosen), len(figures) - len(chosen)

    def _timeline_pages(self) -> Iterator[Page]:
        """The timeline on one page; past TIMELINE_PER_PAGE entries, a page of months
        with a page for each month (a month with more entries takes several)."""
        months = self.derived.timeline
        if sum(len(month.entries) for month in months) <= TIMELINE_PER_PAGE:
            one_page = {"months": months, "heading": None, "pager": None}
            yield Page(
                "timeline.html", "timeline.html", one_page, inputs=self._months_shown(months)
            )
            return
        links: list[PagerLink] = []
        parts: list[Month] = []
        firsts: list[PagerLink] = []  # the first page of each month
        for month in months:
            pieces = split_pages(month.entries, TIMELINE_PER_PAGE)
            for number, piece in enumerate(pieces, start=1):
                suffix = "" if number == 1 else f"-{number}"
                label = (
                    month.label
                    if len(pieces) == 1
                    else f"{month.label} ({number} of {len(pieces)})"
                )
                links.append(PagerLink(f"timeline/{month.key}{suffix}.html", label))
                parts.append(replace(month, entries=tuple(piece)))
            firsts.append(replace(links[len(links) - len(pieces)], label=month.label))
        years = _by_year(months, firsts)
        yield Page("timeline.html", "timeline-months.html", {"years": years}, inputs=(years,))
        up = PagerLink("timeline.html", "All months")
        for index, (link, part) in enumerate(zip(links, parts, strict=True)):
            pager = Pager.of(links, index, up)
            heading = f"Timeline: {link.label}"
            inputs = (*self._months_shown((part,)), pager)
            yield Page(
                link.path, "timeline.html", {"months": (part,), "heading": heading, "pager": pager},
                inputs=inputs,
            )  # fmt: skip

    def _claims_list_pages(self) -> Iterator[Page]:
        """Every claim by id, CLAIMS_PER_PAGE to a page."""
        claims = sorted(self.data.claims.values(), key=lambda claim: claim.id)
        pieces = split_pages(claims, CLAIMS_PER_PAGE)
        paths = ["claims/index.html", *(f"claims/page-{n}.html" for n in range(2, len(pieces) + 1))]
        links = [PagerLink(path, str(number)) for number, path in enumerate(paths, start=1)]
        for index, piece in enumerate(pieces):
            pager, caption = None, "Every claim, by id"
            if len(pieces) > 1:
                pager = Pager.of(links, index, numbered=True)
                first = index * CLAIMS_PER_PAGE + 1
                caption = (
                    f"Claims {first:,} to {first + len(piece) - 1:,} of {len(claims):,}, by id "
                    f"(page {index + 1} of {len(pieces)})"
                )
            context = {"claims": piece, "caption": caption, "pager": pager}
            inputs = (tuple(piece), pager, caption)
            yield Page(paths[index], "claims.html", context, inputs=inputs)

    # -- what pages show, for incremental builds (Page.inputs) ---------------

    def _record_shown(self, record: Claim | Event) -> Claim | tuple[Any, ...]:
        if isinstance(record, Claim):
            return record
        speaker = self.data.speakers[record.speaker] if record.speaker else None
        return (record, speaker, self.data.sources[record.source])

    def _home_shown(self, figures: Sequence[Figure]) -> tuple[Any, ...]:
        """The home page's figures with their series (for the sparklines), and the
        counts of the checks it summarises."""
        cons = self.derived.consistency
        counts = (
            tuple(check.status for check in cons.relations),
            len(cons.conflicts),
            len(cons.decreases),
        )
        return (tuple(self._shown_with_figure(f.id) for f in figures), counts)

    def _figures_shown(self) -> tuple[Any, ...]:
        """Each figure with its latest claim and how many claims it has."""
        derived = self.derived
        return tuple(
            (
                figure,
                derived.latest.get(figure.id),
                len(derived.series.get(figure.id, ())),
            )
            for figure in derived.figures
        )

    def _all_checks_shown(self) -> tuple[Any, ...]:
        """Every check, with the claims it names and the figures of running totals."""
        cons = self.derived.consistency
        checks = (cons.relations, cons.conflicts, cons.decreases)
        figures = tuple(f for f in self.derived.figures if f.id in cons.monotone_checked)
        return (*checks, self._claims_in(checks), figures)

    def _downloads_shown(self) -> tuple[Any, ...]:
        """The figures with their number of claims, and what the dataset's JSON-LD
        says of the claims: how many, and the dates they cover."""
        # each figure's series is in as-of order, and every claim is in one of them
        series = [steps for steps in self.derived.series.values() if steps]
        firsts = [steps[0].claim.as_of for steps in series]
        lasts = [steps[-1].claim.as_of for steps in series]
        by_date = PartialDate.sort_key
        cover = (min(firsts, key=by_date), max(lasts, key=by_date)) if series else ()
        counts = tuple((f, len(self.derived.series.get(f.id, ()))) for f in self.derived.figures)
        return (counts, len(self.data.claims), cover)

    def _search_shown(self) -> tuple[Any, ...]:
        """The figures and speakers the search filters offer: those with claims."""
        derived = self.derived
        figures = tuple(f for f in derived.figures if derived.series.get(f.id))
        speakers = tuple(
            s for s in self.data.speakers.values() if derived.claims_by_speaker.get(s.id)
        )
        return (figures, speakers)

    def _months_shown(self, months: Sequence[Month]) -> tuple[Any, ...]:
        """Timeline months with each claim's and each event's records."""
        shown: list[Any] = []
        for month in months:
            shown.append((month.key, month.label))
            for entry in month.entries:
                if entry.claim is not None:
                    shown.append(entry.claim)
                elif entry.event is not None:
                    speaker = entry.event.speaker
                    shown.append((entry.event, self.data.speakers[speaker] if speaker else None))
        return tuple(shown)

    def _shown_with_figure(self, figure_id: str) -> tuple[Any, ...]:
        """A figure with its claims, as its page and its claims' pages show them."""
        key = f"figure {figure_id}"
        if key not in self._groups:
            claims = tuple([step.claim for step in self.derived.series.get(figure_id, ())])
            cons = self.derived.consistency
            checks = (
                cons.relations_of_figure(figure_id),
                cons.conflicts_of_figure(figure_id),
                cons.decreases_of_figure(figure_id),
                figure_id in cons.monotone_checked,
            )
            self._groups[key] = (
                self.data.figures[figure_id],
                claims,
                checks,
                self._claims_in(checks[:3]),
            )
        return self._groups[key]

    def _checks_of_claim(self, claim_id: str) -> tuple[Any, ...]:
        """The consistency checks a claim's page shows, with the claims they involve.
        (The interval it shows is the claim's and its source's: in its other inputs.)"""
        cons = self.derived.consistency
        if not cons.involves_claim(claim_id):
            return ()  # most claims: one shared empty tuple, digested once
        checks = (
            cons.relations_of_claim(claim_id),
            cons.conflicts_of_claim(claim_id),
            cons.decreases_of_claim(claim_id),
        )
        return (*checks, self._claims_in(checks))

    @staticmethod
    def _claims_in(checks: tuple[tuple[Any, ...], ...]) -> tuple[Claim, ...]:
        relations, conflicts, decreases = checks
        return (
            *(claim for check in relations for claim in check.claims),
            *(claim for item in conflicts for claim in (item.first, item.second)),
            *(claim for item in decreases for claim in (item.earlier, item.later)),
        )

    def _shown_with_source(self, source_id: str) -> tuple[Any, ...]:
        """A source with its claims and events, as its page and its claims' pages show them."""
        key = f"source {source_id}"
        if key not in self._groups:
            claims = self.derived.claims_by_source.get(source_id, ())
            events = self.derived.events_by_source.get(source_id, ())
            speakers = tuple(self.data.speakers[e.speaker] for e in events if e.speaker)
            self._groups[key] = (
                self.data.sources[source_id],
                claims,
                events,
                speakers,
            )
        return self._groups[key]

    def source_context(self, source: Source) -> dict[str, Any]:
        claims = self.derived.claims_by_source.get(source.id, ())
        events = self.derived.events_by_source.get(source.id, ())
        return {
            "source": source,
            "claims": claims,
            "events": events,
            "text_html": self.source_html(source, claims, events),
        }

    def claim_context(self, claim: Claim) -> dict[str, Any]:
        anchor = self.derived.linked.claim_anchors[claim.id]
        return {"claim": claim, "anchor": anchor, "excerpt_html": self.excerpt_html(claim, anchor)}

    # -- highlighted text ---------------------------------------------------

    def source_html(
        self, source: Source, claims: tuple[Claim, ...], events: tuple[Event, ...]
    ) -> Markup:
        """The full text, each quoted passage highlighted and linked to its claim."""
        marks: list[Mark] = []
        for rank, claim in enumerate(claims):
            anchor = self.derived.linked.claim_anchors[claim.id]
            marks += self._claim_marks(claim, anchor, rank, footnote=rank + 1)
        for rank, event in enumerate(events, start=len(claims)):
            anchor = self.derived.linked.event_anchors[event.id]
            marks.append(
                Mark(
                    anchor.quote.start, anchor.quote.end, "mark",
                    {"class": "quote event"}, id=f"event-{event.id}", rank=rank,
                )
            )  # fmt: skip
        return highlight(source.text, marks)

    def _claim_marks(self, claim: Claim, anchor: Anchor, rank: int, footnote: int) -> list[Mark]:
        assert anchor.number is not None
        note = Markup(
            '<sup class="ref">'
            '<a href="../claims/{id}.html" aria-label="{n}: claim {id}">{n}</a></sup>'
        ).format(id=claim.id, n=footnote)
        quote = Mark(
            anchor.quote.start, anchor.quote.end, "mark", {"class": "quote"},
            id=f"claim-{claim.id}", id_at=anchor.number.start, rank=rank, after=note,
        )  # fmt: skip
        number = Mark(
            anchor.number.start, anchor.number.end, "strong",
            {"class": "num", "data-number-of": claim.id}, rank=rank,
        )  # fmt: skip
        return [quote, number]

    def excerpt_html(self, claim: Claim, anchor: Anchor) -> Markup:
        """The quote in its surrounding sentences. Its number, and the number of any
        other claim that falls inside the excerpt, link to their passages."""
        text = self.data.sources[claim.source].text
        span = context_span(text, anchor.quote)
        shift = span.start
        marks = [
            Mark(anchor.quote.start - shift, anchor.quote.end - shift, "mark", {"class": "quote"})
        ]
        taken: list[Span] = []
        others = self.derived.claims_by_source.get(claim.source, ())
        for linked_claim in (claim, *(c for c in others if c.id != claim.id)):
            number = self.derived.linked.claim_anchors[linked_claim.id].number
            assert number is not None
            inside = span.start <= number.start and number.end <= span.end
            if not inside or any(number.start < t.end and t.start < number.end for t in taken):
                continue
            taken.append(number)
            marks.append(
                Mark(
                    number.start - shift, number.end - shift, "a",
                    {"class": "num", "href": f"../{claim_target(linked_claim)}",
                     "data-claim": linked_claim.id},
                    rank=len(taken),
                )
            )  # fmt: skip
        prefix = "…" if span.start > 0 else ""
        suffix = "…" if span.end < len(text) else ""
        return Markup(prefix) + highlight(text[span.start : span.end], marks) + Markup(suffix)

    # -- output -------------------------------------------------------------

    def common_context(self, page: Page) -> dict[str, Any]:
        return {
            "root": root_of(page.path),
            "page_path": page.path,
            "data": self.data,
            "derived": self.derived,
            "site_title": self.data.title,
            "site_description": self.data.description,
            "site_summary": self._site_summary,
        }

    @jinja2.pass_context
    def partial_cached(self, context: Any, name: str) -> Markup:
        """A template that shows only the site's title and the way back to its root
        (the header and footer every page has), rendered once for each root. It
        sees nothing else of the page, so a cached copy cannot be another page's."""
        root = context["root"]
        key = (name, root)
        if key not in self._partials:
            shown = {"root": root, "site_title": self.data.title}
            self._partials[key] = Markup(self.env.get_template(name).render(shown))
        return self._partials[key]

    def render(self, page: Page) -> bytes:
        template = self.env.get_template(page.template)
        lazy = page.lazy_context() if page.lazy_context else {}
        context = {**self.common_context(page), **page.context, **lazy}
        context["link"] = self.fragments.links(context["root"])  # the root may be the page's own
        html = template.render(context)
        return html.encode("utf-8")

    def markdown_texts(self) -> set[str]:
        """Every text the default templates pass through the markdown filter."""
        data = self.data
        texts = {data.description, *(figure.description for figure in data.figures.values())}
        for records in (data.claims, data.sources, data.events, data.relations):
            texts.update(record.note for record in records.values() if record.note)
        texts.discard("")
        return texts

    def template_folders(self) -> list[Path]:
        """The folders templates are taken from, the --templates folder first."""
        loader = self.env.loader
        assert isinstance(loader, jinja2.FileSystemLoader)
        return [Path(folder) for folder in loader.searchpath]

    def static_files(self) -> Iterator[tuple[str, bytes]]:
        """Files copied as they are: the stylesheet; a --templates folder may add more."""
        seen: set[str] = set()
        loader = self.env.loader
        assert isinstance(loader, jinja2.FileSystemLoader)
        for folder in loader.searchpath:
            static = Path(folder) / STATIC_DIR
            if not static.is_dir():
                continue
            for path in sorted(static.rglob("*")):
                relative = path.relative_to(static).as_posix()
                if path.is_file() and relative not in seen:
                    seen.add(relative)
                    yield relative, path.read_bytes()
