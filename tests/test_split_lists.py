"""Long lists are split into pages: the list of all claims, CLAIMS_PER_PAGE to a
page; the timeline, past TIMELINE_PER_PAGE entries, into a page a month; and the
home page shows at most HOME_FIGURES figures when none is key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bench.generate import corpus, write_project

from facttrack import render
from facttrack.build import build
from facttrack.checking import Options
from sitecheck import check_site

CLAIM_ROW = re.compile(r'<td data-label="Claim"><a href="[^"]*" aria-label="Claim ([^"]+)">')
TIMELINE_CLAIM = re.compile(
    r'<li class="claim">.*?aria-label="Claim ([^"]+)">claim</a>\)</li>', re.S
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated tracker of 300 claims and 15 events over six years: 2 pages of
    claims, and more timeline entries than one page holds."""
    folder = tmp_path_factory.mktemp("split")
    data = write_project(corpus(300, seed=5), folder / "data")
    out = folder / "site"
    result = build(Options(data=data, out=out, search=False))
    assert result.ok, [p.format() for p in result.problems]
    return out


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def claim_ids(site: Path) -> list[str]:
    return sorted(p.stem for p in (site / "claims").glob("*.html") if p.stem.startswith("claim-"))


def test_the_list_of_claims_has_every_claim_once_in_id_order(site):
    pages = ["claims/index.html", "claims/page-2.html"]
    assert not (site / "claims/page-3.html").exists()
    listed = [claim for page in pages for claim in CLAIM_ROW.findall(read(site, page))]
    assert listed == claim_ids(site)
    assert len(CLAIM_ROW.findall(read(site, pages[0]))) == render.CLAIMS_PER_PAGE
    assert "Claims 201 to 300 of 300, by id (page 2 of 2)" in read(site, pages[1])
    assert "<title>All claims, page 2 · " in read(site, pages[1])


def test_each_page_of_claims_marks_itself_in_its_pager(site):
    for number, page in enumerate(["claims/index.html", "claims/page-2.html"], start=1):
        pager = re.search(r'<nav class="pager".*?</nav>', read(site, page), re.S)
        assert pager
        current = re.findall(r'<a href="[^"]*" aria-current="page">([^<]+)</a>', pager.group())
        assert current == [str(number)]


def test_the_timeline_is_a_page_of_months_each_with_its_entries(site):
    months = read(site, "timeline.html")
    links = re.findall(r'<li><a href="(timeline/[^"]+)">', months)
    assert links and len(links) == len(set(links))
    on_month_pages = []
    for link in links:
        page = read(site, link)
        assert 'aria-current="page"' in page
        on_month_pages += TIMELINE_CLAIM.findall(page)
    assert sorted(on_month_pages) == claim_ids(site)  # every claim once
    assert not TIMELINE_CLAIM.findall(months)


def test_a_month_larger_than_a_page_takes_several(tmp_path, monkeypatch):
    monkeypatch.setattr(render, "TIMELINE_PER_PAGE", 4)
    data = write_project(corpus(60, seed=3), tmp_path / "data")
    out = tmp_path / "site"
    assert build(Options(data=data, out=out, search=False)).ok
    continued = sorted(p.name for p in (out / "timeline").glob("*-*-2.html"))
    assert continued, "some month has more than 4 entries"
    page = read(out, f"timeline/{continued[0]}")
    assert re.search(r"<h1>Timeline: \w+ \d{4} \(2 of \d+\)</h1>", page)
    assert check_site(out) == []


def test_every_link_of_the_split_pages_resolves(site):
    assert check_site(site) == []


def test_the_home_page_shows_the_figures_with_the_latest_claims(tmp_path, monkeypatch):
    monkeypatch.setattr(render, "HOME_FIGURES", 3)
    data = write_project(corpus(300, seed=5), tmp_path / "data")  # 6 figures, none key
    site = tmp_path / "site"
    assert build(Options(data=data, out=site, search=False)).ok
    home = read(site, "index.html")
    cards = re.findall(r'<li class="card">\s*<h3><a href="figures/([^"]+)\.html">', home)
    assert len(cards) == 3
    figures = sorted(p.stem for p in (site / "figures").glob("*.html") if p.stem != "index")
    assert "The 3 figures with the latest claims" in home
    assert f"all {len(figures)} figures</a>" in home
    latest = {}
    for figure in figures:
        page = read(site, f"figures/{figure}.html")
        dates = re.findall(r'<li><time datetime="([\d-]+)">', page)  # "How it moved", as-of order
        latest[figure] = dates[-1]
    newest = sorted(figures, key=lambda figure: latest[figure], reverse=True)
    assert sorted(cards) == sorted(newest[:3])


def test_small_sites_keep_their_single_pages(real_site):
    assert not (real_site / "claims/page-2.html").exists()
    assert not (real_site / "timeline").exists()
    assert '<li class="claim">' in read(real_site, "timeline.html")
