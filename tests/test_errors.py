"""A catalogue of broken inputs: each gives exit status 1, a clear message on the
right line, and writes nothing (the previous site stays as it was)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from facttrack.build import build
from facttrack.checking import Options, check
from facttrack.render import Renderer
from facttrack.search import BUNDLE_DIR
from helpers import CLAIMS_YAML, SOURCE_TEXT, source_file

CLAIM = """\
  - id: senate-returns
    figure: returns
    value: 541210
    as_of: "2024-11"
    speaker: ministry
    source: dawn
    quote: 541,210 people have been sent back since October.
"""


def edit(old: str, new: str, text: str = CLAIMS_YAML) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def add_claim(extra: str) -> str:
    """The base claims with one more claim appended to the claims list."""
    return edit("events:\n", extra + "events:\n")


@dataclass
class Case:
    name: str
    where: str  # "claims.yaml:14" or "sources/dawn.txt:1"; matched as a prefix
    message: str
    claims: str | bytes | None = CLAIMS_YAML
    sources: dict[str, str | bytes] = field(default_factory=lambda: {"dawn": source_file()})


CASES = [
    # YAML itself
    Case(
        "yaml syntax error",
        "claims.yaml:14",
        "YAML syntax error",
        edit("    value: 541210\n", "    value: [541210\n"),
    ),
    Case(
        "tab indentation",
        "claims.yaml:14",
        "YAML does not allow tabs",
        edit("    value: 541210\n", "\tvalue: 541210\n"),
    ),
    Case(
        "unclosed quote",
        "claims.yaml:12",
        "YAML syntax error",
        edit('as_of: "2024-11"', 'as_of: "2024-11'),
    ),
    Case(
        "duplicate key",
        "claims.yaml:15:5",
        "duplicate key 'value' (first written on line 14)",
        edit("    as_of:", "    value: 541210\n    as_of:"),
    ),
    Case(
        "alias",
        "claims.yaml:19:11",
        "YAML aliases (*",
        edit(
            "    quote: 541,210 people have been sent back since October.\n",
            "    quote: &q 541,210 people have been sent back since October.\n    note: *q\n",
        ),
    ),
    Case(
        "alias bomb",
        "claims.yaml:",
        "YAML aliases (*",
        "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c]\n"
        + CLAIMS_YAML,
    ),
    Case(
        "merge key",
        "claims.yaml:14",
        "YAML merge keys (<<) are not supported",
        edit("    figure: returns\n", "    figure: returns\n    <<: {unit: people}\n"),
    ),
    Case("empty file", "claims.yaml:1", "file is empty", ""),
    Case("only a comment", "claims.yaml:1", "file is empty", "# nothing yet\n"),
    Case("not a mapping", "claims.yaml:1", "must be a mapping", "- figures\n- claims\n"),
    Case(
        "missing list",
        "claims.yaml:1",
        "missing the list 'claims'",
        CLAIMS_YAML[: CLAIMS_YAML.index("claims:")],
    ),
    Case(
        "list is a mapping",
        "claims.yaml:11",
        "'claims' must be a list of records",
        edit("claims:\n" + CLAIM, "claims:\n  id: x\n"),
    ),
    Case(
        "record is a string",
        "claims.yaml:12",
        "claim #1 must be a mapping of fields",
        edit(CLAIM, "  - senate-returns\n"),
    ),
    Case(
        "unknown top-level key",
        "claims.yaml:25",
        "unknown top-level key 'claim' (did you mean 'claims'?)",
        CLAIMS_YAML + "claim: []\n",
    ),
    # fields and types
    Case(
        "unknown field",
        "claims.yaml:14",
        "unknown field 'valeu' (did you mean 'value'?)",
        edit("    value: 541210", "    valeu: 541210"),
    ),
    Case(
        "missing required field",
        "claims.yaml:12",
        "missing required field 'speaker'",
        edit("    speaker: ministry\n", "", edit(CLAIM, CLAIM)),
    ),
    Case(
        "empty required field",
        "claims.yaml:16",
        "must not be empty",
        edit("    speaker: ministry\n", "    speaker:\n"),
    ),
    Case(
        "value is text",
        "claims.yaml:14",
        "must be a number, not '541,210'",
        edit("value: 541210", "value: 541,210"),
    ),
    Case(
        "value is a list",
        "claims.yaml:14",
        "must be a number, not a list",
        edit("value: 541210", "value: [541210]"),
    ),
    Case(
        "value is boolean",
        "claims.yaml:14",
        "must be a number, not true/false",
        edit("value: 541210", "value: yes"),
    ),
    Case(
        "value is infinite",
        "claims.yaml:14",
        "must be a number",
        edit("value: 541210", "value: .inf"),
    ),
    Case(
        "label is a mapping",
        "claims.yaml:3",
        "must be text, not a mapping",
        edit("label: Returns to Afghanistan", "label: {en: Returns}"),
    ),
    Case(
        "bad figure kind",
        "claims.yaml:5",
        "'total' is not one of: cumulative",
        edit("kind: cumulative", "kind: total"),
    ),
    Case(
        "bad qualifier",
        "claims.yaml:15",
        "'aprox' is not one of: exact, about",
        edit("    as_of:", "    qualifier: aprox\n    as_of:"),
    ),
    Case(
        "bad id",
        "claims.yaml:12",
        "'Senate Returns' is not a valid id",
        edit("id: senate-returns", "id: Senate Returns"),
    ),
    Case(
        "key is not a bool",
        "claims.yaml:7",
        "must be true or false",
        edit(
            "    description: People who went back.\n",
            "    description: People who went back.\n    key: sometimes\n",
        ),
    ),
    Case(
        "both value and range",
        "claims.yaml:14",
        "give either 'value' or 'low' and 'high'",
        edit("    value: 541210\n", "    value: 541210\n    low: 1\n    high: 2\n"),
    ),
    Case(
        "no number at all", "claims.yaml:12", "missing the number", edit("    value: 541210\n", "")
    ),
    Case(
        "range missing high",
        "claims.yaml:12",
        "a range needs both 'low' and 'high'",
        edit("    value: 541210\n", "    low: 541210\n"),
    ),
    Case(
        "range runs backwards",
        "claims.yaml:14",
        "range runs backwards: low 600000 is more",
        edit("    value: 541210\n", "    low: 600000\n    high: 500000\n"),
    ),
    # ids and references
    Case(
        "duplicate claim id",
        "claims.yaml:19",
        "duplicate id 'senate-returns' (first used on line 12)",
        add_claim(CLAIM),
    ),
    Case(
        "duplicate figure id",
        "claims.yaml:7",
        "duplicate id 'returns'",
        edit(
            "speakers:\n",
            "  - id: returns\n    label: x\n    unit: people\n"
            "    kind: count\n    description: x\nspeakers:\n",
        ),
    ),
    Case(
        "unknown figure",
        "claims.yaml:13",
        "unknown figure 'return' (did you mean 'returns'?)",
        edit("figure: returns", "figure: return"),
    ),
    Case(
        "unknown speaker",
        "claims.yaml:16",
        "unknown speaker 'minstry' (did you mean 'ministry'?)",
        edit("speaker: ministry", "speaker: minstry"),
    ),
    Case(
        "unknown source",
        "claims.yaml:17",
        "unknown source 'dwan' (did you mean 'dawn'?)",
        edit("source: dawn", "source: dwan"),
    ),
    Case(
        "source id leaves the folder",
        "claims.yaml:17",
        "unknown source '../../etc/passwd'",
        edit("source: dawn", "source: ../../etc/passwd"),
    ),
    Case(
        "event with unknown source",
        "claims.yaml:23",
        "unknown source 'nowhere'",
        edit(
            "    source: dawn\n    quote: The government",
            "    source: nowhere\n    quote: The government",
        ),
    ),
    # dates
    Case(
        "impossible date",
        "claims.yaml:15",
        "'2023-02-30' is not a real date",
        edit('as_of: "2024-11"', 'as_of: "2023-02-30"'),
    ),
    Case("month 13", "claims.yaml:15", "has month 13", edit('as_of: "2024-11"', "as_of: 2024-13")),
    Case(
        "date in words",
        "claims.yaml:15",
        "'November 2024' is not a date",
        edit('as_of: "2024-11"', "as_of: November 2024"),
    ),
    Case(
        "future as_of",
        "claims.yaml:15",
        "2099-01 is in the future",
        edit('as_of: "2024-11"', 'as_of: "2099-01"'),
    ),
    Case(
        "future stated_on",
        "claims.yaml:16",
        "2099-01-01 is in the future",
        edit(
            "    speaker: ministry\n    source: dawn\n    quote: 541",
            "    stated_on: 2099-01-01\n    speaker: ministry\n    source: dawn\n    quote: 541",
        ),
    ),
    Case(
        "future event",
        "claims.yaml:21",
        "2098 is in the future",
        edit('date: "2023-10"', "date: 2098"),
    ),
    # quotes and numbers
    Case(
        "quote not in source",
        "claims.yaml:18",
        "quote not found in source 'dawn'",
        edit("have been sent back since", "were sent back since"),
    ),
    Case(
        "quote with changed punctuation",
        "claims.yaml:18",
        'closest passage: "541,210 people',
        edit("since October.", "since October!"),
    ),
    Case(
        "event quote not in source",
        "claims.yaml:24",
        "quote not found in source 'dawn'",
        edit("49 holding centers", "50 holding centres"),
    ),
    Case(
        "number disagrees",
        "claims.yaml:14",
        "no number in the quote equals 541,211",
        edit("value: 541210", "value: 541211"),
    ),
    Case(
        "number_text disagrees",
        "claims.yaml:14",
        "the quote says '541,210' (541210) but the claim's value is 541,000",
        edit("value: 541210", "value: 541000\n    number_text: 541,210"),
    ),
    Case(
        "number_text not in quote",
        "claims.yaml:19",
        "number_text '1.7 million' does not occur",
        edit("since October.\n", "since October.\n    number_text: 1.7 million\n"),
    ),
    Case(
        "number_text not a number",
        "claims.yaml:19",
        "'sent back' is not a number",
        edit("since October.\n", "since October.\n    number_text: sent back\n"),
    ),
    Case(
        "ambiguous number",
        "claims.yaml:21",
        "the quote has 2 numbers equal to 8",
        add_claim(
            "  - id: eight\n    figure: returns\n    value: 8\n    as_of: 2023\n"
            "    speaker: ministry\n    source: twice\n    quote: 8 went and 8 came\n"
        ),
        {"dawn": source_file(), "twice": source_file("Then 8 went and 8 came back.\n")},
    ),
    Case(
        "percent under a people figure",
        "claims.yaml:14",
        "in percent, but the claim's unit is 'people'",
        edit("value: 541210\n", "value: 98\n", edit("quote: 541,210", "quote: 98%")),
        {"dawn": source_file(SOURCE_TEXT.replace("541,210 people", "98% people"))},
    ),
    # source files
    Case(
        "non-UTF-8 source",
        "sources/dawn.txt:10:4",
        "not valid UTF-8",
        sources={"dawn": source_file().encode() + b"caf\xe9\n"},
    ),
    Case(
        "source without front matter",
        "sources/dawn.txt:1",
        "source has no front matter",
        sources={"dawn": SOURCE_TEXT},
    ),
    Case(
        "unclosed front matter",
        "sources/dawn.txt:1",
        "source has no front matter",
        sources={"dawn": "---\ntitle: x\n" + SOURCE_TEXT},
    ),
    Case(
        "front matter missing publisher",
        "sources/dawn.txt:2",
        "missing required field 'publisher'",
        sources={"dawn": source_file().replace("publisher: Dawn\n", "")},
    ),
    Case(
        "front matter unknown key",
        "sources/dawn.txt:",
        "unknown field 'auther'",
        sources={"dawn": source_file(auther="me")},
    ),
    Case(
        "front matter bad url",
        "sources/dawn.txt:",
        "'javascript:alert(1)' is not an http",
        sources={"dawn": source_file(url="javascript:alert(1)")},
    ),
    Case(
        "front matter bad date",
        "sources/dawn.txt:4",
        "'2024-11-31' is not a real date",
        sources={"dawn": source_file(published="2024-11-31")},
    ),
    Case(
        "front matter YAML error",
        "sources/dawn.txt:2:8",
        "YAML syntax error",
        sources={"dawn": source_file(title='"unclosed')},
    ),
    Case(
        "source with no text",
        "sources/dawn.txt:7",
        "source has no text",
        sources={"dawn": source_file("")},
    ),
    Case(
        "source file name not an id",
        "sources/Dawn News.txt",
        "is not a valid id",
        sources={"dawn": source_file(), "Dawn News": source_file()},
    ),
    # more broken input (issue 4)
    Case("claims file is a bare scalar", "claims.yaml:1:1", "must be a mapping", "hello\n"),
    Case(
        "two YAML documents",
        "claims.yaml:25",
        "expected a single document",
        CLAIMS_YAML + "---\nfigures: []\n",
    ),
    Case(
        "NUL character",
        "claims.yaml:14:15",
        "control character U+0000",
        edit("value: 541210", "value: 541\x00210"),
    ),
    Case(
        "nesting bomb",
        "claims.yaml:14:",
        "nested more than 64 levels deep",
        edit("value: 541210", "value: " + "[" * 100_000 + "]" * 100_000),
    ),
    Case(
        "nesting bomb in block style",
        "claims.yaml:15:",
        "nested more than 64 levels deep",
        edit("value: 541210", "value:\n      " + "- " * 100 + "1"),
    ),
    Case(
        "explicit tag that does not fit",
        "claims.yaml:14:5",
        "must be a number, not 'abc'",
        edit("value: 541210", "value: !!int abc"),
    ),
    Case(
        "bool tag that does not fit",
        "claims.yaml:7",
        "must be true or false, not 'maybe'",
        edit(
            "    description: People who went back.\n",
            "    description: People who went back.\n    key: !!bool maybe\n",
        ),
    ),
    Case(
        "integer too large for a number",
        "claims.yaml:14:5",
        "must be a number, not the number 999999999999999999999",
        edit("value: 541210", "value: " + "9" * 400),
    ),
    Case(
        "duplicate numeric ids",
        "claims.yaml:19",
        "duplicate id '7' (first used on line 12)",
        add_claim(CLAIM).replace("id: senate-returns", "id: 7"),
    ),
    Case(
        "duplicate top-level key",
        "claims.yaml:25:1",
        "duplicate key 'events' (first written on line 19)",
        CLAIMS_YAML + "events: []\n",
    ),
    Case(
        "id is true",
        "claims.yaml:12:5",
        "must be text, not true/false",
        edit("id: senate-returns", "id: yes"),
    ),
    Case(
        "quote is only spaces",
        "claims.yaml:18:5",
        "must not be empty",
        edit("quote: 541,210 people have been sent back since October.", "quote: '   '"),
    ),
    Case(
        "claims file in Latin-1",
        "claims.yaml:3:",
        "not valid UTF-8",
        edit("Returns to Afghanistan", "Retours \u00e0 Kaboul").encode("latin-1"),
    ),
    Case(
        "claims file in UTF-16",
        "claims.yaml:1:1",
        "not valid UTF-8",
        CLAIMS_YAML.encode("utf-16"),
    ),
    Case(
        "front matter is a bare scalar",
        "sources/dawn.txt:2",
        "front matter must be a mapping",
        sources={"dawn": "---\njust some words\n---\n" + SOURCE_TEXT},
    ),
    Case(
        "front matter title is a list",
        "sources/dawn.txt:2:1",
        "must be text, not a list",
        sources={"dawn": source_file(title="[Senate, told]")},
    ),
    Case(
        "front matter published is a mapping",
        "sources/dawn.txt:4:1",
        "must be a date, not a mapping",
        sources={"dawn": source_file(published="{year: 2024}")},
    ),
    Case(
        "front matter published is true",
        "sources/dawn.txt:4:1",
        "must be a date, not true/false",
        sources={"dawn": source_file(published="yes")},
    ),
    Case(
        "front matter duplicate key",
        "sources/dawn.txt:6:1",
        "duplicate key 'title' (first written on line 2)",
        sources={"dawn": source_file(kind="news article\ntitle: again")},
    ),
    Case(
        "front matter NUL character",
        "sources/dawn.txt:3:",
        "control character U+0000",
        sources={"dawn": source_file(publisher="Da\x00wn")},
    ),
    Case(
        "front matter alias",
        "sources/dawn.txt:",
        "YAML aliases (*",
        sources={"dawn": source_file(title="&t Senate", kind="*t")},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_broken_input_is_reported_and_nothing_is_written(case, project, cli, tmp_path):
    data = project(claims=case.claims, sources=case.sources)
    out = tmp_path / "site"
    result = cli("build", "--data", data, "--out", out)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    location = f"{data}/{case.where}"
    lines = [line for line in result.stderr.splitlines() if line.startswith(location)]
    assert any(
        case.message in line
        for line in result.stderr.splitlines()
        if line.startswith(location) or line.startswith("  ")
    ), f"expected {case.where}: {case.message}\n{result.stderr}"
    assert lines, result.stderr
    assert result.stderr.rstrip().endswith("nothing was written.")
    assert not out.exists()


def test_the_catalogue_is_large():
    assert len(CASES) >= 40


def test_all_errors_of_a_run_are_reported_together(project, cli):
    claims = edit(
        "figure: returns\n    value",
        "figure: return\n    value",
        edit('date: "2023-10"', 'date: "2023-02-30"'),
    )
    result = cli("check", "--data", project(claims=claims))
    assert result.returncode == 1
    assert "unknown figure 'return'" in result.stderr
    assert "'2023-02-30' is not a real date" in result.stderr
    assert "Error: 2 errors." in result.stderr


def test_a_failed_build_leaves_the_previous_site_as_it_was(project, cli, tmp_path):
    data = project()
    out = tmp_path / "site"
    assert cli("build", "--data", data, "--out", out).returncode == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (data / "claims.yaml").write_text(edit("value: 541210", "value: 1"))
    assert cli("build", "--data", data, "--out", out).returncode == 1
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_missing_data_folder(cli, tmp_path):
    result = cli("build", "--data", tmp_path / "nope", "--out", tmp_path / "site")
    assert result.returncode == 1
    assert f"{tmp_path / 'nope'}: data folder not found" in result.stderr
    assert "pass --data PATH" in result.stderr


def test_huge_claims_file_is_refused_without_reading_it(project, cli, monkeypatch):
    data = project()
    with open(data / "claims.yaml", "ab") as handle:
        handle.truncate(300 * 1024 * 1024)  # sparse: costs no disk
    result = cli("check", "--data", data)
    assert result.returncode == 1
    assert "more than the limit" in result.stderr


def test_a_folder_not_written_by_facttrack_is_never_replaced(project, cli, tmp_path):
    out = tmp_path / "precious"
    out.mkdir()
    (out / "thesis.txt").write_text("years of work")
    result = cli("build", "--data", project(), "--out", out)
    assert result.returncode == 1
    assert "was not written by facttrack" in result.stderr
    assert (out / "thesis.txt").read_text() == "years of work"


def test_every_error_in_the_catalogue_has_a_line_and_column(project):
    """Only a problem with a file name itself has no line to point at."""
    for case in CASES:
        data = project(claims=case.claims, sources=case.sources)
        result = check(Options(data=data))
        assert result.problems.errors, case.name
        for problem in result.problems.errors:
            if "file name" in problem.message:
                continue
            assert problem.line is not None and problem.col is not None, (case.name, problem)
        shutil.rmtree(data)


def test_huge_source_file_is_refused_without_reading_it(project, cli, tmp_path):
    data = project()
    with open(data / "sources" / "big.txt", "wb") as handle:
        handle.truncate(40 * 1024 * 1024)  # sparse: costs no disk
    out = tmp_path / "site"
    result = cli("build", "--data", data, "--out", out)
    assert result.returncode == 1
    assert f"{data}/sources/big.txt: file is 41,943,040 bytes, more than the limit" in result.stderr
    assert not out.exists()


def test_a_source_linking_outside_the_sources_folder_is_refused(project, cli, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(source_file("The password is 541,210.\n"))
    data = project()
    (data / "sources" / "leak.txt").symlink_to(secret)
    result = cli("check", "--data", data)
    assert result.returncode == 1
    assert (
        f"{data}/sources/leak.txt: source file points outside the sources folder" in result.stderr
    )
    assert "password" not in result.stderr


def test_a_folder_named_like_a_source_is_reported(project, cli):
    data = project()
    (data / "sources" / "odd.txt").mkdir()
    result = cli("check", "--data", data)
    assert result.returncode == 1
    assert f"{data}/sources/odd.txt: cannot read file: Is a directory" in result.stderr


def test_a_sources_folder_that_cannot_be_read_is_reported(project, monkeypatch):
    data = project()
    listing = os.scandir

    def scandir(path):  # as for a folder without read permission (root may read any)
        if Path(path) == data / "sources":
            raise PermissionError(13, "Permission denied", str(path))
        return listing(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = check(Options(data=data, cache=False))
    reported = [problem.format().splitlines()[0] for problem in result.problems.errors]
    # the cause alone: not also an "unknown source" for every claim and event
    assert reported == [f"{data}/sources: cannot read the sources folder: Permission denied"]


def test_a_missing_sources_folder_is_the_one_error_of_the_records_citing_sources(project, cli):
    data = project()
    shutil.rmtree(data / "sources")
    result = cli("check", "--data", data)
    assert result.returncode == 1
    assert result.stderr == (
        f"{data}/sources: sources folder not found\n"
        "  put one <id>.txt file per source document there\n"
        "Error: 1 error.\n"
    )
    # a source named wrongly is still told, once the folder is there
    (data / "sources").mkdir()
    (data / "sources" / "dawn.txt").write_text(source_file(), encoding="utf-8")
    (data / "claims.yaml").write_text(edit("source: dawn", "source: dwan"), encoding="utf-8")
    assert "unknown source 'dwan' (did you mean 'dawn'?)" in cli("check", "--data", data).stderr


def test_byte_order_marks_and_windows_line_ends_work(project, cli, tmp_path):
    def windows(text: str) -> bytes:
        return "\ufeff".encode() + text.replace("\n", "\r\n").encode()

    data = project(claims=windows(CLAIMS_YAML), sources={"dawn": windows(source_file())})
    out = tmp_path / "site"
    result = cli("build", "--data", data, "--out", out)
    assert result.returncode == 0, result.stderr
    assert "541,210" in (out / "sources" / "dawn.html").read_text()
    broken = windows(edit("value: 541210", "value: 541211"))
    (data / "claims.yaml").write_bytes(broken)
    result = cli("check", "--data", data)
    assert f"{data}/claims.yaml:14:5: claim 'senate-returns', field 'value'" in result.stderr


@pytest.mark.parametrize("crash", [RuntimeError("renderer bug"), KeyboardInterrupt()])
def test_a_crash_midway_leaves_the_previous_site_intact(project, tmp_path, monkeypatch, crash):
    data = project()
    out = tmp_path / "site"
    # without the page cache, so that the second build renders every page again
    assert build(Options(data=data, out=out, cache=False)).ok
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    real_render = Renderer.render
    rendered: list[str] = []

    def render_then_crash(self, page):
        rendered.append(page.path)
        if len(rendered) > 3:
            raise crash
        return real_render(self, page) + b"<!-- changed -->"

    monkeypatch.setattr(Renderer, "render", render_then_crash)
    with pytest.raises(type(crash)):
        build(Options(data=data, out=out, cache=False))
    assert len(rendered) == 4
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    # no leftovers; without the page cache, only the lock builds take turns on
    assert sorted(p.name for p in tmp_path.iterdir()) == [".facttrack-cache", "project", "site"]
    assert [p.name for p in (tmp_path / ".facttrack-cache").iterdir()] == ["site.lock"]


def test_a_build_killed_hard_leaves_a_folder_the_next_build_removes(project, tmp_path):
    """SIGKILL (or the kernel out of memory) gives a build no chance to remove its
    staging folder beside the site; the next build into that site removes it."""
    data = project()
    out = tmp_path / "site"
    assert build(Options(data=data, out=out, search=False)).ok
    pause = "import facttrack.write as w, time; w.Staging.commit = lambda *a: time.sleep(60)"
    killed = subprocess.Popen(
        [sys.executable, "-c", f"{pause}\nfrom facttrack.cli import run; run()", "build",
         "--data", str(data), "--out", str(out), "--no-cache", "--no-search"],
    )  # fmt: skip
    try:  # it pauses where it would put its staging folder in place of the site
        deadline = time.monotonic() + 60
        while not list(tmp_path.glob(f".site-building-{killed.pid}-*")):
            assert killed.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        killed.send_signal(signal.SIGKILL)
        killed.wait()
    assert list(tmp_path.glob(".site-building-*"))  # left behind
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:  # another build's, still running; and another site's
        others = [tmp_path / f".site-building-{running.pid}-x", tmp_path / ".blog-building-1-x"]
        for folder in others:
            folder.mkdir()
        assert build(Options(data=data, out=out, search=False)).ok
        left = sorted(p.name for p in tmp_path.iterdir() if p not in others)
        assert left == [".facttrack-cache", "project", "site"]
        assert all(folder.is_dir() for folder in others)
    finally:
        running.kill()
        running.wait()


def started(pid: int) -> int:
    """When the process started, as /proc/<pid>/stat tells it (Linux)."""
    return int(Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()[19])


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="Linux's /proc tells it")
def test_a_folder_whose_process_id_another_process_has_since_is_removed(project, tmp_path):
    """A folder's name holds the process id and the time its process started, so that
    a process given the same id later (a container's ids start again from 1 at each
    run) does not keep a killed build's folder; nor does one that has ended but was
    not waited for (a zombie). A process still running keeps its own."""
    data = project()
    out = tmp_path / "site"
    assert build(Options(data=data, out=out, search=False)).ok
    me = os.getpid()
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    ended = subprocess.Popen([sys.executable, "-c", "pass"])  # not waited for: a zombie
    try:
        deadline = time.monotonic() + 30
        while b") Z " not in Path(f"/proc/{ended.pid}/stat").read_bytes():
            assert time.monotonic() < deadline
            time.sleep(0.02)
        gone = [
            tmp_path / f".site-building-{me}-{started(me) - 1}-x",  # this pid, another process
            tmp_path / f".site-replaced-{ended.pid}-{started(ended.pid)}-y",
            tmp_path / f".site-downloads-{ended.pid}-z",  # as named before start times
        ]
        kept = [
            tmp_path / f".site-building-{running.pid}-{started(running.pid)}-x",
            tmp_path / f".site-building-{me}-{started(me)}-y",  # this very process's
        ]
        for folder in gone + kept:
            folder.mkdir()
        assert build(Options(data=data, out=out, search=False)).ok
        assert not any(folder.exists() for folder in gone)
        assert all(folder.is_dir() for folder in kept)
    finally:
        running.kill()
        running.wait()
        ended.wait()


def test_a_build_killed_between_the_swaps_two_renames_leaves_the_last_site_to_the_next(
    project, tmp_path
):
    """A whole new site is swapped in with two renames: the site aside, the new one in
    its place. Killed between them, a build leaves no site, and the last one beside
    it; the next build puts it back (and so writes no file), and removes the rest."""
    data = project()
    out = tmp_path / "site"
    assert build(Options(data=data, out=out, search=False)).ok
    stamps = {p: (p.read_bytes(), p.stat().st_ino) for p in out.rglob("*") if p.is_file()}
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    out.rename(tmp_path / f".site-old-{gone.pid}-x")  # the first rename, not the second
    (tmp_path / f".site-building-{gone.pid}-y").mkdir()  # the new site, never put in place
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:  # a site that a build still running retired: it is that build's to finish
        others = [tmp_path / f".site-old-{running.pid}-z"]
        others[0].mkdir()
        result = build(Options(data=data, out=out, search=False))
        assert result.ok and result.written is not None and result.written.written == 0
        assert {p: (p.read_bytes(), p.stat().st_ino) for p in out.rglob("*") if p.is_file()} == (
            stamps
        )
        (tmp_path / f".site-old-{gone.pid}-w").mkdir()  # with the site in place: removed
        assert build(Options(data=data, out=out, search=False)).ok
        left = sorted(p.name for p in tmp_path.iterdir() if p not in others)
        assert left == [".facttrack-cache", "project", "site"]
        assert others[0].is_dir()
    finally:
        running.kill()
        running.wait()


def test_the_files_a_patch_replaced_left_by_a_killed_build_are_removed_by_the_next(
    project, tmp_path
):
    """A patch links each file it replaces into a folder beside the site, which a thread
    removes; a build killed before that leaves the folder to the next build."""
    data = project()
    out = tmp_path / "site"
    assert build(Options(data=data, out=out, search=False)).ok
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    left_behind = tmp_path / f".site-replaced-{gone.pid}-x"
    left_behind.mkdir()
    (left_behind / "0").write_bytes(b"a previous claims.json")
    assert build(Options(data=data, out=out, search=False)).ok
    assert sorted(p.name for p in tmp_path.iterdir()) == [".facttrack-cache", "project", "site"]


def test_a_search_index_update_killed_between_its_renames_is_put_back_by_the_next_build(
    project, tmp_path
):
    """facttrack serve swaps a new search index in the same way (search.update_index)."""
    data = project()
    out = tmp_path / "site"
    assert build(Options(data=data, out=out)).ok  # with the search index
    stamps = {p: (p.read_bytes(), p.stat().st_ino) for p in out.rglob("*") if p.is_file()}
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    (out / BUNDLE_DIR).rename(out / f".{BUNDLE_DIR}-old-{gone.pid}-x")
    (out / f".{BUNDLE_DIR}-building-{gone.pid}-y").mkdir()
    result = build(Options(data=data, out=out))
    assert result.ok and result.written is not None and result.written.written == 0
    assert {p: (p.read_bytes(), p.stat().st_ino) for p in out.rglob("*") if p.is_file()} == stamps
    assert not [p for p in out.iterdir() if p.name.startswith(f".{BUNDLE_DIR}")]
