"""The search index is built with the site, in the same atomic write, and a build
whose indexer is missing or fails reports it and writes nothing."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time

import pytest

from facttrack import search
from facttrack.build import build
from facttrack.checking import Options
from helpers import FIXTURES, ROOT


def run_build(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "facttrack", "build", *map(str, args)],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
        check=False,
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("search") / "site"
    assert build(Options(data=FIXTURES / "small", out=out)).ok
    return out


def test_the_site_carries_a_search_page_script_and_index(site):
    assert (site / "search.html").is_file()
    assert (site / "search.js").is_file()
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
    # the content pages: 4 claims, 2 figures, 1 speaker, 1 source and the timeline
    assert entry["languages"]["en"]["page_count"] == 9
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert list((site / "pagefind" / "filter").glob("*.pf_filter"))
    # Pagefind's own ready-made interfaces are left out: the site has its own
    assert not list((site / "pagefind").glob("pagefind-*ui*"))


def test_content_pages_opt_in_to_the_index_and_indexes_do_not(site):
    def indexed(page):
        return "data-pagefind-body" in (site / page).read_text()

    for page in ("claims/senate-returns.html", "figures/returns.html", "timeline.html"):
        assert indexed(page), page
    for page in ("index.html", "claims/index.html", "figures/index.html", "search.html"):
        assert not indexed(page), page


def test_pages_declare_their_figure_and_speaker_filters(site):
    claim = (site / "claims/senate-returns.html").read_text()
    assert re.search(r'data-pagefind-filter="figure"><a [^>]*>Returns to Afghanistan</a>', claim)
    assert re.search(r'data-pagefind-filter="speaker"><a [^>]*>Ministry of Interior</a>', claim)
    search = (site / "search.html").read_text()
    assert "<option>Returns to Afghanistan</option>" in search
    assert "<option>Ministry of Interior</option>" in search


def test_a_missing_indexer_is_reported_and_nothing_is_written(tmp_path):
    out = tmp_path / "site"
    result = run_build(
        "--data", FIXTURES / "small", "--out", out,
        env={"PAGEFIND_BINARY_PATH": str(tmp_path / "no-such-pagefind")},
    )  # fmt: skip
    assert result.returncode == 1
    assert (
        f"{out}: cannot build the search index: the Pagefind binary is missing; "
        "reinstall it with pip install 'pagefind[bin]'" in result.stderr
    )
    assert "Error: 1 error, nothing was written." in result.stderr
    assert not out.exists()


def test_a_failing_indexer_is_reported_and_the_previous_site_stays(tmp_path):
    out = tmp_path / "site"
    assert run_build("--data", FIXTURES / "small", "--out", out).returncode == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\necho 'Error: out of disk space' >&2\nexit 3\n")
    broken.chmod(0o755)
    result = run_build(
        "--data", ROOT / "data", "--out", out, env={"PAGEFIND_BINARY_PATH": str(broken)}
    )
    assert result.returncode == 1
    assert (
        "cannot build the search index: the search indexer Pagefind failed (exit status 3): "
        "Error: out of disk space" in result.stderr
    )
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_an_indexer_killed_for_memory_says_so_and_how_to_build_without_it(tmp_path):
    out = tmp_path / "site"
    assert run_build("--data", FIXTURES / "small", "--out", out).returncode == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    killed = tmp_path / "pagefind"
    killed.write_text("#!/bin/sh\nkill -9 $$\n")  # as the kernel's out-of-memory killer does
    killed.chmod(0o755)
    result = run_build(
        "--data", ROOT / "data", "--out", out, env={"PAGEFIND_BINARY_PATH": str(killed)}
    )
    assert result.returncode == 1
    assert (
        f"{out}: cannot build the search index: the search indexer Pagefind was killed "
        "(SIGKILL), most likely because the machine ran out of memory" in result.stderr
    )
    assert "\n  to build the site without search, add --no-search\n" in result.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_an_indexer_that_hangs_is_stopped_and_a_large_site_is_given_longer(tmp_path, monkeypatch):
    hangs = tmp_path / "pagefind"
    hangs.write_text("#!/bin/sh\nexec sleep 30\n")
    hangs.chmod(0o755)
    small, large = tmp_path / "small", tmp_path / "large"
    for site, pages in ((small, 2), (large, 2000)):
        for number in range(pages):
            folder = site / f"part-{number % 7}"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{number}.html").write_text("<p>page</p>")
        (site / "notes.txt").write_text("not a page")
    monkeypatch.setattr(search, "TIMEOUT_SECONDS", 0.2)
    monkeypatch.setattr(search, "TIMEOUT_PER_PAGE", 0.0005)
    started = time.monotonic()
    with pytest.raises(search.SearchError, match=r"did not finish within 1 s, and was stopped"):
        search._run_pagefind(hangs, small, tmp_path / "bundle")
    assert time.monotonic() - started < 10  # stopped, not waited for
    with pytest.raises(search.SearchError, match=r"did not finish within 2 s"):  # 0.2 + 1.0
        search._run_pagefind(hangs, large, tmp_path / "bundle")
