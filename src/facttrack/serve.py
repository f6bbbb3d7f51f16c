"""A local preview: build into a temporary folder, serve it on 127.0.0.1, rebuild on change.

The watcher polls modification times (no extra dependency). A build that fails
does not stop the server: every page then shows the list of problems, and the
next good edit brings the site back. The real output folder (site/) is never
touched.
"""

from __future__ import annotations

import functools
import gc
import html
import shutil
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .build import Warm, build
from .checking import Options
from .errors import WARNING, Problem
from .render import default_templates_dir
from .reporting import ordered, plural
from .search import SearchError, update_index

Snapshot = dict[str, tuple[int, int]]  # path -> (modification time in ns, size)


def snapshot(folders: Iterable[Path]) -> Snapshot:
    """What the watched folders hold now; any difference means: rebuild."""
    files: Snapshot = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in folder.rglob("*"):
            try:
                stat = path.stat()
            except OSError:  # removed while we looked
                continue
            if path.is_file():
                files[str(path)] = (stat.st_mtime_ns, stat.st_size)
    return files


@dataclass(frozen=True)
class State:
    """The outcome of the latest build, swapped in whole so requests never see half of it."""

    ok: bool
    problems: tuple[Problem, ...]
    builds: int  # how many builds have run, for tests and the log
    seconds: float = 0.0  # how long the latest build took


def _count_errors(state: State) -> int:
    return sum(1 for problem in state.problems if problem.severity != WARNING)


def error_page(state: State) -> bytes:
    """Every problem of the failed build, escaped; the page reloads itself every second."""
    items = []
    for problem in state.problems:
        hint = f"<pre>{html.escape(problem.hint)}</pre>" if problem.hint else ""
        kind = "warning" if problem.severity == WARNING else "error"
        items.append(
            f'<li class="{kind}"><code>{html.escape(problem.location())}</code> '
            f"{html.escape(problem.headline())}{hint}</li>"
        )
    errors = _count_errors(state)
    title = f"Build failed: {plural(errors, 'error')}" if errors else "Build failed"
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="refresh" content="1">\n'
        f"<title>{title} - facttrack preview</title>\n"
        "<style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem;max-width:60rem}"
        "li{margin:.8rem 0}li.error code{color:#b00}pre{margin:.2rem 0 0 1rem;"
        "white-space:pre-wrap;color:#555}</style>\n</head>\n<body>\n"
        f"<h1>{title}</h1>\n"
        "<p>Fix the data and save: this page reloads itself and shows the site again "
        "once the build passes.</p>\n"
        f"<ol>\n{chr(10).join(items)}\n</ol>\n</body>\n</html>\n"
    ).encode()


