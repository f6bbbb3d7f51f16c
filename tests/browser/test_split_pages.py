"""The pages a long list is split into (render.CLAIMS_PER_PAGE, TIMELINE_PER_PAGE)
in a real browser, as test_pages.py checks every other page kind: the real data,
built with small limits so that its lists split. axe-core finds no violations,
nothing needs sideways scrolling, the pager is keyboard-reachable, and the Nu
HTML checker finds the pages valid."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from browsing import OVERFLOWING, VNU, WIDTHS, open_view, require, serve
from facttrack import render
from facttrack.build import build
from facttrack.checking import Options
from helpers import ROOT

SCHEMES = ("light", "dark")


@pytest.fixture(scope="module")
def split_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("split") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(render, "CLAIMS_PER_PAGE", 20)
        patch.setattr(render, "TIMELINE_PER_PAGE", 10)
        result = build(Options(data=ROOT / "data", out=out, search=False))
    assert result.ok, [problem.format() for problem in result.problems.errors]
    return out


@pytest.fixture(scope="module")
def split_pages(split_site: Path) -> dict[str, str]:
    month = sorted((split_site / "timeline").glob("*.html"))
    assert month, "the timeline was not split"
    return {
        "page of claims": "claims/page-2.html",
        "timeline months": "timeline.html",
        "timeline month": f"timeline/{max(month, key=lambda p: p.stat().st_size).name}",
    }


@pytest.fixture(scope="module")
def split_url(split_site: Path) -> Iterator[str]:
    with serve(split_site.parent) as address:
        yield address + "site/"


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_split_pages_pass_axe_and_fit_the_screen(browser, split_url, split_pages, width, scheme):
    problems = []
    with open_view(browser, split_url, size=WIDTHS[width], scheme=scheme) as view:
        for kind, path in split_pages.items():
            page = view.goto(path)
            problems += [f"{kind}: {v['rule']} at {v['nodes']}" for v in view.axe()]
            problems += [f"{kind}: wider than the screen: {w}" for w in page.evaluate(OVERFLOWING)]
        problems += view.errors + view.offsite
    assert problems == []


def test_the_pager_is_reached_by_keyboard(browser, split_url, split_pages):
    with open_view(browser, split_url, size=WIDTHS["desktop"]) as view:
        page = view.goto(split_pages["page of claims"])
        for _ in range(400):
            page.keyboard.press("Tab")
            focused = page.evaluate("document.activeElement.getAttribute('rel')")
            if focused == "next":
                break
        else:
            pytest.fail("Tab never reached the link to the next page")
        page.keyboard.press("Enter")
        page.wait_for_url("**/claims/page-3.html")


def test_split_pages_are_valid_html(split_site, split_pages):
    require(VNU, "The Nu HTML checker (npm package vnu-jar)")
    java = require(Path("/usr/bin/java"), "A Java runtime")
    pages = [split_site / path for path in split_pages.values()]
    checked = subprocess.run(
        [java, "-jar", VNU, "--errors-only", "--format", "json", *pages],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(checked.stderr or checked.stdout)["messages"]
    assert [f"{m.get('url')}:{m.get('lastLine')}: {m['message']}" for m in messages] == []
