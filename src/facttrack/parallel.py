"""Render pages on every core: forked workers share the derived data, untouched.

A worker inherits the renderer and the list of pages from the parent when it is
forked, so nothing is pickled but each chunk's (path, bytes) on the way back.
Chunks come back in page order, so the output is the serial build's, byte for
byte. Where fork is unavailable, or for small sites, pages render in-process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Iterator

from .render import Page, Renderer

CHUNK = 64  # most pages per task: large enough to amortise the round trip
MIN_PAGES = 32  # below this, starting workers costs more than it saves

# The work a forked worker renders from; set in the worker process only (see _adopt).
_work: tuple[Renderer, list[Page]] | None = None


def default_jobs() -> int:
    """The cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _adopt(renderer: Renderer, pages: list[Page]) -> None:
    global _work
    _work = (renderer, pages)


def _render_chunk(bounds: tuple[int, int]) -> list[tuple[str, bytes]]:
    assert _work is not None, "worker started without its work"
    renderer, pages = _work
    return [(page.path, renderer.render(page)) for page in pages[bounds[0] : bounds[1]]]


def render_pages(renderer: Renderer, pages: list[Page], jobs: int) -> Iterator[tuple[str, bytes]]:
    """(path, HTML) of every page, in order, rendered by up to `jobs` processes."""
    if jobs <= 1 or len(pages) < MIN_PAGES or "fork" not in multiprocessing.get_all_start_methods():
        for page in pages:
            yield page.path, renderer.render(page)
        return
    for template in sorted({page.template for page in pages}):
        renderer.env.get_template(template)  # syntax errors surface here, not in a worker
    # A few pages (the timeline, the list of all claims) cost as much as thousands of
    # others: small chunks for a short list keep one of them from holding up the rest.
    size = max(1, min(CHUNK, len(pages) // (8 * jobs)))
    chunks = [(start, min(start + size, len(pages))) for start in range(0, len(pages), size)]
    context = multiprocessing.get_context("fork")
    # Frozen objects are left alone by the cyclic collector: the workers' collections
    # then never walk (and so never copy) the data they share with the parent.
    gc.freeze()
    try:
        with context.Pool(jobs, initializer=_adopt, initargs=(renderer, pages)) as pool:
            for rendered in pool.imap(_render_chunk, chunks):
                yield from rendered
    finally:
        gc.unfreeze()
