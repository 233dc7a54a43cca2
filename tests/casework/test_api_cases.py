import pytest
from rest_framework.test import APIClient

from audit.models import AuditEvent
from casework.models import Case
from tests.casework.factories import make_case
from tests.agencies.factories_security import token_request


@pytest.fixture
def api():
    return APIClient()


def test_token_for_scripts_and_list_of_visible_cases(api, partnership, police, council, police_caseworker):
    mine = make_case(partnership=partnership, lead_agency=police)
    theirs = make_case(partnership=partnership, lead_agency=council)
    token = api.post("/api/v1/auth/token/", token_request(police_caseworker)).data["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api.get("/api/v1/cases/")
    assert response.status_code == 200
    references = [row["reference"] for row in response.data["results"]]
    assert references == [mine.reference]
    assert theirs.reference not in references


def test_case_by_reference_and_404_for_another_agencys_case(api, partnership, police, council, council_caseworker):
    case = make_case(partnership=partnership, lead_agency=police)
    api.force_authenticate(council_caseworker)
    assert api.get(f"/api/v1/cases/{case.reference}/").status_code == 404
    assert api.get("/api/v1/cases/ECAM-2099-0001/").status_code == 404


def test_open_update_and_close_through_the_api(api, partnership, police, police_caseworker):
    api.force_authenticate(police_caseworker)
    created = api.post("/api/v1/cases/", {"summary": "Noise from no. 4", "category": "nuisance", "kind": "neighbour-noise"}, format="json")
    assert created.status_code == 201, created.data
    reference = created.data["reference"]
    assert reference.startswith("ECAM-")
    assert created.data["lead_agency"] == "cambs-police"

    updated = api.patch(f"/api/v1/cases/{reference}/", {"postcode": "CB7 4AB", "version": created.data["version"]}, format="json")
    assert updated.status_code == 200 and updated.data["postcode"] == "CB7 4AB"

    stale = api.patch(f"/api/v1/cases/{reference}/", {"postcode": "CB6 1AA", "version": created.data["version"]}, format="json")
    assert stale.status_code == 409
    assert stale.data["changes"]["postcode"] == ["", "CB7 4AB"]

    closed = api.post(f"/api/v1/cases/{reference}/close/", {"outcome": "resolved", "reason": "Moved away"}, format="json")
    assert closed.status_code == 200 and closed.data["status"] == "closed"
    assert AuditEvent.objects.filter(case_id=Case.objects.get(reference=reference).pk).count() >= 4


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"summary": "", "category": "nuisance"}, "summary"),
        ({"summary": "x", "category": "weather"}, "category"),
        ({"summary": "x", "category": "nuisance", "kind": "no-such-kind"}, "kind"),
        ({"summary": "x", "category": "nuisance", "latitude": "999"}, "latitude"),
        ({"summary": "x", "category": "nuisance", "opened_on": "31/02/2026"}, "opened_on"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api, partnership, police, police_caseworker, payload, field):
    api.force_authenticate(police_caseworker)
    response = api.post("/api/v1/cases/", payload, format="json")
    assert response.status_code == 400
    assert field in response.data
    assert not Case.objects.exists()


def test_lead_agency_not_serving_the_partnership_is_a_400(api, partnership, other_partnership, police, police_caseworker):
    from tests.agencies.factories import make_agency

    elsewhere = make_agency(partnerships=[other_partnership], slug="fenland-dc")
    api.force_authenticate(police_caseworker)
    response = api.post("/api/v1/cases/", {"summary": "x", "category": "nuisance", "lead_agency": elsewhere.slug}, format="json")
    assert response.status_code == 400 and "lead_agency" in response.data


def test_information_only_agency_cannot_change_or_close(api, partnership, police, council, council_caseworker):
    from audit.services import Actor
    from casework.services.access import case_access_grant

    case = make_case(partnership=partnership, lead_agency=police)
    case_access_grant(actor=Actor.system(), case=case, agency=council, level="information")
    api.force_authenticate(council_caseworker)
    assert api.get(f"/api/v1/cases/{case.reference}/").status_code == 200
    assert api.patch(f"/api/v1/cases/{case.reference}/", {"ward": "x", "version": 1}, format="json").status_code == 404
    assert api.post(f"/api/v1/cases/{case.reference}/close/", {"outcome": "resolved"}, format="json").status_code == 404


def test_anonymous_gets_401_or_403(api, db):
    assert api.get("/api/v1/cases/").status_code == 401


def test_schema_and_docs_are_served(client, police_caseworker):
    client.force_login(police_caseworker)
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200
