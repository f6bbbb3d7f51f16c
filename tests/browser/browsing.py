"""Helpers for the browser tests: the tools they need, the page kinds of a built
site, and a page that watches for console errors and requests to other hosts."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, Response, Route

from helpers import ROOT

CHROMIUM = Path("/usr/bin/chromium")
# The flags keep a headless Chromium from reaching for the network on its own
# (updates, sync, field trials): this machine's network is closed, and the
# "no request leaves the site" test must only see the site's own requests.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TOOLS = Path(__file__).resolve().parent / "node_modules"
AXE = TOOLS / "axe-core" / "axe.min.js"
VNU = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
OUTPUT = ROOT / "test-output"
SEARCH_QUERY = "million"  # the search page is shown with results, as readers see it
WIDTHS = {"phone": (360, 740), "desktop": (1440, 900)}

# Elements wider than the viewport, or scrolling sideways inside it: each is
# something a reader would have to scroll sideways to read.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  const page = document.documentElement;
  if (page.scrollWidth > width) wide.push(`the page: ${page.scrollWidth}px wide`);
  const reported = [];
  // inside a visually hidden box (1 px, overflow hidden: text for screen readers only)
  const unseen = (element) => {
    for (let box = element; box; box = box.parentElement) {
      const rect = box.getBoundingClientRect();
      const clips = getComputedStyle(box).overflow !== "visible";
      if (rect.width <= 1 && rect.height <= 1 && clips) return true;
    }
    return false;
  };
  for (const element of document.querySelectorAll("body *")) {
    if (reported.some((outer) => outer.contains(element)) || unseen(element)) continue;
    const box = element.getBoundingClientRect();
    const scrolls = element.scrollWidth > element.clientWidth + 1
      && !["visible", "hidden", "clip"].includes(getComputedStyle(element).overflowX);
    if (box.width > 0 && (box.right > width + 0.5 || scrolls)) {
      reported.push(element);
      const name = element.tagName.toLowerCase()
        + (element.className ? "." + element.className : "");
      wide.push(`${name}: right edge ${Math.round(box.right)}px, content ${element.scrollWidth}px`);
    }
  }
  return wide;
}"""


def require(path: Path, what: str) -> Path:
    """Fail (not skip) with the command that installs a missing tool."""
    if not path.exists():
        pytest.fail(
            f"{what} is missing ({path}). `make test` installs it; on its own run "
            "`make browser-tools` (Debian's chromium and a Java runtime need root).",
            pytrace=False,
        )
    return path


def page_kinds(site: Path) -> dict[str, str]:
    """One page of every kind: each top-level page, and for every folder its index and
    its largest other page (the hardest to lay out). New page kinds join by themselves."""
    kinds: dict[str, str] = {}
    for page in sorted(site.glob("*.html")):
        kinds["home" if page.stem == "index" else page.stem] = page.name
    for folder in sorted(p for p in site.iterdir() if p.is_dir() and any(p.glob("*.html"))):
        if (folder / "index.html").is_file():
            kinds[f"{folder.name} index"] = f"{folder.name}/index.html"
        others = [p for p in folder.glob("*.html") if p.name != "index.html"]
        if others:
            largest = max(others, key=lambda p: (p.stat().st_size, p.name))
            kinds[f"{folder.name} page"] = f"{folder.name}/{largest.name}"
    if "search" in kinds:
        kinds["search"] += f"?q={SEARCH_QUERY}"
    return kinds


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 on a free port; yield its address."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass
class View:
    """A page of the site in the browser, with what went wrong while it was open."""

    page: Page
    base: str  # the site's address, ending in /
    errors: list[str] = field(default_factory=list)
    offsite: list[str] = field(default_factory=list)

    def goto(self, path: str) -> Page:
        response = self.page.goto(self.base + path, wait_until="load")
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        if path.startswith("search.html?"):
            # The search page's results come in after the page has loaded, and move
            # what is below them: wait for them, so that the page is checked as
            # readers see it and not while it is still changing.
            self.page.wait_for_selector("#search-results:not([aria-busy])", state="attached")
        return self.page

    def axe(self) -> list[dict[str, Any]]:
        """axe-core's violations on the current page (every rule, best practices too)."""
        if not self.page.evaluate("typeof window.axe !== 'undefined'"):
            self.page.add_script_tag(path=str(require(AXE, "axe-core")))
        result: dict[str, Any] = self.page.evaluate(
            "axe.run(document, {resultTypes: ['violations']})"
        )
        return [
            {
                "rule": violation["id"],
                "help": violation["help"],
                "nodes": [node["target"] for node in violation["nodes"]][:5],
                "summary": violation["nodes"][0].get("failureSummary", ""),
            }
            for violation in result["violations"]
        ]


@contextmanager
def open_view(
    browser: Browser,
    base: str,
    *,
    size: tuple[int, int] = WIDTHS["desktop"],
    scheme: str = "light",
    javascript: bool = True,
) -> Iterator[View]:
    """A fresh browser context on the site; every request to another host is blocked
    and recorded, and every console error, page error and failed request recorded."""
    context = browser.new_context(
        viewport={"width": size[0], "height": size[1]},
        color_scheme=scheme,  # type: ignore[arg-type]
        java_script_enabled=javascript,
        reduced_motion="reduce",
    )
    page = context.new_page()
    view = View(page=page, base=base)
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(base))

    def route(route: Route) -> None:
        url = route.request.url
        if url.startswith(origin + "/") or url.startswith("data:"):
            route.continue_()
        else:
            view.offsite.append(url)
            route.abort()

    def console(message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            view.errors.append(f"console {message.type}: {message.text} ({page.url})")

    def response(response: Response) -> None:
        if response.status >= 400:
            view.errors.append(f"HTTP {response.status}: {response.url}")

    def failed(request: Request) -> None:
        if request.url not in view.offsite:
            view.errors.append(f"request failed: {request.url} ({request.failure})")

    context.route("**/*", route)
    page.on("console", console)
    page.on("pageerror", lambda error: view.errors.append(f"page error: {error} ({page.url})"))
    page.on("response", response)
    page.on("requestfailed", failed)
    try:
        yield view
    finally:
        context.close()
