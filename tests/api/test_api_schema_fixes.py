"""Responses that broke the declared schema, found by the schemathesis run (tests/api/test_api_schemathesis.py), each made
on purpose here and checked against the schema: a value the API sends that the schema did not allow (null, "", a time
without an offset, a file's own content type), or a value the API took that it could not then write back."""

from datetime import date

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from audit.services import Actor
from casework.models import Person
from referrals.models import ReferralMessage
from referrals.services.referrals import referral_message_write
from meetings.services.agenda import agenda_build, agenda_issue
from meetings.services.minutes import minutes_publish
from meetings.services.room import attendance_record, item_minutes_save
from tests.api.schema_check import api_schema, assert_conforms
from tests.casework.factories import make_case
from tests.casework.factories_cases import make_action, make_intervention, put_person_on_case
from tests.casework.factories_documents import make_document, media_root, png_bytes, upload  # noqa: F401
from tests.casework.factories_work import make_note
from tests.meetings.conftest import chair, chair_actor, group, march  # noqa: F401
from tests.meetings.factories_meetings import at, case_with_group
from tests.referrals.factories_referrals import make_referral
from tests.referrals.factories_routing import ecam_agencies, ecam_rules  # noqa: F401


@pytest.fixture
def api(police_caseworker):
    client = APIClient()
    client.force_authenticate(police_caseworker)
    return client


@pytest.fixture
def case(partnership, police):
    return make_case(partnership=partnership, lead_agency=police, kind_slug=None)


def test_an_open_case_without_a_kind_conforms(api, case):
    # closing_outcome is "" until the case is closed (the schema allowed only the outcomes), and kind may be null.
    response = api.get(f"/api/v1/cases/{case.reference}/")
    assert response.status_code == 200
    assert (response.json()["closing_outcome"], response.json()["kind"]) == ("", None)
    assert_conforms(response, "GET", "/api/v1/cases/{reference}/")


def test_actions_owned_by_only_a_person_or_only_an_agency_conform(api, case, police, police_caseworker):
    make_action(case=case, owner_user=police_caseworker)
    make_action(case=case, owner_agency=police)
    response = api.get(f"/api/v1/cases/{case.reference}/actions/")
    owners = sorted((row["owner_user"] or "", row["owner_agency"] or "") for row in response.json())
    assert owners == [("", "cambs-police"), ("police-cw", "")]
    assert_conforms(response, "GET", "/api/v1/cases/{reference}/actions/")


def test_an_intervention_for_no_one_in_particular_conforms(api, case, police):
    intervention = make_intervention(case=case, agency=police)
    for path, template in (
        (f"/api/v1/cases/{case.reference}/interventions/", "/api/v1/cases/{reference}/interventions/"),
        (f"/api/v1/cases/{case.reference}/interventions/{intervention.pk}/", "/api/v1/cases/{reference}/interventions/{id}/"),
    ):
        response = api.get(path)
        assert response.status_code == 200
        assert_conforms(response, "GET", template)
    assert response.json()["person_name"] is None


def test_a_note_and_a_document_recorded_without_a_user_conform(api, case, police, media_root):  # noqa: F811
    # An import or the system writes without a user: author and uploaded_by are null.
    make_note(case=case, agency=police)
    make_document(case=case, agency=police)
    notes = api.get(f"/api/v1/cases/{case.reference}/notes/")
    assert notes.json()[0]["author"] is None
    assert_conforms(notes, "GET", "/api/v1/cases/{reference}/notes/")
    documents = api.get(f"/api/v1/cases/{case.reference}/documents/")
    assert documents.json()["results"][0]["uploaded_by"] is None
    assert_conforms(documents, "GET", "/api/v1/cases/{reference}/documents/")


def test_a_document_downloads_with_the_type_found_at_upload_which_the_schema_declares(api, case, police, media_root):  # noqa: F811
    document = make_document(case=case, agency=police, file=upload("photo.png", png_bytes(), "image/png"))
    response = api.get(f"/api/v1/cases/{case.reference}/documents/{document.pk}/download/")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert_conforms(response, "GET", "/api/v1/cases/{reference}/documents/{document_id}/download/")


