"""The whole build, top to bottom: the check (checking.py: load -> validate -> link ->
derive), then render -> write."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from . import cache, memo, opendata
from .checking import Options, Result, Timings, check_data, without_cyclic_gc
from .derive import Derived
from .history import read_history
from .pages import Family, Page, expand
from .parallel import (
    Beside,
    Task,
    can_fork,
    renders_in_process,
    write_pages,
)
from .search import BUNDLE_DIR, SearchError, folder_bundle
from .write import (
    MARKER,
    UNCHANGED,
    Staging,
    WriteError,
    WriteResult,
    can_patch,
    folder_beside,
    same_files,
    site_lock,
    sweep_leftovers,
    write_changed,
)

if TYPE_CHECKING:
    from .render import Renderer


@dataclass
class Warm:
    """What a long-running caller (facttrack serve) keeps from one build to the next,
    so that the next one does not read it back from .facttrack-cache/. The caller owns
    the output folder: nothing else writes there between its builds, so the files of
    the pages kept are not looked at again. A build leaves its reference cycles in the
    oldest generation (the collector is paused, and what is alive frozen, while it
    checks and renders), which Python seldom collects: the caller runs gc.collect()
    between builds, as serve does."""

    memo: memo.Memo | None = None  # the latest check's
    pages: cache.Previous | None = None  # the page cache of the latest build's site
    texts: opendata.RecordTexts | None = None  # the records' texts in its downloads


@dataclass(frozen=True)
class _Plan:
    """What a build renders and keeps, planned against the site in place."""

    pages: cache.Plan  # what to render, and the fingerprints to keep
    previous: cache.Previous
    nothing_changed: bool  # the site in place is this build's already, file for file


def _plan(
    renderer: Renderer,
    listing: list[Page | Family],
    options: Options,
    site: _Site,
    changed: frozenset[str] | None,
) -> _Plan:
    if not options.cache:
        pages = list(expand(listing))
        everything = cache.Plan({}, {}, set(), pages, len(pages))
        return _Plan(everything, cache.Previous(), nothing_changed=False)
    previous, look = site.previous, not site.warm
    plan = cache.plan(listing, site.key, site.fingerprints, previous, options.out, look, changed)
    same = len(plan.keep) == plan.count == len(previous.fingerprints)
    same = same and plan.families == previous.families and _whole(renderer, options.out)
    return _Plan(plan, previous, nothing_changed=same)


def _whole(renderer: Renderer, out: Path) -> bool:
    """The site in `out` has every file besides its pages as this build would write it
    (the stylesheet), and no patch left half-done by a crash."""
    return same_files(renderer.static_files(), out) and can_patch(out)


def _kept_whole(
    renderer: Renderer, options: Options, site: _Site, changed: frozenset[str] | None
) -> _Plan | None:
    """The site in place, kept as it is without listing or fingerprinting a page, when
    it was made from this build's state (cache.site_state) and every file is still as
    it was made: its pages are this build's pages, with this build's fingerprints.
    None: the pages are listed and planned one by one (_plan)."""
    previous = site.previous
    looked = site.warm or changed is not None  # a warm build's caller owns the folder
    if not (site.same_state() and looked and not changed and _whole(renderer, options.out)):
        return None
    every = set(previous.fingerprints)
    pages = cache.Plan(previous.fingerprints, previous.families, every, [], len(every))
    return _Plan(pages, previous, nothing_changed=True)


@dataclass(frozen=True)
class _Site:
    """The site in place, as its page cache tells it, and this build's data."""

    previous: cache.Previous  # its page cache
    warm: bool  # taken from a long-running caller's Warm: its files are not looked at
    fingerprints: cache.Fingerprints  # of this build's records
    data: bytes  # the digest of this build's records (b"": not known)
    key: bytes  # what every page depends on (cache.site_key)
    state: bytes  # everything this build's pages are made from (b"": not known)

    @classmethod
    def of(
        cls, renderer: Renderer, options: Options, records: memo.Digests | None, warm: Warm | None
    ) -> _Site:
        if not options.cache:  # every page rendered, nothing fingerprinted
            return cls(cache.Previous(), False, cache.Fingerprints(), b"", b"", b"")
        kept = warm.pages if warm is not None else None
        previous = kept if kept is not None else cache.load(options.out)
        dataset = renderer.data
        fingerprints = cache.Fingerprints(records, dataset)
        data = fingerprints.of(dataset) if records is not None else b""
        key = cache.site_key(
            renderer.template_folders(),
            dataset.title,
            dataset.description,
            dataset.url or "",
            "search" if options.search else "no search",  # a site with an index, or without
        )
        history = fingerprints.of(renderer.history)
        state = cache.site_state(key, data, history) if data else b""
        return cls(previous, kept is not None, fingerprints, data, key, state)

    def same_state(self) -> bool:
        """The site in place was made from this build's state (cache.site_state)."""
        return bool(self.state) and self.state == self.previous.state

    def changed_pages(self, looking: cache.LookAhead | None, out: Path) -> frozenset[str] | None:
        """The pages whose file is not the one the previous build left: as looked at
        beside the check, or looked at here when the site may be kept whole (once, for
        _kept_whole and _plan both). None: not looked at; a warm build's caller owns
        the folder, and plan() looks at the pages it would keep itself."""
        if self.warm:
            return None
        found = looking.changed(self.previous) if looking is not None else None
        if found is None and self.same_state():
            found = cache.changed_pages(self.previous, out)
        return found

    def edited(self) -> bool:
        """The site was built from other data than this build's: edited since, or an
        edit undone (which the check does not see: after a small edit its memo is not
        written again, so that undoing the edit reads nothing again)."""
        return self.data != self.previous.data


