"""facttrack find: numbers in any written form, phrases, and stubs that pass check."""

from __future__ import annotations

import re

import pytest
import yaml

from facttrack.find import guess_qualifier, search, sentence_around
from facttrack.load import RawSource, YamlMap
from facttrack.model import Span
from helpers import CLAIMS_YAML, source_file

TEXT = (
    "The ministry said on Oct. 3 that over 340,000 people had left. "
    "Around 1.7 million illegal aliens are living in the country.[4] "
    "Between 100,000–165,000 Afghans left voluntarily, officials said: about 98% of them.\n"
    "A second paragraph: police sent   them BACK to holding centres.\n"
    "541,210 people have been sent back since October. "
    "The government had set up 49 holding centers across the country.\n"
)  # the last line holds the quotes of CLAIMS_YAML, so stubs can be checked beside them
PERCENT_FIGURE = """\
  - id: share
    label: Share
    unit: percent
    kind: stock
    description: A share.
"""


def raw(text: str = TEXT, source_id: str = "dawn") -> RawSource:
    return RawSource(source_id, f"data/sources/{source_id}.txt", YamlMap(), text, 6)


def found(query: str) -> list[str]:
    return [TEXT[m.span.start : m.span.end] for m in search([raw()], query)]


@pytest.mark.parametrize("query", ["1700000", "1.7 million", "1,700,000", "1.7m", "1.7 MILLION"])
def test_a_number_is_found_in_any_written_form(query):
    assert found(query) == ["1.7 million"]


def test_a_number_finds_a_range_it_starts_or_ends():
    assert found("165000") == ["100,000–165,000"]
    assert found("100,000–165,000") == ["100,000–165,000"]


def test_a_percentage_finds_only_percentages():
    assert found("98%") == ["98%"]
    assert found("98 percent") == ["98%"]


def test_a_phrase_ignores_case_and_spacing():
    assert found("sent them\nback") == ["sent   them BACK"]
    assert found("no such words") == []


def test_the_quote_is_the_enclosing_sentence():
    [match] = search([raw()], "340000")
    assert TEXT[match.quote.start : match.quote.end] == (
        "The ministry said on Oct. 3 that over 340,000 people had left."
    )
    [match] = search([raw()], "1.7 million")
    assert TEXT[match.quote.start : match.quote.end] == (
        "Around 1.7 million illegal aliens are living in the country.[4]"
    )
    assert (match.line, match.col) == (6, 71)


def test_a_sentence_never_crosses_a_line_break_and_a_long_one_is_cut():
    text = "word " * 200 + "the 541,210 people " + "word " * 200 + "\nnext"
    start = text.index("541,210")
    span = sentence_around(text, Span(start, start + 7))
    quote = text[span.start : span.end]
    assert "541,210" in quote and "next" not in quote
    assert len(quote) <= 420 and not quote.startswith(" ") and quote.split()[0] == "word"


@pytest.mark.parametrize(
    ("before", "qualifier"),
    [
        ("over ", "over"),
        ("More than ", "over"),
        ("around ", "about"),
        ("approximately ", "about"),
        ("close to ", "about"),
        ("an estimated ", "about"),
        ("nearly ", "about"),
        ("up to ", "up to"),
        ("at least ", "at least"),
        ("as many as ", "as many as"),
        ("as high as ", "as many as"),
        ("fewer than ", "under"),
        ("they sent ", "exact"),
        ("Moreover ", "exact"),
    ],
)
def test_the_qualifier_is_guessed_from_the_words_before(before, qualifier):
    text = f"It said {before}500 people left."
    assert guess_qualifier(text, text.index("500")) == qualifier


def fill_in(stubs: str, **values: str) -> str:
    for name, value in values.items():
        stubs = re.sub(rf"^(    {name}:).*$", rf"\g<1> {value}", stubs, flags=re.MULTILINE)
    return stubs


