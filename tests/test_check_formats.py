"""check and build --format text|github|json."""

from __future__ import annotations

import json

import pytest

from facttrack.errors import ERROR, WARNING, Problem
from facttrack.reporting import (
    JSON_FIELDS,
    escape_data,
    escape_property,
    github_command,
    repository_path,
)
from helpers import CLAIMS_YAML

BROKEN = CLAIMS_YAML.replace("value: 541210", "value: 541211").replace(
    "figure: returns\n    value", "figure: return\n    value"
)


def test_workflow_command_escaping_follows_the_actions_toolkit():
    assert escape_data("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext: a, b"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_a_problem_as_a_workflow_command(tmp_path):
    problem = Problem(
        str(tmp_path / "data" / "claims.yaml"),
        42,
        5,
        "quote not found in source 'dawn'",
        record="claim 'x'",
        field="quote",
        hint='closest passage: "50% more, said: yes"',
    )
    assert github_command(problem, cwd=tmp_path) == (
        "::error file=data/claims.yaml,line=42,col=5,"
        "title=facttrack%3A claim 'x'%2C field 'quote'::"
        "quote not found in source 'dawn'%0Aclosest passage: \"50%25 more, said: yes\""
    )


def test_a_warning_without_a_position_is_a_file_annotation(tmp_path):
    problem = Problem("data/sources/x.txt", None, None, "odd", severity=WARNING)
    assert github_command(problem, cwd=tmp_path) == (
        "::warning file=data/sources/x.txt,title=facttrack::odd"
    )


def test_paths_outside_the_checkout_stay_as_they_are(tmp_path):
    assert repository_path("/elsewhere/data/claims.yaml", cwd=tmp_path) == (
        "/elsewhere/data/claims.yaml"
    )
    assert repository_path("./data/../data/claims.yaml", cwd=tmp_path) == "data/claims.yaml"


@pytest.mark.parametrize("command", ["check", "build"])
def test_github_format_annotates_each_error_on_its_line(project, cli, command, tmp_path):
    data = project(claims=BROKEN)
    result = cli(command, "--data", "data", "--format", "github", cwd=data.parent)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "::error file=data/claims.yaml,line=13,col=5,"
        "title=facttrack%3A claim 'senate-returns'%2C field 'figure'::"
        "unknown figure 'return' (did you mean 'returns'?)%0A"
        "use the id of one of the figures in claims.yaml",
    ]
    tail = ", nothing was written." if command == "build" else "."
    assert result.stderr == f"Error: 1 error{tail}\n"
    assert not (data.parent / "site").exists()


def test_github_format_reports_warnings_as_warnings(project, cli):
    data = project()
    result = cli("check", "--data", "data", "--format", "github", cwd=data.parent)
    assert result.returncode == 0
    [line] = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert line.startswith("::warning file=data/claims.yaml,line=13,col=5,")
    assert result.stdout.splitlines()[-1].startswith("OK: 1 claim")


def test_json_format_lists_every_problem_with_stable_fields(project, cli):
    data = project(claims=CLAIMS_YAML.replace("value: 541210", "value: 541211"))
    result = cli("check", "--data", data, "--format", "json")
    assert result.returncode == 1
    assert result.stderr == ""
    document = json.loads(result.stdout)
    assert document == {
        "ok": False,
        "errors": 1,
        "warnings": 0,
        "problems": [
            {
                "file": f"{data}/claims.yaml",
                "line": 14,
                "col": 5,
                "severity": ERROR,
                "record": "claim 'senate-returns'",
                "field": "value",
                "message": "no number in the quote equals 541,211",
                "hint": "numbers in the quote: '541,210' (541210)\n"
                "fix the value, or add number_text with the number as written",
            }
        ],
    }


def test_json_format_on_success_has_the_warnings(project, cli, tmp_path):
    result = cli("build", "--data", project(), "--out", tmp_path / "site", "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)  # nothing else on stdout
    assert document["ok"] is True and document["errors"] == 0 and document["warnings"] == 1
    assert [set(p) for p in document["problems"]] == [set(JSON_FIELDS)]
    assert document["problems"][0]["severity"] == WARNING
    assert (tmp_path / "site" / "index.html").is_file()


def test_json_format_with_strict_is_not_ok(project, cli):
    result = cli("check", "--data", project(), "--format", "json", "--strict")
    assert result.returncode == 1
    assert json.loads(result.stdout)["ok"] is False


def test_text_format_is_the_default(project, cli):
    data = project(claims=BROKEN)
    default = cli("check", "--data", data)
    text = cli("check", "--data", data, "--format", "text")
    assert default.stderr == text.stderr
    assert default.stderr.startswith(f"{data}/claims.yaml:13:5: claim 'senate-returns'")


def test_unknown_format_is_refused(cli):
    result = cli("check", "--format", "xml")
    assert result.returncode == 2
    assert "invalid choice: 'xml'" in result.stderr
