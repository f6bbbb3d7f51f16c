"""Incremental and parallel builds write exactly what a clean serial build writes."""

from __future__ import annotations

import os
import pickle
import shutil
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from bench.generate import corpus, write_project

from facttrack import build as build_module
from facttrack import cache, parallel, render, search, write
from facttrack.build import Warm, build
from facttrack.checking import Options, check
from facttrack.pages import Family, Page
from helpers import ROOT


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def stamps(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.stat().st_ino)
        for p in folder.rglob("*")
        if p.is_file()
    }


def clean_build(data: Path, out: Path) -> dict[str, bytes]:
    result = build(Options(data=data, out=out, jobs=1, cache=False))
    assert result.ok, [p.format() for p in result.problems]
    return tree_bytes(out)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return write_project(corpus(300, seed=11), tmp_path / "data")


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_parallel_build_is_byte_identical_to_serial(data, tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "MIN_PAGES", 1)  # fork workers even for this small site
    serial = clean_build(data, tmp_path / "serial")
    result = build(Options(data=data, out=tmp_path / "parallel", jobs=2, cache=False))
    assert result.ok
    assert tree_bytes(tmp_path / "parallel") == serial


EDITS = {
    "a claim's date": ("claims.yaml", 'as_of: "20', 'as_of: "19'),
    "a figure's label": ("claims.yaml", 'label: "Figure 1:', 'label: "Figure one:'),
    "a speaker's name": ("claims.yaml", 'name: "Speaker 2 ', 'name: "Spokesperson 2 '),
    "an event's title": ("claims.yaml", 'title: "Event 3:', 'title: "Happening 3:'),
    "the site title": ("claims.yaml", '"Synthetic tracker"', '"Renamed tracker"'),
    "a source's title": ("sources/source-04.txt", 'title: "Report 4:', 'title: "Story 4:'),
    "a source's text": ("sources/source-05.txt", "\n\n", "\n\nAn added sentence.\n\n"),
    # what the lists of speakers and sources, the home page and the feed show
    "a speaker's role": ("claims.yaml", "    role: official\n", "    role: minister\n"),
    "a source's publisher": ("sources/source-06.txt", "publisher: ", "publisher: The "),
    "a claim's qualifier": ("claims.yaml", "    as_of: ", "    qualifier: about\n    as_of: "),
    "a claim's date stated": (
        "claims.yaml",
        "    as_of: ",
        '    stated_on: "2026-01"\n    as_of: ',
    ),
}


def clean_build_without_search(data: Path, out: Path) -> dict[str, bytes]:
    result = build(Options(data=data, out=out, jobs=1, cache=False, search=False))
    assert result.ok, [p.format() for p in result.problems]
    return tree_bytes(out)


def rebuilt_after(edit: str, data: Path, tmp_path: Path, search: bool):
    """Build into tmp_path/site on two cores, make one of EDITS, build again; check the
    result against a clean build, and that it counts as written exactly the files
    whose stamp changed. (that build's result, the stamps before, the stamps after)"""
    out = tmp_path / "site"
    assert build(Options(data=data, out=out, jobs=2, search=search)).ok
    before = stamps(out)
    file, old, new = EDITS[edit]
    replace_once(data / file, old, new)
    result = build(Options(data=data, out=out, jobs=2, search=search))
    assert result.ok and result.written is not None
    clean = clean_build if search else clean_build_without_search
    assert tree_bytes(out) == clean(data, tmp_path / "clean")
    after = stamps(out)
    kept = sum(1 for path, stamp in after.items() if before.get(path) == stamp)
    assert result.written.written == len(after) - kept
    return result, before, after


# With the search index, a build that renders pages writes a whole new site (Pagefind
# indexes every page); without it, it patches the site in place.
@pytest.mark.parametrize("search", [True, False], ids=["whole site", "patched in place"])
@pytest.mark.parametrize("edit", EDITS, ids=list(EDITS))
def test_incremental_build_after_an_edit_is_byte_identical_to_a_clean_build(
    data, tmp_path, monkeypatch, edit, search
):
    monkeypatch.setattr(parallel, "MIN_PAGES", 1)
    _, before, after = rebuilt_after(edit, data, tmp_path, search)
    kept = sum(1 for path, stamp in after.items() if before.get(path) == stamp)
    if edit != "the site title":  # every page shows the site title
        assert kept > len(after) // 2  # the pages the edit does not touch were kept


