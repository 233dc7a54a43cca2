from datetime import date

import pytest

from casework.workdays import add_working_days, is_bank_holiday, is_working_day, working_days_between


def test_weekends_and_bank_holidays_are_not_working_days():
    assert not is_working_day(date(2026, 3, 7))  # Saturday
    assert not is_working_day(date(2026, 3, 8))  # Sunday
    assert is_working_day(date(2026, 3, 9))
    assert not is_working_day(date(2026, 4, 3))  # Good Friday
    assert not is_working_day(date(2026, 4, 6))  # Easter Monday
    assert not is_working_day(date(2026, 12, 28))  # Boxing Day falls on a Saturday: the Monday is the substitute
    assert is_bank_holiday(date(2026, 12, 26))


def test_one_working_day_after_the_day_before_christmas_2026_is_the_tuesday():
    # Fri 25 Dec Christmas, Sat and Sun, Mon 28 Dec substitute for Boxing Day.
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)


def test_one_working_day_after_the_thursday_before_easter_2026_is_the_tuesday():
    assert add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)


def test_twenty_working_days_across_christmas_and_new_year():
    # 21-24 Dec (4), 29-31 Dec (3), 4-8 Jan (5), 11-15 Jan (5), 18-20 Jan (3) = 20.
    assert add_working_days(date(2026, 12, 18), 20) == date(2027, 1, 20)


def test_twenty_working_days_across_easter_2026():
    # 30 Mar-2 Apr (4), 7-10 Apr (4), 13-17 (5), 20-24 (5), 27-28 (2) = 20.
    assert add_working_days(date(2026, 3, 27), 20) == date(2026, 4, 28)


def test_the_start_day_is_not_counted_and_a_weekend_start_moves_on():
    assert add_working_days(date(2026, 3, 9), 0) == date(2026, 3, 9)
    assert add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 9)  # Friday to Monday
    assert add_working_days(date(2026, 3, 7), 1) == date(2026, 3, 9)  # Saturday to Monday


def test_counting_backwards_is_refused():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 3, 9), -1)


def test_working_days_between_counts_after_the_start_up_to_the_end():
    assert working_days_between(date(2026, 12, 24), date(2026, 12, 29)) == 1
    assert working_days_between(date(2026, 4, 2), date(2026, 4, 28)) == 16
    assert working_days_between(date(2026, 4, 28), date(2026, 4, 2)) == 0
    assert working_days_between(date(2026, 12, 18), add_working_days(date(2026, 12, 18), 20)) == 20
