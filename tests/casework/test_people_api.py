"""People through the API: the duplicate check, privacy of what is offered, 404s and clear 400s."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AuditEvent
from audit.services import Actor
from casework.models import CaseAccess, CasePerson, Person
from casework.services.access import case_access_grant
from tests.casework.factories import make_case
from tests.casework.factories_people import put_on_case

NEW_PERSON = {"role": "victim", "first_name": "Doreen", "last_name": "Whitmore", "date_of_birth": "1947-02-11",
              "postcode": "cb7 4ab", "address": "Flat 3, Cromwell Court, Silver Street, Ely"}


@pytest.fixture
def api():
    return APIClient()


def people_url(case):
    return f"/api/v1/cases/{case.reference}/people/"


def test_list_and_add_a_new_person(api, partnership, police, police_caseworker):
    case = make_case(partnership=partnership, lead_agency=police)
    api.force_authenticate(police_caseworker)
    assert api.get(people_url(case)).data == []

    created = api.post(people_url(case), {**NEW_PERSON, "notes": "Lives below"}, format="json")
    assert created.status_code == 201, created.data
    assert created.data["role"] == "victim" and created.data["notes"] == "Lives below"
    assert created.data["person"]["postcode"] == "CB7 4AB" and created.data["person"]["under_18"] is False

    listed = api.get(people_url(case)).data
    assert [(row["person"]["first_name"], row["role_label"]) for row in listed] == [("Doreen", "Victim or complainant")]


def test_possible_duplicates_are_a_409_until_a_person_is_chosen_or_new_is_confirmed(api, partnership, police, police_caseworker):
    known = put_on_case(case=make_case(partnership=partnership, lead_agency=police, summary="Earlier")).person
    case = make_case(partnership=partnership, lead_agency=police)
    api.force_authenticate(police_caseworker)

    found = api.post(people_url(case), {**NEW_PERSON, "first_name": "doreen", "date_of_birth": None}, format="json")
    assert found.status_code == 409
    [candidate] = found.data["candidates"]
    assert candidate["id"] == known.pk and candidate["disclosed"] is True
    assert candidate["address"] == "Flat 3, Cromwell Court, Silver Street, Ely"
    assert not CasePerson.objects.filter(case=case).exists()

    linked = api.post(people_url(case), {"role": "witness", "person": known.pk}, format="json")
    assert linked.status_code == 201 and linked.data["person"]["id"] == known.pk

    confirmed = api.post(people_url(case), {**NEW_PERSON, "confirm_new": True}, format="json")
    assert confirmed.status_code == 201 and confirmed.data["person"]["id"] != known.pk
    assert Person.objects.count() == 2


def test_duplicate_known_only_to_another_agency_is_offered_with_limited_details(
    api, partnership, police, council, police_caseworker
):
    known = put_on_case(case=make_case(partnership=partnership, lead_agency=council), phone="07700 900 999").person
    case = make_case(partnership=partnership, lead_agency=police)
    api.force_authenticate(police_caseworker)

    found = api.post(people_url(case), NEW_PERSON, format="json")
    assert found.status_code == 409
    assert found.data["candidates"] == [
        {"id": known.pk, "name": "Doreen Whitmore", "birth_year": 1947, "postcode_district": "CB7", "disclosed": False}
    ]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SEARCH, person_id=known.pk, case_id=case.pk).exists()

    # Linking by id alone is refused (the caller cannot see them); with the details that offered them, it is allowed.
    assert api.post(people_url(case), {"role": "victim", "person": known.pk}, format="json").status_code == 404
    linked = api.post(people_url(case), {**NEW_PERSON, "person": known.pk}, format="json")
    assert linked.status_code == 201 and linked.data["person"]["id"] == known.pk
    assert Person.objects.count() == 1


def test_bad_input_is_a_400_naming_the_field(api, partnership, police, police_caseworker):
    case = make_case(partnership=partnership, lead_agency=police)
    api.force_authenticate(police_caseworker)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    future = api.post(people_url(case), {**NEW_PERSON, "date_of_birth": tomorrow}, format="json")
    assert future.status_code == 400
    assert future.data == {"date_of_birth": ["Date of birth must be today or in the past."]}

    for payload, field in [
        ({**NEW_PERSON, "role": "bystander"}, "role"),
        ({**NEW_PERSON, "postcode": "NOWHERE"}, "postcode"),
        ({**NEW_PERSON, "date_of_birth": "31/02/2000"}, "date_of_birth"),
        ({**NEW_PERSON, "email": "not-an-email"}, "email"),
        ({"role": "victim", "last_name": "Whitmore"}, "first_name"),
        ({**NEW_PERSON, "person": 1, "confirm_new": True}, "confirm_new"),
    ]:
        response = api.post(people_url(case), payload, format="json")
        assert response.status_code == 400 and field in response.data, (payload, response.data)
    assert not Person.objects.exists()


def test_cases_and_people_the_caller_may_not_see_are_404(api, partnership, police, council, council_caseworker):
    case = make_case(partnership=partnership, lead_agency=police)
    link = put_on_case(case=case)
    api.force_authenticate(council_caseworker)
    assert api.get(people_url(case)).status_code == 404
    assert api.post(people_url(case), NEW_PERSON, format="json").status_code == 404
    assert api.delete(f"{people_url(case)}{link.pk}/").status_code == 404
    assert api.get(f"/api/v1/people/{link.person_id}/").status_code == 404
    assert api.patch(f"/api/v1/people/{link.person_id}/", {"phone": "1", "version": 1}, format="json").status_code == 404
    assert api.get("/api/v1/people/999999/").status_code == 404
    assert CasePerson.objects.filter(pk=link.pk).exists()


def test_information_only_agency_may_read_but_not_change(api, partnership, police, council, council_caseworker):
    case = make_case(partnership=partnership, lead_agency=police)
    link = put_on_case(case=case)
    case_access_grant(actor=Actor.system(), case=case, agency=council, level=CaseAccess.Level.INFORMATION)
    api.force_authenticate(council_caseworker)
    assert api.get(people_url(case)).status_code == 200
    assert api.get(f"/api/v1/people/{link.person_id}/").status_code == 200
    assert api.post(people_url(case), NEW_PERSON, format="json").status_code == 404
    assert api.delete(f"{people_url(case)}{link.pk}/").status_code == 404
    assert api.patch(f"/api/v1/people/{link.person_id}/", {"phone": "1", "version": 1}, format="json").status_code == 404


def test_remove_a_link(api, partnership, police, police_caseworker):
    case = make_case(partnership=partnership, lead_agency=police)
    link = put_on_case(case=case)
    api.force_authenticate(police_caseworker)
    assert api.delete(f"{people_url(case)}{link.pk}/").status_code == 204
    assert not CasePerson.objects.exists()
    assert api.delete(f"{people_url(case)}{link.pk}/").status_code == 404


def test_person_with_their_visible_cases_and_an_update_with_version(api, partnership, police, council, police_caseworker):
    police_case = make_case(partnership=partnership, lead_agency=police)
    person = put_on_case(case=police_case).person
    put_on_case(case=make_case(partnership=partnership, lead_agency=police, summary="Second"), person=person)
    put_on_case(case=make_case(partnership=partnership, lead_agency=council, summary="Council's"), person=person)
    api.force_authenticate(police_caseworker)

    read = api.get(f"/api/v1/people/{person.pk}/")
    assert read.status_code == 200
    assert read.data["victim_on_cases"] == 2 and read.data["perpetrator_on_cases"] == 0
    assert len(read.data["cases"]) == 2 and police_case.reference in {c["reference"] for c in read.data["cases"]}
    assert AuditEvent.objects.filter(action=AuditEvent.Action.VIEW, person_id=person.pk, detail="API").exists()

    updated = api.patch(f"/api/v1/people/{person.pk}/", {"phone": "07700 900 111", "version": read.data["version"]}, format="json")
    assert updated.status_code == 200 and updated.data["phone"] == "07700 900 111" and updated.data["version"] == 2

    stale = api.patch(f"/api/v1/people/{person.pk}/", {"address": "Elsewhere", "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.data["changes"] == {"phone": ["01353 660 418", "07700 900 111"]}

    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    future = api.patch(f"/api/v1/people/{person.pk}/", {"date_of_birth": tomorrow, "version": 2}, format="json")
    assert future.status_code == 400 and "date_of_birth" in future.data
    assert api.patch(f"/api/v1/people/{person.pk}/", {"first_name": "", "version": 2}, format="json").status_code == 400
    assert api.patch(f"/api/v1/people/{person.pk}/", {"phone": "x"}, format="json").data.keys() == {"version"}
    person.refresh_from_db()
    assert (person.first_name, person.address, person.version) == ("Doreen", "Flat 3, Cromwell Court, Silver Street, Ely", 2)
