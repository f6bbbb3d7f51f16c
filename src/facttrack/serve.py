"""A local preview: build into a temporary folder, serve it on 127.0.0.1, rebuild on change.

The watcher polls modification times (no extra dependency). A build that fails
does not stop the server: every page then shows the list of problems, and the
next good edit brings the site back. The real output folder (site/) is never
touched.
"""

from __future__ import annotations

import functools
import html
import shutil
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .build import Options, build
from .errors import WARNING, Problem
from .render import default_templates_dir
from .reporting import ordered, plural

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
    """Builds the site into a temporary folder and keeps the latest outcome."""

    def __init__(self, data: Path, templates: Path | None = None) -> None:
        self.data = data
        self.templates = templates
        self.folder = Path(tempfile.mkdtemp(prefix="facttrack-preview-"))
        self.site = self.folder / "site"
        self.state = State(ok=False, problems=(), builds=0)
        self._lock = threading.Lock()  # one build at a time

    def watched(self) -> list[Path]:
        return [self.data, self.templates or default_templates_dir()]

    def rebuild(self) -> State:
        with self._lock:
            try:
                # One process: forking beside the server's threads is not safe, and an
                # incremental build re-renders only what the save changed anyway.
                options = Options(data=self.data, out=self.site, templates=self.templates, jobs=1)
                result = build(options)
                ok, problems = result.ok, tuple(ordered(result.problems))
            except Exception as exc:  # a bug must not stop the preview: show it, keep serving
                crash = Problem("facttrack", None, None, f"the build crashed: {exc!r}")
                ok, problems = False, (crash,)
            self.state = State(ok, problems, self.state.builds + 1)
            return self.state

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

    def _report(self, state: State) -> None:
        if state.ok:
            warnings = len(state.problems)
            note = f" ({plural(warnings, 'warning')}; run 'facttrack check')" if warnings else ""
            self.log(f"Build {state.builds}: OK, serving the site{note}.")
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