@pytest.mark.parametrize("edit", ["a speaker's name", "a figure's label", "a source's title"])
def test_without_the_check_s_digests_a_claim_s_records_still_reach_its_pages(data, tmp_path, edit):
    """A claims.yaml the memo cannot cut (a document marker) leaves no digests from
    the check: the fingerprints then digest each claim with the figure, speaker and
    source shown beside it, as the check's digest does."""
    claims = data / "claims.yaml"
    claims.write_text("---\n" + claims.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "site"
    first = build(Options(data=data, out=out, search=False))
    assert first.ok and first.digests is None
    file, old, new = EDITS[edit]
    replace_once(data / file, old, new)
    assert build(Options(data=data, out=out, search=False)).ok
    assert tree_bytes(out) == clean_build_without_search(data, tmp_path / "clean")


def steps(result) -> list[str]:
    return [name for name, _ in result.timings.steps]


ASIDE = "the downloads made aside"


@pytest.mark.parametrize("search", [True, False], ids=["whole site", "patched in place"])
@pytest.mark.parametrize(
    "edit", ["a claim's date", "an event's title", "a source's text", "the site title"]
)
def test_the_downloads_made_aside_are_those_of_a_clean_build(
    data, tmp_path, monkeypatch, edit, search
):
    """After an edit that changes a few pages, a forked process makes the downloads
    while the build renders them (build._Downloads); after one that changes them all,
    they are one job among the pages. Either way: a clean build's bytes, the files
    that did not change untouched, and no folder left behind."""
    monkeypatch.setattr(threading, "active_count", lambda: 1)  # as from the command line
    result, before, after = rebuilt_after(edit, data, tmp_path, search)
    assert (ASIDE in steps(result)) == (edit != "the site title")
    out = tmp_path / "site"
    downloads = [path for path in after if path.startswith("data/")]
    assert any(after[path] != before[path] for path in downloads)  # every edit shows there
    assert any(after[path] == before[path] for path in downloads)  # not every figure's CSV
    again = build(Options(data=data, out=out, jobs=2, search=search))
    assert again.written is not None and again.written.written == 0
    assert stamps(out) == after
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".facttrack-cache",
        "clean",
        "data",
        "site",
    ]


def test_an_edit_undone_has_its_downloads_made_aside_too(data, tmp_path, monkeypatch):
    """Undone, an edit leaves claims.yaml as the memo has it (a rebuild after one edit
    does not write the memo again): the check reads nothing again, but the site was
    built from the edited data, which the page cache tells (_Site.edited)."""
    monkeypatch.setattr(threading, "active_count", lambda: 1)  # as from the command line
    an_hour_ago = time.time() - 3600  # sources written just now are read again: not these
    for source in (data / "sources").iterdir():
        os.utime(source, (an_hour_ago, an_hour_ago))
    out = tmp_path / "site"
    options = Options(data=data, out=out, jobs=2, search=False)
    assert build(options).ok
    original = (data / "claims.yaml").read_text(encoding="utf-8")
    replace_once(data / "claims.yaml", 'as_of: "20', 'as_of: "19')
    edited = build(options)
    assert ASIDE in steps(edited)
    (data / "claims.yaml").write_text(original, encoding="utf-8")
    undone = build(options)
    assert ASIDE in steps(undone)
    assert undone.written is not None and undone.written.written > 0
    assert tree_bytes(out) == clean_build_without_search(data, tmp_path / "clean")
    again = build(options)  # nothing changed: no process forked, no file written
    assert "start the downloads aside" not in steps(again)
    assert again.written is not None and again.written.written == 0


def test_a_patch_removes_the_files_it_replaced_beside_the_page_cache(data, tmp_path, monkeypatch):
    """Each file a patch replaces is hard-linked aside first, so that the kernel frees
    its blocks in a thread (write._remove) rather than in the rename; nothing is left."""
    out = tmp_path / "site"
    assert build(Options(data=data, out=out, jobs=1, search=False)).ok
    previous = (out / "data" / "claims.json").read_bytes()
    replace_once(data / "claims.yaml", 'as_of: "20', 'as_of: "19')
    aside: list[bytes] = []
    remove = write._remove

    def record(*folders: Path) -> None:
        replaced = folders[0]
        aside.extend(path.read_bytes() for path in replaced.iterdir())
        remove(*folders)

    monkeypatch.setattr(write, "_remove", record)
    result = build(Options(data=data, out=out, jobs=1, search=False))
    assert result.ok and "patch the site" in steps(result)
    assert "remove the files replaced" in steps(result)
    assert previous in aside  # the old claims.json, removed by the thread
    assert (out / "data" / "claims.json").read_bytes() != previous
    assert sorted(p.name for p in tmp_path.iterdir()) == [".facttrack-cache", "data", "site"]
    assert tree_bytes(out) == clean_build_without_search(data, tmp_path / "clean")