def _write(
    renderer: Renderer,
    options: Options,
    checked: memo.Checked | None,
    timings: Timings,
    warm: Warm | None,
    looking: cache.LookAhead | None = None,
) -> tuple[WriteResult, int, bool]:
    """Write the site, rendering only the pages whose inputs changed; (what was
    written, how many pages, whether the search index was kept behind the pages)."""
    records = checked.digests if checked is not None else None
    sweep_leftovers(options.out)  # before any folder of this build's is made beside it
    sweep_leftovers(options.out / BUNDLE_DIR)  # and those of an index update (serve)
    with timings.step("read the page cache"):
        site = _Site.of(renderer, options, records, warm)
    aside = None
    if checked is not None and site.edited():  # see _Downloads
        with timings.step("start the downloads aside"):
            aside = _Downloads.start(renderer, records, options, warm)
    try:
        return _write_pages(renderer, options, checked, timings, warm, looking, site, aside)
    finally:
        if aside is not None:
            aside.close()


def _write_pages(
    renderer: Renderer,
    options: Options,
    checked: memo.Checked | None,
    timings: Timings,
    warm: Warm | None,
    looking: cache.LookAhead | None,
    site: _Site,
    aside: _Downloads | None,
) -> tuple[WriteResult, int, bool]:
    """_write(), with the downloads made aside, or None: done here, as a task."""
    step = timings.step
    records = checked.digests if checked is not None else None
    jobs = options.processes
    changed = site.changed_pages(looking, options.out)
    plan = _kept_whole(renderer, options, site, changed)
    if plan is None:
        with step("list the pages"):
            listing = list(renderer.pages())
        with step("fingerprint the pages"):
            plan = _plan(renderer, listing, options, site, changed)
    pages = plan.pages
    # done beside the pages: the memo for the next check, and the downloads
    tasks: list[Task] = [partial(_save_memo, options.data, checked)] if checked is not None else []
    if plan.nothing_changed:  # write nothing, so that nothing is uploaded again
        for task in tasks:
            task()
        return WriteResult(written=0, unchanged=len(plan.previous.files)), pages.count, False
    files: list[tuple[str, bytes | None]] = [(path, UNCHANGED) for path in pages.keep]
    files += list(renderer.static_files())
    todo = [page for page in pages.pages if page.path not in pages.keep]
    if aside is not None and not renders_in_process(len(todo), jobs):
        aside.close()  # many pages, on every core: the downloads are one job among them
        aside = None
    if aside is None:
        tasks.insert(0, partial(_downloads, renderer.derived, records, options, warm))
    # A patch moves only the files that changed into the site in place. Pagefind
    # indexes a folder of every page, so a build that indexes again writes them all.
    kept_index = options.search and not options.reindex and (options.out / BUNDLE_DIR).is_dir()
    patch = bool(plan.previous.files) and not (options.search and todo and not kept_index)
    staging = Staging(options.out, patch=patch)
    try:
        with step("write the files kept"):
            new = int(staging.new_marker)
            new += sum(staging.put(path, content) for path, content in files)
        also = "" if aside is not None else ", and the downloads"
        with step(f"render and write {len(todo)} pages{also}"):
            done = write_pages(renderer, todo, staging, jobs, tasks)
        if aside is not None:
            with step("the downloads made aside"):
                moved, downloads = aside.put(staging)
            new += moved
            done.files += downloads
        # indexed in the staging folder, so the swap puts pages and their index in place
        # together; when no page changed, the previous index still describes them
        with step("search index"):
            reindex = done.new_pages > 0 and not kept_index
            bundle = _search_bundle(staging, options.out, reindex) if options.search else []
            new += sum(staging.put(path, content) for path, content in bundle)
        new += done.new
        paths = {MARKER, *(path for path, _ in files + bundle), *done.files}
        paths.update(page.path for page in todo)
        with step("patch the site" if staging.patch else "swap the site in"):
            staging.commit(paths, plan.previous.files)
    except BaseException:
        staging.discard()
        raise
    try:
        if options.cache:
            with step("save the page cache"):
                saved = (pages.fingerprints, plan.previous, pages.keep, paths, done.stats)
                # the state stands for every page's fingerprint only if each page has one
                state = site.state if len(pages.fingerprints) == pages.count else b""
                kept = cache.save(options.out, *saved, pages.families, site.data, state)
                if warm is not None:
                    warm.pages = kept
    finally:
        if staging.patch:
            with step("remove the files replaced"):
                staging.settle()
    stale = kept_index and done.new_pages > 0
    return WriteResult(written=new, unchanged=len(paths) - new), pages.count, stale