def test_cli_prints_context_and_a_stub_that_passes_check(project, cli):
    data = project(sources={"dawn": source_file(TEXT)})
    result = cli("find", "1700000", "--data", data)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        f"# {data}/sources/dawn.txt:7:71: "
        "Around [1.7 million] illegal aliens are living in the country.[4]\n"
        "  - id: dawn-1-7-million\n"
        "    figure:      # fill in: a figure id from the figures list\n"
        "    value: 1700000\n"
        "    qualifier: about\n"
        "    as_of:       # fill in: the date the number describes, YYYY, YYYY-MM or "
        "YYYY-MM-DD (the source is of 2024-11-19)\n"
        "    speaker:     # fill in: who states the number, a speaker id\n"
        "    source: dawn\n"
        "    quote: Around 1.7 million illegal aliens are living in the country.[4]\n"
        "    number_text: 1.7 million\n\n"
    )
    assert result.stderr == (
        "1 match for '1700000' in 1 source. Paste a stub under 'claims:' in "
        f"{data}/claims.yaml, fill in the empty fields, then run 'facttrack check'.\n"
    )
    unfilled = CLAIMS_YAML.replace("events:\n", result.stdout + "events:\n")
    (data / "claims.yaml").write_text(unfilled)
    assert "must not be empty" in cli("check", "--data", data).stderr
    stub = fill_in(result.stdout, figure="returns", speaker="ministry", as_of='"2024-01"')
    (data / "claims.yaml").write_text(CLAIMS_YAML.replace("events:\n", stub + "events:\n"))
    check = cli("check", "--data", data)
    assert check.returncode == 0, check.stderr
    assert "OK: 2 claims" in check.stdout


@pytest.mark.parametrize(
    ("query", "figure"),
    [("100000", "returns"), ("98 percent", "share"), ("340000", "returns")],
)
def test_range_and_unit_stubs_pass_check(project, cli, query, figure):
    claims = CLAIMS_YAML.replace("speakers:\n", PERCENT_FIGURE + "speakers:\n")
    data = project(claims=claims, sources={"dawn": source_file(TEXT)})
    result = cli("find", query, "--data", data)
    assert result.returncode == 0, result.stderr
    stub = fill_in(result.stdout, figure=figure, speaker="ministry", as_of="2024")
    (data / "claims.yaml").write_text(claims.replace("events:\n", stub + "events:\n"))
    check = cli("check", "--data", data)
    assert check.returncode == 0, check.stderr + stub


def test_a_phrase_without_a_number_gives_an_event_stub_that_passes_check(project, cli):
    data = project(sources={"dawn": source_file(TEXT)})
    result = cli("find", "holding centres", "--data", data)
    assert result.returncode == 0, result.stderr
    assert "  - id: dawn-holding-centres\n    date:" in result.stdout
    stub = fill_in(result.stdout, date="2024-02", title="Holding centres")
    (data / "claims.yaml").write_text(CLAIMS_YAML + stub)
    check = cli("check", "--data", data)
    assert check.returncode == 0, check.stderr
    assert "2 events" in check.stdout


def test_the_whole_output_is_yaml_and_quotes_survive_colons_and_hashes(project, cli):
    text = "Note: 541,210 #people left; 'so' they said.\nNote: 541,210 again.\n"
    data = project(sources={"dawn": source_file(text)})
    result = cli("find", "541210", "--data", data)
    records = yaml.safe_load(result.stdout)
    assert [r["quote"] for r in records] == [
        "Note: 541,210 #people left; 'so' they said.",
        "Note: 541,210 again.",
    ]
    assert [r["id"] for r in records] == ["dawn-541-210", "dawn-541-210-2"]  # unique


def test_source_option_limits_the_search_and_suggests_ids(project, cli):
    data = project(sources={"dawn": source_file(TEXT), "other": source_file(TEXT)})
    assert cli("find", "98%", "--data", data).stdout.count("- id:") == 2
    assert cli("find", "98%", "--data", data, "--source", "other").stdout.count("- id:") == 1
    wrong = cli("find", "98%", "--data", data, "--source", "dwan")
    assert wrong.returncode == 1
    assert wrong.stderr == (f"Error: no source 'dwan' in {data}/sources (did you mean 'dawn'?)\n")


def test_no_match_and_no_data(project, cli, tmp_path):
    result = cli("find", "zebra", "--data", project())
    assert result.returncode == 1
    assert result.stderr == "No match for 'zebra' in 1 source.\n"
    missing = cli("find", "zebra", "--data", tmp_path / "nope")
    assert missing.returncode == 1
    assert "sources folder not found" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_a_broken_source_is_skipped_and_reported(project, cli):
    data = project(sources={"dawn": source_file(TEXT), "broken": "no front matter\n"})
    result = cli("find", "98%", "--data", data)
    assert result.returncode == 0
    assert f"{data}/sources/broken.txt:1:1: source has no front matter" in result.stderr
    assert result.stdout.count("- id:") == 1