def test_with_threads_running_the_downloads_are_a_task(data, tmp_path, monkeypatch):
    """As in facttrack serve: no fork, and no folder made for one."""
    out = tmp_path / "site"
    assert build(Options(data=data, out=out, jobs=2, search=False)).ok
    replace_once(data / "claims.yaml", 'as_of: "20', 'as_of: "19')
    kinds: list[str] = []
    make_folder = write.folder_beside

    def folder_beside(out: Path, kind: str) -> Path:
        kinds.append(kind)
        return make_folder(out, kind)

    monkeypatch.setattr(write, "folder_beside", folder_beside)
    monkeypatch.setattr(build_module, "folder_beside", folder_beside)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        result = build(Options(data=data, out=out, jobs=2, search=False))
    finally:
        stop.set()
        thread.join()
    assert result.ok
    assert ASIDE not in steps(result)
    assert "building" in kinds and "downloads" not in kinds
    assert tree_bytes(out) == clean_build_without_search(data, tmp_path / "clean")


def test_downloads_that_cannot_be_written_aside_fail_the_build_and_change_nothing(
    data, tmp_path, monkeypatch
):
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    out = tmp_path / "site"
    assert build(Options(data=data, out=out, jobs=2, search=False)).ok
    before = tree_bytes(out)
    replace_once(data / "claims.yaml", 'as_of: "20', 'as_of: "19')
    caller = os.getpid()

    def disk_full(*args):
        if os.getpid() == caller:  # only in the forked process: the build must say so
            raise AssertionError("the downloads were not made aside")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(build_module, "write_changed", disk_full)
    result = build(Options(data=data, out=out, jobs=2, search=False))
    assert not result.ok
    assert [problem.message for problem in result.problems] == [
        "cannot write the site: No space left on device"
    ]
    assert tree_bytes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".facttrack-cache", "data", "site"]


def test_a_no_change_rebuild_touches_no_file(data, tmp_path):
    out = tmp_path / "site"
    assert build(Options(data=data, out=out)).ok
    before = stamps(out)
    result = build(Options(data=data, out=out))
    assert result.written is not None and result.written.written == 0
    assert stamps(out) == before


def test_a_no_change_rebuild_lists_no_page(data, tmp_path, monkeypatch, looking):
    """Built from the records, history, templates and code the site in place was made
    from, and its files as they were made: the site is kept whole, without a page
    listed or fingerprinted."""
    out = tmp_path / "site"
    first = build(Options(data=data, out=out, search=False))
    assert first.ok
    before = stamps(out)

    def listed(renderer):
        raise AssertionError("the pages were listed")

    monkeypatch.setattr(render.Renderer, "pages", listed)
    result = build(Options(data=data, out=out, search=False))
    assert result.ok and result.written is not None and result.written.written == 0
    assert result.pages == first.pages
    assert stamps(out) == before


@pytest.mark.parametrize("kept_whole", [True, False], ids=["kept whole", "pages listed"])
def test_a_site_left_half_patched_is_made_whole_even_with_nothing_changed(
    data, tmp_path, monkeypatch, kept_whole
):
    """A build killed while it patched the site leaves the site marked (write.UPDATING);
    the next build writes a whole site, even when the data is that of the site in
    place (the edit the killed build was putting in undone since, or the crash before
    any file moved): whether the site may be kept whole unlisted, or not (a page cache
    without the state, say)."""
    if not kept_whole:
        monkeypatch.setattr(build_module, "_kept_whole", lambda *args: None)
    out = tmp_path / "site"
    assert build(Options(data=data, out=out, search=False)).ok
    (out / write.UPDATING).write_bytes(b"")
    assert build(Options(data=data, out=out, search=False)).ok
    assert tree_bytes(out) == clean_build_without_search(data, tmp_path / "clean")