class _Downloads:
    """The downloads of a rebuild, made by a forked process (parallel.Beside) while the
    build lists, plans and renders the pages: after an edit, that is a few pages, and
    the downloads (every record of the tracker, as JSON and CSV) take as long as all
    the rest. The process writes those whose bytes changed into a folder of its own
    beside the site, from which the build moves them into its staging folder.

    Made only where the build can fork, after an edit (the site was built from other
    data: _Site.edited; a rebuild that nothing changed writes no download, and
    forking costs it the memory pages that both processes then copy), over a site
    whose page cache is there (a first build renders every page, the downloads among
    them, on every core); and stopped when the pages to render turn out to be many,
    for the same reason."""

    def __init__(self, folder: Path, beside: Beside[tuple[list[str], list[str]]]) -> None:
        self.folder = folder
        self._beside = beside

    @classmethod
    def start(
        cls, renderer: Renderer, records: memo.Digests | None, options: Options, warm: Warm | None
    ) -> _Downloads | None:
        out = options.out
        jobs = options.processes
        if not (options.cache and jobs > 1 and can_fork() and cache.cache_file(out).is_file()):
            return None  # made as a task beside the pages
        folder = folder_beside(out, "downloads")
        make = partial(_downloads, renderer.derived, records, options, warm)
        aside = cls(folder, Beside(lambda: write_changed(make(), out, folder)))
        if not aside._beside.forked:  # out of processes or memory: a task, as above
            aside.close()
            return None
        return aside

    def put(self, staging: Staging) -> tuple[int, list[str]]:
        """Wait for the downloads, and put them into `staging`: (how many have new
        bytes, the paths of all)."""
        written, same = self._beside.result()
        for path in written:
            staging.move_in(path, self.folder / path)
        for path in same:
            staging.put(path, UNCHANGED)
        return len(written), written + same

    def close(self) -> None:
        """Stop the process if it still runs, and remove its folder."""
        self._beside.cancel()
        shutil.rmtree(self.folder, ignore_errors=True)


def _downloads(
    derived: Derived, records: memo.Digests | None, options: Options, warm: Warm | None
) -> list[tuple[str, bytes]]:
    """A task beside the pages: the downloads, each record's texts kept for the next
    build (in `warm` too, when this runs in the caller's process)."""
    if records is None or not options.cache:
        return list(opendata.files(derived))
    store = cache.cache_file(options.out).with_suffix(".downloads.pickle")
    keys = opendata.RecordTexts.keys_of(derived.linked.data, records)
    if warm is not None and warm.texts is not None:
        texts = opendata.RecordTexts(keys, warm.texts.current)
    else:
        texts = opendata.RecordTexts.load(store, keys)
    files = list(opendata.files(derived, texts))
    texts.save(store)
    if warm is not None:  # a forked worker's copy is lost with it: harmless
        warm.texts = texts
    return files


