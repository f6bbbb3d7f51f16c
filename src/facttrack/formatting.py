"""How numbers, claims and Markdown are written on the site."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup

from .model import Claim

if TYPE_CHECKING:
    import markdown as markdown_package

CURRENCY_SYMBOLS = {"USD": "$", "GBP": "£", "EUR": "€"}
QUALIFIER_WORDS = {
    "exact": "",
    "about": "about",
    "over": "over",
    "under": "under",
    "at least": "at least",
    "up to": "up to",
    "as many as": "as many as",
}
_SCALES = ((1_000_000_000_000, "trillion"), (1_000_000_000, "billion"), (1_000_000, "million"))


def plain_number(value: float) -> str:
    """541,210 or 12.5: thousands separated, no needless decimals."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.6f}".rstrip("0").rstrip(".")


def short_number(value: float) -> str:
    """1.7 million for round large numbers, 541,210 otherwise."""
    for size, word in _SCALES:
        scaled = value / size
        if abs(value) >= size and round(scaled, 3) == scaled:
            return f"{plain_number(scaled)} {word}"
    return plain_number(value)


def _scaled_range(low: float, high: float) -> str:
    for size, word in _SCALES:
        if (
            abs(low) >= size
            and round(low / size, 3) == low / size
            and round(high / size, 3) == (high / size)
        ):
            return f"{plain_number(low / size)}–{plain_number(high / size)} {word}"
    return f"{short_number(low)}–{short_number(high)}"


def amount(low: float, high: float, unit: str) -> str:
    """A value or range in its unit: 98%, $830, PKR 4.5 billion, 1.7 million people."""
    number = short_number(low) if low == high else _scaled_range(low, high)
    if unit == "percent":
        return f"{number}%"
    if unit in CURRENCY_SYMBOLS:
        return f"{CURRENCY_SYMBOLS[unit]}{number}"
    if unit.isupper() and len(unit) == 3:  # other currency codes: PKR, AFN
        return f"{unit} {number}"
    return f"{number} {unit}"


def claim_amount(claim: Claim) -> str:
    """The claim's number as readers see it: 'over 340,000 people'."""
    words = QUALIFIER_WORDS[claim.qualifier]
    text = amount(claim.low, claim.high, claim.unit)
    return f"{words} {text}" if words else text


ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "i", "li", "ol", "p", "pre",
    "strong", "sub", "sup", "ul", "h3", "h4", "hr", "table", "thead", "tbody", "tr", "th",
    "td",
}  # fmt: skip


class Markdown:
    """Editor Markdown as safe HTML: no scripts, no event handlers, no javascript: links.

    One converter is reused for every text (reset between them): making one costs a
    millisecond, ten times what converting a note does. It is made, and the Markdown
    package imported (a twentieth of a second), at the first text not `known` already:
    a rebuild whose pages show no new text does without (see prepare).
    """

    def __init__(self, known: dict[str, str] | None = None) -> None:
        self._converter: markdown_package.Markdown | None = None
        self.known: dict[str, str] = dict(known or {})  # text -> its HTML, cleaned

    def __call__(self, text: str | None) -> Markup:
        if not text:
            return Markup("")
        html = self.known.get(text)
        if html is None:
            if self._converter is None:
                self._converter = _converter()
            html = self.known[text] = _cleaned(self._converter.reset().convert(text))
        return Markup(html)

    def prepare(self, texts: Iterable[str]) -> int:
        """Convert the texts not known yet (before the pages are rendered, so that every
        process rendering them has them); how many that was."""
        missing = [text for text in texts if text and text not in self.known]
        for text in missing:
            self(text)
        return len(missing)


def library_key() -> bytes:
    """The Markdown and nh3 packages installed (where, and when they were written):
    HTML kept from a build with other versions is not used."""
    from importlib.util import find_spec

    stamps = []
    for name in ("markdown", "nh3"):
        spec = find_spec(name)
        path = Path(spec.origin) if spec is not None and spec.origin else None
        stat = path.stat() if path is not None else None
        stamps.append(f"{path}:{stat.st_mtime_ns}:{stat.st_size}" if stat else name)
    return "\0".join(stamps).encode()


def _converter() -> markdown_package.Markdown:
    import markdown
    from markdown.extensions.tables import TableExtension

    # The extension given as an object: named by a string, Markdown looks it up among
    # every installed package's entry points, which takes as long as importing it.
    return markdown.Markdown(extensions=[TableExtension()], output_format="html")


def markdown(text: str | None) -> Markup:
    """Editor Markdown as safe HTML (see Markdown)."""
    return Markdown()(text)


def _cleaned(html: str) -> str:
    import nh3

    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "abbr": {"title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