def test_a_stylesheet_removed_by_hand_is_written_again(data, tmp_path):
    out = tmp_path / "site"
    assert build(Options(data=data, out=out, search=False)).ok
    (out / "style.css").unlink()
    assert build(Options(data=data, out=out, search=False)).ok
    assert tree_bytes(out) == clean_build_without_search(data, tmp_path / "clean")


def test_a_page_without_inputs_is_rendered_by_every_build(data, tmp_path, monkeypatch):
    """A page that lists no inputs is rendered every time (Page.inputs): a site that
    has one is never kept whole, even when nothing changed."""
    pages = render.Renderer.pages

    def with_one_more(renderer):
        yield from pages(renderer)
        yield Page("extra.html", "404.html", {"root": ""})

    monkeypatch.setattr(render.Renderer, "pages", with_one_more)
    out = tmp_path / "site"
    assert build(Options(data=data, out=out, search=False)).ok
    extra = (out / "extra.html").read_bytes()
    (out / "extra.html").unlink()
    assert build(Options(data=data, out=out, search=False)).ok
    assert (out / "extra.html").read_bytes() == extra


@pytest.fixture(params=["looked at beside the check", "looked at in-process"])
def looking(request, monkeypatch):
    """Whether the previous site's files are looked at by a forked process (LookAhead)
    or by the build itself, as where a process cannot fork."""
    if request.param == "looked at in-process":
        monkeypatch.setattr(cache, "LookAhead", _NoLookAhead)
    else:  # also when a test left a thread behind: the forked process only runs stat
        monkeypatch.setattr(threading, "active_count", lambda: 1)
    return request.param


class _NoLookAhead(cache.LookAhead):
    def __init__(self, out: Path) -> None:
        self._beside = None


def test_a_page_edited_by_hand_is_rendered_again(data, tmp_path, looking):
    out = tmp_path / "site"
    assert build(Options(data=data, out=out)).ok
    page = out / "claims" / "claim-007.html"
    original = page.read_bytes()
    page.write_bytes(b"edited")
    (out / "sources" / "index.html").unlink()
    assert build(Options(data=data, out=out)).ok
    assert page.read_bytes() == original
    assert tree_bytes(out) == clean_build(data, tmp_path / "clean")


def test_a_build_that_looks_at_the_files_itself_looks_at_each_once(data, tmp_path, monkeypatch):
    """Where no process looks at the previous site's files beside the check, the build
    looks at them once, for keeping the site whole and, when it cannot, for planning
    its pages."""
    monkeypatch.setattr(cache, "LookAhead", _NoLookAhead)
    out = tmp_path / "site"
    assert build(Options(data=data, out=out, search=False)).ok
    (out / "claims" / "claim-007.html").write_bytes(b"edited")
    looked: list[str] = []
    still_there = cache.still_there

    def counted(left, file):
        looked.append(str(file))
        return still_there(left, file)

    monkeypatch.setattr(cache, "still_there", counted)
    assert build(Options(data=data, out=out, search=False)).ok
    assert len(looked) == len(set(looked)) == len(cache.load(out).stats)
    assert tree_bytes(out) == clean_build_without_search(data, tmp_path / "clean")


def test_the_files_looked_at_beside_the_check_are_those_the_build_would_find(
    data, tmp_path, monkeypatch
):
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    out = tmp_path / "site"
    assert build(Options(data=data, out=out, search=False)).ok
    (out / "claims" / "claim-007.html").write_bytes(b"edited")
    (out / "sources" / "index.html").unlink()
    looking = cache.LookAhead(out)
    previous = cache.load(out)
    found = cache.changed_pages(previous, out)
    assert found == {"claims/claim-007.html", "sources/index.html"}
    assert looking.changed(previous) == found
    # what it found for another page cache (a build in between) is not used
    stale = cache.LookAhead(out)
    assert previous.stamp is not None
    assert stale.changed(replace(previous, stamp=(0, 0, 0))) is None
    stopped = cache.LookAhead(out)  # a build that ends before it asks: stopped and reaped
    stopped.close()
    assert stopped.changed(previous) is None


