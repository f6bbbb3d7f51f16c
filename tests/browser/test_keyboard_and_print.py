"""Keyboard-only use and paper: the skip link comes first and jumps to the content,
every focused element shows where the focus is, and a figure page prints with its
sources and without the site's navigation."""

from __future__ import annotations

import re

import pytest

from browsing import OUTPUT, OVERFLOWING, WIDTHS

# Measured after the next frame: a busy machine may not have laid out and scrolled
# to the newly focused element yet when the key press returns.
FOCUSED = """async () => {
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const box = element.getBoundingClientRect();
  return {
    name: element.tagName.toLowerCase() + (element.className ? "." + element.className : ""),
    text: (element.textContent || element.value || "").trim().slice(0, 40),
    inMain: Boolean(element.closest("main")),
    outline: style.outlineStyle === "none" ? 0 : parseFloat(style.outlineWidth),
    inView: box.bottom > 0 && box.top < innerHeight && box.right > 0 && box.left < innerWidth,
  };
}"""


def test_skip_link_comes_first_shows_and_jumps_to_the_content(browse, kinds):
    with browse(size=WIDTHS["phone"]) as view:
        page = view.goto(kinds["figures page"])
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused["name"] == "a.skip" and focused["text"] == "Skip to content"
        assert focused["inView"] and focused["outline"] >= 2
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        assert page.evaluate(FOCUSED)["inMain"], "Tab after the skip link left the content"


@pytest.mark.parametrize("kind", ["home", "search", "sources page"])
def test_every_focusable_element_shows_its_focus(browse, kinds, kind):
    with browse(size=WIDTHS["phone"]) as view:
        page = view.goto(kinds[kind])
        unseen = []
        for _ in range(60):  # the first 60 stops cover the header, forms and content
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUSED)
            if focused["name"] == "body":
                break
            if focused["outline"] < 2 or not focused["inView"]:
                unseen.append(focused)
        assert unseen == []


def test_a_figure_page_prints_with_its_sources(browse, kinds, built_site):
    path = kinds["figures page"]
    html = (built_site / path).read_text(encoding="utf-8")
    cited = set(re.findall(r'href="\.\./sources/([^"#]+)\.html"', html)) - {"index"}
    assert cited, "the figure page cites no source"
    with browse() as view:
        page = view.goto(path)
        page.emulate_media(media="print")
        assert not page.locator("header.site nav").is_visible()
        assert not page.locator("footer.site").is_visible()
        sources = page.locator("section[aria-labelledby=sources]")
        assert sources.is_visible()
        listed = set(
            sources.locator("a[href*='sources/']").evaluate_all(
                "links => links.map(a => a.getAttribute('href').split('/').pop().split('.')[0])"
            )
        )
        assert listed == cited
        assert page.evaluate(OVERFLOWING) == []
        OUTPUT.joinpath("print").mkdir(parents=True, exist_ok=True)
        pdf = page.pdf(format="A4", path=OUTPUT / "print" / "figure-page.pdf")
        assert pdf.startswith(b"%PDF") and re.search(rb"/Type\s*/Page[^s]", pdf)
