"""Working days in England: Monday to Friday, less England's bank holidays (substitute days included).

Statutory and local deadlines (an ASB Case Review decision within 20 working days, for example) are counted
in working days. The bank holidays come from the pinned `holidays` package, so a new year needs no code change.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays

SATURDAY = 5


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_bank_holiday(day: date) -> bool:
    return day in _bank_holidays(day.year)


def is_working_day(day: date) -> bool:
    return day.weekday() < SATURDAY and not is_bank_holiday(day)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start`; `start` itself is not counted (day 0).

    add_working_days(Friday, 1) is the next Monday (or Tuesday, if Monday is a bank holiday).
    """
    if days < 0:
        raise ValueError("Count working days forwards only.")
    day = start
    remaining = days
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """How many working days fall after `start` up to and including `end` (0 when `end` is not after `start`)."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
