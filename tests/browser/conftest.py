"""Fixtures for the browser tests: the real site built under a sub-path, served on
127.0.0.1, and Debian's Chromium driven headless by Playwright.

`make test` installs what these need (see the Makefile's browser-tools target):
Debian's chromium, a Java runtime, and axe-core and the Nu HTML checker from npm.
Playwright never downloads a browser here: it starts /usr/bin/chromium.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, sync_playwright

from browsing import CHROMIUM, CHROMIUM_ARGS, View, open_view, page_kinds, require, serve
from facttrack.build import build
from facttrack.checking import Options
from helpers import ROOT

# The site is served from a sub-path, so a link that assumed the server root would break.
SUB_PATH = ("fact", "track")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built from data/ (the real data), under a sub-path of a served folder."""
    out = tmp_path_factory.mktemp("www").joinpath(*SUB_PATH)
    result = build(Options(data=ROOT / "data", out=out))
    assert result.ok, [problem.format() for problem in result.problems.errors]
    return out


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    with serve(built_site.parents[len(SUB_PATH) - 1]) as address:
        yield address + "/".join(SUB_PATH) + "/"


@pytest.fixture(scope="session")
def kinds(built_site: Path) -> dict[str, str]:
    return page_kinds(built_site)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    require(CHROMIUM, "Debian's Chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browse(browser: Browser, site_url: str) -> Callable[..., AbstractContextManager[View]]:
    """browse(size=..., scheme=..., javascript=...) opens a watched page on the site."""

    def opener(**options: Any) -> AbstractContextManager[View]:
        return open_view(browser, site_url, **options)

    return opener
