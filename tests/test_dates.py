import datetime as dt

import pytest

from facttrack.dates import DateError, PartialDate, parse_date


@pytest.mark.parametrize(
    ("text", "precision", "human"),
    [
        ("2025", "year", "2025"),
        ("2025-01", "month", "January 2025"),
        ("2024-02-29", "day", "29 February 2024"),
    ],
)
def test_precision_is_kept_as_written(text, precision, human):
    date = parse_date(text)
    assert date.iso() == text
    assert date.precision == precision
    assert date.human() == human


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2023-02-30", "February 2023 has 28 days"),
        ("2023-02-29", "February 2023 has 28 days"),
        ("2023-13", "months run from 01 to 12"),
        ("2023-00-10", "months run from 01 to 12"),
        ("23-01-01", "is not a date"),
        ("January 2025", "is not a date"),
        ("2025/01/02", "is not a date"),
        ("0999", "implausible year"),
    ],
)
def test_impossible_dates_are_refused_with_a_reason(text, message):
    with pytest.raises(DateError, match=message):
        parse_date(text)


def test_a_month_spans_its_days_and_sorts_before_them():
    month = parse_date("2025-01")
    assert month.first_day() == dt.date(2025, 1, 1)
    assert month.last_day() == dt.date(2025, 1, 31)
    assert month.sort_key() < parse_date("2025-01-01").sort_key()
    assert PartialDate(2024).last_day() == dt.date(2024, 12, 31)


def test_a_date_written_twice_is_one_object_and_a_bad_one_fails_each_time():
    """Claims share their dates (the memo then pickles each once)."""
    assert parse_date("2024-03") is parse_date("2024-03")
    assert parse_date("2024-03") is not parse_date("2024-04")
    for _ in range(2):
        with pytest.raises(DateError, match="months run from 01 to 12"):
            parse_date("2024-13")