def _convert_markdown(renderer: Renderer, options: Options) -> None:
    """Every Markdown text of the pages, converted once before they are rendered (the
    processes rendering them share it). The previous build's are read back, so that a
    rebuild that shows no new text does not even import Markdown."""
    texts = renderer.markdown_texts()
    if not options.cache:
        renderer.markdown.prepare(texts)
        return
    store = cache.cache_file(options.out).with_suffix(".markdown.pickle")
    known = cache.load_notes(store)
    renderer.markdown.known.update(known)
    converted = renderer.markdown.prepare(texts)
    if converted or len(known) != len(texts):  # new texts, or some no page shows now
        cache.save_notes(store, {text: renderer.markdown.known[text] for text in texts})


def _save_memo(data: Path, checked: memo.Checked) -> list[tuple[str, bytes]]:
    """A task beside the pages: it writes no file of the site."""
    memo.save_memo(data, checked)
    return []


def _search_bundle(staging: Staging, out: Path, reindex: bool) -> list[tuple[str, bytes | None]]:
    """The search index's files: Pagefind's, or the previous site's kept as they are."""
    previous = out / BUNDLE_DIR
    if not reindex and previous.is_dir():
        return [
            (path.relative_to(out).as_posix(), UNCHANGED)
            for path in sorted(previous.rglob("*"))
            if path.is_file()
        ]
    return list(folder_bundle(staging.folder))


@without_cyclic_gc  # the checked data lives as long as the build; rendering collects itself
def build(
    options: Options,
    warm: Warm | None = None,
    waiting: Callable[[int | None], None] | None = None,
) -> Result:
    """Check everything, then render and write the site; nothing is written on error.
    `warm`: what the previous build of a long-running caller kept (it is updated).
    Builds into one folder take turns (site_lock); `waiting` is told when this one
    has to wait for another, with that one's process id (None: not known)."""
    with site_lock(cache.lock_file(options.out), waiting):
        # The previous site's files are looked at beside the check, unless the caller
        # of a warm build owns the folder (see Warm).
        look_ahead = options.cache and options.processes > 1 and not _warm_pages(warm)
        looking = cache.LookAhead(options.out) if look_ahead else None
        try:
            return _build(options, warm, looking)
        finally:
            if looking is not None:
                looking.close()


def _warm_pages(warm: Warm | None) -> bool:
    return warm is not None and warm.pages is not None


def _build(options: Options, warm: Warm | None, looking: cache.LookAhead | None) -> Result:
    """build(), with the previous site's files looked at by `looking`."""
    # The renderer (Jinja, Markdown, the charts) is imported here, by the builds that
    # render: `facttrack check` starts a tenth of a second sooner without it.
    import jinja2

    from .render import Renderer

    result, checked = check_data(options, warm.memo if warm is not None else None)
    if warm is not None and checked is not None:
        warm.memo = checked.memo
    if not result.ok or result.derived is None:
        if checked is not None:  # warnings under --strict: the check still holds
            memo.save_memo(options.data, checked)
        return result
    with result.timings.step("read the history"):
        history = read_history(options.data)
    compiled = cache.cache_file(options.out).parent / "templates" if options.cache else None
    renderer = Renderer(result.derived, options.templates, history, compiled)
    try:
        with result.timings.step("convert the Markdown"):
            _convert_markdown(renderer, options)
        written = _write(renderer, options, checked, result.timings, warm, looking)
        result.written, result.pages, result.search_stale = written
    except jinja2.TemplateSyntaxError as exc:
        result.problems.error(
            exc.filename or exc.name or "template",
            exc.lineno,
            None,
            f"template syntax error: {exc.message}",
        )
    except jinja2.TemplateError as exc:
        result.problems.error(
            "templates",
            None,
            None,
            f"template error: {exc}",
            hint="check the template overrides passed with --templates",
        )
    except SearchError as exc:
        result.problems.error(
            str(options.out),
            None,
            None,
            f"cannot build the search index: {exc}",
            hint="to build the site without search, add --no-search",
        )
    except WriteError as exc:
        result.problems.error(str(options.out), None, None, str(exc))
    except OSError as exc:
        result.problems.error(
            str(options.out), None, None, f"cannot write the site: {exc.strerror or exc}"
        )
    return result