class Preview:
    """Builds the site into a temporary folder and keeps the latest outcome.

    It keeps what a build leaves for the next one (build.Warm: the check's memo and
    the page cache) in memory, so a rebuild after a save reads back neither, and
    re-renders only the pages the save changed. The search index is brought up to
    date after the pages (update_search), so a save shows without waiting for it.
    """

    def __init__(self, data: Path, templates: Path | None = None) -> None:
        self.data = data
        self.templates = templates
        self.folder = Path(tempfile.mkdtemp(prefix="facttrack-preview-"))
        self.site = self.folder / "site"
        self.state = State(ok=False, problems=(), builds=0)
        self.warm = Warm()
        self.search_behind = False  # pages changed since the search index was built
        self._lock = threading.Lock()  # one build at a time

    def watched(self) -> list[Path]:
        return [self.data, self.templates or default_templates_dir()]

    def rebuild(self) -> State:
        with self._lock:
            start = time.perf_counter()
            first = self.state.builds == 0
            try:
                # Every core for the first build, as long as no other thread runs (the
                # server's start later): forking beside threads is not safe. Later
                # builds re-render only what a save changed, in this process.
                alone = threading.active_count() == 1
                options = Options(
                    data=self.data,
                    out=self.site,
                    templates=self.templates,
                    jobs=None if first and alone else 1,
                    reindex=first,
                )
                result = build(options, self.warm)
                ok, problems = result.ok, tuple(ordered(result.problems))
                self.search_behind = self.search_behind or result.search_stale
            except Exception as exc:  # a bug must not stop the preview: show it, keep serving
                crash = Problem("facttrack", None, None, f"the build crashed: {exc!r}")
                ok, problems = False, (crash,)
                self.warm = Warm()  # start again from what is on disk
            seconds = time.perf_counter() - start
            self.state = State(ok, problems, self.state.builds + 1, seconds)
            # what a long-running caller owes (see build.Warm): without it a session
            # grew by 5 MiB a save at 10,000 claims; 30 to 50 ms, with the pages in place
            gc.collect()
            return self.state

    def update_search(self) -> str | None:
        """Index the pages the latest build changed; what to log (None: nothing was
        to do). A failure is shown on the pages like a build's."""
        with self._lock:
            state = self.state
            if not (state.ok and self.search_behind):
                return None
            start = time.perf_counter()
            try:
                update_index(self.site)
            except SearchError as exc:
                problem = Problem(
                    str(self.site), None, None, f"cannot update the search index: {exc}"
                )
                self.state = replace(state, ok=False, problems=(*state.problems, problem))
                return problem.format()
            self.search_behind = False
            return f"Search index updated in {time.perf_counter() - start:.1f} s."

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


class _Handler(SimpleHTTPRequestHandler):
    preview: Preview

    def __init__(self, *args: Any, preview: Preview, **kwargs: Any) -> None:
        self.preview = preview
        super().__init__(*args, directory=str(preview.site), **kwargs)

    def do_GET(self) -> None:
        if not self.preview.state.ok:
            self._send_error_page()
            return
        super().do_GET()

    def do_HEAD(self) -> None:
        if not self.preview.state.ok:
            self._send_error_page(body=False)
            return
        super().do_HEAD()

    def _send_error_page(self, body: bool = True) -> None:
        page = error_page(self.preview.state)
        self.send_response(HTTPStatus.INTERNAL_SERVER_ERROR)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if body:
            self.wfile.write(page)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")  # always the latest build
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal shows builds, not every request."""


class Server:
    """The preview server and its watcher thread; start(), then stop()."""

    def __init__(
        self, preview: Preview, port: int = 8000, interval: float = 0.5, log: Any = None
    ) -> None:
        self.preview = preview
        self.interval = interval
        self.log = log or (lambda message: None)
        handler = functools.partial(_Handler, preview=preview)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.httpd.daemon_threads = True
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}/"

    def start(self) -> None:
        # Look before the first build: an edit saved while it runs, or before the
        # watcher thread gets going, is then still seen as a change.
        seen = snapshot(self.preview.watched())
        self._report(self.preview.rebuild())
        watch = functools.partial(self._watch, seen)
        for target in (self.httpd.serve_forever, watch):
            thread = threading.Thread(target=target, daemon=True)
            thread.start()
            self._threads.append(thread)

    def _watch(self, seen: Snapshot) -> None:
        while not self._stop.wait(self.interval):
            now = snapshot(self.preview.watched())
            if now != seen:
                seen = now
                self._report(self.preview.rebuild())
                searched = self.preview.update_search()
                if searched is not None:
                    self.log(searched)

    def _report(self, state: State) -> None:
        if state.ok:
            warnings = len(state.problems)
            note = f" ({plural(warnings, 'warning')}; run 'facttrack check')" if warnings else ""
            took = f"Build {state.builds}: OK in {state.seconds:.1f} s"
            self.log(f"{took}, serving the site{note}.")
        else:
            errors = _count_errors(state)
            self.log(f"Build {state.builds}: {plural(errors, 'error')}; the pages show them.")
            for problem in state.problems:
                self.log(problem.format())

    def stop(self) -> None:
        self._stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self.preview.close()
