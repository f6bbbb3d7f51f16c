"""A check that reuses the previous check's memo reports exactly what a full check
reports, after any edit; and it does reuse it when it can."""

from __future__ import annotations

import datetime as dt
import os
import pickle
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facttrack import chunks, memo
from facttrack.checking import Options, Result, check
from facttrack.digests import keep_pickled
from helpers import FIXTURES, ROOT, source_file


def age_sources(data: Path) -> None:
    """Source files last changed a minute ago: older than the memo, as in real use."""
    past = time.time() - 60
    for path in (data / "sources").glob("*.txt"):
        os.utime(path, (past, past))


def copy_of(folder: Path, tmp_path: Path) -> Path:
    data = tmp_path / "project" / "data"
    shutil.copytree(folder, data)
    age_sources(data)
    return data


def full_check(data: Path) -> Result:
    return check(Options(data=data, cache=False))


def memo_check(data: Path) -> Result:
    return check(Options(data=data))


def full_digests(data: Path) -> memo.Digests | None:
    """The digests a check without a memo computes (and the memo it leaves behind)."""
    memo.memo_file(data).unlink(missing_ok=True)
    return memo_check(data).digests


def assert_same_as_full_check(data: Path) -> Result:
    with_memo = memo_check(data)
    full = full_check(data)
    assert [p.format() for p in with_memo.problems] == [p.format() for p in full.problems]
    assert (with_memo.derived is None) == (full.derived is None)
    if full.derived is not None:
        assert with_memo.derived is not None
        assert with_memo.derived.linked == full.derived.linked
        assert with_memo.derived.consistency == full.derived.consistency  # intervals kept
        assert with_memo.digests == full_digests(data)
    return with_memo


def claims_file(data: Path) -> Path:
    return data / "claims.yaml"


def edit_claims(data: Path, old: str, new: str, count: int = 1) -> None:
    text = claims_file(data).read_text(encoding="utf-8")
    assert old in text, old
    assert new != old, f"an edit that changes nothing: {old!r}"
    claims_file(data).write_text(text.replace(old, new, count), encoding="utf-8")


def record_text(data: Path, record_id: str) -> str:
    """The chunk of the record with this id: from its '- id:' line to the next record."""
    text = claims_file(data).read_text(encoding="utf-8")
    match = re.search(rf"^  - id: {re.escape(record_id)}\n(?:(?!  - |\S).*\n)*", text, re.M)
    assert match, record_id
    return match.group()


def first_record(data: Path, list_name: str) -> str:
    text = claims_file(data).read_text(encoding="utf-8")
    records = text[re.search(rf"^{list_name}:\n", text, re.M).end() :]  # type: ignore[union-attr]
    first = re.search(r"^  - id: (\S+)", records, re.M)
    assert first
    return record_text(data, first.group(1))


# Each edit: (name, change to a copy of data/, whether the memo can stand in for it)
def _as_of(data: Path) -> None:
    edit_claims(data, 'as_of: "2024-01-02"', 'as_of: "2023-12-30"')


def _value_and_quote(data: Path) -> None:
    chunk = record_text(data, "un-estimated-3-8-million-afghans")
    edit_claims(data, chunk, chunk.replace("qualifier: about", "qualifier: over"))


def _figure_unit(data: Path) -> None:
    chunk = record_text(data, "crossing-points")
    edit_claims(data, chunk, chunk.replace("unit: places", "unit: border crossings"))


def _figure_label(data: Path) -> None:
    chunk = record_text(data, "crossing-points")
    edit_claims(data, chunk, re.sub(r"label: .*", "label: Crossing points in use", chunk))


def _speaker_name(data: Path) -> None:
    chunk = record_text(data, "jan-achakzai")
    edit_claims(data, chunk, re.sub(r"name: .*", "name: Jan Achakzai (minister)", chunk))


def _speaker_id(data: Path) -> None:
    edit_claims(data, "  - id: jan-achakzai\n", "  - id: achakzai-jan\n")


def _lines_above(data: Path) -> None:
    """Every claim after the first moves two lines down."""
    chunk = first_record(data, "claims")
    edit_claims(data, chunk, chunk + "  # a note for editors\n  #\n")


