"""Quarters of the UK financial year: Q1 April–June, Q2 July–September, Q3 October–December, Q4 January–March.

A financial year is named by the calendar year it starts in: 2010 is "2010-11", which runs from 1 April 2010 to
31 March 2011, so its Q4 is January–March 2011. Pure functions, no database.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

FIRST_MONTH = {1: 4, 2: 7, 3: 10, 4: 1}
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
_YEAR_LABEL = re.compile(r"^\s*(\d{4})\s*[-–/]\s*(\d{2}|\d{4})\s*$")


def financial_year_label(year: int) -> str:
    """2010 -> "2010-11"; 1999 -> "1999-00"."""
    return f"{year}-{(year + 1) % 100:02d}"


def financial_year_parse(text: str) -> int:
    """"2010-11" (or "2010/11", "2010-2011") -> 2010. ValueError, with the reason, for anything else."""
    match = _YEAR_LABEL.match(text or "")
    if not match:
        raise ValueError(f"“{text}” is not a financial year: write it like 2010-11.")
    start, end = int(match.group(1)), match.group(2)
    expected = start + 1 if len(end) == 4 else (start + 1) % 100
    if int(end) != expected:
        raise ValueError(f"“{text}” is not a financial year: the year after {start} is {financial_year_label(start)}.")
    return start


def financial_year_of(day: date) -> int:
    """The financial year a day falls in: 31 March 2011 is in 2010-11, 1 April 2011 in 2011-12."""
    return day.year if day.month >= 4 else day.year - 1


@dataclass(frozen=True, order=True)
class Quarter:
    year: int  # the financial year, by the calendar year it starts in
    number: int  # 1 to 4

    def __post_init__(self):
        if self.number not in (1, 2, 3, 4):
            raise ValueError(f"A financial year has quarters 1 to 4, not {self.number}.")

    @property
    def start(self) -> date:
        calendar_year = self.year + 1 if self.number == 4 else self.year
        return date(calendar_year, FIRST_MONTH[self.number], 1)

    @property
    def end(self) -> date:
        """The last day of the quarter (inclusive)."""
        return self.next().start - timedelta(days=1)

    @property
    def year_label(self) -> str:
        return financial_year_label(self.year)

    @property
    def label(self) -> str:
        """"Q1 – 2010-11", as the partnership papers write it (an en dash)."""
        return f"Q{self.number} – {self.year_label}"

    @property
    def months_label(self) -> str:
        """"April–June 2010"; "January–March 2011"."""
        first, last = self.start, self.end
        return f"{MONTH_NAMES[first.month - 1]}–{MONTH_NAMES[last.month - 1]} {last.year}"

    def next(self) -> "Quarter":
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def previous(self) -> "Quarter":
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def same_quarter_in(self, year: int) -> "Quarter":
        return Quarter(year, self.number)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def months(self, count: int = 12) -> list[date]:
        """The first days of the `count` months ending with this quarter's last month, oldest first."""
        last = self.end.replace(day=1)
        months = []
        year, month = last.year, last.month
        for _ in range(count):
            months.append(date(year, month, 1))
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        return list(reversed(months))

    def __str__(self):
        return self.label


def quarter_of(day: date) -> Quarter:
    """The quarter a day falls in."""
    return Quarter(financial_year_of(day), {4: 1, 5: 1, 6: 1, 7: 2, 8: 2, 9: 2, 10: 3, 11: 3, 12: 3, 1: 4, 2: 4, 3: 4}[day.month])


def quarter_last_completed(today: date) -> Quarter:
    """The latest quarter that has ended before `today`: on 1 April 2011, Q4 2010-11."""
    return quarter_of(today).previous()
