"""Render and write pages on every core: forked workers share the derived data.

A worker inherits the renderer, the pages and the staging folder from the parent
when it is forked, so nothing is pickled on the way there; it renders its chunks
of pages and writes them into the staging folder itself, and only counts come
back. Each page is rendered exactly as in a serial build, so the site is the same
byte for byte. Where fork is unavailable, or for small sites, pages render
in-process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os

from .render import Page, Renderer
from .write import Staging

CHUNK = 64  # most pages per task: large enough to amortise the round trip
MIN_PAGES = 32  # below this, starting workers costs more than it saves

# The work a forked worker does; set in the worker process only (see _adopt).
_work: tuple[Renderer, list[Page], Staging] | None = None


def default_jobs() -> int:
    """The cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _write(renderer: Renderer, pages: list[Page], staging: Staging) -> tuple[int, int]:
    """Render and write pages; (files with new bytes, files kept as they were)."""
    written = sum(staging.put(page.path, renderer.render(page)) for page in pages)
    return written, len(pages) - written


def _adopt(renderer: Renderer, pages: list[Page], staging: Staging) -> None:
    global _work
    _work = (renderer, pages, staging)


def _write_chunk(bounds: tuple[int, int]) -> tuple[int, int]:
    assert _work is not None, "worker started without its work"
    renderer, pages, staging = _work
    return _write(renderer, pages[bounds[0] : bounds[1]], staging)


def write_pages(
    renderer: Renderer, pages: list[Page], staging: Staging, jobs: int
) -> tuple[int, int]:
    """Render every page into the staging folder with up to `jobs` processes;
    (files with new bytes, files kept as they were)."""
    if jobs <= 1 or len(pages) < MIN_PAGES or "fork" not in multiprocessing.get_all_start_methods():
        return _write(renderer, pages, staging)
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
        with context.Pool(jobs, initializer=_adopt, initargs=(renderer, pages, staging)) as pool:
            counts = pool.map(_write_chunk, chunks, chunksize=1)
    finally:
        gc.unfreeze()
    return sum(written for written, _ in counts), sum(kept for _, kept in counts)