def _claim_appended(data: Path) -> None:
    chunk = record_text(data, "achakzai-at-least-2000-expelled-second-phase")
    text = claims_file(data).read_text(encoding="utf-8")
    copy = chunk.replace("achakzai-at-least-2000-expelled-second-phase", "appended-copy")
    at = re.search(r"^events:\n", text, re.M).start()  # type: ignore[union-attr]
    claims_file(data).write_text(text[:at] + copy + text[at:], encoding="utf-8")


def _claim_inserted(data: Path) -> None:
    chunk = record_text(data, "achakzai-at-least-2000-expelled-second-phase")
    copy = chunk.replace("achakzai-at-least-2000-expelled-second-phase", "inserted-copy")
    first = first_record(data, "claims")
    edit_claims(data, first, copy + first)


def _claim_removed(data: Path) -> None:
    edit_claims(data, record_text(data, "achakzai-200000-fake-cards-blocked"), "")


def _related_claim_removed(data: Path) -> None:
    edit_claims(data, record_text(data, "interior-ministry-110064-other-systems"), "")


def _records_swapped(data: Path) -> None:
    first = record_text(data, "achakzai-around-one-million-por-registered")
    second = record_text(data, "achakzai-200000-fake-cards-blocked")
    edit_claims(data, first + second, second + first)


def _duplicate_id(data: Path) -> None:
    chunk = record_text(data, "achakzai-200000-fake-cards-blocked")
    edit_claims(data, chunk, chunk + chunk.replace("200,000", "200,000"))


def _syntax_error(data: Path) -> None:
    chunk = record_text(data, "achakzai-200000-fake-cards-blocked")
    edit_claims(data, chunk, chunk.replace("figure:", "figure: [", 1))


def _quote_runs_on(data: Path) -> None:
    chunk = record_text(data, "achakzai-200000-fake-cards-blocked")
    edit_claims(data, chunk, re.sub(r"quote: (.*)", r'quote: "\1', chunk, count=1))


def _quote_not_in_source(data: Path) -> None:
    chunk = record_text(data, "achakzai-200000-fake-cards-blocked")
    edit_claims(data, chunk, chunk.replace("200,000", "200,001", 1))


def _event_quote(data: Path) -> None:
    chunk = first_record(data, "events")
    edit_claims(data, chunk, re.sub(r"title: .*", "title: Renamed event", chunk))


def _relation_note(data: Path) -> None:
    chunk = record_text(data, "senate-reply-still-residing")
    edit_claims(data, chunk, chunk.replace("note: >-", "note: >-\n      Edited.", 1))


def _site_title(data: Path) -> None:
    edit_claims(data, "  title: Afghan expulsions", "  title: Expulsions")


def _source_text(data: Path, old: str, new: str) -> None:
    path = data / "sources" / "achakzai-second-phase-2023-11-23.txt"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _source_text_around_quotes(data: Path) -> None:
    _source_text(data, "All government agencies", "All the government agencies")


def _source_text_breaking_a_quote(data: Path) -> None:
    _source_text(data, "at least 2,000 illegal migrants", "at least 2,500 illegal migrants")


def _source_published(data: Path) -> None:
    _source_text(data, "published: 2023-11-23", "published: 2023-11-24")


def _source_added(data: Path) -> None:
    (data / "sources" / "new-document.txt").write_text(source_file("Some text."), "utf-8")


def _source_removed(data: Path) -> None:
    (data / "sources" / "jilani-international-practice-2023-10.txt").unlink()


def _document_start_marker(data: Path) -> None:
    path = data / "claims.yaml"
    path.write_text("---\n" + path.read_text(encoding="utf-8"), encoding="utf-8")


def _document_end_marker(data: Path) -> None:
    path = data / "claims.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "...\n", encoding="utf-8")


