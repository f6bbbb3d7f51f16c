"""Every number is a link to its passage: clicking one on the home page, the
timeline and a figure page opens the source with that passage highlighted
(by :target, so it works without JavaScript) and scrolled into view."""

from __future__ import annotations

import pytest

from browsing import WIDTHS


def check_lands_on_passage(page, claim_id: str) -> None:
    page.wait_for_url(f"**/sources/*.html#claim-{claim_id}")
    target = page.locator(":target")
    assert target.get_attribute("id") == f"claim-{claim_id}"
    # the number the reader clicked is inside the highlighted passage
    assert target.locator(f'[data-number-of="{claim_id}"]').count() == 1
    looks = target.evaluate(
        """(mark) => {
          const plain = document.querySelector("mark.quote:not(:target):not(:target mark)");
          const style = getComputedStyle(mark);
          return {background: style.backgroundColor, outline: style.outlineStyle,
                  plain: plain && getComputedStyle(plain).backgroundColor};
        }"""
    )
    assert looks["outline"] != "none"
    assert looks["background"] not in (looks["plain"], "rgba(0, 0, 0, 0)")
    box = target.bounding_box()
    viewport = page.viewport_size
    assert box is not None and viewport is not None
    assert 0 <= box["y"] < viewport["height"] / 2, f"passage at y={box['y']}, not in view"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("start", ["index.html", "timeline.html", "figures page"])
def test_clicking_a_number_opens_its_highlighted_passage(browse, kinds, start, width):
    start = kinds.get(start, start)
    with browse(size=WIDTHS[width]) as view:
        page = view.goto(start)
        # the last number on the page: far down, so it also proves the scroll
        number = page.locator("main a.num[data-claim]").last
        claim_id = number.get_attribute("data-claim")
        number.click()
        check_lands_on_passage(page, claim_id)
        assert view.errors == []


def test_numbers_work_without_javascript(browse):
    with browse(size=WIDTHS["phone"], javascript=False) as view:
        page = view.goto("index.html")
        number = page.locator("main a.num[data-claim]").first
        claim_id = number.get_attribute("data-claim")
        number.click()
        check_lands_on_passage(page, claim_id)
