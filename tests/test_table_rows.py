"""The case and referral tables' rows are made in Python (casework/templatetags/case_rows.py,
referrals/templatetags/referral_rows.py). Each must show exactly what the template language shows for the same row,
escaping included: the references below are those rows written with the general tags."""

import re
from datetime import date, datetime, timezone as dt_timezone
from types import SimpleNamespace

import pytest
from django.template import Context, Template

CASE_ROW_TEMPLATE = """{% for case in cases %}<tr class="govuk-table__row">
<td class="govuk-table__cell app-nowrap"><a class="govuk-link" href="{% url 'case_detail' case.reference %}">{{ case.reference }}</a>
{% if case.case_review_flagged_at %}<br><strong class="govuk-tag govuk-tag--red app-flag">Case Review threshold</strong>{% endif %}</td>
<td class="govuk-table__cell">{{ case.summary }}</td>
<td class="govuk-table__cell">{{ case.lead_agency.short_name }}</td>
<td class="govuk-table__cell">{{ case.get_status_display }}</td>
<td class="govuk-table__cell">{{ case.get_risk_level_display }}</td>
<td class="govuk-table__cell app-nowrap">{{ case.opened_on|date:"j M Y" }}</td>
</tr>{% endfor %}"""

REFERRAL_ROW_TEMPLATE = """{% for referral in referrals %}<tr class="govuk-table__row">
<td class="govuk-table__cell"><a class="govuk-link" href="{% url 'referral_detail' referral.pk %}">{{ referral.case__reference }}<span class="govuk-visually-hidden"> referral from {{ referral.from_agency__short_name }} to {{ referral.to_agency__short_name }}</span></a>{% if referral.case__kind__name %}<br><span class="govuk-body-s">{{ referral.case__kind__name }}</span>{% endif %}</td>
<td class="govuk-table__cell">{{ referral.from_agency__short_name }}</td>
<td class="govuk-table__cell">{{ referral.to_agency__short_name }}</td>
<td class="govuk-table__cell">{{ referral.purpose_label }}{% if referral.priority == "urgent" %} <strong class="govuk-tag govuk-tag--red">Urgent</strong>{% endif %}</td>
<td class="govuk-table__cell">{{ referral.respond_by|date:"j M Y" }}{% if referral.is_overdue %} <strong class="govuk-tag govuk-tag--red" data-testid="overdue">Overdue</strong>{% endif %}</td>
<td class="govuk-table__cell">{{ referral.status_label }}</td>
</tr>{% endfor %}"""


def _same_markup(html: str) -> str:
    """Whitespace between and around tags does not change what a row shows."""
    return re.sub(r"\s*(<[^>]+>)\s*", r"\1", html).strip()


def test_a_case_row_shows_what_the_template_language_shows():
    from casework.selectors.cases import CaseRow, LeadAgencyName

    cases = [
        CaseRow(1, "ECAM-2026-1", "<b>Loud</b> & \"late\" 'music'", "open", "high", date(2026, 9, 4),
                datetime(2026, 9, 5, tzinfo=dt_timezone.utc), LeadAgencyName("Police & <Fire>")),
        CaseRow(2, "PBRO-2026-11102", "", "closed", "standard", date(2025, 12, 31), None, LeadAgencyName("ECDC")),
        CaseRow(3, "X-2026-3", "Odd status", "not-a-status", "not-a-level", date(2026, 1, 1), None, LeadAgencyName("")),
    ]
    made = Template("{% load case_rows %}{% case_table_rows cases %}").render(Context({"cases": cases}))
    expected = Template(CASE_ROW_TEMPLATE).render(Context({"cases": cases}))
    assert _same_markup(made) == _same_markup(expected)
    assert "&lt;b&gt;Loud&lt;/b&gt; &amp; &quot;late&quot; &#x27;music&#x27;" in made and made.count("Case Review threshold") == 1
    assert Template("{% load case_rows %}{% case_table_rows cases %}").render(Context({"cases": []})) == ""