def test_the_upload_is_declared_as_a_file_not_as_text():
    upload_schema = api_schema()["components"]["schemas"]["DocumentUploadInput"]["properties"]["file"]
    assert upload_schema["format"] == "binary"


def test_a_person_with_or_without_an_email_conforms(api, case):
    for email in ("", "jordan@example.org"):
        person = put_person_on_case(case=case, first_name="Jordan", last_name="Reed")
        Person.objects.filter(pk=person.pk).update(email=email)
        response = api.get(f"/api/v1/people/{person.pk}/")
        assert response.status_code == 200 and response.json()["email"] == email
        assert_conforms(response, "GET", "/api/v1/people/{person_id}/")


def test_a_referral_of_a_case_without_a_kind_and_a_message_without_an_author_conform(api, case, police, housing, police_caseworker):
    referral = make_referral(case=case, from_agency=police, to_agency=housing, by=police_caseworker)
    message = referral_message_write(actor=Actor(user=police_caseworker, agency=police), referral=referral, text="Any news?")
    ReferralMessage.objects.filter(pk=message.pk).update(author=None)  # the author's account was deleted
    detail = api.get(f"/api/v1/referrals/{referral.pk}/")
    assert detail.json()["case"]["kind"] is None
    assert_conforms(detail, "GET", "/api/v1/referrals/{id}/")
    messages = api.get(f"/api/v1/referrals/{referral.pk}/messages/")
    assert messages.json()[0]["author"] is None
    assert_conforms(messages, "GET", "/api/v1/referrals/{id}/messages/")


def test_routing_rules_for_any_tenure_conform(api, ecam_rules):  # noqa: F811
    response = api.get("/api/v1/routing/rules/")
    assert "" in {rule["subject_tenure"] for rule in response.json()}
    assert_conforms(response, "GET", "/api/v1/routing/rules/")


def test_a_meetings_start_time_and_a_minute_without_an_outcome_conform(march, chair, chair_actor, partnership, police, council, group):  # noqa: F811
    # "10:00:00" was declared as format: time, which needs a UTC offset ("10:00:00Z"); a meeting starts at a local time.
    case = case_with_group(partnership=partnership, lead_agency=council, group=group, referred_on=date(2026, 2, 20))
    agenda_build(actor=chair_actor, meeting=march, cut_off=at(date(2026, 3, 3)))
    agenda_issue(actor=chair_actor, meeting=march)
    item = march.items.get(case=case)
    item_minutes_save(actor=chair_actor, item=item, minute_text="Warning letter sent.", decision="keep_open")
    attendance_record(actor=chair_actor, meeting=march, agency=police, status="present", name="Chris Savage")
    minutes_publish(actor=chair_actor, meeting=march)
    api = APIClient()
    api.force_authenticate(chair)
    listed = api.get("/api/v1/meetings/?when=past")
    assert listed.json()["results"][0]["starts_at"] == "10:00:00"
    assert_conforms(listed, "GET", "/api/v1/meetings/")
    assert_conforms(api.get(f"/api/v1/meetings/{march.pk}/agenda/"), "GET", "/api/v1/meetings/{id}/agenda/")
    minutes = api.get(f"/api/v1/meetings/{march.pk}/minutes/")
    assert "" in {minute["decision_outcome"] for minute in minutes.json()["minutes"]}
    assert_conforms(minutes, "GET", "/api/v1/meetings/{id}/minutes/")


def test_an_incident_before_1900_is_refused_with_a_message(api, case):
    # One in year 194 was taken, and came back as "0194-06-17T08:54:13-00:01:15": London's local mean time before 1847,
    # an offset in seconds that no RFC 3339 date-time can hold.
    path = f"/api/v1/cases/{case.reference}/incidents/"
    incident = {"reported_on": str(timezone.localdate()), "channel": "phone", "description": "Shouting in the street"}
    refused = api.post(path, {**incident, "occurred_at": "1846-06-17T08:54:13Z"}, format="json")
    assert refused.status_code == 400
    assert refused.json() == {"occurred_at": ["The date it happened must be in 1900 or later."]}
    taken = api.post(path, {**incident, "occurred_at": "1900-01-01T00:00:00Z"}, format="json")
    assert taken.status_code == 201, taken.json()
    assert_conforms(taken, "POST", "/api/v1/cases/{reference}/incidents/")
