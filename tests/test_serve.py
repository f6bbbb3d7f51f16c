"""facttrack serve, for real: a server on a free port, fetched over HTTP while the data changes."""

from __future__ import annotations

import ctypes
import gc
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from facttrack.serve import Preview, Server, State
from helpers import CLAIMS_YAML, ROOT


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_for(check: Callable[[], bool], timeout: float = 90.0) -> None:
    # A ceiling, not a speed target: a rebuild includes the search index, and CI may be busy.
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.1)


def rewrite(path: Path, text: str) -> None:
    """Write and make sure the modification time moves, even on a coarse clock."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text)
    if path.stat().st_mtime_ns == before:
        os.utime(path, ns=(before + 1_000_000, before + 1_000_000))


@pytest.fixture
def served(project, tmp_path) -> Iterator[tuple[str, Path, subprocess.Popen[str]]]:
    """`facttrack serve --port 0` started as a user would, from the project folder."""
    data = project()
    process = subprocess.Popen(
        [sys.executable, "-m", "facttrack", "serve", "--data", "data", "--port", "0"],
        cwd=data.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    threading.Thread(target=lambda: [lines.put(x) for x in process.stdout], daemon=True).start()
    try:
        first = lines.get(timeout=30)
        assert first.startswith("Serving a preview of data/ on http://127.0.0.1:"), first
        url = first.split(" on ")[1].split()[0]
        yield url, data, process
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_shows_the_site_then_the_errors_then_the_site_again(served):
    url, data, process = served
    status, page = fetch(url + "index.html")
    assert status == 200 and "<title>" in page
    status, claim = fetch(url + "claims/senate-returns.html")
    assert status == 200 and "541,210" in claim

    broken = CLAIMS_YAML.replace("figure: returns", "figure: <script>alert(1)</script>")
    rewrite(data / "claims.yaml", broken)
    wait_for(lambda: fetch(url)[0] == 500)
    status, page = fetch(url + "claims/senate-returns.html")  # every page shows the errors
    assert status == 500
    assert "Build failed: 1 error" in page
    assert "data/claims.yaml:13:5" in page
    assert "unknown figure &#x27;&lt;script&gt;alert(1)&lt;/script&gt;&#x27;" in page
    assert "<script>" not in page

    rewrite(data / "claims.yaml", CLAIMS_YAML.replace("541,210 people", "541,210  people"))
    wait_for(lambda: fetch(url + "index.html")[0] == 200)
    status, claim = fetch(url + "claims/senate-returns.html")
    assert status == 200 and "541,210" in claim
    assert process.poll() is None  # still serving
    assert not (data.parent / "site").exists()  # builds go to a temporary folder


def test_serve_stops_cleanly_and_reports_a_busy_port(served, cli, project):
    url, data, process = served
    port = url.rstrip("/").rsplit(":", 1)[1]
    busy = cli("serve", "--data", data, "--port", port)
    assert busy.returncode == 1
    assert f"Error: cannot listen on 127.0.0.1:{port}" in busy.stderr
    assert "--port 0" in busy.stderr
    process.terminate()
    assert process.wait(timeout=10) == 0
    assert process.stderr is not None
    log = process.stderr.read()
    assert re.search(
        r"Build 1: OK in \d+\.\d s, serving the site \(1 warning; run 'facttrack check'\)\.", log
    )
    assert "Traceback" not in log


def test_serve_stops_on_a_kill_the_kernel_hands_to_another_thread(served):
    # A process-wide SIGTERM may be delivered to any thread; Python runs its handler in
    # the main thread, which must then wake up by itself (it waited for ever before).
    _, _, process = served
    others = [int(task) for task in os.listdir(f"/proc/{process.pid}/task")]
    others.remove(process.pid)
    assert others  # the server's and the watcher's threads
    libc = ctypes.CDLL(None, use_errno=True)
    assert libc.tgkill(process.pid, others[0], signal.SIGTERM) == 0, os.strerror(ctypes.get_errno())
    assert process.wait(timeout=10) == 0


def test_a_template_change_rebuilds_and_a_broken_template_is_shown(project, tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    base = (ROOT / "templates" / "base.html").read_text()
    (templates / "base.html").write_text(base.replace("</main>", "</main><p>FIRST</p>"))
    preview = Preview(project(), templates)
    server = Server(preview, port=0, interval=0.05)
    server.start()
    try:
        assert "FIRST" in fetch(server.url)[1]
        rewrite(templates / "base.html", base.replace("</main>", "</main><p>SECOND</p>"))
        wait_for(lambda: "SECOND" in fetch(server.url)[1])
        rewrite(templates / "base.html", base.replace("</main>", "{% if %}</main>"))
        wait_for(lambda: fetch(server.url)[0] == 500)
        assert "template syntax error" in fetch(server.url + "timeline.html")[1]
        rewrite(templates / "base.html", base)
        wait_for(lambda: fetch(server.url)[0] == 200)
    finally:
        server.stop()
    assert not preview.folder.exists()  # the temporary site is removed


def test_a_crashing_build_is_shown_not_fatal(project, monkeypatch):
    preview = Preview(project())

    def crash(options, warm):
        raise RuntimeError("bug <b>")

    monkeypatch.setattr("facttrack.serve.build", crash)
    state = preview.rebuild()
    preview.close()
    assert not state.ok
    assert "the build crashed: RuntimeError('bug <b>')" in state.problems[0].message


def test_an_edit_saved_during_the_first_build_is_not_missed(project, tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    base = (ROOT / "templates" / "base.html").read_text()
    (templates / "base.html").write_text(base.replace("</main>", "</main><p>FIRST</p>"))
    preview = Preview(project(), templates)
    build_once = preview.rebuild

    def build_then_edit() -> State:
        state = build_once()
        if state.builds == 1:  # the editor saves while the first build runs
            rewrite(templates / "base.html", base.replace("</main>", "</main><p>SECOND</p>"))
        return state

    preview.rebuild = build_then_edit  # type: ignore[method-assign]
    server = Server(preview, port=0, interval=0.05)
    server.start()
    try:
        wait_for(lambda: "SECOND" in fetch(server.url)[1])
    finally:
        server.stop()


def test_a_save_shows_the_new_pages_then_updates_the_search_index(project):
    data = project()
    preview = Preview(data)
    logged: list[str] = []
    server = Server(preview, port=0, interval=0.05, log=logged.append)
    server.start()
    try:
        assert preview.search_behind is False  # the first build indexed its pages
        index = (preview.site / "pagefind" / "pagefind-entry.json").read_bytes()
        rewrite(
            data / "claims.yaml",
            CLAIMS_YAML.replace("Holding centres set up", "Holding camps opened"),
        )
        wait_for(lambda: any(line.startswith("Search index updated in ") for line in logged))
        assert re.fullmatch(r"Build 2: OK in \d+\.\d s, serving the site.*", logged[1])
        assert preview.search_behind is False
        assert (preview.site / "pagefind" / "pagefind-entry.json").read_bytes() != index
        assert not list(preview.site.glob(".pagefind-*"))  # no folder left from the swap
    finally:
        server.stop()


def test_rebuild_after_rebuild_leaves_no_garbage_behind(project):
    """A build pauses the cyclic collector and freezes what it holds: the cycles it
    leaves (the previous renderer's, Jinja's) must still be freed in a long session."""
    data = project()
    preview = Preview(data)
    edits = [CLAIMS_YAML, CLAIMS_YAML.replace("Holding centres set up", "Holding camps opened")]
    try:
        tracked = []
        for number in range(8):
            rewrite(data / "claims.yaml", edits[number % 2])
            assert preview.rebuild().ok
            tracked.append(len(gc.get_objects()))
        assert max(tracked[2:]) - min(tracked[2:]) < 1_000, tracked
    finally:
        preview.close()
