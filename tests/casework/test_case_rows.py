from datetime import date

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation


@pytest.mark.parametrize("reference", ["ECAM-2026-1", "PBRO-2026-11102", "odd ref/with:chars&<>"])
def test_case_url_is_the_case_pages_address(reference):
    rendered = Template("{% load case_rows %}{{ reference|case_url }}").render(Context({"reference": reference}))
    expected = Template("{% url 'case_detail' reference %}").render(Context({"reference": reference})) if "/" not in reference else None
    assert rendered.startswith(reverse("case_list"))
    if expected is not None:
        assert rendered == expected


def test_day_month_year_is_the_date_filters_j_M_Y():
    days = [date(2026, month, day) for month in range(1, 13) for day in (1, 9, 28)] + [date(1999, 12, 31)]
    with translation.override("en-gb"):
        for day in days:
            context = Context({"day": day})
            assert Template("{% load case_rows %}{{ day|day_month_year }}").render(context) == Template('{{ day|date:"j M Y" }}').render(context)
    assert Template("{% load case_rows %}{{ day|day_month_year }}").render(Context({"day": None})) == ""
