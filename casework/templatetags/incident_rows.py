"""What each row of a case's incidents table shows, made in Python: a busy case lists dozens of incidents, and the
template language costs some 10 µs for each value it shows, half of the Incidents tab's time (config/table_cells.py)."""

from html import escape

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from config.table_cells import short_date

register = template.Library()

_INCIDENT_ROW = (
    '<tr class="govuk-table__row">'
    '<td class="govuk-table__cell">{happened_day}<br>{happened_time}</td>'
    '<td class="govuk-table__cell">{reported_on}, {channel}<br>{reporter}{complaint}</td>'
    '<td class="govuk-table__cell">{hate}{description}'
    '<span class="govuk-body-s govuk-!-display-block govuk-!-margin-top-1">Logged by {logged_by}{agency}</span></td>'
    '<td class="govuk-table__cell">{other_references}</td>'
    "</tr>\n"
)
_COMPLAINT = '<br><strong class="govuk-tag govuk-tag--blue app-flag">Complaint</strong>'
_HATE = '<strong class="govuk-tag govuk-tag--red app-flag">Hate incident</strong><br>'


def _logged_by(user) -> str:
    return escape(user.get_full_name() or user.username) if user is not None else "the system"


@register.simple_tag
def incident_table_rows(incidents) -> SafeString:
    """The body rows of the Incidents tab's table, from (incident, whether it counts as a complaint) pairs, each
    incident with its reporter, logger and agency (casework.selectors.incidents.incident_list)."""
    rows = []
    for incident, is_complaint in incidents:
        happened = timezone.localtime(incident.occurred_at)
        reporter = incident.reported_by
        rows.append(_INCIDENT_ROW.format(
            happened_day=short_date(happened),
            happened_time=f"{happened:%H:%M}",
            reported_on=short_date(incident.reported_on),
            channel=escape(incident.get_channel_display().lower()),
            reporter=f"by {escape(reporter.first_name)} {escape(reporter.last_name)}" if reporter else "no reporter recorded",
            complaint=_COMPLAINT if is_complaint else "",
            hate=_HATE if incident.is_hate_motivated else "",
            description=linebreaksbr(incident.description, autoescape=True),
            logged_by=_logged_by(incident.created_by),
            agency=f", {escape(incident.agency.short_name)}" if incident.agency else "",
            other_references=escape(incident.other_references or "None"),
        ))
    return mark_safe("".join(rows))
