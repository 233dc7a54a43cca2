"""Filters for what each row of a case list shows, at a small fraction of the cost of the general tags they stand
for: a page lists 25 cases, and {% url %} and |date cost some 30-40 µs a row between them (config/table_cells.py)."""

from django import template

from config.table_cells import link_maker, short_date

register = template.Library()


@register.filter
def case_url(reference) -> str:
    """{% url 'case_detail' reference %}, from one reverse() per process."""
    return link_maker("case_detail")(reference)


@register.filter
def day_month_year(value) -> str:
    """|date:"j M Y" ("4 Sep 2026")."""
    return short_date(value)
