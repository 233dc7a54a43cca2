"""What each row of a referrals table shows, made in Python: an agency's inbox shows some seventy referrals, and the
template language costs some 10 µs for each value it shows, more than half the page's rendering in all
(config/table_cells.py)."""

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

from config.table_cells import link_maker, short_date
from referrals.models import Referral

register = template.Library()

_PURPOSE_LABELS = dict(Referral.Purpose.choices)
_STATUS_LABELS = dict(Referral.Status.choices)
_REFERRAL_ROW = (
    '<tr class="govuk-table__row">'
    '<td class="govuk-table__cell"><a class="govuk-link" href="{url}">{reference}<span class="govuk-visually-hidden">'
    " referral from {from_agency} to {to_agency}</span></a>{kind}</td>"
    '<td class="govuk-table__cell">{from_agency}</td>'
    '<td class="govuk-table__cell">{to_agency}</td>'
    '<td class="govuk-table__cell">{purpose}{urgent}</td>'
    '<td class="govuk-table__cell">{respond_by}{overdue}</td>'
    '<td class="govuk-table__cell">{status}</td>'
    "</tr>\n"
)
_URGENT = ' <strong class="govuk-tag govuk-tag--red">Urgent</strong>'
_OVERDUE = ' <strong class="govuk-tag govuk-tag--red" data-testid="overdue">Overdue</strong>'


@register.simple_tag
def referral_table_rows(referrals) -> SafeString:
    """The body rows of referrals/includes/referral_table.html, from the selectors' plain values (TABLE_ROW_VALUES
    and the agencies' short names)."""
    detail_link = link_maker("referral_detail")
    return mark_safe("".join(
        _REFERRAL_ROW.format(
            url=escape(detail_link(row["pk"])),
            reference=escape(row["case__reference"]),
            from_agency=escape(row["from_agency__short_name"]),
            to_agency=escape(row["to_agency__short_name"]),
            kind=f'<br><span class="govuk-body-s">{escape(row["case__kind__name"])}</span>' if row["case__kind__name"] else "",
            purpose=escape(_PURPOSE_LABELS.get(row["purpose"], row["purpose"])),
            urgent=_URGENT if row["priority"] == Referral.Priority.URGENT else "",
            respond_by=short_date(row["respond_by"]),
            overdue=_OVERDUE if row["is_overdue"] else "",
            status=escape(_STATUS_LABELS.get(row["status"], row["status"])),
        )
        for row in referrals
    ))
