"""Text Fragment links (`#:~:text=`) that open a source's web page at the quote.

Browsers that support them (https://wicg.github.io/scroll-to-text-fragment/)
scroll to and highlight the first passage of the page matching the directive:
case-insensitively, with runs of whitespace equal, starting and ending on word
boundaries. We build the directive from the stored quote and check it against
the stored text of the source with the same rules: it must match exactly one
place, the quote's. When it does not, words around the quote are added as
`prefix-,` and `,-suffix` context until it does; when no context makes it
unique, there is no link. The stored text is the document as published, but
the live page also has menus and headings, so uniqueness is checked on the
document only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote as percent_encode

from .model import Span

FULL_QUOTE_WORDS = 8  # up to this many words, the whole quote is the directive
EDGE_WORDS = 4  # otherwise: textStart and textEnd of this many words each
MAX_CONTEXT_WORDS = 3
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Directive:
    """The parts of a text directive, unencoded."""

    start: str
    end: str | None = None
    prefix: str | None = None
    suffix: str | None = None

    def encoded(self) -> str:
        """text=prefix-,start,end,-suffix with each part percent-encoded."""
        parts = [encode(self.start)]
        if self.prefix:
            parts.insert(0, encode(self.prefix) + "-")
        if self.end:
            parts.append(encode(self.end))
        if self.suffix:
            parts.append("-" + encode(self.suffix))
        return "text=" + ",".join(parts)


def encode(term: str) -> str:
    """Percent-encode a term; '-', ',' and '&' separate terms, so they are encoded too."""
    return percent_encode(term, safe="").replace("-", "%2D")


def _normalised(text: str) -> tuple[str, list[int]]:
    """The text with each run of whitespace as one space, and for each original
    offset (and the end) the offset in the normalised text."""
    out: list[str] = []
    offsets: list[int] = []
    in_space = False
    for char in text:
        offsets.append(len(out) if not (in_space and char.isspace()) else len(out) - 1)
        if char.isspace():
            if not in_space:
                out.append(" ")
            in_space = True
        else:
            out.append(char)
            in_space = False
    offsets.append(len(out))
    return "".join(out), offsets


def _term(words: str) -> str:
    """A term as a pattern: its words, any run of whitespace between them."""
    return r"\s+".join(re.escape(word) for word in words.split())


def match_starts(text: str, directive: Directive) -> list[int]:
    """Where in the (normalised) text each match of the directive's textStart begins."""
    pattern = _term(directive.start)
    if directive.end:
        pattern += r".*?" + _term(directive.end)
    pattern = rf"(?<!\w)(?P<start>{pattern})(?!\w)"
    if directive.prefix:
        pattern = rf"(?<!\w){_term(directive.prefix)}\s*" + pattern
    if directive.suffix:
        pattern += rf"\s*{_term(directive.suffix)}(?!\w)"
    regex = re.compile(f"(?=({pattern}))", re.IGNORECASE | re.DOTALL)
    return sorted({m.start("start") for m in regex.finditer(text)})


def _widened(text: str, span: Span) -> Span:
    """The quote grown to whole words: a directive must start and end on a word boundary."""
    start, end = span.start, span.end
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
        end += 1
    return Span(start, end)


def _candidates(quote_words: list[str]) -> Directive:
    if len(quote_words) <= FULL_QUOTE_WORDS:
        return Directive(" ".join(quote_words))
    return Directive(" ".join(quote_words[:EDGE_WORDS]), end=" ".join(quote_words[-EDGE_WORDS:]))


def directive_for(text: str, quote: Span) -> Directive | None:
    """The shortest directive that matches the quote's place in the text and no other."""
    span = _widened(text, quote)
    normal, offsets = _normalised(text)
    target = offsets[span.start]
    if normal[target : target + 1] == " ":  # the quote began with whitespace
        target += 1
    quote_words = text[span.start : span.end].split()
    if not quote_words:
        return None
    base = _candidates(quote_words)
    before = normal[:target].split()
    after = normal[offsets[span.end] :].split()
    for prefix_count, suffix_count in _context_sizes():
        if prefix_count > len(before) or suffix_count > len(after):
            continue
        directive = Directive(
            base.start,
            base.end,
            prefix=" ".join(before[len(before) - prefix_count :]) if prefix_count else None,
            suffix=" ".join(after[:suffix_count]) if suffix_count else None,
        )
        if match_starts(normal, directive) == [target]:
            return directive
    return None


def _context_sizes() -> list[tuple[int, int]]:
    """(prefix words, suffix words) to try, smallest context first."""
    sizes = [(p, s) for p in range(MAX_CONTEXT_WORDS + 1) for s in range(MAX_CONTEXT_WORDS + 1)]
    return sorted(sizes, key=lambda size: (size[0] + size[1], size[1], size[0]))


def fragment_url(url: str, text: str, quote: Span) -> str | None:
    """The source's address with a text directive for the quote, or None when no
    directive picks out the quote alone."""
    directive = directive_for(text, quote)
    if directive is None:
        return None
    joiner = ":~:" if "#" in url else "#:~:"
    return f"{url}{joiner}{directive.encoded()}"
