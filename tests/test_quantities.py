import itertools
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from facttrack.quantities import _FIRST_CHARACTERS, NUMBER_RE, find_quantities, parse_quantity


@pytest.mark.parametrize(
    ("text", "low", "high", "unit"),
    [
        ("541,210", 541_210, 541_210, None),
        ("1.7 million", 1_700_000, 1_700_000, None),
        ("1.15m", 1_150_000, 1_150_000, None),
        ("one million", 1_000_000, 1_000_000, None),
        ("100,000–165,000", 100_000, 165_000, None),
        ("100,000 to 165,000", 100_000, 165_000, None),
        ("1–1.5 million", 1_000_000, 1_500_000, None),
        ("90 percent", 90, 90, "percent"),
        ("90 per cent", 90, 90, "percent"),
        ("98%", 98, 98, "percent"),
        ("$830", 830, 830, "USD"),
        ("£660", 660, 660, "GBP"),
        ("4.5 billion rupees", 4_500_000_000, 4_500_000_000, "PKR"),
        ("Rs 500", 500, 500, "PKR"),
        ("US$4 billion", 4_000_000_000, 4_000_000_000, "USD"),
        ("eight", 8, 8, None),
        ("eleven", 11, 11, None),
        ("Eleven", 11, 11, None),
        ("twenty-one", 21, 21, None),
        ("three million", 3_000_000, 3_000_000, None),
        ("49", 49, 49, None),
        ("12.5", 12.5, 12.5, None),
    ],
)
def test_parses_every_form_in_the_sources(text, low, high, unit):
    quantity = parse_quantity(text)
    assert quantity is not None
    assert (quantity.low, quantity.high, quantity.unit) == (low, high, unit)
    assert quantity.is_range == (low != high)


@pytest.mark.parametrize("text", ["", "million", "abc", "1,2,3", "5 apples", "one two"])
def test_rejects_text_that_is_not_one_number(text):
    assert parse_quantity(text) is None


def test_finds_numbers_with_their_spans_in_a_sentence():
    text = "Over 340,000 left; about 1.7 million of over 4 million are undocumented since 2021."
    found = find_quantities(text)
    assert [q.text for q in found] == ["340,000", "1.7 million", "4 million", "2021"]
    assert [text[q.start : q.end] for q in found] == [q.text for q in found]


def test_a_decimal_is_never_split_and_trailing_punctuation_is_left_out():
    assert [q.text for q in find_quantities("close to 1.15m were. About 2,000.")] == [
        "1.15m",
        "2,000",
    ]


def test_words_inside_other_words_are_not_numbers():
    assert find_quantities("someone often tension") == []


TOKENS = ["1", "541,210", "1.7", "1.15m", "4bn", "one", "Eleven", "twenty", "-one", "million",
          "a", "an", "A", "thousand", "hundred", "US$", "$", "£", "€", "Rs", "Rs.", "PKR", "pkr",
          "%", "percent", "per cent", "rupees", "dollars", "to", "–", "-", ",", ".", "often",
          "someone", "tension", "usual", "rsvp", "eighty-eight", "thirteen", "ann",
          "ten"]  # fmt: skip
GAPS = ["", " ", "  ", "\n"]


def numbers_found_with_and_without_the_lookahead(text):
    without = re.compile(NUMBER_RE.pattern.replace(_FIRST_CHARACTERS, ""), NUMBER_RE.flags)
    found = [(m.span(), m.groupdict()) for m in NUMBER_RE.finditer(text)]
    return found, [(m.span(), m.groupdict()) for m in without.finditer(text)]


def test_the_first_characters_lookahead_turns_away_no_number_of_two_tokens():
    assert _FIRST_CHARACTERS in NUMBER_RE.pattern
    for first, gap, second in itertools.product(TOKENS, GAPS, TOKENS):
        found, without = numbers_found_with_and_without_the_lookahead(first + gap + second)
        assert found == without, first + gap + second


@given(st.lists(st.tuples(st.sampled_from(TOKENS), st.sampled_from(GAPS)), max_size=12))
def test_the_first_characters_lookahead_turns_away_no_number(tokens):
    found, without = numbers_found_with_and_without_the_lookahead(
        "".join(token + gap for token, gap in tokens)
    )
    assert found == without