EDITS: list[tuple[str, Callable[[Path], None], bool]] = [
    ("nothing", lambda data: None, True),
    ("a claim's as_of", _as_of, True),
    ("a claim's qualifier", _value_and_quote, True),
    ("a figure's unit", _figure_unit, True),
    ("a figure's label", _figure_label, True),
    ("a speaker's name", _speaker_name, True),
    ("a speaker's id, still used by claims", _speaker_id, False),
    ("lines added above the claims", _lines_above, True),
    ("a claim appended", _claim_appended, True),
    ("a claim inserted first", _claim_inserted, True),
    ("a claim removed", _claim_removed, True),
    ("a claim a relation names removed", _related_claim_removed, False),
    ("two claims swapped", _records_swapped, True),
    ("a duplicate claim", _duplicate_id, False),
    ("a YAML error in one claim", _syntax_error, False),
    ("an opened quote running into the next claim", _quote_runs_on, False),
    ("a claim's quote no longer in its source", _quote_not_in_source, False),
    ("an event's title", _event_quote, True),
    ("a relation's note", _relation_note, True),
    ("the site's title", _site_title, False),
    ("a document start marker", _document_start_marker, False),  # the cut reads no markers
    ("a document end marker", _document_end_marker, False),
    ("a source's text, around its quotes", _source_text_around_quotes, True),
    ("a source's text, inside a quote", _source_text_breaking_a_quote, False),
    ("a source's publication date", _source_published, True),
    ("a source added", _source_added, True),
    ("a source removed, claims citing it", _source_removed, False),
]


@pytest.mark.parametrize("name,change,reusable", EDITS, ids=[e[0] for e in EDITS])
def test_a_check_with_the_memo_reports_what_a_full_check_reports(name, change, reusable, tmp_path):
    data = copy_of(ROOT / "data", tmp_path)
    first = memo_check(data)
    assert first.ok and memo.memo_file(data).is_file()
    change(data)
    previous = memo.load_memo(data)
    assert previous is not None
    rechecked = memo.recheck(data, previous, previous.today)
    assert (rechecked is not None) == reusable
    assert_same_as_full_check(data)


def test_an_event_whose_speaker_went_is_not_taken_from_the_memo(tmp_path):
    """An event's digest does not cover its speaker (a claim's does): when a speaker
    only events name goes, the event's unchanged text must not keep it in the memo."""
    data = copy_of(ROOT / "data", tmp_path)
    edit_claims(
        data, "speakers:\n", "speakers:\n  - id: forum-host\n    name: Host\n    role: host\n"
    )
    event = record_text(data, "jilani-defends-expulsion")
    edit_claims(data, event, event.replace("speaker: jalil-abbas-jilani", "speaker: forum-host"))
    assert memo_check(data).ok
    edit_claims(data, "  - id: forum-host\n", "  - id: forum-hosts\n")  # the event's text stays
    previous = memo.load_memo(data)
    assert previous is not None
    assert memo.recheck(data, previous, previous.today) is None
    result = assert_same_as_full_check(data)
    assert any("forum-host" in problem.format() for problem in result.problems)


def test_a_check_after_one_edit_reads_only_that_record_again(tmp_path):
    data = copy_of(ROOT / "data", tmp_path)
    memo_check(data)
    _as_of(data)
    previous = memo.load_memo(data)
    assert previous is not None
    rechecked = memo.recheck(data, previous, previous.today)
    assert rechecked is not None
    relations = len(rechecked.linked.data.relations)  # always read again
    assert rechecked.read_again == 1 + relations


def _two_claims_at_once(data: Path) -> None:
    _as_of(data)
    _value_and_quote(data)


def _item_line_indented(data: Path) -> None:
    edit_claims(
        data,
        "  - id: un-estimated-3-8-million-afghans",
        "   - id: un-estimated-3-8-million-afghans",
    )


def _line_added_to_a_claim(data: Path) -> None:
    chunk = record_text(data, "un-estimated-3-8-million-afghans")
    edit_claims(data, chunk, chunk + "    note: One line more.\n")


def _claim_id_changed(data: Path) -> None:
    chunk = record_text(data, "un-estimated-3-8-million-afghans")
    edit_claims(data, chunk, chunk.replace("un-estimated-3-8", "un-estimate-3-8", 1))


def _claim_edited_and_the_next_commented_out(data: Path) -> None:
    # one save: the edit reaches from one claim into the next, which is gone after it
    first = first_record(data, "claims")
    text = claims_file(data).read_text(encoding="utf-8")
    after = text[text.index(first) + len(first) :]
    second = record_text(data, re.match(r"  - id: (\S+)", after).group(1))  # type: ignore[union-attr]
    commented = "".join(f"  # {line}\n" for line in second.splitlines())
    edited = first.replace('as_of: "2024-01"', 'as_of: "2023-12"')
    edit_claims(data, first + second, edited + commented)


