"""parallel.Beside: a function computed by a forked process while the caller goes on;
and parallel.forked_map, built on it."""

from __future__ import annotations

import os
import signal
import threading

import pytest

from facttrack import parallel
from facttrack.parallel import Beside, forked_map


@pytest.fixture
def no_threads(monkeypatch):
    """As in a build run from the command line: a test may have left a thread behind
    (the functions forked here start none, and take no lock)."""
    monkeypatch.setattr(threading, "active_count", lambda: 1)


def test_the_result_comes_from_another_process(no_threads):
    beside = Beside(lambda: (os.getpid(), list(range(5))))
    assert beside.forked
    pid, values = beside.result()
    assert pid != os.getpid()
    assert values == [0, 1, 2, 3, 4]
    assert not beside.forked  # read, and the process reaped


def test_an_exception_in_the_process_is_raised_by_result(no_threads):
    def fails() -> None:
        raise FileNotFoundError(2, "No such file or directory", "missing.yaml")

    beside = Beside(fails)
    with pytest.raises(FileNotFoundError) as raised:
        beside.result()
    assert raised.value.filename == "missing.yaml"


def test_a_process_that_dies_leaves_the_work_to_the_caller(no_threads):
    caller = os.getpid()

    def dies_when_forked() -> int:
        if os.getpid() != caller:
            os.kill(os.getpid(), signal.SIGKILL)
        return os.getpid()

    assert Beside(dies_when_forked).result() == caller


def test_a_result_that_does_not_pickle_is_computed_by_the_caller(no_threads):
    caller = os.getpid()
    beside = Beside(lambda: (os.getpid(), lambda: None))  # a lambda does not pickle
    assert beside.forked
    pid, _ = beside.result()
    assert pid == caller


def test_cancel_stops_the_process_and_leaves_the_work_to_the_caller(no_threads, tmp_path):
    caller = os.getpid()
    started = tmp_path / "started"

    def slow() -> int:
        if os.getpid() != caller:
            started.write_text("yes")
            threading.Event().wait(60)  # stopped long before this
        return os.getpid()

    beside = Beside(slow)
    for _ in range(1000):  # at most 10 s
        if started.exists():
            break
        threading.Event().wait(0.01)
    assert started.exists(), "the forked process did not start"
    pid = beside._pid
    beside.cancel()
    assert not beside.forked
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped already
    assert beside.result() == caller
    beside.cancel()  # twice: nothing left to do


def test_with_threads_running_it_does_not_fork():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        beside = Beside(os.getpid)
        assert not beside.forked
        assert beside.result() == os.getpid()
    finally:
        stop.set()
        thread.join()


def _square_where(item: int) -> tuple[int, int]:
    return item * item, os.getpid()


@pytest.mark.parametrize("jobs", [1, 2, 3])
@pytest.mark.parametrize("count", [0, 1, 2, 7])
def test_forked_map_keeps_the_order_and_shares_out_the_items(no_threads, jobs, count):
    mapped = forked_map(_square_where, list(range(count)), jobs)
    assert [square for square, _ in mapped] == [item * item for item in range(count)]
    pids = [pid for _, pid in mapped]
    assert pids[0::jobs] == [os.getpid()] * len(pids[0::jobs])  # the caller's share
    assert len(set(pids)) == min(jobs, count)  # and one share per process
    for pid in set(pids) - {os.getpid()}:
        with pytest.raises(ChildProcessError):  # reaped
            os.waitpid(pid, os.WNOHANG)


def test_forked_map_raises_what_a_share_raised_and_leaves_no_process(no_threads, monkeypatch):
    caller = os.getpid()
    forked: list[int] = []  # recorded as they are forked: the second may be stopped
    # before it runs at all, once the first one's exception is raised

    class Recorded(parallel.Beside):  # type: ignore[type-arg]
        def __init__(self, function):
            super().__init__(function)
            forked.append(self._pid)

    monkeypatch.setattr(parallel, "Beside", Recorded)

    def fails_elsewhere(item: int) -> int:
        if os.getpid() != caller and item == 4:  # in the first forked process's share
            raise ValueError("item 4")
        return item

    with pytest.raises(ValueError, match="item 4"):
        forked_map(fails_elsewhere, list(range(6)), 3)
    assert len(forked) == 2 and caller not in forked and 0 not in forked
    for pid in forked:
        with pytest.raises(ChildProcessError):  # reaped
            os.waitpid(pid, os.WNOHANG)
