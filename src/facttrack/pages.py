"""What a site is made of: its pages, and the families the claim pages come in.

Plain data passed from render.py, which lists them, to cache.py, which finds those
to render again, and to parallel.py, which renders them; no Jinja here, so that a
check that renders nothing does not import it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Page:
    """One page of the site: its path, its template, and what it shows."""

    path: str  # relative to the site root, with / separators
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    # Context that is costly to compute (highlighted text): computed when the page is
    # rendered, so that listing the pages is cheap and the work spreads over the workers.
    lazy_context: Callable[[], dict[str, Any]] | None = None
    # Every record the page shows besides the site title and description; an incremental
    # build re-renders the page only when one of them changed (see cache.py). None: the
    # page is always rendered. A template that starts showing more must add it here.
    inputs: tuple[Any, ...] | None = None


@dataclass(frozen=True)
class Family:
    """Pages that show nothing beyond what their family shows: the claim pages of one
    source. An incremental build digests the family's `inputs` first and lists its
    pages one by one (`members`) only when those changed (cache.plan): an edit then
    costs a look at the few families it touches, not at every claim's page. Every
    member's inputs must be among the family's, and its path one of `paths`
    (tests/test_incremental.py checks both for every family)."""

    name: str  # unique among the families of a site
    paths: tuple[str, ...]  # the members' paths, in the order `members` lists them
    inputs: tuple[Any, ...]
    members: Callable[[], Iterator[Page]]


def expand(listing: Iterable[Page | Family]) -> Iterator[Page]:
    """Every page of a listing, each family's members in its place."""
    for item in listing:
        if isinstance(item, Family):
            yield from item.members()
        else:
            yield item
