"""/api/v1/referrals/: lists, sending, answering, the thread, and the edges (400, 403, 404, 409)."""

import pytest
from rest_framework.test import APIClient

from casework import permissions as P
from casework.permissions import case_permissions
from referrals.models import Referral
from tests.casework.factories import make_case
from tests.referrals.factories_referrals import make_referral


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def case(partnership, council):
    return make_case(partnership=partnership, lead_agency=council, summary="Noise from the flat above")


def test_send_by_case_reference_then_the_receiver_lists_and_accepts(api, case, council, housing, council_caseworker, housing_caseworker):
    api.force_authenticate(council_caseworker)
    created = api.post("/api/v1/referrals/", {"case": case.reference, "to_agency": "sanctuary", "purpose": "contribute", "reason": "Tenancy"}, format="json")
    assert created.status_code == 201, created.data
    assert created.data["case"]["reference"] == case.reference and created.data["status"] == "pending"
    assert created.data["respond_by"]
    referral_id = created.data["id"]
    sent = api.get("/api/v1/referrals/?box=sent")
    assert [row["id"] for row in sent.data["results"]] == [referral_id]
    assert api.get("/api/v1/referrals/").data["results"] == [], "nothing in the sender's inbox"

    api.force_authenticate(housing_caseworker)
    inbox = api.get("/api/v1/referrals/")
    assert [row["id"] for row in inbox.data["results"]] == [referral_id]
    assert inbox.data["results"][0]["case"]["summary"] == "Noise from the flat above"
    assert api.get(f"/api/v1/cases/{case.reference}/").status_code == 404, "no case access before accepting"

    accepted = api.post(f"/api/v1/referrals/{referral_id}/accept/")
    assert accepted.status_code == 200 and accepted.data["status"] == "accepted"
    assert case_permissions(user=housing_caseworker, agency=housing, case=case) == {P.VIEW, P.CONTRIBUTE}
    assert api.get(f"/api/v1/cases/{case.reference}/").status_code == 200

    again = api.post(f"/api/v1/referrals/{referral_id}/accept/")
    assert again.status_code == 409
    assert "already accepted by Sanctuary Housing" in again.data["detail"]
    assert api.post(f"/api/v1/referrals/{referral_id}/decline/", {"reason": "Changed our mind"}, format="json").status_code == 409


def test_404_for_a_referral_the_agency_neither_sent_nor_received(api, case, council, housing, council_caseworker, fire_caseworker):
    referral = make_referral(case=case, from_agency=council, to_agency=housing, by=council_caseworker)
    api.force_authenticate(fire_caseworker)
    assert api.get(f"/api/v1/referrals/{referral.pk}/").status_code == 404
    for action in ("accept", "decline", "withdraw", "messages"):
        assert api.post(f"/api/v1/referrals/{referral.pk}/{action}/", {"reason": "x", "text": "x"}, format="json").status_code == 404
    assert api.get(f"/api/v1/referrals/{referral.pk}/messages/").status_code == 404
    assert api.get("/api/v1/referrals/999999/").status_code == 404
    assert Referral.objects.get(pk=referral.pk).status == "pending"


def test_sending_edges(api, case, council, housing, police, council_caseworker, police_caseworker, fire_caseworker):
    api.force_authenticate(fire_caseworker)
    hidden = api.post("/api/v1/referrals/", {"case": case.reference, "to_agency": "sanctuary", "purpose": "contribute", "reason": "x"}, format="json")
    assert hidden.status_code == 404, "a case the caller may not see is not found"

    from audit.services import Actor
    from casework.models import CaseAccess
    from casework.services.access import case_access_grant

    case_access_grant(actor=Actor.system(), case=case, agency=police, level=CaseAccess.Level.CONTRIBUTOR)
    api.force_authenticate(police_caseworker)
    forbidden = api.post("/api/v1/referrals/", {"case": case.reference, "to_agency": "sanctuary", "purpose": "contribute", "reason": "x"}, format="json")
    assert forbidden.status_code == 403

    api.force_authenticate(council_caseworker)
    for payload, field in [
        ({"to_agency": "sanctuary", "purpose": "contribute"}, "reason"),
        ({"to_agency": "no-such-agency", "purpose": "contribute", "reason": "x"}, "to_agency"),
        ({"to_agency": "ecdc", "purpose": "contribute", "reason": "x"}, "to_agency"),
        ({"to_agency": "sanctuary", "purpose": "adopt", "reason": "x"}, "purpose"),
        ({"to_agency": "sanctuary", "purpose": "contribute", "reason": "x", "respond_by": "2020-01-01"}, "respond_by"),
    ]:
        response = api.post("/api/v1/referrals/", {"case": case.reference, **payload}, format="json")
        assert response.status_code == 400 and field in response.data, (payload, response.data)
    assert not Referral.objects.exists()


def test_decline_withdraw_and_thread_over_the_api(api, case, council, housing, police, council_caseworker, housing_caseworker):
    first = make_referral(case=case, from_agency=council, to_agency=housing, by=council_caseworker)
    second = make_referral(case=case, from_agency=council, to_agency=police, by=council_caseworker)

    api.force_authenticate(housing_caseworker)
    assert api.post(f"/api/v1/referrals/{first.pk}/messages/", {"text": ""}, format="json").status_code == 400
    asked = api.post(f"/api/v1/referrals/{first.pk}/messages/", {"text": "Which flat?"}, format="json")
    assert asked.status_code == 201 and asked.data["agency"] == "sanctuary"
    assert api.post(f"/api/v1/referrals/{first.pk}/withdraw/").status_code == 403
    assert api.post(f"/api/v1/referrals/{first.pk}/decline/", {}, format="json").status_code == 400
    declined = api.post(f"/api/v1/referrals/{first.pk}/decline/", {"reason": "Not our tenant"}, format="json")
    assert declined.status_code == 200 and declined.data["decline_reason"] == "Not our tenant"
    assert case_permissions(user=housing_caseworker, agency=housing, case=case) == set()

    api.force_authenticate(council_caseworker)
    answered = api.post(f"/api/v1/referrals/{first.pk}/messages/", {"text": "Flat 2"}, format="json")
    assert answered.status_code == 201
    thread = api.get(f"/api/v1/referrals/{first.pk}/messages/")
    assert [(m["agency"], m["text"]) for m in thread.data] == [("sanctuary", "Which flat?"), ("ecdc", "Flat 2")]
    assert api.post(f"/api/v1/referrals/{second.pk}/accept/").status_code == 403
    withdrawn = api.post(f"/api/v1/referrals/{second.pk}/withdraw/")
    assert withdrawn.status_code == 200 and withdrawn.data["status"] == "withdrawn"
    assert api.post(f"/api/v1/referrals/{second.pk}/withdraw/").status_code == 409


def test_the_api_needs_authentication(api, case, council, housing, council_caseworker):
    referral = make_referral(case=case, from_agency=council, to_agency=housing, by=council_caseworker)
    assert api.get("/api/v1/referrals/").status_code in (401, 403)
    assert api.post(f"/api/v1/referrals/{referral.pk}/accept/").status_code in (401, 403)
    assert Referral.objects.get(pk=referral.pk).status == "pending"