def _claim_edited_and_the_next_indented(data: Path) -> None:
    # one save: the edit ends where the next claim's first line starts, which it
    # indents, so that the next claim is no longer an item of the list (a syntax error)
    first = first_record(data, "claims")
    text = claims_file(data).read_text(encoding="utf-8")
    after = text[text.index(first) + len(first) :]
    second = record_text(data, re.match(r"  - id: (\S+)", after).group(1))  # type: ignore[union-attr]
    edited = first.replace('as_of: "2024-01"', 'as_of: "2023-12"')
    edit_claims(data, first + second, edited + "  " + second)


def _claim_and_figure(data: Path) -> None:
    _as_of(data)
    _figure_label(data)


# Edits the memo's result is patched for, and edits left to the whole recheck (run)
PATCHED = [
    ("nothing", lambda data: None, True),
    ("a claim's as_of", _as_of, True),
    ("a claim's qualifier", _value_and_quote, True),
    ("two claims at once", _two_claims_at_once, True),
    ("an event's title", _event_quote, True),
    ("a claim's quote no longer in its source", _quote_not_in_source, False),  # an error
    ("an item's line indented", _item_line_indented, False),
    ("a line added to a claim", _line_added_to_a_claim, False),
    ("a claim's id", _claim_id_changed, False),
    ("a claim edited, the next commented out", _claim_edited_and_the_next_commented_out, False),
    ("a claim edited, the next indented", _claim_edited_and_the_next_indented, False),
    ("a claim and a figure", _claim_and_figure, False),
    ("a relation's note", _relation_note, False),
    ("a source's publication date", _source_published, False),
    ("a source removed, claims citing it", _source_removed, False),
]


def as_read(data: Path) -> str:
    """claims.yaml as the check reads it (its line ends as they are)."""
    return claims_file(data).read_bytes().decode("utf-8")


def _patched(data: Path, previous: memo.Memo) -> memo.Checked | None:
    try:
        return memo._Recheck(previous, previous.today).patch(data, as_read(data))
    except memo._GiveUp:  # a problem: recheck() leaves it to the full check
        return None


@pytest.mark.parametrize("name,change,patched", PATCHED, ids=[e[0] for e in PATCHED])
def test_an_edit_inside_records_patches_the_previous_result(name, change, patched, tmp_path):
    data = copy_of(ROOT / "data", tmp_path)
    memo_check(data)
    change(data)
    previous = memo.load_memo(data)
    assert previous is not None
    result = _patched(data, previous)
    assert (result is not None) == patched
    if result is not None:
        assert_same_as_the_whole_recheck(result, data, previous)
    assert_same_as_full_check(data)


def assert_same_as_the_whole_recheck(result: memo.Checked, data: Path, previous: memo.Memo) -> None:
    """A patched result is what run() finds, memo and all (the next check patches it)."""
    whole = memo._Recheck(previous, previous.today).run(data, as_read(data))
    assert result.linked == whole.linked
    for name in ("claim_anchors", "event_anchors"):  # in the same order too
        assert list(getattr(result.linked, name)) == list(getattr(whole.linked, name))
    assert list(result.linked.data.claims) == list(whole.linked.data.claims)
    assert result.digests == whole.digests
    assert result.read_again == whole.read_again
    cut = ("sections", "ids", "starts", "ends", "lines")
    for name in ("text", *cut, "sources", "head", "site", "today"):
        assert getattr(result.memo, name) == getattr(whole.memo, name), name
    assert memo.records(result.memo) == memo.records(whole.memo)
    assert result.memo.linked == whole.linked and result.memo.digests == whole.digests


def test_a_claim_moved_to_another_source_is_patched_in_that_source_s_place(tmp_path):
    data = copy_of(ROOT / "data", tmp_path)
    original = data / "sources" / "expel-one-million-by-january-2023-11-22.txt"
    (data / "sources" / "a-copy.txt").write_text(original.read_text(encoding="utf-8"))
    age_sources(data)
    memo_check(data)
    chunk = first_record(data, "claims")
    assert "source: expel-one-million-by-january-2023-11-22" in chunk
    edit_claims(data, chunk, chunk.replace("expel-one-million-by-january-2023-11-22", "a-copy"))
    previous = memo.load_memo(data)
    assert previous is not None
    result = _patched(data, previous)
    assert result is not None
    assert_same_as_the_whole_recheck(result, data, previous)
    first = next(iter(result.linked.claim_anchors))  # a-copy comes first among the sources
    assert result.linked.claim_anchors[first].source == "a-copy"
    assert_same_as_full_check(data)


