"""The search index: Pagefind reads the rendered pages and returns a static search bundle.

Indexing runs on the rendered pages in the build's staging folder, and its
files join the site's own before the one atomic swap, so a site on disk always
has an index that matches its pages. Pages opt in with `data-pagefind-body` (see
base.html); `data-pagefind-filter` attributes in the templates give the figure
and speaker filters.

Pagefind writes its filter lists in hash-map order, different on every run;
reproducible.py sorts them, so two builds of the same data stay byte-identical
(the build tests check that).
"""

from __future__ import annotations

import math
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path, PurePosixPath

from .reproducible import BundleFormatError, reproducible_bundle
from .write import folder_beside, swap_folder, sweep_leftovers, write_file

BUNDLE_DIR = "pagefind"  # where the bundle lives in the site; search.js loads it from here

# Pagefind also writes its own ready-made search interfaces. The site has its
# own small one (static/search.js) that matches its style and accessibility, so
# these are left out: they would only be dead weight to deploy.
UNUSED_FILES = frozenset(
    {
        "pagefind-ui.js",
        "pagefind-ui.css",
        "pagefind-component-ui.js",
        "pagefind-component-ui.css",
        "pagefind-modular-ui.js",
        "pagefind-modular-ui.css",
        "pagefind-highlight.js",
    }
)

# Pagefind is given this long, and this much more for every page: it takes about 2 ms
# a page on two cores (20 s at 10,000 claims), so a large tracker is never cut short,
# and a Pagefind that hangs is still stopped.
TIMEOUT_SECONDS = 300
TIMEOUT_PER_PAGE = 0.02


class SearchError(Exception):
    """The search index could not be built; the message says why and what to do."""


def pagefind_executable() -> Path:
    """The Pagefind binary shipped by the `pagefind` package (or PAGEFIND_BINARY_PATH)."""
    try:
        from pagefind.service import get_executable
    except ImportError as exc:
        raise SearchError(
            "the search indexer Pagefind is not installed; "
            "reinstall facttrack with its dependencies (pip install facttrack)"
        ) from exc
    executable = get_executable()
    if executable is None or not Path(executable).is_file():
        raise SearchError(
            "the Pagefind binary is missing; reinstall it with pip install 'pagefind[bin]' "
            "or point PAGEFIND_BINARY_PATH at a Pagefind executable"
        )
    return Path(executable)


def folder_bundle(site: Path) -> list[tuple[str, bytes]]:
    """Index the HTML pages in the folder `site` (the build's staging folder, where
    they are written already); return the bundle's (site path, bytes), sorted."""
    executable = pagefind_executable()
    with tempfile.TemporaryDirectory(prefix="facttrack-search-") as temporary:
        bundle = Path(temporary) / "bundle"
        _run_pagefind(executable, site, bundle)
        written = {
            path.relative_to(bundle).as_posix(): path.read_bytes()
            for path in bundle.rglob("*")
            if path.is_file() and path.relative_to(bundle).as_posix() not in UNUSED_FILES
        }
    try:
        stable = reproducible_bundle(written)
    except BundleFormatError as exc:
        raise SearchError(
            f"Pagefind wrote an index facttrack does not know how to read ({exc}); install "
            "the Pagefind version facttrack was tested with: pip install 'pagefind[bin]~=1.5.2'"
        ) from exc
    return [(f"{BUNDLE_DIR}/{path}", stable[path]) for path in sorted(stable)]


def update_index(site: Path) -> None:
    """Index a site in place and put the new bundle where the old one was: for a
    build that kept the previous index (Options.reindex=False, facttrack serve). The
    bundle is written beside the old one first; then the two folders swap."""
    bundle = folder_bundle(site)
    index = site / BUNDLE_DIR
    sweep_leftovers(index)  # of an update killed before it was done
    fresh = folder_beside(index, "building")
    try:
        for path, content in bundle:
            target = fresh.joinpath(*PurePosixPath(path).parts[1:])
            target.parent.mkdir(parents=True, exist_ok=True)
            write_file(target, content)
        swap_folder(fresh, index)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)  # left only when the swap failed


def _html_pages(site: Path) -> int:
    return sum(sum(name.endswith(".html") for name in names) for _, _, names in os.walk(site))


def _run_pagefind(executable: Path, site: Path, bundle: Path) -> None:
    timeout = TIMEOUT_SECONDS + TIMEOUT_PER_PAGE * _html_pages(site)
    command = [
        str(executable),
        "--site",
        str(site),
        "--output-path",
        str(bundle),
        # result links keep index.html, so they work on any static server
        "--keep-index-url",
        "--silent",
    ]
    try:
        finished = subprocess.run(
            command,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise SearchError(
            f"the search indexer Pagefind did not finish within {math.ceil(timeout)} s, and "
            "was stopped"
        ) from exc
    except OSError as exc:
        raise SearchError(f"the search indexer Pagefind could not run: {exc}") from exc
    if finished.returncode < 0:
        raise SearchError(f"the search indexer Pagefind {_stopped_by(-finished.returncode)}")
    if finished.returncode != 0 or not bundle.is_dir():
        output = (finished.stderr or finished.stdout).strip().splitlines()[-5:]
        raise SearchError(
            f"the search indexer Pagefind failed (exit status {finished.returncode})"
            + (": " + " / ".join(output) if output else "")
        )


def _stopped_by(number: int) -> str:
    try:
        name = signal.Signals(number).name
    except ValueError:
        name = f"signal {number}"
    if number == signal.SIGKILL:  # what the kernel sends when memory runs out
        return (
            f"was killed ({name}), most likely because the machine ran out of memory: it "
            "holds the text of every page (about 1.8 GiB at 10,000 claims)"
        )
    return f"was stopped by {name}"