def test_one_job_forks_no_process_to_look_at_the_files(data, tmp_path, monkeypatch):
    """--jobs 1 (for profiling, say) runs everything in one process: the previous
    site's files too are looked at by the build itself."""
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    out = tmp_path / "site"
    assert build(Options(data=data, out=out, jobs=1, search=False)).ok
    made: list[Path] = []

    class Recorded(cache.LookAhead):
        def __init__(self, out: Path) -> None:
            made.append(out)
            super().__init__(out)

    monkeypatch.setattr(cache, "LookAhead", Recorded)
    (out / "claims" / "claim-007.html").write_bytes(b"edited")
    assert build(Options(data=data, out=out, jobs=1, search=False)).ok
    assert made == []
    assert build(Options(data=data, out=out, jobs=2, search=False)).ok
    assert made == [out]
    assert tree_bytes(out) == clean_build_without_search(data, tmp_path / "clean")


def page_cache(**values) -> bytes:
    """A page cache file of this format, with `values` in place of an empty site's."""
    empty = {"fingerprints": {}, "stats": {}, "files": (), "families": {}, "data": b""}
    return pickle.dumps({"format": cache.FORMAT, **empty, **values})


DAMAGED_CACHES = {
    "not a pickle": b"not a pickle",
    "a page without its file": page_cache(fingerprints={"index.html": "f"}),
    "files not a tuple": page_cache(files=None),
    "a page cache of the format before": pickle.dumps(
        {"format": 5, "pages": {"index.html": ("f", 1, 2, 3)}, "files": (), "families": {}}
    ),
}


@pytest.mark.parametrize("damage", DAMAGED_CACHES.values(), ids=DAMAGED_CACHES.keys())
def test_a_damaged_cache_only_costs_a_full_build(data, tmp_path, damage):
    out = tmp_path / "site"
    assert build(Options(data=data, out=out)).ok
    (tmp_path / ".facttrack-cache" / "site.pickle").write_bytes(damage)
    assert cache.load(out) == cache.Previous()
    replace_once(data / "claims.yaml", 'as_of: "20', 'as_of: "19')
    assert build(Options(data=data, out=out)).ok
    assert tree_bytes(out) == clean_build(data, tmp_path / "clean")
    shutil.rmtree(tmp_path / "clean")


def test_a_claim_page_follows_the_claims_its_checks_name(tmp_path, monkeypatch):
    """A relation shows, on one claim's page, another claim of another figure and
    source, said by a speaker of no other claim: renaming that speaker must reach
    the first claim's page, though nothing else on it changed."""
    monkeypatch.setattr(parallel, "MIN_PAGES", 1)
    data_corpus = corpus(300, seed=11)
    first = data_corpus.claims[0]
    other = next(
        c for c in data_corpus.claims if c.figure != first.figure and c.source != first.source
    )
    data = write_project(data_corpus, tmp_path / "data")
    claims = data / "claims.yaml"
    text = claims.read_text(encoding="utf-8")
    record = text.index(f"  - id: {other.id}\n")
    said_by = text.index("    speaker: ", record)
    end = text.index("\n", said_by)
    text = text[:said_by] + "    speaker: solo" + text[end:]
    text = text.replace("speakers:\n", 'speakers:\n  - id: solo\n    name: "Solo"\n    role: x\n')
    text += "relations:\n  - id: a-part\n    type: ratio\n"
    text += f"    numerator: {first.id}\n    denominator: {other.id}\n"
    claims.write_text(text, encoding="utf-8")
    out = tmp_path / "site"
    assert build(Options(data=data, out=out, jobs=2)).ok
    page = out / "claims" / f"{first.id}.html"
    assert ">Solo</a>" in page.read_text(encoding="utf-8")
    replace_once(claims, 'name: "Solo"', 'name: "Renamed"')
    assert build(Options(data=data, out=out, jobs=2)).ok
    assert ">Renamed</a>" in page.read_text(encoding="utf-8")
    assert tree_bytes(out) == clean_build(data, tmp_path / "clean")


def _claim_record(data: Path, claim_id: str) -> str:
    text = (data / "claims.yaml").read_text(encoding="utf-8")
    start = text.index(f"  - id: {claim_id}\n")
    end = text.find("\n  - id: ", start + 1)
    return text[start : end + 1]