def test_a_patched_memo_is_patched_again_after_the_next_edit(tmp_path, monkeypatch):
    # as facttrack serve does: each check from the one before, kept in memory
    data = copy_of(ROOT / "data", tmp_path)
    memo_check(data)
    previous = memo.load_memo(data)
    assert previous is not None
    cut: list[int] = []
    split = chunks.split
    monkeypatch.setattr(chunks, "split", lambda text: cut.append(len(text)) or split(text))
    for change in (_as_of, _value_and_quote, _event_quote):
        change(data)
        result = memo.recheck(data, previous, previous.today)
        assert result is not None
        previous = result.memo
        text = claims_file(data).read_text(encoding="utf-8")
        assert previous.text == text
        # the patched memo cuts the text, and finds each chunk's record, as the memo of
        # a full check does (whose own cut of the whole text is left out of `cut`)
        rechecked = len(cut)
        full_digests(data)
        fresh = memo.load_memo(data)
        assert fresh is not None
        where = ("sections", "ids", "starts", "ends", "lines")
        assert [getattr(previous, n) for n in where] == [getattr(fresh, n) for n in where]
        assert memo.records(previous) == memo.records(fresh)
        assert result.linked == full_check(data).derived.linked  # type: ignore[union-attr]
        del cut[rechecked:]
    assert cut and max(cut) < len(text) / 10  # only the records edited were cut again


def test_a_source_changed_just_after_the_memo_is_read_again(tmp_path):
    """Modification times are coarse: a file changed as the memo was made may keep
    its size and time, so files that recent are never trusted on their stat."""
    data = copy_of(ROOT / "data", tmp_path)
    source = data / "sources" / "achakzai-second-phase-2023-11-23.txt"
    os.utime(source)  # just now: as close to the memo as it gets
    memo_check(data)
    stat = source.stat()
    _source_text(data, "at least 2,000 illegal", "at least 2,000 illegal")  # same bytes...
    text = source.read_text(encoding="utf-8").replace("All government", "Any government", 1)
    source.write_text(text, encoding="utf-8")  # ...then a same-size change
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the same time
    previous = memo.load_memo(data)
    assert previous is not None
    rechecked = memo.recheck(data, previous, previous.today)
    assert rechecked is not None
    assert "Any government" in rechecked.linked.data.sources[source.stem].text


def test_a_memo_from_other_code_or_an_earlier_day_is_not_used(tmp_path):
    data = copy_of(ROOT / "data", tmp_path)
    memo_check(data)
    previous = memo.load_memo(data)
    assert previous is not None
    assert memo.recheck(data, previous, previous.today) is not None
    assert memo.recheck(data, replace(previous, key=b"other"), previous.today) is None
    earlier = previous.today - dt.timedelta(days=1)
    assert memo.recheck(data, previous, earlier) is None


def test_a_damaged_memo_means_a_full_check(tmp_path):
    data = copy_of(ROOT / "data", tmp_path)
    memo_check(data)
    memo.memo_file(data).write_bytes(b"not a memo")
    assert memo.load_memo(data) is None
    assert_same_as_full_check(data)


def test_check_no_cache_neither_reads_nor_writes_a_memo(tmp_path):
    data = copy_of(ROOT / "data", tmp_path)
    full_check(data)
    assert not memo.memo_file(data).exists()


# -- random edits -------------------------------------------------------------------

SMALL = (FIXTURES / "small" / "claims.yaml").read_text(encoding="utf-8")
LINES = SMALL.splitlines(keepends=True)

edits = st.lists(
    st.one_of(
        st.tuples(st.just("delete"), st.integers(0, len(LINES) - 1)),
        st.tuples(st.just("duplicate"), st.integers(0, len(LINES) - 1)),
        st.tuples(st.just("swap"), st.integers(0, len(LINES) - 2)),
        st.tuples(st.just("digit"), st.integers(0, len(LINES) - 1)),
        st.tuples(st.just("indent"), st.integers(0, len(LINES) - 1)),
    ),
    min_size=1,
    max_size=3,
)


