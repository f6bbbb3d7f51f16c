"""Warnings: reported apart from errors, never fatal unless --strict."""

from __future__ import annotations

from facttrack.build import build
from facttrack.checking import Options, check
from helpers import CLAIMS_YAML, SOURCE_TEXT, source_file

SECOND_CLAIM = """\
  - id: senate-returns-again
    figure: returns
    value: 541210
    as_of: "2024-12"
    speaker: ministry
    source: dawn
    quote: Officials said on Tuesday that 541,210 people
"""


def with_second_claim(claims: str = CLAIMS_YAML) -> str:
    return claims.replace("events:\n", SECOND_CLAIM + "events:\n", 1)


def warnings_of(data):
    result = check(Options(data=data))
    assert result.ok, [p.format() for p in result.problems]
    return [p.format() for p in result.problems.warnings]


def test_a_figure_with_two_claims_and_everything_cited_gives_no_warning(project):
    assert warnings_of(project(claims=with_second_claim())) == []


def test_the_only_claim_of_a_figure_is_a_warning_on_its_figure_field(project):
    data = project()
    assert warnings_of(data) == [
        f"{data}/claims.yaml:13:5: warning: claim 'senate-returns', field 'figure': the only "
        "claim of figure 'returns'; there is nothing to compare it with\n"
        "  add claims of the same figure from other dates or speakers, or attach this claim "
        "to a figure that has them"
    ]


def test_a_figure_with_no_claims(project):
    claims = with_second_claim().replace(
        "speakers:\n",
        "  - id: stock\n    label: Stock\n    unit: people\n    kind: stock\n"
        "    description: x\nspeakers:\n",
    )
    data = project(claims=claims)
    [warning] = warnings_of(data)
    assert warning.startswith(
        f"{data}/claims.yaml:7:5: warning: figure 'stock': no claim states this figure"
    )
    assert "add a claim with 'figure: stock', or remove the figure" in warning


def test_a_speaker_with_no_claims_or_events(project):
    claims = with_second_claim().replace(
        "claims:\n", "  - id: nobody\n    name: Nobody\n    role: none\nclaims:\n"
    )
    data = project(claims=claims)
    [warning] = warnings_of(data)
    assert warning.startswith(
        f"{data}/claims.yaml:11:5: warning: speaker 'nobody': no claim or event names this speaker"
    )


def test_a_source_nothing_cites(project):
    data = project(
        claims=with_second_claim(), sources={"dawn": source_file(), "unused": source_file()}
    )
    [warning] = warnings_of(data)
    assert warning.startswith(
        f"{data}/sources/unused.txt:2:1: warning: source 'unused': no claim or event cites "
        "this source"
    )
    assert "facttrack find TEXT --source unused" in warning


def test_a_source_cited_only_by_an_event_is_in_use(project):
    claims = with_second_claim().replace(
        "    source: dawn\n    quote: The government",
        "    source: other\n    quote: The government",
    )
    data = project(claims=claims, sources={"dawn": source_file(), "other": source_file()})
    assert warnings_of(data) == []


def test_a_quote_found_twice_in_its_source(project):
    text = SOURCE_TEXT + "Again: 541,210 people have been sent back since October.\n"
    data = project(claims=with_second_claim(), sources={"dawn": source_file(text)})
    [warning] = warnings_of(data)
    assert warning.startswith(
        f"{data}/claims.yaml:18:5: warning: claim 'senate-returns', field 'quote': the quote "
        "occurs 2 times in source 'dawn'; the site links to the first, on line 7 of the source file"
    )


def test_warnings_do_not_fail_check_or_build(project, cli, tmp_path):
    data = project()
    result = cli("check", "--data", data)
    assert result.returncode == 0
    assert "warning: claim 'senate-returns'" in result.stderr
    assert result.stdout.endswith("every quote and number checked. 1 warning (see above).\n")
    out = tmp_path / "site"
    built = cli("build", "--data", data, "--out", out)
    assert built.returncode == 0, built.stderr
    assert (out / "index.html").is_file()


def test_strict_makes_warnings_fatal_and_writes_nothing(project, cli, tmp_path):
    data = project()
    result = cli("check", "--data", data, "--strict")
    assert result.returncode == 1
    assert result.stderr.endswith("Error: 1 warning, which --strict treats as errors.\n")
    out = tmp_path / "site"
    built = cli("build", "--data", data, "--out", out, "--strict")
    assert built.returncode == 1
    assert "nothing was written." in built.stderr
    assert not out.exists()
    assert not build(Options(data=data, out=out, strict=True)).ok


def test_strict_passes_clean_data(project, cli):
    assert cli("check", "--data", project(claims=with_second_claim()), "--strict").returncode == 0


def test_no_warnings_while_there_are_errors(project):
    """The figure's only claim is broken: 'no claim states this figure' would be noise."""
    data = project(claims=CLAIMS_YAML.replace("value: 541210", "value: 541211"))
    result = check(Options(data=data))
    assert result.problems.errors
    assert result.problems.warnings == []
