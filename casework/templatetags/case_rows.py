"""What each row of a case list shows, made in Python: a page lists 25 cases, and the template language costs some
10 µs for each value it shows, more than half the page's rendering in all (config/table_cells.py)."""

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

from config.table_cells import link_maker, short_date

register = template.Library()

_CASE_ROW = (
    '<tr class="govuk-table__row">'
    '<td class="govuk-table__cell app-nowrap"><a class="govuk-link" href="{url}">{reference}</a>{flag}</td>'
    '<td class="govuk-table__cell">{summary}</td>'
    '<td class="govuk-table__cell">{lead_agency}</td>'
    '<td class="govuk-table__cell">{status}</td>'
    '<td class="govuk-table__cell">{risk}</td>'
    '<td class="govuk-table__cell app-nowrap">{opened}</td>'
    "</tr>\n"
)
_CASE_REVIEW_FLAG = '<br><strong class="govuk-tag govuk-tag--red app-flag">Case Review threshold</strong>'


@register.simple_tag
def case_table_rows(cases) -> SafeString:
    """The body rows of casework/includes/case_table.html, for Cases or CaseRows alike (casework.selectors.cases)."""
    url = link_maker("case_detail")
    return mark_safe("".join(
        _CASE_ROW.format(
            url=escape(url(case.reference)),
            reference=escape(case.reference),
            flag=_CASE_REVIEW_FLAG if case.case_review_flagged_at else "",
            summary=escape(case.summary),
            lead_agency=escape(case.lead_agency.short_name),
            status=escape(case.get_status_display()),
            risk=escape(case.get_risk_level_display()),
            opened=short_date(case.opened_on),
        )
        for case in cases
    ))

