"""A large claims.yaml is read in two parts at once (load._parse_in_parts): the
values, their positions and the problems reported are those of reading it whole,
wherever the cut falls, and whatever the text around it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bench.generate import claims_yaml, corpus, write_project
from hypothesis import given, settings
from hypothesis import strategies as st

from facttrack import chunks, load, parallel
from facttrack.errors import Problems
from test_yaml_events import described, real_claims_files


def reported(problems: Problems) -> list[str]:
    return [problem.format() for problem in problems.items]


def whole(text: str) -> tuple[Any, list[str]]:
    problems = Problems()
    return described(load.parse_yaml(text, "c.yaml", problems)), reported(problems)


def in_parts(text: str, at: chunks.Chunk) -> tuple[Any, list[str]]:
    problems = Problems()
    document, also = load._parse_in_parts(text, at, "c.yaml", problems, lambda: "meanwhile")
    assert also == "meanwhile"
    return described(document), reported(problems)


def cuts(text: str) -> list[chunks.Chunk]:
    """Every record a second part may start at: not the first of its list."""
    split = chunks.split(text)
    assert split is not None
    seen: set[str] = set()
    found = []
    for chunk in split.chunks:
        if chunk.section in seen:
            found.append(chunk)
        seen.add(chunk.section)
    return found


@real_claims_files
def test_real_claims_files_read_the_same_at_every_cut(path):
    text = path.read_text(encoding="utf-8")
    expected = whole(text)
    assert expected[1] == []
    for at in cuts(text):
        assert in_parts(text, at) == expected, f"cut at line {at.line}"


def test_generated_claims_read_the_same_at_cuts_in_every_list():
    text = claims_yaml(corpus(300, seed=8))
    expected = whole(text)
    at_each = cuts(text)
    assert {at.section for at in at_each} >= {"figures", "speakers", "claims", "events"}
    for at in at_each[::7]:
        assert in_parts(text, at) == expected, f"cut at line {at.line}"


# Values that make a line look like a record's start where the parser sees none, or
# that make one part unreadable on its own (the text is then read whole).
TRICKY = st.sampled_from(
    [
        "plain",
        '"a quoted value\n  - id: not-a-record\n  rest"',
        "'single\n  - id: inside'",
        "|\n      block text\n      - id: nested",
        "[a,\n  b]",
        "{a: 1,\n  b: 2}",
        "&anchor x",
        "*anchor",
        "!!str 5",
        "2024-01-02",
        "541,210",
        "text # a comment",
        '"unclosed',
    ]
)


@st.composite
def claims_files(draw: st.DrawFn) -> str:
    lines = ["figures:", "  - id: f", "    label: F"]
    for number in range(draw(st.integers(2, 5))):
        lines += [f"  - id: c{number}", f"    quote: {draw(TRICKY)}"]
        if draw(st.booleans()):
            lines.append("  # - id: a comment, not a record")
        if draw(st.booleans()):
            lines.append("")
    if draw(st.booleans()):
        lines += ["events:", "  - id: e", "    title: T"]
    if draw(st.booleans()):
        lines += ["figures:", "  - id: again", "  - id: twice"]  # a repeated key
    lines[3:3] = ["claims:"]  # the claims list starts after the figure
    return "\n".join(lines) + "\n"


@settings(max_examples=200, deadline=None)
@given(claims_files())
def test_any_claims_file_reads_the_same_in_parts_or_is_read_whole(text):
    expected = whole(text)
    for at in cuts(text):
        assert in_parts(text, at) == expected, f"cut at line {at.line}"


def test_a_cut_inside_a_quoted_value_is_read_whole_with_its_errors_once():
    text = 'claims:\n  - id: a\n    quote: "open\n  - id: b\n  - id: c\n    value: [1,\n'
    expected = whole(text)
    assert len(expected[1]) == 1 and "syntax error" in expected[1][0].lower()
    for at in cuts(text):
        assert in_parts(text, at) == expected


def test_load_reads_a_large_file_in_two_processes_as_it_reads_a_small_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    write_project(corpus(300, seed=9), tmp_path)
    monkeypatch.setattr(load, "PARTS_FROM_BYTES", 10**9)
    small = load.load(tmp_path, Problems())
    forked: list[bool] = []

    class Recorded(parallel.Beside[Any]):
        def __init__(self, function: Any) -> None:
            super().__init__(function)
            forked.append(self.forked)

    monkeypatch.setattr(parallel, "Beside", Recorded)
    monkeypatch.setattr(load, "PARTS_FROM_BYTES", 0)
    one_job = load.load(tmp_path, Problems(), jobs=1)  # --jobs 1: one process reads it all
    assert forked == []
    large = load.load(tmp_path, Problems(), jobs=2)
    assert forked == [parallel.can_fork()]
    assert described(one_job.document) == described(small.document)
    assert described(large.document) == described(small.document)
    assert [s.text for s in large.sources] == [s.text for s in small.sources]
    assert large.claims_cut == small.claims_cut


def test_problems_of_claims_yaml_come_before_those_of_the_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    write_project(corpus(300, seed=9), tmp_path)
    claims = tmp_path / "claims.yaml"
    claims.write_text(claims.read_text(encoding="utf-8") + "claims: [\n", encoding="utf-8")
    bad = tmp_path / "sources" / "Bad Name.txt"
    bad.write_text("---\n---\ntext\n", encoding="utf-8")
    for threshold in (0, 10**9):
        monkeypatch.setattr(load, "PARTS_FROM_BYTES", threshold)
        problems = Problems()
        load.load(tmp_path, problems, jobs=2)
        assert [problem.file for problem in problems.items] == [str(claims), str(bad)]