def test_a_patch_adds_and_removes_pages(data, tmp_path):
    """A claim added and another removed: their pages come and go, and the list of
    claims and the timeline follow, as in a clean build."""
    out = tmp_path / "site"
    assert build(Options(data=data, out=out, search=False)).ok
    claims = data / "claims.yaml"
    removed = _claim_record(data, "claim-010")
    added = _claim_record(data, "claim-020").replace("claim-020", "claim-999")
    replace_once(claims, removed, added)
    result = build(Options(data=data, out=out, search=False))
    assert result.ok
    assert (out / "claims" / "claim-999.html").is_file()
    assert not (out / "claims" / "claim-010.html").exists()
    assert tree_bytes(out) == clean_build_without_search(data, tmp_path / "clean")


def test_a_patch_removes_the_folders_it_empties(data, tmp_path, monkeypatch):
    """Past its limit the timeline has a folder of month pages; back under it, the
    folder goes."""
    out = tmp_path / "site"
    assert build(Options(data=data, out=out, search=False)).ok
    assert (out / "timeline").is_dir()
    monkeypatch.setattr(render, "TIMELINE_PER_PAGE", 10_000)
    monkeypatch.setattr(cache, "code_key", lambda: b"code with a higher limit")  # as an edit's
    assert build(Options(data=data, out=out, search=False)).ok
    assert not (out / "timeline").exists()
    assert tree_bytes(out) == clean_build_without_search(data, tmp_path / "clean")


def test_a_crash_while_patching_is_repaired_by_the_next_build(data, tmp_path, monkeypatch):
    out = tmp_path / "site"
    assert build(Options(data=data, out=out, search=False)).ok
    replace_once(data / "claims.yaml", 'label: "Figure 1:', 'label: "Figure one:')
    moves = []
    real_replace = os.replace

    def replace_then_crash(source, target):
        if moves:
            raise KeyboardInterrupt  # the second file: as if the machine stopped
        if Path(target).is_relative_to(out):
            moves.append(target)
        real_replace(source, target)

    monkeypatch.setattr(write.os, "replace", replace_then_crash)
    with pytest.raises(KeyboardInterrupt):
        build(Options(data=data, out=out, search=False))
    monkeypatch.undo()
    assert (out / write.UPDATING).exists()  # half patched, and it says so
    assert build(Options(data=data, out=out, search=False)).ok
    assert not (out / write.UPDATING).exists()
    assert tree_bytes(out) == clean_build_without_search(data, tmp_path / "clean")


def _without_index(tree: dict[str, bytes]) -> dict[str, bytes]:
    return {path: content for path, content in tree.items() if not path.startswith("pagefind/")}


@pytest.mark.parametrize("edit", EDITS, ids=list(EDITS))
def test_a_warm_rebuild_then_its_search_update_is_byte_identical_to_a_clean_build(
    data, tmp_path, edit
):
    """facttrack serve's way: the memo and page cache kept in memory (build.Warm), the
    pages written first with the previous index, the index brought up to date after."""
    out, warm = tmp_path / "site", Warm()
    assert build(Options(data=data, out=out), warm).ok
    assert warm.memo is not None and warm.pages is not None
    index = {
        path: content for path, content in tree_bytes(out).items() if path.startswith("pagefind/")
    }
    file, old, new = EDITS[edit]
    replace_once(data / file, old, new)
    result = build(Options(data=data, out=out, jobs=1, reindex=False), warm)
    assert result.ok and result.search_stale
    clean = clean_build(data, tmp_path / "clean")
    now = tree_bytes(out)
    assert _without_index(now) == _without_index(clean)  # the new pages, at once
    assert {p: c for p, c in now.items() if p.startswith("pagefind/")} == index  # the old index
    search.update_index(out)
    assert tree_bytes(out) == clean
    again = build(Options(data=data, out=out, jobs=1, reindex=False), warm)
    assert again.ok and not again.search_stale and again.written is not None
    assert again.written.written == 0 and tree_bytes(out) == clean
    assert warm.texts is not None  # the downloads were made in this process
    replace_once(data / file, new, old)  # and back: built from what the warm build kept
    back = build(Options(data=data, out=out, jobs=1, reindex=False), warm)
    assert back.ok and back.search_stale
    search.update_index(out)
    assert tree_bytes(out) == clean_build(data, tmp_path / "clean-again")


def test_a_warm_rebuild_without_an_index_yet_builds_one(data, tmp_path):
    out, warm = tmp_path / "site", Warm()
    assert build(Options(data=data, out=out, search=False), warm).ok
    result = build(Options(data=data, out=out, reindex=False), warm)
    assert result.ok and not result.search_stale
    assert tree_bytes(out) == clean_build(data, tmp_path / "clean")


