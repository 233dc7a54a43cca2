"""/api/v1/cases/<reference>/incidents/, case-review-requests/, risk-questions/ and risk-assessments/."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AuditEvent
from audit.services import Actor
from casework.models import CaseReviewRequest, Incident, RiskAssessment
from casework.services.access import case_access_grant
from tests.casework.factories import make_case
from tests.casework.factories_incidents import make_incident, make_person_on_case


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def case(partnership, police):
    return make_case(partnership=partnership, lead_agency=police, summary="Intimidation of an elderly neighbour")


@pytest.fixture
def victim(case):
    return make_person_on_case(case=case)


def incident_payload(**overrides):
    payload = {
        "occurred_at": "2026-03-03T21:30:00Z", "reported_on": "2026-03-04", "channel": "police",
        "description": "Banging on the door after dark", "other_references": "CC-INC-1530",
    }
    payload.update(overrides)
    return payload


def test_incidents_list_newest_first_and_log_one_that_flags_the_case(api, case, victim, police_caseworker):
    make_incident(case=case, on=date(2026, 1, 12), reported_by=victim)
    make_incident(case=case, on=date(2026, 2, 10), reported_by=victim, reported_on=date(2026, 3, 30))
    api.force_authenticate(police_caseworker)
    url = f"/api/v1/cases/{case.reference}/incidents/"
    created = api.post(url, incident_payload(reported_by=victim.pk, channel="phone"), format="json")
    assert created.status_code == 201, created.data
    assert created.data["reported_by"] == {"id": victim.pk, "name": "Edith Clarke"}
    assert created.data["is_complaint"] is True and created.data["agency"] == "cambs-police"

    listed = api.get(url)
    assert listed.status_code == 200
    assert [row["occurred_at"][:10] for row in listed.data] == ["2026-03-03", "2026-02-10", "2026-01-12"]
    assert [row["is_complaint"] for row in listed.data] == [True, False, True]  # the February one was reported late
    assert api.get(f"/api/v1/cases/{case.reference}/").data["over_case_review_threshold"] is False

    api.post(url, incident_payload(occurred_at="2026-02-20T10:00:00Z", reported_on="2026-02-20", reported_by=victim.pk), format="json")
    detail = api.get(f"/api/v1/cases/{case.reference}/").data
    assert detail["over_case_review_threshold"] is True
    assert detail["case_review_rule"] == "3 complaints in 6 months (12 Jan – 3 Mar 2026)"


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"occurred_at": (timezone.now() + timedelta(days=1)).isoformat()}, "occurred_at"),
        ({"reported_on": "2026-03-02"}, "reported_on"),
        ({"reported_on": "2026-02-30"}, "reported_on"),
        ({"channel": "carrier pigeon"}, "channel"),
        ({"description": ""}, "description"),
        ({"reported_by": 999999}, "reported_by"),
        ({"occurred_at": "yesterday"}, "occurred_at"),
    ],
)
def test_bad_incidents_are_a_400_naming_the_field(api, case, police_caseworker, overrides, field):
    api.force_authenticate(police_caseworker)
    response = api.post(f"/api/v1/cases/{case.reference}/incidents/", incident_payload(**overrides), format="json")
    assert response.status_code == 400
    assert field in response.data
    assert not Incident.objects.exists()


def test_a_person_on_another_case_cannot_be_the_reporter(api, case, partnership, police, police_caseworker):
    stranger = make_person_on_case(case=make_case(partnership=partnership, lead_agency=police), first_name="Sam", last_name="Hill")
    api.force_authenticate(police_caseworker)
    response = api.post(f"/api/v1/cases/{case.reference}/incidents/", incident_payload(reported_by=stranger.pk), format="json")
    assert response.status_code == 400
    assert response.data == {"reported_by": ["Choose someone who is on this case."]}


def test_cases_the_caller_may_not_see_are_404_everywhere(api, case, council_caseworker):
    make_incident(case=case, on=date(2026, 1, 12))
    api.force_authenticate(council_caseworker)
    base = f"/api/v1/cases/{case.reference}"
    for path in ("incidents/", "case-review-requests/", "risk-questions/", "risk-assessments/"):
        assert api.get(f"{base}/{path}").status_code == 404, path
    assert api.post(f"{base}/incidents/", incident_payload(), format="json").status_code == 404
    assert api.post(f"{base}/risk-assessments/", {"assessed_on": "2026-03-01", "answers": []}, format="json").status_code == 404
    assert api.get("/api/v1/cases/ECAM-2099-0001/incidents/").status_code == 404
    assert Incident.objects.count() == 1


def test_information_only_agencies_read_but_cannot_add(api, case, council, council_caseworker):
    case_access_grant(actor=Actor.system(), case=case, agency=council, level="information")
    api.force_authenticate(council_caseworker)
    base = f"/api/v1/cases/{case.reference}"
    assert api.get(f"{base}/incidents/").status_code == 200
    assert api.post(f"{base}/incidents/", incident_payload(), format="json").status_code == 404
    assert api.post(f"{base}/case-review-requests/", {"requested_on": "2026-03-01", "requested_by_description": "Councillor"}, format="json").status_code == 404
    assert AuditEvent.objects.filter(case_id=case.pk, action="view", detail="API: incidents").count() == 1


def test_case_review_requests_record_list_and_decide(api, case, victim, police_caseworker):
    api.force_authenticate(police_caseworker)
    url = f"/api/v1/cases/{case.reference}/case-review-requests/"
    missing = api.post(url, {"requested_on": "2026-03-01"}, format="json")
    assert missing.status_code == 400 and "requested_by" in missing.data

    created = api.post(url, {"requested_on": "2026-04-01", "requested_by": victim.pk}, format="json")
    assert created.status_code == 201, created.data
    # 20 working days, skipping Good Friday (3 Apr) and Easter Monday (6 Apr) 2026.
    assert created.data["decision_due_on"] == "2026-05-01"
    assert created.data["outcome"] == "pending"
    assert [row["id"] for row in api.get(url).data] == [created.data["id"]]

    detail = f"{url}{created.data['id']}/"
    bad = api.patch(detail, {"outcome": "pending", "decision_on": "2026-03-31"}, format="json")
    assert bad.status_code == 400 and "outcome" in bad.data
    early = api.patch(detail, {"outcome": "review_held", "decision_on": "2026-03-31"}, format="json")
    assert early.status_code == 400 and "decision_on" in early.data
    decided = api.patch(detail, {"outcome": "review_held", "decision_on": "2026-04-20", "notes": "Panel met at Ely"}, format="json")
    assert decided.status_code == 200
    assert (decided.data["outcome"], decided.data["decision_on"], decided.data["notes"]) == ("review_held", "2026-04-20", "Panel met at Ely")
    assert CaseReviewRequest.objects.get().outcome == "review_held"


def test_a_review_request_of_another_case_is_404(api, case, partnership, police, police_caseworker):
    other = make_case(partnership=partnership, lead_agency=police)
    api.force_authenticate(police_caseworker)
    created = api.post(f"/api/v1/cases/{other.reference}/case-review-requests/", {"requested_on": "2026-03-01", "requested_by_description": "Councillor"}, format="json")
    assert api.patch(f"/api/v1/cases/{case.reference}/case-review-requests/{created.data['id']}/", {"outcome": "review_held", "decision_on": "2026-03-02"}, format="json").status_code == 404


def test_risk_assessment_by_question_id(api, case, police_caseworker):
    api.force_authenticate(police_caseworker)
    base = f"/api/v1/cases/{case.reference}"
    questions = api.get(f"{base}/risk-questions/").data
    assert len(questions) >= 10 and {"id", "text", "topic", "weight"} <= set(questions[0])

    some = [{"question": q["id"], "answer": True} for q in questions[:2]]
    incomplete = api.post(f"{base}/risk-assessments/", {"assessed_on": "2026-03-10", "answers": some}, format="json")
    assert incomplete.status_code == 400 and "answers" in incomplete.data
    twice = api.post(f"{base}/risk-assessments/", {"assessed_on": "2026-03-10", "answers": some + some[:1]}, format="json")
    assert twice.status_code == 400 and "answers" in twice.data
    unknown = [{"question": q["id"], "answer": False} for q in questions] + [{"question": 999999, "answer": True}]
    assert api.post(f"{base}/risk-assessments/", {"assessed_on": "2026-03-10", "answers": unknown}, format="json").status_code == 400
    bad_date = api.post(f"{base}/risk-assessments/", {"assessed_on": "10/13/2026", "answers": []}, format="json")
    assert bad_date.status_code == 400 and "assessed_on" in bad_date.data
    assert not RiskAssessment.objects.exists()

    answers, total = [], 0
    for q in questions:
        yes = total + q["weight"] < 15
        total += q["weight"] if yes else 0
        answers.append({"question": q["id"], "answer": yes})
    created = api.post(f"{base}/risk-assessments/", {"assessed_on": "2026-03-10", "answers": answers}, format="json")
    assert created.status_code == 201, created.data
    assert (created.data["score"], created.data["risk_level"]) == (total, "medium")
    assert len(created.data["answers"]) == len(questions)
    case_data = api.get(f"{base}/").data
    assert (case_data["risk_level"], case_data["next_review_on"]) == ("medium", "2026-04-07")
    assert [row["id"] for row in api.get(f"{base}/risk-assessments/").data] == [created.data["id"]]


def test_the_schema_documents_the_new_endpoints(client, police_caseworker):
    client.force_login(police_caseworker)
    schema = client.get("/api/schema/").content.decode()
    for path in ("/incidents/", "/case-review-requests/{id}/", "/risk-assessments/", "/risk-questions/"):
        assert path in schema
