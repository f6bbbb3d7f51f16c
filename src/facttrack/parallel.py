"""Render and write pages on every core: forked workers share the derived data.

A worker inherits the renderer, the pages, the staging folder and the other
work of the build (the downloads, the memo to save) from the parent when it is
forked, so nothing is pickled on the way there; it renders its chunks of pages
and writes them into the staging folder itself, and only what the parent needs
comes back: which files it wrote, and where each page now is on disk (for the
page cache, which so never looks at the files again). Each page is rendered
exactly as in a serial build, so the site is the same byte for byte. Where fork
is unavailable, or for a few pages (a rebuild after an edit), everything runs
in-process.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, Generic, NoReturn, TypeVar

from .write import Stat, stat_of

if TYPE_CHECKING:  # the renderer is imported by builds that render, not by `check`
    from multiprocessing.context import ForkContext

    from .pages import Page
    from .render import Renderer
    from .write import Staging

CHUNK = 64  # most pages per task: large enough to amortise the round trip
MIN_PAGES = 32  # below this, starting workers costs more than it saves

# Other work of a build: files it writes into the site (the downloads), or none.
Task = Callable[[], Iterable[tuple[str, bytes]]]


@dataclass
class Written:
    """What the workers did."""

    new: int = 0  # files with new bytes
    kept: int = 0  # files whose previous version stays
    new_pages: int = 0  # of the new files, pages
    stats: dict[str, Stat] = field(default_factory=dict)  # page path -> its file's stat
    files: list[str] = field(default_factory=list)  # the tasks' files

    def add(self, other: Written) -> None:
        self.new += other.new
        self.kept += other.kept
        self.new_pages += other.new_pages
        self.stats.update(other.stats)
        self.files += other.files


@dataclass(frozen=True)
class _Work:
    """What a render worker is given: the renderer, its pages and tasks, the staging
    folder."""

    renderer: Renderer
    pages: Sequence[Page]
    tasks: Sequence[Task]
    staging: Staging


Job = tuple[str, int, int]  # ("pages", first, end) or ("task", index, index)


@dataclass(frozen=True)
class _Queue:
    """The jobs of a build and how many of them are taken, shared by its processes."""

    work: _Work
    queue: Sequence[Job]
    taken: Any  # a multiprocessing Value


def _fork_context() -> ForkContext | None:
    """multiprocessing's fork context, where processes can fork. Imported only when
    work is shared out: a rebuild after an edit does everything in-process."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    return multiprocessing.get_context("fork")


# The work of a forked worker; set in the worker process only (see _adopt).
_work: _Queue | None = None


def forked_map(function: Callable[[Any], Any], items: Sequence[Any], jobs: int) -> list[Any]:
    """[function(item) for item in items], shared out between this process and up to
    `jobs - 1` forked ones (Beside), which inherit everything it holds (nothing is
    pickled on the way there; the results are, on the way back). Each takes every
    `jobs`-th item, so that each gets a like share of large and small ones; this
    process takes the first. In-process for one job, or where it cannot fork."""
    shares = min(jobs, len(items))
    if shares <= 1:
        return _map_share(function, items)
    gc.freeze()  # as for rendering: the forked processes' collections leave the data alone
    others: list[Beside[list[Any]]] = []
    try:
        for start in range(1, shares):
            others.append(Beside(partial(_map_share, function, items[start::shares])))
        results: list[Any] = [None] * len(items)
        results[0::shares] = _map_share(function, items[0::shares])
        for start, other in enumerate(others, start=1):
            results[start::shares] = other.result()
        return results
    finally:
        for other in others:
            other.cancel()  # those whose result was not taken (this process failed)
        gc.unfreeze()


