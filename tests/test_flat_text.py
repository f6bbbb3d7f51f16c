"""Quotes are found by plain search in whitespace-collapsed text: the same places
the whitespace-flexible pattern finds, in the original text's offsets."""

from __future__ import annotations

import re
import sys

from hypothesis import given
from hypothesis import strategies as st

from facttrack.link import _WHITESPACE, FlatText, flexible_pattern
from facttrack.model import Span

WORDS = st.sampled_from(["a", "b", "ab", "541,210", "né", "."])
SPACES = st.sampled_from([" ", "  ", "\n", "\n\n", "\t ", "\u00a0", " \r\n ", "\u3000"])
# most texts have no whitespace but spaces and line breaks, and are flattened another way
PLAIN_SPACES = st.sampled_from([" ", "  ", "\n", "\n\n", " \n ", "   "])


@st.composite
def texts(draw: st.DrawFn) -> str:
    words = draw(st.lists(WORDS, min_size=1, max_size=30))
    some_spaces = draw(st.sampled_from([SPACES, PLAIN_SPACES]))
    spaces = draw(st.lists(some_spaces, min_size=len(words) + 1, max_size=len(words) + 1))
    return "".join(s + w for s, w in zip(spaces, words, strict=False)) + spaces[-1]


def by_pattern(text: str, quote: str) -> tuple[Span | None, int]:
    matches = list(flexible_pattern(quote).finditer(text)) if quote.split() else []
    if not matches:
        return None, 0
    return Span(matches[0].start(), matches[0].end()), len(matches)


@given(texts(), texts())
def test_flat_search_agrees_with_the_flexible_pattern(text, quote):
    assert FlatText.of(text).find(quote) == by_pattern(text, quote)


@given(texts(), st.data())
def test_a_passage_of_the_text_is_found_where_it_is(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    quote = text[start:end]
    span, count = FlatText.of(text).find(quote)
    assert (span is None) == (not quote.split())
    if span is not None:
        assert count >= 1
        assert text[span.start : span.end].split() == quote.split()


def test_offsets_after_collapsed_runs_point_into_the_original():
    text = "one\n\n\ntwo   three\tfour"
    span, count = FlatText.of(text).find("two three four")
    assert span == Span(6, len(text)) and count == 1
    assert text[span.start : span.end] == "two   three\tfour"


@given(texts())
def test_the_flat_text_is_the_text_with_each_whitespace_run_as_one_space(text):
    assert FlatText.of(text).flat == re.sub(r"\s+", " ", text)


def test_the_whitespace_written_as_spaces_is_every_character_python_takes_for_it():
    every = {c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()}
    assert set(_WHITESPACE) == every and len(_WHITESPACE) == len(every)
