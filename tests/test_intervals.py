"""Claims read as intervals: rounding of the written number, every qualifier,
and the interval arithmetic the relations use."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from facttrack.dates import PartialDate
from facttrack.intervals import ABOUT_TOLERANCE, Interval, claim_interval, written_rounding
from facttrack.model import Claim

INF = math.inf


def claim(value: float, qualifier: str = "exact", high: float | None = None, unit: str = "people"):
    return Claim(
        id="c",
        figure="f",
        low=value,
        high=value if high is None else high,
        is_range=high is not None,
        qualifier=qualifier,
        unit=unit,
        as_of=PartialDate(2024, 1),
        stated_on=PartialDate(2024, 1),
        speaker="s",
        source="src",
        quote="q",
    )


@pytest.mark.parametrize(
    ("written", "unit", "half_step"),
    [
        ("541,210", "people", 0),  # a count written in full is exact
        ("49", "places", 0),
        ("eight", "people", 0),
        ("$830", "USD", 0),
        ("813,300", "people", 0),  # two trailing zeros: still read as exact
        ("340,000", "people", 5_000),  # a round number: rounded to its last non-zero digit
        ("2,000", "people", 500),
        ("1.7 million", "people", 50_000),
        ("1.15m", "people", 5_000),
        ("4 million", "people", 500_000),
        ("one million", "people", 500_000),
        ("a million", "people", 500_000),
        ("US$4 billion", "USD", 500_000_000),
        ("4.5 billion rupees", "PKR", 50_000_000),
        ("98%", "percent", 0.5),
        ("90 percent", "percent", 0.5),
        ("12.5%", "percent", 0.05),
    ],
)
def test_written_rounding(written, unit, half_step):
    assert written_rounding(written, unit) == pytest.approx(half_step)


def test_exact_allows_the_rounding_of_the_written_number():
    assert claim_interval(claim(1_700_000), "1.7 million") == Interval(1_650_000, 1_750_000)
    assert claim_interval(claim(541_210), "541,210") == Interval(541_210, 541_210)


def test_about_allows_the_tolerance_or_the_rounding_whichever_is_wider():
    assert ABOUT_TOLERANCE == 0.05
    # 5% of 1.7 million (85,000) is wider than its rounding (50,000)
    assert claim_interval(claim(1_700_000, "about"), "1.7 million") == Interval(
        1_615_000, 1_785_000
    )
    # "one million" is rounded to the million: +-500,000 is wider than 5%
    assert claim_interval(claim(1_000_000, "about"), "one million") == Interval(500_000, 1_500_000)


@pytest.mark.parametrize("qualifier", ["over", "at least"])
def test_over_and_at_least_have_no_upper_limit(qualifier):
    assert claim_interval(claim(340_000, qualifier), "340,000") == Interval(340_000, INF)


def test_under_has_no_lower_limit():
    assert claim_interval(claim(10, "under"), "10") == Interval(-INF, 10)


@pytest.mark.parametrize("qualifier", ["up to", "as many as"])
def test_up_to_and_as_many_as_run_from_zero(qualifier):
    assert claim_interval(claim(1_000_000, qualifier), "1 million") == Interval(0, 1_000_000)


def test_a_range_is_taken_as_written():
    assert claim_interval(claim(100_000, high=165_000), "100,000–165,000") == Interval(
        100_000, 165_000
    )


def test_an_about_range_widens_both_ends():
    interval = claim_interval(claim(100, "about", high=200), "100–200")
    assert interval == Interval(95, 210)


def test_interval_arithmetic():
    a, b = Interval(1, 2), Interval(10, 20)
    assert a + b == Interval(11, 22)
    assert b - a == Interval(8, 19)
    assert Interval(5, INF) + a == Interval(6, INF)
    assert Interval(5, INF) - Interval(1, INF) == Interval(-INF, INF)
    assert Interval(5, INF) - Interval(1, 2) == Interval(3, INF)
    assert Interval(14, 14).share_of(Interval(24, 24)).low == pytest.approx(58.333, rel=1e-4)
    assert Interval(1, 2).share_of(Interval(0, 10)) == Interval(10, INF)
    assert Interval(100, 200).times_percent(Interval(50, 50)) == Interval(50, 100)
    assert Interval(90, 90).divided_by_percent(Interval(90, 90)) == Interval(100, 100)
    assert Interval(0, INF).times_percent(Interval(0, 10)) == Interval(0, INF)


def test_overlap_is_inclusive():
    assert Interval(1, 2).overlaps(Interval(2, 3))
    assert not Interval(1, 2).overlaps(Interval(2.5, 3))
    assert Interval(-INF, 0).overlaps(Interval(0, INF))


finite = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False)


@given(finite, finite, finite, finite)
def test_sum_contains_every_sum_of_members(a, b, c, d):
    x, y = Interval(min(a, b), max(a, b)), Interval(min(c, d), max(c, d))
    total, difference = x + y, x - y
    for p in (x.low, x.high):
        for q in (y.low, y.high):
            assert total.low - 1e-3 <= p + q <= total.high + 1e-3
            assert difference.low - 1e-3 <= p - q <= difference.high + 1e-3


@given(st.floats(min_value=0, max_value=1e9))
def test_every_qualifier_contains_the_value(value):
    for qualifier in ("exact", "about", "over", "under", "at least", "up to", "as many as"):
        interval = claim_interval(claim(value, qualifier), "1")
        assert interval.low <= value <= interval.high
