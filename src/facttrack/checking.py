"""The check every command starts with: load -> validate -> link -> derive, then the
consistency checks and the lint. `facttrack check` runs this alone; a build
(build.py) goes on from it to render and write. It imports nothing a check does
not run, so that `facttrack check` starts sooner than a build."""

from __future__ import annotations

import datetime as dt
import functools
import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import ParamSpec, TypeVar

from . import consistency, memo
from .derive import Derived, derive
from .errors import Problems
from .link import link
from .lint import lint
from .load import load
from .parallel import default_jobs
from .validate import validate
from .write import WriteResult


@dataclass(frozen=True)
class Options:
    """What a check or a build reads and writes, and how (the command line's options)."""

    data: Path = Path("data")
    out: Path = Path("site")
    templates: Path | None = None
    today: dt.date | None = None  # for the "no future dates" check; defaults to today
    strict: bool = False  # warnings fail the run too
    jobs: int | None = None  # processes at work at once (see processes); one per core

    @property
    def processes(self) -> int:
        """How many processes may work at once (reading, linking, looking at the
        previous site's files, rendering): `jobs`, or one per core."""
        return self.jobs or default_jobs()

    cache: bool = True  # reuse the pages whose inputs did not change (see cache.py)
    search: bool = True  # build the search index (Pagefind; the slowest step of a build)
    # False: when pages changed, keep the previous search index for now (Result.search_stale
    # says so); facttrack serve shows the new pages at once and indexes them afterwards
    reindex: bool = True


@dataclass
class Timings:
    """How long each step of a run took (facttrack build --timings)."""

    steps: list[tuple[str, float]] = field(default_factory=list)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.steps.append((name, time.perf_counter() - start))


@dataclass
class Result:
    """What a check or a build found and did: its problems, timings and output."""

    problems: Problems = field(default_factory=Problems)
    timings: Timings = field(default_factory=Timings)
    derived: Derived | None = None
    written: WriteResult | None = None
    digests: memo.Digests | None = None  # of every record, when the check could tell them
    pages: int = 0
    search_stale: bool = False  # pages changed, the index kept (Options.reindex=False)
    strict: bool = False

    @property
    def ok(self) -> bool:
        """No errors (and, with strict, no warnings): the site may be written."""
        return not self.problems.has_errors() and not (self.strict and self.problems.warnings)


_P = ParamSpec("_P")
_R = TypeVar("_R")


def without_cyclic_gc(step: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run a step with Python's cyclic garbage collector paused.

    Loading builds millions of small objects that form no reference cycles (YAML
    nodes, dicts, frozen dataclasses); reference counting frees them all, and each
    full collection would only walk every live object again: at 100,000 claims
    that took half the time of `check`.
    """

    @functools.wraps(step)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return step(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()

    return run


@without_cyclic_gc  # the memo too: pickling it made one full collection (0.02 s)
def check(options: Options) -> Result:
    """Load, validate, link and derive; write nothing but the memo for the next check."""
    result, checked = check_data(options)
    if checked is not None:
        with result.timings.step("save the memo"):
            memo.save_memo(options.data, checked)
    return result


@without_cyclic_gc
def check_data(
    options: Options, kept: memo.Memo | None = None
) -> tuple[Result, memo.Checked | None]:
    """check(), leaving the memo of a check without errors to the caller to save.
    `kept`: the memo a long-running caller kept from its previous check (build.Warm),
    in place of the one on disk."""
    result = Result(strict=options.strict)
    problems, step = result.problems, result.timings.step
    today = options.today or dt.date.today()
    with step("check again from the memo"):
        checked = _recheck(options, today, kept) if options.cache else None
    if checked is not None:
        linked = checked.linked
    else:
        snapshot = memo.snapshot_sources(options.data)  # before anything is read
        with step("load"):
            raw = load(options.data, problems, options.processes)
            parts = memo.cut(raw) if options.cache else None
        with step("validate"):
            data = validate(raw, problems, today)
        # Validated, the parsed YAML is needed no more; it is the largest thing in
        # memory (with 100,000 claims, a third of the peak), so it goes before linking.
        raw.document = raw.claims_text = None
        with step("link"):
            linked = link(data, problems, jobs=options.processes)
        if options.cache and not problems.has_errors():
            with step("digest the records"):
                checked = memo.remember(parts, raw, linked, snapshot, today)
    if not problems.has_errors():
        with step("derive"):
            # a recheck carries the previous memo's intervals: the unchanged claims keep theirs
            known = memo.known_intervals(checked, checked.memo) if checked is not None else {}
            result.derived = derive(linked, known)
        with step("consistency and lint"):
            consistency.report(result.derived.consistency, problems)
            lint(result.derived, problems)
        if checked is not None:
            checked = memo.with_intervals(checked, result.derived.consistency.intervals)
            result.digests = checked.digests
    if options.templates is not None and not options.templates.is_dir():
        problems.error(
            str(options.templates),
            None,
            None,
            "templates folder not found",
            hint="pass the folder that holds your template overrides",
        )
    return result, (checked if not problems.has_errors() else None)


def _recheck(options: Options, today: dt.date, kept: memo.Memo | None) -> memo.Checked | None:
    """The check from the previous check's memo (`kept`, or the one on disk), when it
    can stand in for a full one."""
    previous = kept or memo.load_memo(options.data)
    return memo.recheck(options.data, previous, today) if previous is not None else None
