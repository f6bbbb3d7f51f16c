"""The SVG charts: valid XML, deterministic, one linked mark per claim, marks that
say what the qualifier says, and a time axis on which a month spans its days."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest

from facttrack.chart import (
    ChartPoint,
    chart_svg,
    nice_step,
    num,
    sparkline_svg,
    tick_label,
)

SVG = "{http://www.w3.org/2000/svg}"


def point(claim_id: str, start: str, value: float, qualifier: str = "exact", **kw) -> ChartPoint:
    first = dt.date.fromisoformat(start)
    return ChartPoint(
        claim_id=claim_id,
        href=f"../sources/s.html#claim-{claim_id}",
        start=first,
        end=kw.get("end", first),
        low=value,
        high=kw.get("high", value),
        qualifier=qualifier,
        label=f"{claim_id}: {value}",
    )


POINTS = [
    point("oct", "2023-10-31", 100_000, high=165_000),
    point("nov", "2023-11-22", 340_000, "over"),
    point("jan", "2024-01-02", 541_210),
    point("about", "2024-06-01", 600_000, "about", end=dt.date(2024, 6, 30)),
    point("cap", "2025-01-01", 813_300, "up to", end=dt.date(2025, 1, 31)),
]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def marks(root: ET.Element) -> dict[str, ET.Element]:
    return {a.get("data-claim"): a for a in root.iter(f"{SVG}a")}


def test_chart_is_valid_svg_with_title_and_description():
    root = parse(chart_svg(POINTS, title="Returns", description="Five claims", unit="people"))
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title").text == "Returns"
    assert root.find(f"{SVG}desc").text == "Five claims"
    assert root.get("aria-labelledby") == "chart-title chart-desc"
    assert root.get("viewBox") == "0 0 640 260"


def test_markup_in_texts_and_addresses_is_escaped_and_reads_back_as_written():
    text = "Returns & \"deportations\" <as of> 'now'"
    href = '../sources/s.html?a=1&b="2"#claim-oct'
    odd = ChartPoint(**{**vars(POINTS[0]), "href": href, "label": text})
    root = parse(chart_svg([odd, *POINTS[1:]], title=text, description=text, unit="people"))
    assert root.find(f"{SVG}title").text == root.find(f"{SVG}desc").text == text
    link = marks(root)["oct"]
    assert link.get("href") == href
    assert link.find(f"{SVG}title").text == text


def test_each_claim_is_one_link_to_its_passage():
    root = parse(chart_svg(POINTS, title="t", description="d", unit="people"))
    found = marks(root)
    assert set(found) == {p.claim_id for p in POINTS}
    for claim_id, link in found.items():
        assert link.get("href") == f"../sources/s.html#claim-{claim_id}"
        assert link.find(f"{SVG}title").text.startswith(f"{claim_id}: ")


def test_output_is_deterministic_and_independent_of_input_order():
    first = chart_svg(POINTS, title="t", description="d", unit="people")
    assert chart_svg(list(reversed(POINTS)), title="t", description="d", unit="people") == first
    numbers = re.findall(r'(?:x|y|cx|cy|width|height)="(-?[\d.]+)"', first)
    assert numbers and all(re.fullmatch(r"-?\d+(\.\d)?", n) for n in numbers)


def test_marks_follow_the_qualifier():
    found = marks(parse(chart_svg(POINTS, title="t", description="d", unit="people")))
    assert found["jan"].find(f"{SVG}circle").get("class") == "dot"
    assert found["about"].find(f"{SVG}circle").get("class") == "about"
    assert found["oct"].find(f"{SVG}rect").get("class") == "range"
    assert found["jan"].find(f"{SVG}path[@class='arrow']") is None

    def arrow_direction(link: ET.Element) -> int:
        d = link.find(f"{SVG}path[@class='arrow']").get("d")
        start_y, tip_y = (float(v) for v in re.match(r"M[\d.]+ ([\d.]+)V([\d.]+)", d).groups())
        return -1 if tip_y < start_y else 1  # SVG y grows downwards

    assert arrow_direction(found["nov"]) == -1  # over: up
    assert arrow_direction(found["cap"]) == 1  # up to: down


@pytest.mark.parametrize("qualifier", ["at least", "under", "as many as"])
def test_every_bound_qualifier_has_an_arrow(qualifier):
    svg = chart_svg([point("a", "2024-01-01", 10, qualifier)], title="t", description="d", unit="x")
    assert 'class="arrow"' in svg


def test_a_range_bar_spans_its_low_and_high():
    root = parse(chart_svg(POINTS, title="t", description="d", unit="people"))
    rect = marks(root)["oct"].find(f"{SVG}rect")
    jan_y = float(marks(root)["jan"].find(f"{SVG}circle").get("cy"))
    zero_y = 224.0  # the baseline: 260 - 36
    # heights are proportional: 65,000 against the 541,210 point's height above zero
    assert float(rect.get("height")) / (zero_y - jan_y) == pytest.approx(65_000 / 541_210, rel=0.02)


def test_a_target_is_drawn_as_a_target():
    root = parse(
        chart_svg(
            [point("t", "2024-01-01", 1e6, "up to")],
            title="t",
            description="d",
            unit="p",
            target=True,
        )
    )
    circles = marks(root)["t"].findall(f"{SVG}circle")
    assert [c.get("class") for c in circles] == ["target", "target", "dot"]
    assert len({c.get("r") for c in circles}) == 3


def test_a_month_spans_its_days():
    january = point("jan", "2024-01-01", 10, end=dt.date(2024, 1, 31))
    february = point("feb", "2024-02-01", 10, end=dt.date(2024, 2, 29))
    root = parse(chart_svg([january, february], title="t", description="d", unit="x"))

    def span(claim_id: str) -> float:
        d = marks(root)[claim_id].find(f"{SVG}path[@class='period']").get("d")
        x_start, x_end = (float(v) for v in re.match(r"M([\d.]+) [\d.]+H([\d.]+)", d).groups())
        return x_end - x_start

    assert span("jan") / span("feb") == pytest.approx(31 / 29, rel=0.01)
    # a claim known to the day has no period line
    day = parse(chart_svg([point("d", "2024-01-05", 1)], title="t", description="d", unit="x"))
    assert marks(day)["d"].find(f"{SVG}path[@class='period']") is None


def test_marks_on_the_same_spot_are_set_side_by_side():
    same = [point(f"c{i}", "2023-11-22", 340_000, "over") for i in range(3)]
    root = parse(chart_svg(same, title="t", description="d", unit="people"))
    xs = sorted(float(a.find(f"{SVG}circle").get("cx")) for a in marks(root).values())
    assert xs[1] - xs[0] == pytest.approx(10) and xs[2] - xs[1] == pytest.approx(10)


def test_time_axis_labels_months_or_years():
    def labels(points):
        root = parse(chart_svg(points, title="t", description="d", unit="x"))
        return [t.text for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "middle"]

    short = labels([point("a", "2023-11-01", 1), point("b", "2024-02-15", 2)])
    assert short[:2] == ["Nov 2023", "Dec 2023"]
    long = labels([point("a", "2019-05-01", 1), point("b", "2025-02-15", 2)])
    assert long == ["2020", "2021", "2022", "2023", "2024", "2025"]
    days = labels([point("a", "2024-03-05", 1), point("b", "2024-03-12", 2)])
    assert days and all(re.fullmatch(r"\d{1,2} (Feb|Mar|Apr)", label) for label in days)


def test_value_axis_starts_at_zero_with_round_ticks():
    root = parse(chart_svg(POINTS, title="t", description="d", unit="people"))
    values = [t.text for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    assert values == ["0", "250k", "500k", "750k", "1M"]


@pytest.mark.parametrize(
    ("value", "unit", "label"),
    [(0, "people", "0"), (250_000, "people", "250k"), (1_500_000, "people", "1.5M"),
     (4e9, "USD", "$4B"), (50, "percent", "50%"), (2.5, "years", "2.5")],
)  # fmt: skip
def test_tick_labels(value, unit, label):
    assert tick_label(value, unit) == label


def test_nice_steps_and_fixed_coordinates():
    assert [nice_step(x) for x in (0.3, 7, 12, 230_000, 0)] == [0.5, 10, 20, 250_000, 1]
    assert (num(-0.04), num(12.345), num(3)) == ("0.0", "12.3", "3.0")


def test_sparkline_is_a_small_labelled_image():
    root = parse(sparkline_svg(POINTS, title="Returns: 5 claims", id_prefix="spark-r"))
    assert root.get("role") == "img" and root.get("aria-labelledby") == "spark-r-title"
    assert root.find(f"{SVG}title").text == "Returns: 5 claims"
    path = root.find(f"{SVG}path").get("d")
    assert path.startswith("M") and path.count("L") == len(POINTS) - 1
    assert sparkline_svg(POINTS, title="x", id_prefix="s") == sparkline_svg(
        list(reversed(POINTS)), title="x", id_prefix="s"
    )


def test_a_sparkline_reads_neither_links_nor_labels():
    """The home page's sparklines are drawn from points without them."""
    bare = [ChartPoint(**{**vars(p), "href": "", "label": ""}) for p in POINTS]
    assert sparkline_svg(bare, title="x", id_prefix="s") == sparkline_svg(
        POINTS, title="x", id_prefix="s"
    )


def test_an_empty_chart_is_refused():
    with pytest.raises(ValueError):
        chart_svg([], title="t", description="d", unit="x")
