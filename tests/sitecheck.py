"""A link checker for a built site: every href and #fragment resolves, and every
data-claim link lands on a highlight that holds its number."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


@dataclass
class PageInfo:
    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # (href, attrs)
    # element id -> claim ids whose number (data-number-of) is inside that element
    numbers_inside: dict[str, set[str]] = field(default_factory=dict)
    nesting_errors: list[str] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.info = PageInfo()
        self.open: list[tuple[str, str | None]] = []  # (tag, id)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        element_id = attributes.get("id")
        if element_id:
            self.info.ids.add(element_id)
            self.info.numbers_inside.setdefault(element_id, set())
        number_of = attributes.get("data-number-of")
        if number_of:
            for _, open_id in self.open:
                if open_id:
                    self.info.numbers_inside[open_id].add(number_of)
        for name in ("href", "src"):
            if name in attributes:
                self.info.links.append((attributes[name], attributes))
        if tag not in VOID:
            self.open.append((tag, element_id))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.open or self.open[-1][0] != tag:
            self.info.nesting_errors.append(f"</{tag}> does not close {self.open[-1:]}")
            return
        self.open.pop()


def parse_page(path: Path) -> PageInfo:
    parser = _Parser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser.info


def check_site(site: Path) -> list[str]:
    """All broken links, fragments and number anchors of the site, as messages."""
    pages = {p.relative_to(site).as_posix(): parse_page(p) for p in site.rglob("*.html")}
    problems: list[str] = []
    for page_path, info in sorted(pages.items()):
        problems += [f"{page_path}: {error}" for error in info.nesting_errors]
        for href, attributes in info.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc:
                continue  # external
            if href.startswith("/"):
                problems.append(f"{page_path}: absolute link {href}")
                continue
            target = (
                posixpath.normpath(
                    posixpath.join(posixpath.dirname(page_path), unquote(parts.path))
                )
                if parts.path
                else page_path
            )
            if not (site / target).is_file():
                problems.append(f"{page_path}: broken link {href}")
                continue
            if parts.fragment:
                target_info = pages.get(target)
                if target_info is None or parts.fragment not in target_info.ids:
                    problems.append(f"{page_path}: missing fragment {href}")
                    continue
                claim_id = attributes.get("data-claim")
                if claim_id is not None:
                    if parts.fragment != f"claim-{claim_id}":
                        problems.append(f"{page_path}: data-claim {claim_id} links to {href}")
                    elif claim_id not in target_info.numbers_inside[parts.fragment]:
                        problems.append(f"{page_path}: {href} holds no number of {claim_id}")
    return problems


def data_claim_links(site: Path) -> dict[str, set[str]]:
    """Page -> the claim ids its numbers link to."""
    result: dict[str, set[str]] = {}
    for path in site.rglob("*.html"):
        info = parse_page(path)
        result[path.relative_to(site).as_posix()] = {
            attrs["data-claim"] for _, attrs in info.links if "data-claim" in attrs
        }
    return result