def _map_share(function: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
    return [function(item) for item in items]


_T = TypeVar("_T")


def can_fork() -> bool:
    """This process may fork a Beside: it can, and has no other thread running (a
    fork leaves threads behind, with any lock they held)."""
    if not hasattr(os, "fork"):
        return False
    import threading  # imported already by anything that started a thread

    return threading.active_count() == 1


class Beside(Generic[_T]):
    """`function()`, computed by a forked process while the caller goes on with other
    work; `result()` waits for it. Forked from the caller as it is, the process sees
    all its data without a copy (until one of them writes to it), and only its result
    comes back, pickled through a pipe. It is not forked where the process cannot fork,
    or has threads running (a fork leaves them behind, with any lock they held):
    `result()` then calls the function in-process, as it does when the process died
    or could not send its result. An exception the function raised in the process is
    raised again by `result()`."""

    def __init__(self, function: Callable[[], _T]) -> None:
        self._function = function
        self._pid = 0
        self._pipe = -1
        if not can_fork():
            return
        read, write = os.pipe()
        try:
            pid = os.fork()
        except OSError:  # out of processes or memory: computed in-process
            os.close(read)
            os.close(write)
            return
        if pid == 0:  # the forked process: never returns
            os.close(read)
            _send(function, write)
        os.close(write)
        self._pid, self._pipe = pid, read

    @property
    def forked(self) -> bool:
        """A process is computing the result (or has, and it is still to be read)."""
        return self._pid != 0

    def result(self) -> _T:
        if not self._pid:
            return self._function()
        try:
            with os.fdopen(self._pipe, "rb") as pipe:
                self._pipe = -1
                message = pipe.read()
        finally:
            self.cancel()  # it has exited, or is about to: reaped
        try:
            done, value = pickle.loads(message)
        except Exception:  # the process died, or its result did not pickle
            return self._function()
        if not done:
            raise value
        return value  # type: ignore[no-any-return]

    def cancel(self) -> None:
        """Stop the process if it still runs, and reap it; `result()` would then call
        the function in-process."""
        if self._pipe != -1:
            os.close(self._pipe)
            self._pipe = -1
        if self._pid:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(self._pid, 0)
            self._pid = 0


def _send(function: Callable[[], Any], pipe: int) -> NoReturn:
    """In the forked process: write (True, function()) to `pipe`, or (False, the
    exception it raised), then exit at once (no clean-up, and no flush of the output
    the parent had buffered)."""
    status = 1
    try:
        try:
            sent: tuple[bool, Any] = (True, function())
        except Exception as exc:  # noqa: BLE001 - handed to the caller, raised there
            sent = (False, exc)
        # what does not pickle (nor the exception) sends nothing: the caller calls the
        # function itself
        message = pickle.dumps(sent, protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(pipe, "wb") as file:
            file.write(message)
        status = 0
    finally:
        os._exit(status)


def default_jobs() -> int:
    """The cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _stat(staging: Staging, path: str, written: bool) -> Stat:
    """Where the page will be once the site is in place: its new file, or the old one."""
    return stat_of(os.stat(staging.staged(path) if written else staging.existing(path)))


def _pages(work: _Work, start: int, end: int) -> Written:
    done = Written()
    for page in work.pages[start:end]:
        written = work.staging.put(page.path, work.renderer.render(page))
        done.new += written
        done.new_pages += written
        done.kept += not written
        done.stats[page.path] = _stat(work.staging, page.path, written)
    return done


def _task(work: _Work, index: int) -> Written:
    done = Written()
    for path, content in work.tasks[index]():
        written = work.staging.put(path, content)
        done.new += written
        done.kept += not written
        done.files.append(path)
    return done


def _adopt(work: _Work, queue: Sequence[Job], taken: Any) -> None:
    global _work
    _work = _Queue(work, queue, taken)
    # Rendering makes a few reference cycles (Jinja's contexts) among millions of
    # short-lived objects: collecting once a job instead of every 700 allocations
    # frees the same memory and spares a tenth of the rendering time.
    gc.disable()


def _drain(queued: _Queue) -> Written:
    """Take the next job off the queue and do it, until none is left."""
    done = Written()
    while True:
        with queued.taken.get_lock():
            index = queued.taken.value
            queued.taken.value += 1
        if index >= len(queued.queue):
            return done
        kind, start, end = queued.queue[index]
        work = queued.work
        done.add(_pages(work, start, end) if kind == "pages" else _task(work, start))
        gc.collect(0)  # the job's cycles are all young: the youngest generation holds them


def _drain_adopted() -> Written:
    assert _work is not None, "worker started without its work"
    return _drain(_work)


def renders_in_process(pages: int, jobs: int) -> bool:
    """write_pages renders this many pages in this process: one job, or too few pages
    to share out."""
    return jobs <= 1 or pages < MIN_PAGES


def write_pages(
    renderer: Renderer,
    pages: Sequence[Page],
    staging: Staging,
    jobs: int,
    tasks: Sequence[Task] = (),
) -> Written:
    """Render every page into the staging folder, and do the other tasks, with up to
    `jobs` processes."""
    work = _Work(renderer, pages, tasks, staging)
    done = Written()
    # A few pages, and the tasks, are done in-process: a worker forked from a build's
    # memory copies every page of it whose reference counts it touches (the downloads
    # touch every record), and so does the parent after the fork, which cost more than
    # the downloads themselves after an edit (they reuse every record's text).
    context = None if renders_in_process(len(pages), jobs) else _fork_context()
    if context is None:
        was_enabled = gc.isenabled()
        gc.disable()  # as in a worker (see _adopt), collecting every CHUNK pages
        gc.freeze()  # what the build holds already is never garbage: left out of collections
        try:
            for start in range(0, len(pages), CHUNK):
                done.add(_pages(work, start, start + CHUNK))
                gc.collect(0)
            for index in range(len(tasks)):
                done.add(_task(work, index))
        finally:
            gc.unfreeze()
            if was_enabled:
                gc.enable()
        return done
    for template in sorted({page.template for page in pages}):
        renderer.env.get_template(template)  # syntax errors surface here, not in a worker
    # A few pages (a figure's, with its chart) cost as much as many others: small
    # chunks for a short list keep one of them from holding up the rest. The tasks
    # go first: each is one long job.
    size = max(1, min(CHUNK, len(pages) // (8 * jobs)))
    queue: list[Job] = [("task", index, index) for index in range(len(tasks))]
    queue += [("pages", at, min(at + size, len(pages))) for at in range(0, len(pages), size)]
    taken = context.Value("i", 0)  # how many jobs of the queue are taken
    # The parent takes jobs too, beside jobs - 1 workers: each page of the data that
    # a worker touches is copied into it (CPython writes reference counts), so one
    # process fewer is one copy fewer. Frozen objects are left alone by the cyclic
    # collector: collections never walk (and so never copy) the shared data.
    gc.freeze()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        with context.Pool(jobs - 1, initializer=_adopt, initargs=(work, queue, taken)) as pool:
            workers = [pool.apply_async(_drain_adopted) for _ in range(jobs - 1)]
            done.add(_drain(_Queue(work, queue, taken)))
            for worker in workers:
                done.add(worker.get())
    finally:
        gc.unfreeze()
        if was_enabled:
            gc.enable()
    return done
