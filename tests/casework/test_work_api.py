from datetime import date, timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AuditEvent
from casework import intervention_rules
from casework.models import Action, Intervention, InterventionType, Note
from tests.casework.factories import make_case
from tests.casework.factories_work import born_years_before, grant, make_action, make_intervention, make_person

START = date(2026, 3, 10)


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def case(partnership, police):
    return make_case(partnership=partnership, lead_agency=police, summary="Intimidation of an elderly neighbour", kind_slug="intimidation-harassment")


def _base(case):
    return f"/api/v1/cases/{case.reference}"


@pytest.mark.parametrize("path", ["interventions/", "actions/", "notes/"])
def test_cases_the_caller_may_not_see_are_404(api, case, council_caseworker, path):
    api.force_authenticate(council_caseworker)
    assert api.get(f"{_base(case)}/{path}").status_code == 404
    assert api.post(f"{_base(case)}/{path}", {}, format="json").status_code == 404
    assert api.get(f"/api/v1/cases/ECAM-2099-0001/{path}").status_code == 404


def test_information_only_agency_may_read_but_writes_are_404(api, case, police, council, council_caseworker):
    grant(case, council, "information")
    make_intervention(case=case, type=InterventionType.WARNING_LETTER, delivering_agency=police)
    api.force_authenticate(council_caseworker)
    assert len(api.get(f"{_base(case)}/interventions/").data) == 1
    response = api.post(f"{_base(case)}/interventions/", {"type": "abc", "delivering_agency": "ecdc"}, format="json")
    assert response.status_code == 404
    assert Intervention.objects.count() == 1


def test_record_an_intervention_change_it_and_record_a_breach(api, case, police, police_caseworker):
    person = make_person(case=case, date_of_birth=date(1985, 5, 1))
    api.force_authenticate(police_caseworker)
    created = api.post(f"{_base(case)}/interventions/", {
        "type": "cpw", "delivering_agency": "cambs-police", "person": person.pk, "start_on": "2026-03-01", "status": "active",
    }, format="json")
    assert created.status_code == 201, created.data
    assert created.data["type_label"] == "Community Protection Warning" and created.data["person_name"] == "Jordan Reed"
    assert created.data["warnings"] == []
    pk = created.data["id"]

    changed = api.patch(f"{_base(case)}/interventions/{pk}/", {"review_on": "2026-03-15"}, format="json")
    assert changed.status_code == 200 and changed.data["review_on"] == "2026-03-15"

    breach = api.post(f"{_base(case)}/interventions/{pk}/breaches/", {"occurred_on": "2026-03-05", "notes": "Filmed the neighbour"}, format="json")
    assert breach.status_code == 201
    detail = api.get(f"{_base(case)}/interventions/{pk}/").data
    assert detail["status"] == "breached" and detail["breaches"][0]["notes"] == "Filmed the neighbour"

    notice = api.post(f"{_base(case)}/interventions/", {
        "type": "cpn", "delivering_agency": "cambs-police", "person": person.pk, "start_on": "2026-03-10",
    }, format="json")
    assert notice.status_code == 201, notice.data
    assert AuditEvent.objects.filter(object_type="intervention", case_id=case.pk, username="police-cw").count() >= 4


def test_legal_limits_are_400_with_the_rule_per_field(api, case, police_caseworker):
    api.force_authenticate(police_caseworker)
    nine = make_person(case=case, first_name="Nine", date_of_birth=born_years_before(START, 9))
    injunction = api.post(f"{_base(case)}/interventions/", {
        "type": "civil_injunction", "delivering_agency": "cambs-police", "person": nine.pk, "start_on": START.isoformat(),
    }, format="json")
    assert injunction.status_code == 400
    assert injunction.data["person"][0].startswith(intervention_rules.AGE_RULES[InterventionType.CIVIL_INJUNCTION])

    adult = make_person(case=case, first_name="Adult", date_of_birth=date(1980, 1, 1))
    notice = api.post(f"{_base(case)}/interventions/", {"type": "cpn", "delivering_agency": "cambs-police", "person": adult.pk}, format="json")
    assert notice.status_code == 400 and notice.data["type"] == [intervention_rules.CPN_NEEDS_WARNING]

    dates = api.post(f"{_base(case)}/interventions/", {
        "type": "abc", "delivering_agency": "cambs-police", "start_on": "2026-03-10", "end_on": "2026-03-01",
    }, format="json")
    assert dates.status_code == 400 and "end_on" in dates.data
    assert not Intervention.objects.exists()


