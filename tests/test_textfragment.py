"""Text Fragment links: percent-encoding, and a directive that matches the quote's
place in the source and no other (context added until it does, or no link)."""

from __future__ import annotations

import pytest

from facttrack.model import Span
from facttrack.textfragment import Directive, directive_for, encode, fragment_url, match_starts

URL = "https://example.org/news/article"


def span_of(text: str, quote: str, occurrence: int = 0) -> Span:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    return Span(start, start + len(quote))


def test_terms_are_percent_encoded_including_the_directive_separators():
    assert encode("1.7 million, close-to & more") == ("1.7%20million%2C%20close%2Dto%20%26%20more")
    assert encode("“Around”") == "%E2%80%9CAround%E2%80%9D"
    assert Directive("a-b", end="c,d", prefix="p", suffix="s").encoded() == (
        "text=p-,a%2Db,c%2Cd,-s"
    )


def test_a_short_unique_quote_is_the_whole_directive():
    text = "Officials said 541,210 people were sent back. Nothing else."
    quote = "541,210 people were sent back."
    assert fragment_url(URL, text, span_of(text, quote)) == (
        f"{URL}#:~:text=541%2C210%20people%20were%20sent%20back."
    )


def test_a_long_quote_uses_its_first_and_last_words():
    text = (
        "Intro. Around 1.7 million illegal aliens are unlawfully living in the country, "
        "the majority of whom are Afghans. Outro."
    )
    quote = text[len("Intro. ") : text.index(" Outro.")]
    directive = directive_for(text, span_of(text, quote))
    assert directive == Directive("Around 1.7 million illegal", end="of whom are Afghans.")
    assert match_starts(text, directive) == [text.index("Around")]


def test_a_repeated_quote_gets_context_until_it_is_unique():
    text = "In Chaman, 120,000 left. In Torkham, 120,000 left. In Chaman, 9 stayed."
    second = span_of(text, "120,000 left.", occurrence=1)
    directive = directive_for(text, second)
    assert directive == Directive("120,000 left.", prefix="Torkham,")
    assert match_starts(text, directive) == [second.start]
    assert fragment_url(URL, text, second) == f"{URL}#:~:text=Torkham%2C-,120%2C000%20left."
    first = span_of(text, "120,000 left.")
    assert directive_for(text, first) == Directive("120,000 left.", prefix="Chaman,")


def test_suffix_context_is_used_when_the_prefix_is_not_enough():
    text = "It rose. 500 left today. It rose. 500 left yesterday."
    first = span_of(text, "500 left")
    directive = directive_for(text, first)
    assert directive == Directive("500 left", suffix="today.")
    assert match_starts(text, directive) == [first.start]


def test_matching_ignores_case_and_whitespace_like_a_browser():
    text = "Over 340,000  left.\nover 340,000\tleft."
    assert len(match_starts(text, Directive("over 340,000 left."))) == 2
    assert directive_for(text, span_of(text, "over 340,000\tleft.")) == Directive(
        "over 340,000 left.", prefix="left."
    )


def test_matches_start_and_end_on_word_boundaries():
    text = "The 1,000 figures and 11,000 more."
    assert match_starts(text, Directive("1,000")) == [4]


def test_a_quote_beginning_inside_a_word_is_widened_to_the_word():
    text = "He said 12 illegal aliens left. We said 2 illegal aliens left."
    quote = span_of(text, "2 illegal aliens left.")  # the first is inside "12"
    assert directive_for(text, quote) == Directive("12 illegal aliens left.")


def test_no_link_when_no_context_makes_the_quote_unique():
    text = " ".join(["Officials said 500 left."] * 6)
    middle = span_of(text, "500 left.", occurrence=3)
    assert directive_for(text, middle) is None
    assert fragment_url(URL, text, middle) is None


def test_an_address_with_a_fragment_keeps_it():
    text = "Only 49 holding centres."
    assert fragment_url(f"{URL}#top", text, span_of(text, "49 holding centres.")) == (
        f"{URL}#top:~:text=49%20holding%20centres."
    )


@pytest.mark.parametrize("occurrence", [0, 1, 2])
def test_every_directive_found_matches_exactly_its_quote(occurrence):
    text = "A 5 left. B 5 left. C 5 left. The end."
    quote = span_of(text, "5 left.", occurrence)
    directive = directive_for(text, quote)
    assert directive is not None
    assert match_starts(text, directive) == [quote.start]