def test_a_referral_row_shows_what_the_template_language_shows():
    from referrals.models import Referral

    def row(pk, **values):
        base = {
            "pk": pk, "case__reference": "ECAM-2026-1", "case__kind__name": "Noise", "from_agency__short_name": "Police",
            "to_agency__short_name": "ECDC", "purpose": Referral.Purpose.TAKE_LEAD, "priority": Referral.Priority.ROUTINE,
            "respond_by": date(2026, 12, 4), "status": Referral.Status.PENDING, "is_overdue": False,
        }
        return {**base, **values}

    referrals = [
        row(1),
        row(2, case__kind__name=None, priority=Referral.Priority.URGENT, is_overdue=True, from_agency__short_name="<Fire & Rescue>"),
        row(3, case__reference="A&B-1", status=Referral.Status.DECLINED, purpose="not-a-purpose", respond_by=date(2027, 1, 9)),
    ]
    made = Template("{% load referral_rows %}{% referral_table_rows referrals %}").render(Context({"referrals": referrals}))
    labelled = [
        {**r, "purpose_label": dict(Referral.Purpose.choices).get(r["purpose"], r["purpose"]),
         "status_label": dict(Referral.Status.choices)[r["status"]]}
        for r in referrals
    ]
    expected = Template(REFERRAL_ROW_TEMPLATE).render(Context({"referrals": labelled}))
    assert _same_markup(made) == _same_markup(expected)
    assert made.count("Urgent") == 1 and made.count('data-testid="overdue"') == 1 and made.count("govuk-body-s") == 2
    assert "&lt;Fire &amp; Rescue&gt;" in made and "A&amp;B-1" in made


INCIDENT_ROW_TEMPLATE = """{% for incident, is_complaint in incidents %}<tr class="govuk-table__row">
<td class="govuk-table__cell">{{ incident.occurred_at|date:"j M Y" }}<br>{{ incident.occurred_at|date:"H:i" }}</td>
<td class="govuk-table__cell">{{ incident.reported_on|date:"j M Y" }}, {{ incident.get_channel_display|lower }}<br>
{% if incident.reported_by %}by {{ incident.reported_by.first_name }} {{ incident.reported_by.last_name }}{% else %}no reporter recorded{% endif %}
{% if is_complaint %}<br><strong class="govuk-tag govuk-tag--blue app-flag">Complaint</strong>{% endif %}</td>
<td class="govuk-table__cell">{% if incident.is_hate_motivated %}<strong class="govuk-tag govuk-tag--red app-flag">Hate incident</strong><br>{% endif %}{{ incident.description|linebreaksbr }}
<span class="govuk-body-s govuk-!-display-block govuk-!-margin-top-1">Logged by {% if incident.created_by %}{{ incident.created_by.get_full_name|default:incident.created_by.username }}{% else %}the system{% endif %}{% if incident.agency %}, {{ incident.agency.short_name }}{% endif %}</span></td>
<td class="govuk-table__cell">{{ incident.other_references|default:"None" }}</td>
</tr>{% endfor %}"""


def test_an_incident_row_shows_what_the_template_language_shows():
    """Times in local time (British Summer Time and not), reporters, loggers, line breaks and escaping."""
    from casework.models import Incident

    def incident(**values):
        base = {
            "occurred_at": datetime(2026, 7, 1, 23, 30, tzinfo=dt_timezone.utc), "reported_on": date(2026, 7, 2),
            "channel": Incident.Channel.choices[0][0], "description": "Shouting\nand <banging> & more\r\nat night",
            "is_hate_motivated": False, "other_references": "",
            "reported_by": SimpleNamespace(first_name="Jo", last_name="O'Neil <Jr>"),
            "created_by": SimpleNamespace(get_full_name=lambda: "", username="pc-smith"),
            "agency": SimpleNamespace(short_name="Police & Co"),
        }
        base.update(values)
        made = SimpleNamespace(**base)
        made.get_channel_display = lambda: dict(Incident.Channel.choices).get(made.channel, made.channel)
        return made

    incidents = [
        (incident(), True),
        (incident(occurred_at=datetime(2026, 1, 15, 9, 5, tzinfo=dt_timezone.utc), is_hate_motivated=True, reported_by=None,
                  created_by=None, agency=None, other_references="CAD 123 & <x>"), False),
        (incident(channel=Incident.Channel.choices[-1][0], created_by=SimpleNamespace(get_full_name=lambda: "Pat Smith", username="ps")), False),
    ]
    made = Template("{% load incident_rows %}{% incident_table_rows incidents %}").render(Context({"incidents": incidents}))
    expected = Template(INCIDENT_ROW_TEMPLATE).render(Context({"incidents": incidents}))
    assert _same_markup(made) == _same_markup(expected)
    assert "2 Jul 2026<br>00:30" in made and "15 Jan 2026<br>09:05" in made  # BST, then GMT
    assert "Shouting<br>and &lt;banging&gt; &amp; more<br>at night" in made and "O&#x27;Neil &lt;Jr&gt;" in made
    assert made.count("Complaint</strong>") == 1 and made.count("Hate incident") == 1 and "Logged by the system" in made