def test_unknown_date_of_birth_is_201_with_a_warning(api, case, police_caseworker):
    api.force_authenticate(police_caseworker)
    person = make_person(case=case, date_of_birth=None)
    response = api.post(f"{_base(case)}/interventions/", {"type": "cpw", "delivering_agency": "cambs-police", "person": person.pk}, format="json")
    assert response.status_code == 201
    assert "date of birth is not recorded" in response.data["warnings"][0]


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"type": "tea-and-biscuits", "delivering_agency": "cambs-police"}, "type"),
        ({"type": "abc", "delivering_agency": "no-such-agency"}, "delivering_agency"),
        ({"type": "abc", "delivering_agency": "cambs-police", "start_on": "31/02/2026"}, "start_on"),
        ({"type": "abc", "delivering_agency": "cambs-police", "status": "breached"}, "status"),
    ],
)
def test_bad_intervention_input_is_400_naming_the_field(api, case, police_caseworker, payload, field):
    api.force_authenticate(police_caseworker)
    response = api.post(f"{_base(case)}/interventions/", payload, format="json")
    assert response.status_code == 400 and field in response.data


def test_person_on_another_case_is_400_not_a_leak(api, partnership, police, case, police_caseworker):
    other_case = make_case(partnership=partnership, lead_agency=police)
    elsewhere = make_person(case=other_case)
    api.force_authenticate(police_caseworker)
    response = api.post(f"{_base(case)}/interventions/", {"type": "abc", "delivering_agency": "cambs-police", "person": elsewhere.pk}, format="json")
    assert response.status_code == 400 and "person" in response.data


def test_intervention_of_another_case_is_404(api, partnership, police, case, police_caseworker):
    other = make_intervention(case=make_case(partnership=partnership, lead_agency=police), type=InterventionType.ABC, delivering_agency=police)
    api.force_authenticate(police_caseworker)
    assert api.patch(f"{_base(case)}/interventions/{other.pk}/", {"status": "active"}, format="json").status_code == 404
    assert api.post(f"{_base(case)}/interventions/{other.pk}/breaches/", {"occurred_on": "2026-03-01"}, format="json").status_code == 404


def test_actions_create_mark_done_and_reopen(api, case, police, police_caseworker):
    api.force_authenticate(police_caseworker)
    yesterday = timezone.localdate() - timedelta(days=1)
    created = api.post(f"{_base(case)}/actions/", {"description": "Take a statement", "owner_user": "police-cw", "due_on": yesterday.isoformat()}, format="json")
    assert created.status_code == 201, created.data
    assert created.data["is_overdue"] is True and created.data["owner_user"] == "police-cw"
    pk = created.data["id"]
    done = api.patch(f"{_base(case)}/actions/{pk}/", {"done_on": yesterday.isoformat()}, format="json")
    assert done.status_code == 200 and done.data["done_on"] == yesterday.isoformat() and done.data["is_overdue"] is False
    reopened = api.patch(f"{_base(case)}/actions/{pk}/", {"done_on": None}, format="json")
    assert reopened.data["done_on"] is None and reopened.data["is_overdue"] is True
    listed = api.get(f"{_base(case)}/actions/").data
    assert [a["description"] for a in listed] == ["Take a statement"]


def test_action_bad_input_is_400_and_nothing_half_written(api, case, council, police_caseworker, council_caseworker):
    api.force_authenticate(police_caseworker)
    no_owner = api.post(f"{_base(case)}/actions/", {"description": "x"}, format="json")
    assert no_owner.status_code == 400 and "owner" in no_owner.data
    outsider = api.post(f"{_base(case)}/actions/", {"description": "x", "owner_user": "council-cw"}, format="json")
    assert outsider.status_code == 400 and "owner_user" in outsider.data
    agency = api.post(f"{_base(case)}/actions/", {"description": "x", "owner_agency": "ecdc"}, format="json")
    assert agency.status_code == 400 and "does not have access" in agency.data["owner"][0]
    action = make_action(case=case, description="Visit")
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = api.patch(f"{_base(case)}/actions/{action.pk}/", {"description": "Visit again", "done_on": future}, format="json")
    assert response.status_code == 400 and "done_on" in response.data
    action.refresh_from_db()
    assert action.description == "Visit" and action.done_on is None
    assert Action.objects.count() == 1


def test_notes_post_writes_for_the_acting_agency(api, case, police, council, police_caseworker):
    grant(case, council)
    api.force_authenticate(police_caseworker)
    response = api.post(f"{_base(case)}/notes/", {"text": "Spoke to the neighbour", "marking": "official_sensitive", "shared_with": ["ecdc"]}, format="json")
    assert response.status_code == 201, response.data
    assert response.data["agency"] == "cambs-police" and response.data["shared_with"] == ["ecdc"]
    assert Note.objects.get().author == police_caseworker
    empty = api.post(f"{_base(case)}/notes/", {"text": "", "marking": "official"}, format="json")
    assert empty.status_code == 400 and "text" in empty.data
    outsider = api.post(f"{_base(case)}/notes/", {"text": "x", "marking": "official_sensitive", "shared_with": ["sanctuary"]}, format="json")
    assert outsider.status_code == 400
    assert Note.objects.count() == 1


def test_schema_documents_the_work_endpoints(client, police_caseworker):
    client.force_login(police_caseworker)
    schema = client.get("/api/schema/").content.decode()
    for path in ("/interventions/", "/interventions/{id}/breaches/", "/actions/{id}/", "/notes/"):
        assert path in schema
