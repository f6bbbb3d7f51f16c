"""Random edits, each followed by a rebuild: the site is always what a clean build
writes, byte for byte, and a rebuild that fails leaves it as it was.

tests/test_incremental.py makes one edit of each kind to a site it built; here a
sequence of edits of a generated tracker, drawn by Hypothesis, goes through the same
page cache, memo and downloads, so that edits meet each other: a claim moved to the
date another claim of its figure is about (a conflict found, then lost), the list of
claims and the months of the timeline paged anew, the home page's recent figures and
the feed's newest records changing, an edit undone. The lists are paged a few records
to a page, so that a small tracker has the pagers a large one has. The sites have no
search index: Pagefind takes seconds a build, and a build that indexes writes a whole
new site, which tests/test_incremental.py holds to a clean build's for each edit.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any
from unittest import mock

from bench.generate import Corpus, claims_yaml, corpus, source_file, write_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facttrack import page_parts, parallel, render
from facttrack.build import Warm, build
from facttrack.checking import Options
from test_incremental import tree_bytes

GENERATED = corpus(150, seed=7)  # 3 figures, 15 sources, 7 speakers, 7 events
# A check between claims of two sources: deleting either makes the data invalid.
RELATION = (
    "relations:\n  - id: a-share\n    type: ratio\n"
    f"    numerator: {GENERATED.claims[0].id}\n    denominator: {GENERATED.claims[1].id}\n"
)
CUMULATIVE = "    kind: cumulative\n"
UNDO = ("undo", 0, 0)

# (what, which record, which other record or value): indexes are taken modulo the count
KINDS = (
    "claim date", "claim figure", "claim speaker", "claim qualifier", "claim deleted",
    "claim copied", "claims swapped", "figure label", "figure kind", "speaker name",
    "event date", "event deleted", "source title", "source text", "source copied",
    "source deleted",
)  # fmt: skip
edits = st.lists(
    st.one_of(
        st.tuples(st.sampled_from(KINDS), st.integers(0, 500), st.integers(0, 500)),
        st.just(UNDO),
    ),
    min_size=1,
    max_size=4,
)


def edited(data: Corpus, edit: tuple[str, int, int]) -> Corpus:
    """The corpus with one edit made. Most leave it valid; deleting a claim the
    relation names (or its source), or copying a claim or a source twice under one
    new id, does not, and the rebuild must refuse it."""
    kind, i, j = edit
    claims, figures = list(data.claims), list(data.figures)
    events, sources, speakers = list(data.events), list(data.sources), list(data.speakers)
    claim, other = claims[i % len(claims)], claims[j % len(claims)]
    if kind == "claim date":  # the date of another claim: of the same figure, a conflict
        _change(claims, i, as_of=other.as_of)
    elif kind == "claim figure":
        _change(claims, i, figure=figures[j % len(figures)].id)
    elif kind == "claim speaker":
        _change(claims, i, speaker=speakers[j % len(speakers)].id)
    elif kind == "claim qualifier":
        _change(claims, i, qualifier="about" if claim.qualifier == "exact" else "exact")
    elif kind == "claim deleted" and len(claims) > 1:
        del claims[i % len(claims)]
    elif kind == "claim copied":  # a new claim, from the same quote
        claims.insert(j % len(claims), replace(claim, id=f"{claim.id}-{j}"))
    elif kind == "claims swapped":
        claims[i % len(claims)], claims[j % len(claims)] = other, claim
    elif kind == "figure label":
        _change(figures, i, label=f"{figures[i % len(figures)].label} {j}")
    elif kind == "figure kind":
        _change(figures, i, kind=("cumulative", "stock", "count")[j % 3])
    elif kind == "speaker name":
        _change(speakers, i, name=f"{speakers[i % len(speakers)].name} {j}")
    elif kind == "event date":
        _change(events, i, date=f"{other.as_of}-{j % 28 + 1:02d}")
    elif kind == "event deleted" and len(events) > 1:
        del events[i % len(events)]
    elif kind == "source title":
        _change(sources, i, title=f"{sources[i % len(sources)].title} {j}")
    elif kind == "source text":
        _change(sources, i, text=f"{sources[i % len(sources)].text}\nAdded {j}.\n")
    elif kind == "source copied":  # a new file, cited by a copy of a claim of the first
        source = sources[i % len(sources)]
        copy = replace(source, id=f"{source.id}-{j}")
        sources.append(copy)
        if cited := [c for c in claims if c.source == source.id]:
            claims.append(replace(cited[0], id=f"{cited[0].id}-in-{copy.id}", source=copy.id))
    elif kind == "source deleted" and len(sources) > 1:  # with what cites it
        gone = sources.pop(i % len(sources)).id
        claims = [c for c in claims if c.source != gone]
        events = [e for e in events if e.source != gone]
    return Corpus(tuple(figures), tuple(speakers), tuple(sources), tuple(claims), tuple(events))


def _change(records: list[Any], index: int, **fields: str) -> None:
    """Give the record at `index` (modulo their count) new values of some fields."""
    index %= len(records)
    records[index] = replace(records[index], **fields)


# the first figure a running total, whose decreases are checked
BASE = edited(GENERATED, ("figure kind", 0, 0))


def write_changed(data: Corpus, folder: Path) -> None:
    """Write the files whose text changed, and remove the sources' that went, as an
    editor's save does. The cumulative figures count from a known start, so that
    their decreases are checked too."""
    claims = claims_yaml(data).replace(CUMULATIVE, f'{CUMULATIVE}    counting_from: "2020-01"\n')
    files = {folder / "claims.yaml": claims + RELATION}
    files.update((folder / "sources" / f"{s.id}.txt", source_file(s)) for s in data.sources)
    for path in (folder / "sources").glob("*.txt"):
        if path not in files:
            path.unlink()
    for path, text in files.items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")


@contextmanager
def paged_small() -> Iterator[None]:
    """A few records to a page, and workers forked for a few pages."""
    with (
        mock.patch.object(render, "CLAIMS_PER_PAGE", 40),
        mock.patch.object(render, "TIMELINE_PER_PAGE", 25),
        mock.patch.object(render, "HOME_FIGURES", 2),
        mock.patch.object(page_parts, "FEED_ENTRIES", 10),
        mock.patch.object(parallel, "MIN_PAGES", 1),
    ):
        yield


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=edits, jobs=st.sampled_from([1, 2]), warm=st.booleans())
def test_random_edits_rebuild_the_site_a_clean_build_writes(edits, jobs, warm):
    with tempfile.TemporaryDirectory() as folder, paged_small():
        root = Path(folder)
        data = write_project(BASE, root / "data")
        write_changed(BASE, data)  # with the relation
        options = Options(data=data, out=root / "site", jobs=jobs, search=False)
        kept = Warm() if warm else None  # as facttrack serve keeps it between builds
        assert build(options, kept).ok
        now = BASE
        for edit in edits:
            now = BASE if edit == UNDO else edited(now, edit)
            write_changed(now, data)
            before = tree_bytes(options.out)
            result = build(options, kept)
            if not result.ok:  # an edit the check refuses: the site stays as it was
                assert tree_bytes(options.out) == before
                continue
            clean = Options(data=data, out=root / "clean", jobs=1, cache=False, search=False)
            assert build(clean).ok
            assert tree_bytes(options.out) == tree_bytes(clean.out), edit
