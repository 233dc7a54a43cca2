"""Quarters of the UK financial year, at the edges of the year."""

from datetime import date

import pytest

from reports.quarters import Quarter, financial_year_label, financial_year_of, financial_year_parse, quarter_last_completed, quarter_of


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2010, 4, 1), Quarter(2010, 1)),
        (date(2010, 6, 30), Quarter(2010, 1)),
        (date(2010, 7, 1), Quarter(2010, 2)),
        (date(2010, 9, 30), Quarter(2010, 2)),
        (date(2010, 10, 1), Quarter(2010, 3)),
        (date(2010, 12, 31), Quarter(2010, 3)),
        (date(2011, 1, 1), Quarter(2010, 4)),
        (date(2011, 3, 31), Quarter(2010, 4)),
        (date(2011, 4, 1), Quarter(2011, 1)),
    ],
)
def test_each_day_falls_in_its_quarter_of_the_financial_year(day, expected):
    assert quarter_of(day) == expected
    assert expected.contains(day)


def test_quarter_bounds_and_labels_follow_the_papers():
    q1 = Quarter(2010, 1)
    assert (q1.start, q1.end) == (date(2010, 4, 1), date(2010, 6, 30))
    assert q1.label == "Q1 – 2010-11" and "–" in q1.label  # an en dash, as printed
    assert q1.months_label == "April–June 2010"
    q4 = Quarter(2010, 4)
    assert (q4.start, q4.end) == (date(2011, 1, 1), date(2011, 3, 31))
    assert q4.label == "Q4 – 2010-11" and q4.months_label == "January–March 2011"
    assert Quarter(2011, 4).end == date(2012, 3, 31)  # 2012 is a leap year: the quarter still ends on 31 March
    assert Quarter(2010, 3).end == date(2010, 12, 31)


def test_quarters_step_across_the_year_end():
    assert Quarter(2010, 4).next() == Quarter(2011, 1)
    assert Quarter(2011, 1).previous() == Quarter(2010, 4)
    assert Quarter(2010, 2).same_quarter_in(2008) == Quarter(2008, 2)


def test_the_last_completed_quarter():
    assert quarter_last_completed(date(2011, 4, 1)) == Quarter(2010, 4)
    assert quarter_last_completed(date(2011, 3, 31)) == Quarter(2010, 3)
    assert quarter_last_completed(date(2010, 7, 1)) == Quarter(2010, 1)
    assert quarter_last_completed(date(2011, 1, 1)) == Quarter(2010, 3)


def test_financial_years_by_label():
    assert financial_year_label(2010) == "2010-11"
    assert financial_year_label(1999) == "1999-00"
    assert financial_year_parse("2010-11") == 2010
    assert financial_year_parse("2010/11") == 2010
    assert financial_year_parse(" 2010-2011 ") == 2010
    assert financial_year_parse("1999-00") == 1999
    assert financial_year_of(date(2011, 3, 31)) == 2010 and financial_year_of(date(2011, 4, 1)) == 2011


@pytest.mark.parametrize("text", ["2010-12", "2010", "10-11", "2010-11-12", "", "twenty ten"])
def test_a_financial_year_that_is_not_one_is_refused_with_the_reason(text):
    with pytest.raises(ValueError) as error:
        financial_year_parse(text)
    assert "write it like 2010-11" in str(error.value) or "the year after" in str(error.value)


def test_only_four_quarters():
    with pytest.raises(ValueError):
        Quarter(2010, 5)
    with pytest.raises(ValueError):
        Quarter(2010, 0)


def test_the_twelve_months_of_a_trend_end_with_the_quarter():
    months = Quarter(2010, 1).months(12)
    assert months[0] == date(2009, 7, 1) and months[-1] == date(2010, 6, 1) and len(months) == 12
    assert Quarter(2010, 4).months(3) == [date(2011, 1, 1), date(2011, 2, 1), date(2011, 3, 1)]
