import pytest
from django.urls import reverse

from agencies.models import Membership
from audit.models import AuditEvent
from audit.services import Actor
from casework.services.access import case_access_grant
from casework.services.cases import case_update
from tests.agencies.factories import make_member
from tests.casework.factories import make_case


@pytest.fixture
def case(partnership, council, council_caseworker):
    case = make_case(partnership=partnership, lead_agency=council)
    return case_update(actor=Actor(user=council_caseworker, agency=council), case=case, expected_version=1, ward="Ely East", risk_level="high")


def test_the_lead_agencys_supervisor_sees_who_did_what_newest_first(client, case, council_supervisor, council_caseworker):
    client.force_login(council_supervisor)
    response = client.get(reverse("case_history", args=[case.reference]))
    page = response.content.decode()
    assert response.status_code == 200
    rows = page.split('data-testid="case-history"')[1].split("<tbody")[1].split('<tr class="govuk-table__row">')[1:]
    assert "Changed" in rows[0] and council_caseworker.get_full_name() in rows[0]
    assert "East Cambridgeshire District Council" in rows[0]
    assert "<strong>Ward</strong>: (blank) → Ely East" in rows[0]
    assert "<strong>Risk to the victim</strong>: Not assessed → High" in rows[0]
    assert "Created" in rows[-2] or "Created" in rows[-1]
    assert reverse("case_history", args=[case.reference]) in page  # the tab is there


def test_history_pages_through_long_trails(client, case, council_supervisor):
    for n in range(30):
        case = case_update(actor=Actor.system(), case=case, expected_version=case.version, summary=f"Summary {n}")
    client.force_login(council_supervisor)
    first = client.get(reverse("case_history", args=[case.reference]))
    assert len(first.context["page"].object_list) == 25
    assert "Summary 28 → Summary 29" in first.content.decode()
    second = client.get(reverse("case_history", args=[case.reference]), {"page": 2})
    assert second.status_code == 200 and "Noise from the flat above → Summary 0" in second.content.decode()


def test_viewing_history_is_itself_audited(client, case, council_supervisor):
    client.force_login(council_supervisor)
    client.get(reverse("case_history", args=[case.reference]))
    assert AuditEvent.objects.filter(case_id=case.pk, action="view", detail="History", user=council_supervisor).exists()


def test_an_agency_administrator_of_the_lead_agency_sees_it(client, case, council, partnership):
    admin = make_member(agency=council, partnership=partnership, role=Membership.Role.AGENCY_ADMIN, username="council-admin")
    client.force_login(admin)
    assert client.get(reverse("case_history", args=[case.reference])).status_code == 200


def test_others_get_404_for_the_history_tab_and_the_attempt_is_audited(client, case, council_caseworker, police, partnership):
    police_supervisor = make_member(agency=police, partnership=partnership, role=Membership.Role.SUPERVISOR, username="police-sup")
    url = reverse("case_history", args=[case.reference])

    client.force_login(council_caseworker)  # the lead agency, but not a supervisor
    assert client.get(url).status_code == 404
    assert client.get(reverse("case_detail", args=[case.reference])).status_code == 200
    assert AuditEvent.objects.filter(case_id=case.pk, action="denied", user=council_caseworker, detail="Asked for History").exists()

    client.force_login(police_supervisor)  # a supervisor, but of an agency that may not see the case
    assert client.get(url).status_code == 404
    case_access_grant(actor=Actor.system(), case=case, agency=police, level="contributor")
    assert client.get(url).status_code == 404  # a contributor, not the lead
    assert client.get(reverse("case_detail", args=[case.reference])).status_code == 200
