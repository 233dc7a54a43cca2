"""The cells that long tables make in Python are the ones the template tags would have made."""

from datetime import date

import pytest
from django.template.defaultfilters import date as date_filter
from django.urls import reverse

from config.table_cells import link_maker, short_date


@pytest.mark.parametrize("viewname, arguments", [
    ("referral_detail", [1, 42, 918273645, 10**9]),
    ("case_detail", ["CAM-2026-00001", "HUNT-2026-6080", "ref with space", "a&b;c", "é"]),
    ("person_detail", [7, 123456]),
])
def test_a_link_maker_gives_what_reverse_gives(viewname, arguments):
    link = link_maker(viewname)
    assert [link(argument) for argument in arguments] == [reverse(viewname, args=[argument]) for argument in arguments]


def test_a_short_date_is_the_date_filters_j_m_y_in_every_month():
    days = [date(2026, month, day) for month in range(1, 13) for day in (1, 9, 28)] + [date(1999, 12, 31)]
    assert [short_date(day) for day in days] == [date_filter(day, "j M Y") for day in days]
    assert short_date(None) == ""
