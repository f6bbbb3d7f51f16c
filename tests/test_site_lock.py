"""Builds into one output folder take turns (write.site_lock): a second build waits
for the first, rather than patch or swap the site, and save its page cache, at the
same time."""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

import pytest

from facttrack.build import build
from facttrack.cache import lock_file
from facttrack.checking import Options

pytestmark = pytest.mark.skipif(os.name != "posix", reason="the lock is POSIX's flock")

HOLD = """\
import sys
from pathlib import Path
from facttrack.write import site_lock

with site_lock(Path(sys.argv[1])):
    print("held", flush=True)
    sys.stdin.read()  # until the test closes it
"""


def _holding(out: Path) -> subprocess.Popen[str]:
    """Another process that holds the lock of `out` until its stdin is closed."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(lock_file(out))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline() == "held\n"
    return holder


def _line_within(stream: IO[str], seconds: float) -> str:
    """The next line a process prints, or "" when it prints none in time."""
    with selectors.DefaultSelector() as selector:
        selector.register(stream, selectors.EVENT_READ)
        if not selector.select(timeout=seconds):
            return ""
    return stream.readline()


def test_a_build_waits_for_the_one_building_into_the_same_folder(project, tmp_path):
    data = project()
    out = tmp_path / "site"
    holder = _holding(out)
    command = [sys.executable, "-m", "facttrack", "build", "--no-search"]
    second = subprocess.Popen(
        [*command, "--data", str(data), "--out", str(out)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert second.stderr is not None
        said = _line_within(second.stderr, 60)
        assert said == (
            f"Another build into {out}/ (process {holder.pid}) is running; "
            "waiting for it to finish.\n"
        )
        time.sleep(0.2)  # had it not waited, it would have written the site by now
        assert second.poll() is None
        assert not out.exists()
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=60)
    stdout, _ = second.communicate(timeout=120)
    assert second.returncode == 0, stdout
    assert stdout.startswith("Built ")
    assert (out / "index.html").is_file()


def test_the_build_is_told_which_process_it_waits_for(project, tmp_path):
    data = project()
    out = tmp_path / "site"
    told: list[int | None] = []
    assert build(Options(data=data, out=out, search=False), waiting=told.append).ok
    assert told == []  # no other build: no wait
    holder = _holding(out)

    def waiting(pid: int | None) -> None:
        told.append(pid)
        assert holder.stdin is not None
        holder.stdin.close()  # the other build finishes

    result = build(Options(data=data, out=out, search=False), waiting=waiting)
    assert result.ok
    assert told == [holder.pid]
    assert holder.wait(timeout=60) == 0


def test_a_build_killed_holds_the_lock_no_more(project, tmp_path):
    data = project()
    out = tmp_path / "site"
    holder = _holding(out)
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=60)
    told: list[int | None] = []
    assert build(Options(data=data, out=out, search=False), waiting=told.append).ok
    assert told == []


@pytest.mark.parametrize("failing", ["flock", "pwrite"])
def test_a_lock_the_file_system_refuses_does_not_stop_the_build(
    project, tmp_path, monkeypatch, failing
):
    """A file system without locks (ENOLCK), or a lock file whose process id cannot be
    written (the disk full): the build goes on, without the lock or the name."""
    import errno
    import fcntl

    def refused(*args: object) -> None:
        raise OSError(errno.ENOLCK if failing == "flock" else errno.ENOSPC, "refused")

    monkeypatch.setattr(fcntl if failing == "flock" else os, failing, refused)
    data = project()
    out = tmp_path / "site"
    result = build(Options(data=data, out=out, search=False))
    assert result.ok, result.problems.items
    assert (out / "index.html").is_file()
