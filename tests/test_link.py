from facttrack.errors import Problems
from facttrack.link import closest_passage, find_passage, link
from facttrack.load import load
from facttrack.validate import validate
from helpers import CLAIMS_YAML, SOURCE_TEXT

TEXT = "The ministry said 541,210 people\n  have been sent back. Around 1.7 million remain."


def test_a_quote_matches_across_different_runs_of_whitespace():
    span, count = find_passage(TEXT, "541,210 people have been\tsent back.")
    assert span is not None and count == 1
    assert TEXT[span.start : span.end] == "541,210 people\n  have been sent back."


def test_nothing_but_whitespace_may_differ():
    assert find_passage(TEXT, "541,210 people have been sent back!")[0] is None
    assert find_passage(TEXT, "541210 people have been sent back.")[0] is None
    assert find_passage(TEXT, "the ministry said")[0] is None  # case matters


def test_every_occurrence_is_counted():
    span, count = find_passage("a b a b", "a b")
    assert span is not None and (span.start, count) == (0, 2)


def test_the_closest_passage_is_the_one_the_editor_meant():
    assert "Around 1.7 million remain." in closest_passage(TEXT, "Around 1.8 million remain.")


def _linked(project, claims):
    problems = Problems()
    dataset = validate(load(project(claims=claims), problems), problems)
    return link(dataset, problems), problems


def test_anchor_points_at_the_quote_and_its_number(project):
    linked, problems = _linked(project, CLAIMS_YAML)
    assert not problems.has_errors(), [p.format() for p in problems]
    anchor = linked.claim_anchors["senate-returns"]
    assert SOURCE_TEXT[anchor.quote.start : anchor.quote.end].startswith("541,210 people")
    assert anchor.number is not None
    assert SOURCE_TEXT[anchor.number.start : anchor.number.end] == "541,210"
    event = linked.event_anchors["centres"]
    assert SOURCE_TEXT[event.quote.start : event.quote.end].startswith("The government had set")


def test_number_text_picks_one_of_several_numbers(project):
    claims = CLAIMS_YAML.replace(
        "quote: 541,210 people have been sent back since October.",
        "quote: Officials said on Tuesday that 541,210 people have been sent back\n"
        "    number_text: 541,210",
    )
    linked, problems = _linked(project, claims)
    assert not problems.has_errors(), [p.format() for p in problems]