def apply(lines: list[str], edit: tuple[str, int]) -> list[str]:
    kind, at = edit
    at = min(at, len(lines) - 1)
    lines = list(lines)
    if kind == "delete":
        del lines[at]
    elif kind == "duplicate":
        lines.insert(at, lines[at])
    elif kind == "swap" and at + 1 < len(lines):
        lines[at], lines[at + 1] = lines[at + 1], lines[at]
    elif kind == "digit":
        lines[at] = re.sub(r"\d", lambda m: str((int(m.group()) + 1) % 10), lines[at], count=1)
    elif kind == "indent":
        lines[at] = "  " + lines[at]
    elif kind == "comment":
        lines[at] = "# " + lines[at]
    return lines


def write_edited(data: Path, changes: list[tuple[str, int]]) -> None:
    lines = LINES
    for change in changes:
        lines = apply(lines, change)
    claims_file(data).write_text("".join(lines), encoding="utf-8")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits)
def test_random_edits_are_reported_as_a_full_check_reports_them(changes):
    with tempfile.TemporaryDirectory() as folder:
        data = copy_of(FIXTURES / "small", Path(folder))
        memo_check(data)
        write_edited(data, changes)
        assert_same_as_full_check(data)


def test_a_file_with_windows_line_ends_is_checked_from_the_memo_too(tmp_path):
    data = copy_of(ROOT / "data", tmp_path)
    text = claims_file(data).read_text(encoding="utf-8")
    claims_file(data).write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    memo_check(data)
    text = claims_file(data).read_bytes().decode("utf-8")
    claims_file(data).write_bytes(
        text.replace('as_of: "2024-01-02"', 'as_of: "2023-12-30"', 1).encode()
    )
    previous = memo.load_memo(data)
    assert previous is not None
    rechecked = memo.recheck(data, previous, previous.today)
    assert rechecked is not None and rechecked.read_again < 30
    assert_same_as_full_check(data)


CUT = "site:\n  title: T\nclaims:\n  - id: a\n    note: x\n  - id: b\n    note: y\n"


@pytest.mark.parametrize(
    "text",
    [
        "---\n" + CUT,
        CUT + "...\n",
        "%YAML 1.1\n---\n" + CUT,
        CUT.replace("  - id: b", "---\n  - id: b"),
        CUT.replace("    note: y", "\tnote: y"),
        "\t" + CUT,
    ],
    ids=["start marker", "end marker", "directive", "marker between records", "tab", "tab first"],
)
def test_the_cut_leaves_files_with_markers_directives_or_leading_tabs_to_the_full_check(text):
    assert chunks.split(CUT) is not None
    assert chunks.split(text) is None


def test_a_tab_inside_a_line_does_not_stop_the_cut():
    parts = chunks.split(CUT.replace("note: x", 'note: "x\ty"'))
    assert parts is not None
    assert [chunk.line for chunk in parts.section("claims")] == [4, 6]


def test_a_cache_file_is_written_whole_or_not_at_all(tmp_path):
    """memo, page cache notes and downloads' texts are all kept with keep_pickled."""
    target = tmp_path / "cache" / "kept.pickle"
    keep_pickled(target, {"a": (1, 2)})
    assert pickle.loads(target.read_bytes()) == {"a": (1, 2)}
    blocked = tmp_path / "a file" / "kept.pickle"  # its folder cannot be made
    (tmp_path / "a file").write_text("not a folder")
    keep_pickled(blocked, {"a": 1})  # no cache, and no error
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a file", "cache"]
    assert [p.name for p in target.parent.iterdir()] == ["kept.pickle"]  # no temporary left


in_place = st.lists(
    st.tuples(st.sampled_from(["digit", "indent", "comment"]), st.integers(0, len(LINES) - 1)),
    min_size=1,
    max_size=3,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(in_place)
def test_random_edits_in_place_are_patched_as_the_whole_recheck_finds(changes):
    with tempfile.TemporaryDirectory() as folder:
        data = copy_of(FIXTURES / "small", Path(folder))
        memo_check(data)
        previous = memo.load_memo(data)
        assert previous is not None
        write_edited(data, changes)
        result = _patched(data, previous)
        if result is not None:
            assert_same_as_the_whole_recheck(result, data, previous)
        assert_same_as_full_check(data)
