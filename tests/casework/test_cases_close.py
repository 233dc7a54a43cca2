from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import Actor
from casework.models import Case, Intervention
from casework.services.access import case_access_grant
from casework.services.cases import case_close, case_reopen
from tests.casework.factories import make_case
from tests.casework.factories_cases import date_parts, make_action, make_intervention


@pytest.fixture
def case(partnership, police):
    return make_case(partnership=partnership, lead_agency=police, opened_on=timezone.localdate() - timedelta(days=30))


def close_post(case, **overrides):
    return {"outcome": "resolved", "reason": "Tenant moved away", "version": str(case.version),
            **date_parts("closed_on", timezone.localdate()), **overrides}


def test_closing_a_case_with_no_open_work(client, case, police_caseworker):
    client.force_login(police_caseworker)
    page = client.get(reverse("case_close", args=[case.reference])).content.decode()
    assert "Outcome</legend>" in page and "govuk-warning-text" not in page.split("Close the case")[1]
    response = client.post(reverse("case_close", args=[case.reference]), close_post(case))
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.closing_outcome, case.closing_reason, case.closed_on) == ("closed", "resolved", "Tenant moved away", timezone.localdate())
    assert AuditEvent.objects.filter(case_id=case.pk, detail="Case closed").exists()


def test_closing_warns_about_open_actions_and_interventions_and_needs_a_tick(client, case, police, police_caseworker):
    make_action(case=case, description="Visit the complainant", owner_agency=police)
    make_action(case=case, description="Already done", owner_agency=police, done=True)
    make_intervention(case=case, agency=police, status=Intervention.Status.ACTIVE)
    make_intervention(case=case, agency=police, status=Intervention.Status.COMPLETED)
    client.force_login(police_caseworker)
    url = reverse("case_close", args=[case.reference])
    page = client.get(url).content.decode()
    assert "This case still has 1 open action and 1 intervention not finished" in page
    assert "Visit the complainant" in page and "Already done" not in page
    assert "Acceptable Behaviour Contract by Cambridgeshire Constabulary" in page

    refused = client.post(url, close_post(case))
    assert refused.status_code == 200
    assert "Tick to confirm you understand that open actions and interventions stay open" in refused.content.decode()
    assert Case.objects.get(pk=case.pk).status != "closed"

    assert client.post(url, close_post(case, acknowledge="on")).status_code == 302
    assert Case.objects.get(pk=case.pk).status == "closed"


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"outcome": ""}, "Choose the outcome of the case"),
        ({"reason": ""}, "Say why the case is closing"),
        ({"closed_on_0": "30", "closed_on_1": "2", "closed_on_2": "2026"}, "Date closed must be a real date"),
        (date_parts("closed_on", timezone.localdate() + timedelta(days=2)), "Date closed must be today or in the past"),
        (date_parts("closed_on", timezone.localdate() - timedelta(days=400)), "Date closed must be on or after the date the case was opened"),
    ],
)
def test_closing_with_bad_input_says_what_is_wrong(client, case, police_caseworker, overrides, message):
    client.force_login(police_caseworker)
    response = client.post(reverse("case_close", args=[case.reference]), close_post(case, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Case.objects.get(pk=case.pk).status != "closed"


def test_closing_needs_manage_access_others_get_404(client, case, council, council_caseworker):
    case_access_grant(actor=Actor.system(), case=case, agency=council, level="contributor")
    client.force_login(council_caseworker)
    assert client.get(reverse("case_close", args=[case.reference])).status_code == 404
    assert client.post(reverse("case_close", args=[case.reference]), close_post(case)).status_code == 404
    assert client.get(reverse("case_detail", args=[case.reference])).status_code == 200
    assert Case.objects.get(pk=case.pk).status != "closed"


def test_closing_a_case_someone_changed_meanwhile_is_refused_with_the_change_shown(client, case, police_caseworker):
    from casework.services.cases import case_update

    client.force_login(police_caseworker)
    stale = close_post(case)
    case_update(actor=Actor.system(), case=case, expected_version=1, ward="Littleport")
    response = client.post(reverse("case_close", args=[case.reference]), stale)
    page = response.content.decode()
    assert response.status_code == 409
    assert "Ward: (blank) → Littleport" in page
    assert "Tenant moved away" in page and 'name="version" value="2"' in page
    assert Case.objects.get(pk=case.pk).status != "closed"


def test_reopening_a_closed_case_by_the_lead_is_audited(client, case, police_caseworker):
    case = case_close(actor=Actor.system(), case=case, outcome="resolved", reason="Quiet for two months")
    client.force_login(police_caseworker)
    detail = client.get(reverse("case_detail", args=[case.reference])).content.decode()
    assert reverse("case_reopen", args=[case.reference]) in detail
    url = reverse("case_reopen", args=[case.reference])
    assert "Quiet for two months" in client.get(url).content.decode()
    missing = client.post(url, {"reason": "", "version": str(case.version)})
    assert "Say why the case is being reopened" in missing.content.decode()
    response = client.post(url, {"reason": "Music started again", "version": str(case.version)})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.closing_outcome, case.closed_on) == ("open", "", None)
    event = AuditEvent.objects.filter(case_id=case.pk, action="update").latest("id")
    assert event.detail == "Case reopened: Music started again"
    assert event.user == police_caseworker
    assert event.changes["status"] == ["closed", "open"] and event.changes["closing_outcome"] == ["resolved", ""]


def test_reopening_is_for_the_lead_only(client, case, council, council_caseworker):
    case = case_close(actor=Actor.system(), case=case, outcome="resolved", reason="Done")
    case_access_grant(actor=Actor.system(), case=case, agency=council, level="contributor")
    client.force_login(council_caseworker)
    assert client.post(reverse("case_reopen", args=[case.reference]), {"reason": "x", "version": "2"}).status_code == 404
    assert Case.objects.get(pk=case.pk).is_closed


def test_reopen_service_refuses_an_open_case_and_a_missing_reason(case):
    with pytest.raises(ValidationError):
        case_reopen(actor=Actor.system(), case=case, reason="again")
    closed = case_close(actor=Actor.system(), case=case, outcome="other", reason="x")
    with pytest.raises(ValidationError):
        case_reopen(actor=Actor.system(), case=closed, reason="  ")
    assert Case.objects.get(pk=case.pk).is_closed


def test_close_page_for_a_closed_case_goes_back_to_the_case(client, case, police_caseworker):
    case_close(actor=Actor.system(), case=case, outcome="resolved", reason="x")
    client.force_login(police_caseworker)
    response = client.get(reverse("case_close", args=[case.reference]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("case_detail", args=[case.reference])
    assert "is already closed" in response.content.decode()
