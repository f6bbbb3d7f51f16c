"""The search page in a real browser: Pagefind's index, built with the site,
finds a claim by its number and by its speaker's name, and filters by figure and
speaker. It is the only page with a script; without JavaScript it says so."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

import pytest

from browsing import WIDTHS
from facttrack.checking import Options, check
from helpers import ROOT


@pytest.fixture(scope="module")
def derived():
    result = check(Options(data=ROOT / "data"))
    assert result.derived is not None
    return result.derived


def number_as_written(derived, claim) -> str:
    anchor = derived.linked.claim_anchors[claim.id]
    return derived.linked.data.sources[claim.source].text[anchor.number.start : anchor.number.end]


def search(page, query: str = "", **filters: str) -> tuple[int, list[str]]:
    """Fill in the form, submit it; return the number of results and the links shown."""
    page.fill("#search-q", query)
    for name, value in filters.items():
        page.select_option(f"#search-{name}", label=value)
    page.press("#search-q", "Enter")  # the page marks its results busy until they are in
    page.wait_for_selector("#search-results:not([aria-busy])", state="attached")
    status = page.locator("#search-status").inner_text()
    count = re.match(r"(\d+) results? ", status)
    assert count, status
    hrefs = page.locator("#search-results ol.results h2 a").evaluate_all(
        "links => links.map(link => link.href)"
    )
    links = [unquote(urlsplit(href).path) for href in hrefs]
    return int(count.group(1)), links


def site_paths(site_url: str, found: tuple[int, list[str]]) -> list[str]:
    prefix = urlsplit(site_url).path
    links = found[1]
    assert all(link.startswith(prefix) for link in links), "a result leaves the site's sub-path"
    return [link.removeprefix(prefix) for link in links]


def test_finds_a_claim_by_its_number_as_written(browse, site_url, derived):
    # the longest number written with thousands separators, as a reader would type it
    claims = [
        c
        for c in derived.linked.data.claims.values()
        if re.fullmatch(r"\d{1,3}(,\d{3})+", number_as_written(derived, c))
    ]
    claim = max(claims, key=lambda c: (len(number_as_written(derived, c)), c.id))
    written = number_as_written(derived, claim)
    with browse(size=WIDTHS["phone"]) as view:
        page = view.goto("search.html")
        found = site_paths(site_url, search(page, written))
        assert f"claims/{claim.id}.html" in found[:5]
        # a result is a working link to the claim's page
        page.locator(f'#search-results a[href$="claims/{claim.id}.html"]').first.click()
        page.wait_for_url(f"**/claims/{claim.id}.html")
        assert written in page.locator("h1").inner_text() or written in page.content()
        assert view.errors == []


def test_finds_a_speaker_and_their_claims_by_name(browse, site_url, derived):
    speakers = derived.linked.data.speakers
    speaker_id = max(derived.claims_by_speaker, key=lambda s: len(derived.claims_by_speaker[s]))
    name = speakers[speaker_id].name
    with browse() as view:
        page = view.goto("search.html")
        found = site_paths(site_url, search(page, name))
        assert f"speakers/{speaker_id}.html" in found[:3]
        their_claims = {f"claims/{c.id}.html" for c in derived.claims_by_speaker[speaker_id]}
        assert their_claims & set(found)
        assert view.errors == []


def test_finds_an_event_by_its_title(browse, site_url, derived):
    event = max(derived.linked.data.events.values(), key=lambda e: (len(e.title), e.id))
    with browse() as view:
        page = view.goto("search.html")
        found = site_paths(site_url, search(page, event.title))
        assert "timeline.html" in found[:5]
        assert view.errors == []


def test_speaker_filter_keeps_only_their_pages(browse, site_url, derived):
    speakers = derived.linked.data.speakers
    # a speaker with a few claims, so every matching page fits on one results page
    speaker_id = min(s for s, claims in derived.claims_by_speaker.items() if 2 <= len(claims) <= 8)
    their_claims = {f"claims/{c.id}.html" for c in derived.claims_by_speaker[speaker_id]}
    with browse() as view:
        page = view.goto("search.html")
        found = set(site_paths(site_url, search(page, speaker=speakers[speaker_id].name)))
        assert f"speakers/{speaker_id}.html" in found
        assert {path for path in found if path.startswith("claims/")} == their_claims
        assert view.errors == []


def test_figure_filter_narrows_a_search(browse, site_url, derived):
    figure = max(derived.figures, key=lambda f: (len(derived.series[f.id]), f.id))
    its_claims = {f"claims/{step.claim.id}.html" for step in derived.series[figure.id]}
    with browse() as view:
        page = view.goto("search.html")
        everything, _ = search(page, "people")
        found = search(page, "people", figure=figure.label)
        narrowed = set(site_paths(site_url, found))
        assert 0 < found[0] < everything
        assert f"figures/{figure.id}.html" in narrowed
        assert {path for path in narrowed if path.startswith("claims/")} <= its_claims
        # the search is kept in the address: a shared or reloaded link shows the same
        page.reload()
        page.wait_for_selector("#search-results ol.results")
        assert page.input_value("#search-q") == "people"
        assert page.locator("#search-figure option:checked").inner_text() == figure.label
        assert view.errors == []


def test_search_link_in_every_page_header_leads_to_search(browse):
    with browse() as view:
        page = view.goto("sources/index.html")
        page.locator("header nav a", has_text="Search").click()
        page.wait_for_url("**/search.html")
        assert page.locator("#search-q").is_visible()


def test_without_javascript_the_search_page_says_so_and_links_onwards(browse):
    with browse(javascript=False) as view:
        page = view.goto("search.html")
        note = page.locator("noscript + *, p.note").first
        assert note.is_visible()
        assert "needs JavaScript" in note.inner_text()
        page.locator("p.note a", has_text="figures").click()
        page.wait_for_url("**/figures/index.html")


def test_opened_from_disk_the_search_page_says_it_needs_a_web_server(browser, built_site):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto((built_site / "search.html").as_uri())
        page.wait_for_function("document.querySelector('#search-status').textContent !== ''")
        assert "web server" in page.locator("#search-status").inner_text()
    finally:
        context.close()
