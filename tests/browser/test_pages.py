"""Every kind of page in a real browser, at 360 px and 1440 px, in the light and the
dark colour scheme: axe-core finds no violations, nothing needs sideways scrolling,
no console errors, no request to another host. A screenshot of each is saved under
test-output/screenshots/ for a person to look at.

Each page is visited once per width and scheme (the `visits` fixture); the tests
then check what was recorded, one concern each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pytest

from browsing import OUTPUT, OVERFLOWING, WIDTHS, open_view

SCREENSHOTS = OUTPUT / "screenshots"
SCHEMES = ("light", "dark")
SETTINGS = [(width, scheme) for width in WIDTHS for scheme in SCHEMES]


@dataclass
class Visit:
    wide: dict[str, list[str]] = field(default_factory=dict)  # page kind -> problems
    violations: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    offsite: list[str] = field(default_factory=list)


def first_claim_target(built_site) -> str:
    """Where the home page's first number leads: a source page scrolled to its passage."""
    home = (built_site / "index.html").read_text(encoding="utf-8")
    match = re.search(r'href="(sources/[^"#]+\.html#claim-[^"]+)" data-claim=', home)
    assert match, "the home page links no number to its source"
    return match.group(1)


@pytest.fixture(scope="module")
def visits(browser, site_url, kinds, built_site) -> dict[tuple[str, str], Visit]:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # a passage highlighted by :target has its own colours, so axe checks it too
    pages = {**kinds, "highlighted passage": first_claim_target(built_site)}
    recorded = {}
    for width, scheme in SETTINGS:
        visit = recorded[width, scheme] = Visit()
        with open_view(browser, site_url, size=WIDTHS[width], scheme=scheme) as view:
            for kind, path in pages.items():
                page = view.goto(path)
                if kind == "search":
                    page.wait_for_selector("ol.results li")
                visit.wide[kind] = page.evaluate(OVERFLOWING)
                visit.violations[kind] = view.axe()
                name = f"{kind.replace(' ', '-')}-{WIDTHS[width][0]}-{scheme}.png"
                page.screenshot(path=SCREENSHOTS / name, full_page=True)
            visit.errors, visit.offsite = view.errors, view.offsite
    return recorded


def test_there_is_a_page_of_every_kind(kinds):
    expected = {
        "home",
        "timeline",
        "search",
        "figures index",
        "figures page",
        "speakers index",
        "speakers page",
        "sources index",
        "sources page",
        "claims index",
        "claims page",
    }
    assert expected <= set(kinds)


@pytest.mark.parametrize(("width", "scheme"), SETTINGS)
def test_axe_finds_no_violations_on_any_page_kind(visits, width, scheme):
    report = [
        f"{kind}: {violation['rule']} ({violation['help']}) at {violation['nodes']}"
        for kind, violations in visits[width, scheme].violations.items()
        for violation in violations
    ]
    assert not report, "axe-core violations:\n" + "\n".join(report)


@pytest.mark.parametrize(("width", "scheme"), SETTINGS)
def test_nothing_needs_sideways_scrolling(visits, width, scheme):
    wide = visits[width, scheme].wide
    report = [f"{kind}: {problem}" for kind, problems in wide.items() for problem in problems]
    assert not report, "wider than the screen:\n" + "\n".join(report)


@pytest.mark.parametrize(("width", "scheme"), SETTINGS)
def test_no_console_errors_and_no_failed_requests(visits, width, scheme):
    assert visits[width, scheme].errors == []


@pytest.mark.parametrize(("width", "scheme"), SETTINGS)
def test_no_request_leaves_the_site(visits, width, scheme):
    assert visits[width, scheme].offsite == []


def test_screenshots_of_every_page_kind_are_saved(visits, kinds):
    for kind in kinds:
        for width, scheme in SETTINGS:
            shot = SCREENSHOTS / f"{kind.replace(' ', '-')}-{WIDTHS[width][0]}-{scheme}.png"
            assert shot.stat().st_size > 1000, shot


def test_tables_laid_out_for_phones_are_still_tables_to_screen_readers(browse, kinds):
    """Below 40rem each row is a block with "header:" labels drawn by CSS; the
    accessibility tree must keep the table, its headers, and cells without labels."""
    with browse(size=WIDTHS["phone"]) as view:
        page = view.goto(kinds["speakers page"])
        table = page.locator("main table").first
        assert table.evaluate("t => getComputedStyle(t).display") == "block"
        tree = table.aria_snapshot()
        assert tree.startswith("- table ")
        assert '- columnheader "As of"' in tree
        assert "- cell " in tree
        assert "As of:" not in tree
