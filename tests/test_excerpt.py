"""A claim page's excerpt: the quote widened by a sentence each side, found by
scanning only around the quote; the same as scanning the whole source."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from facttrack.model import Span
from facttrack.render import context_span, sentence_ends, span_between

# Texts made of what sentence ends are made of, and words.
pieces = st.sampled_from(
    ["word", "Word", " ", "  ", "\n", "\n\n", ".", "!", "?", '"', "”", ")", "’", "\t", "a."]
)
texts = st.lists(pieces, min_size=1, max_size=300).map("".join)


@settings(max_examples=400, deadline=None)
@given(texts, st.data(), st.integers(1, 3), st.integers(1, 40))
def test_scanning_near_the_quote_finds_what_scanning_everything_finds(text, data, sentences, limit):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote = Span(start, end)
    whole = span_between(text, quote, sentence_ends(text), sentences, limit)
    assert context_span(text, quote, sentences, limit) == whole


def test_the_excerpt_is_the_sentences_around_the_quote():
    text = "First one. Second, with 541,210 people. Third! Fourth."
    quote_start = text.index("541,210")
    quote = Span(quote_start, quote_start + len("541,210 people"))
    span = context_span(text, quote)
    assert text[span.start : span.end] == "First one. Second, with 541,210 people. Third!"


def test_the_scan_starts_before_a_sentence_end_it_would_cut():
    """The window begins inside a sentence end ('."  '): scanning from there would
    not see that end, and the excerpt would start with its stray quotation mark."""
    text = 'Aa."  Bb. Cc'
    quote = Span(text.index("Cc"), len(text))
    limit = quote.start - text.index('"')  # the window starts at the quotation mark
    span = context_span(text, quote, sentences=1, limit=limit)
    assert text[span.start : span.end] == "Bb. Cc"