def _digests_within(value: object, of) -> set[bytes]:
    """The digest of a value and of every tuple and record nested in it."""
    found = {of(value)}
    if type(value) is tuple:
        for item in value:
            found |= _digests_within(item, of)
    return found


@pytest.mark.parametrize("project", ["the real data", "generated"])
def test_every_claim_page_shows_nothing_beyond_its_family(project, tmp_path):
    """A family kept whole keeps its pages unlisted (cache.plan): that is only right if
    every member's inputs are among the family's, so that no change reaches a member
    without changing its family, and its members are the pages its paths name."""
    data = ROOT / "data" if project == "the real data" else tmp_path / "data"
    if project == "generated":  # with a relation between claims of two sources
        generated = corpus(300, seed=11)
        first = generated.claims[0]
        other = next(c for c in generated.claims if c.source != first.source)
        write_project(generated, data)
        with (data / "claims.yaml").open("a", encoding="utf-8") as claims:
            claims.write("relations:\n  - id: a-part\n    type: ratio\n")
            claims.write(f"    numerator: {first.id}\n    denominator: {other.id}\n")
    result = check(Options(data=data, cache=False))
    assert result.ok and result.derived is not None
    listing = list(render.Renderer(result.derived).pages())
    families = [item for item in listing if isinstance(item, Family)]
    of = cache.Fingerprints().of
    assert sum(len(family.paths) for family in families) == len(result.derived.linked.data.claims)
    checked_claims = 0
    for family in families:
        shown = _digests_within(family.inputs, of)
        with_checks = {claim_id for claim_id, _ in family.inputs[1]}
        members = list(family.members())
        assert tuple(page.path for page in members) == family.paths
        for page in members:
            assert page.inputs is not None
            claim_id = page.path.removeprefix("claims/").removesuffix(".html")
            *shows, checks = page.inputs
            assert all(of(item) in shown for item in shows), page.path
            if checks == ():  # the family lists the checks of those claims that have some
                assert claim_id not in with_checks, page.path
            else:
                assert (claim_id, checks) in family.inputs[1], page.path
                checked_claims += 1
    assert checked_claims > 0  # the data has checks that name claims


def test_after_an_edit_only_the_families_it_touches_are_listed(data, tmp_path, monkeypatch):
    out = tmp_path / "site"
    assert build(Options(data=data, out=out, search=False)).ok
    listed: list[str] = []
    claim_pages = render.Renderer._claim_pages

    def counted(renderer, claims):
        listed.extend(claim.id for claim in claims)
        return claim_pages(renderer, claims)

    monkeypatch.setattr(render.Renderer, "_claim_pages", counted)
    edited = _claim_record(data, "claim-010")
    replace_once(data / "claims.yaml", edited, edited.replace('as_of: "20', 'as_of: "19', 1))
    assert build(Options(data=data, out=out, search=False)).ok
    assert "claim-010" in listed and len(listed) < 300 // 5
    assert tree_bytes(out) == clean_build_without_search(data, tmp_path / "clean")


def test_a_group_has_one_fingerprint_whatever_was_digested_before_it(data):
    """Fingerprints looks records up by the object, and joins a group's digests in one
    call once its members are known: the digest must not depend on that order, and a
    record that is not the dataset's own object (an edited copy) is digested by content."""
    result = check(Options(data=data))
    assert result.ok and result.derived is not None and result.digests
    records = result.derived.linked.data
    claim, other = list(records.claims.values())[:2]
    figure = records.figures[claim.figure]
    group = ((claim, figure), other, ("a label", 3))

    fresh = cache.Fingerprints(result.digests, records)
    warmed = cache.Fingerprints(result.digests, records)
    for part in reversed(group):  # the members first, then the group
        warmed.of(part)
    assert fresh.of(group) == warmed.of(group)
    assert fresh.of(claim) == result.digests[("claim", claim.id)]

    copy = replace(claim, low=claim.low + 1, high=claim.high + 1)  # the same id, another object
    assert fresh.of(copy) not in (fresh.of(claim), cache.Fingerprints().of(claim))
    assert fresh.of((copy, figure)) != fresh.of((claim, figure))
