"""The built site's files as a reader's browser gets them: valid HTML (the Nu HTML
checker), small pages, and a script on the search page only."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from browsing import VNU, require

# HTML and CSS of one page together. The largest pages are the lists of every claim
# and the timeline, which grow with the data; past this bound they should be split
# (by year, say) rather than make phones on slow connections wait.
MAX_PAGE_BYTES = 200_000
STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"')


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_page_is_valid_html(built_site):
    """All pages, so every page kind is covered; errors only (warnings are advice)."""
    require(VNU, "The Nu HTML checker (npm package vnu-jar)")
    java = Path("/usr/bin/java")
    require(java, "A Java runtime")
    checked = subprocess.run(
        [java, "-jar", VNU, "--errors-only", "--format", "json", *html_pages(built_site)],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(checked.stderr or checked.stdout)["messages"]
    problems = [f"{m.get('url')}:{m.get('lastLine')}: {m['message']}" for m in messages]
    assert problems == []
    assert checked.returncode == 0


def page_weight(page: Path) -> int:
    html = page.read_text(encoding="utf-8")
    css = sum((page.parent / href).stat().st_size for href in STYLESHEET.findall(html))
    return page.stat().st_size + css


def test_pages_stay_small_and_the_largest_is_reported(built_site, capsys):
    weights = {
        page.relative_to(built_site).as_posix(): page_weight(page)
        for page in html_pages(built_site)
    }
    largest = max(weights, key=weights.__getitem__)
    with capsys.disabled():
        print(f"\nlargest page, HTML and CSS: {largest}, {weights[largest]:,} bytes")
    assert weights[largest] <= MAX_PAGE_BYTES


def test_only_the_search_page_has_a_script(built_site):
    """Structured data (JSON-LD) is not a script that runs; anything else is."""
    runnable = re.compile(r"<script(?![^>]*\btype=\"application/ld\+json\")")
    with_scripts = [
        page.relative_to(built_site).as_posix()
        for page in html_pages(built_site)
        if runnable.search(page.read_text(encoding="utf-8"))
    ]
    assert with_scripts == ["search.html"]


def test_no_page_loads_anything_from_another_host(built_site):
    # Links to the original documents are fine (a reader follows them on purpose);
    # anything the page itself loads must come from the site.
    loads = re.compile(
        r'<(?:script|img|iframe|link|source|video|audio)\b[^>]*\b(?:src|href)="([^"]*)"'
    )
    remote = [
        f"{page.relative_to(built_site)}: {address}"
        for page in html_pages(built_site)
        for address in loads.findall(page.read_text(encoding="utf-8"))
        if re.match(r"(?i)(https?:)?//", address)
    ]
    css = (built_site / "style.css").read_text(encoding="utf-8")
    assert remote == []
    assert "@import" not in css and "url(" not in css
