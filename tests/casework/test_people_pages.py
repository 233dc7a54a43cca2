"""The People tab, adding people with the duplicate check, a person's page, editing, and households, as a user sees them."""

import re
from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import Actor
from casework.models import CaseAccess, CasePerson, Household, Person
from casework.services.access import case_access_grant
from casework.services.people import person_update
from tests.casework.factories import make_case
from tests.casework.factories_people import put_on_case


def add_form(**overrides) -> dict:
    data = {
        "role": "victim", "first_name": "Doreen", "last_name": "Whitmore", "aliases": "", "dob_day": "11",
        "dob_month": "2", "dob_year": "1947", "gender": "female", "address": "Flat 3, Cromwell Court, Silver Street, Ely",
        "postcode": "CB7 4AB", "phone": "", "email": "", "vulnerability_notes": "", "notes": "",
    }
    data.update(overrides)
    return data


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_people_tab_lists_people_with_role_age_and_under_18_marker(client, partnership, police, police_caseworker):
    case = make_case(partnership=partnership, lead_agency=police)
    today = timezone.localdate()
    put_on_case(case=case, role="perpetrator", first_name="Tyler", last_name="Mason",
                date_of_birth=today.replace(year=today.year - 14) - timedelta(days=1))
    put_on_case(case=case, role="parent_guardian", first_name="Joanne", last_name="Mason", date_of_birth=date(1984, 6, 8))
    client.force_login(police_caseworker)
    page = text(client.get(reverse("case_people", args=[case.reference])))
    assert "Tyler Mason" in page and "Perpetrator or subject" in page
    assert "Joanne Mason" in page and "Parent or guardian" in page
    tyler_row = page.split("Tyler Mason")[1].split("</tr>")[0]
    assert ">14<" in tyler_row.replace(" ", "") and "Under 18" in tyler_row
    joanne_row = page.split("Joanne Mason")[1].split("</tr>")[0]
    assert "Under 18" not in joanne_row
    assert "Add a person" in page
    assert AuditEvent.objects.filter(case_id=case.pk, action=AuditEvent.Action.VIEW, detail__startswith="People").exists()


def test_information_only_agency_sees_the_people_but_cannot_add_or_remove(client, partnership, police, council, council_caseworker):
    case = make_case(partnership=partnership, lead_agency=police)
    link = put_on_case(case=case)
    case_access_grant(actor=Actor.system(), case=case, agency=council, level=CaseAccess.Level.INFORMATION)
    client.force_login(council_caseworker)
    page = text(client.get(reverse("case_people", args=[case.reference])))
    assert "Doreen Whitmore" in page
    assert "Add a person" not in page and "Remove" not in page
    assert client.get(reverse("case_person_add", args=[case.reference])).status_code == 404
    assert client.post(reverse("case_person_remove", args=[case.reference, link.pk])).status_code == 404
    assert CasePerson.objects.filter(pk=link.pk).exists()


def test_people_tab_of_a_case_the_agency_cannot_see_is_404_and_audited(client, partnership, police, housing_caseworker):
    case = make_case(partnership=partnership, lead_agency=police)
    put_on_case(case=case)
    client.force_login(housing_caseworker)
    response = client.get(reverse("case_people", args=[case.reference]))
    assert response.status_code == 404 and "Doreen" not in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DENIED, object_repr=case.reference).exists()


def test_adding_someone_new_with_no_possible_duplicates_creates_them(client, partnership, police, police_caseworker):
    case = make_case(partnership=partnership, lead_agency=police)
    client.force_login(police_caseworker)
    response = client.post(reverse("case_person_add", args=[case.reference]), add_form(postcode="cb7 4ab"), follow=True)
    assert "Added Doreen Whitmore to this case as victim or complainant." in text(response)
    link = CasePerson.objects.get(case=case)
    assert (link.role, link.person.postcode, link.person.date_of_birth) == ("victim", "CB7 4AB", date(1947, 2, 11))
    assert link.added_by == police_caseworker


def test_possible_duplicate_is_offered_before_a_new_record_and_can_be_linked(client, partnership, police, police_caseworker):
    earlier = make_case(partnership=partnership, lead_agency=police, summary="Earlier case")
    known = put_on_case(case=earlier).person
    case = make_case(partnership=partnership, lead_agency=police)
    client.force_login(police_caseworker)
    url = reverse("case_person_add", args=[case.reference])

    offer = client.post(url, add_form(first_name="DOREEN", dob_day="", dob_month="", dob_year="", postcode="cb74ab"))
    page = text(offer)
    assert "Is DOREEN Whitmore someone already known?" in page
    assert "Link this existing person" in page and "None of these, create a new record" in page
    assert "Flat 3, Cromwell Court" in page, "the agency may see the earlier case, so the record is shown in full"
    assert not CasePerson.objects.filter(case=case).exists() and Person.objects.count() == 1

    linked = client.post(url, add_form(first_name="DOREEN", dob_day="", dob_month="", dob_year="", postcode="cb74ab",
                                       decided="1", decision=str(known.pk)), follow=True)
    assert "Linked the existing record for Doreen Whitmore" in text(linked)
    assert Person.objects.count() == 1
    assert CasePerson.objects.get(case=case).person == known


def test_choosing_none_of_these_creates_a_new_record(client, partnership, police, police_caseworker):
    put_on_case(case=make_case(partnership=partnership, lead_agency=police, summary="Earlier"))
    case = make_case(partnership=partnership, lead_agency=police)
    client.force_login(police_caseworker)
    url = reverse("case_person_add", args=[case.reference])
    unanswered = client.post(url, add_form(decided="1"))
    assert "Choose the person, or &#x27;None of these, create a new record&#x27;." in unanswered.content.decode()
    assert Person.objects.count() == 1
    client.post(url, add_form(decided="1", decision="new"))
    assert Person.objects.count() == 2
    assert CasePerson.objects.get(case=case).person.pk != Person.objects.order_by("id").first().pk


def test_duplicate_from_another_agency_is_offered_with_limited_details_and_can_still_be_linked(
    client, partnership, police, council, police_caseworker
):
    council_case = make_case(partnership=partnership, lead_agency=council, summary="Council case")
    known = put_on_case(case=council_case, phone="07700 900 999", email="doreen@example.org").person
    case = make_case(partnership=partnership, lead_agency=police)
    client.force_login(police_caseworker)
    url = reverse("case_person_add", args=[case.reference])

    page = text(client.post(url, add_form(address="")))
    assert "Doreen Whitmore" in page and "Born 1947" in page and "postcode district CB7" in page
    for secret in ("Cromwell Court", "07700 900 999", "doreen@example.org", "partially sighted", "11 February", "CB7 4AB"):
        assert secret not in page.replace('value="CB7 4AB"', ""), secret
    offered = AuditEvent.objects.get(action=AuditEvent.Action.SEARCH, person_id=known.pk)
    assert offered.detail == "Offered as a possible duplicate with limited details" and offered.case_id == case.pk

    client.post(url, add_form(address="", decided="1", decision=str(known.pk)))
    assert CasePerson.objects.get(case=case).person == known
    person_page = text(client.get(reverse("person_detail", args=[known.pk])))
    assert case.reference in person_page and council_case.reference not in person_page


def test_an_id_that_was_not_offered_cannot_be_linked(client, partnership, police, council, police_caseworker):
    put_on_case(case=make_case(partnership=partnership, lead_agency=police, summary="Earlier"))
    hidden = put_on_case(case=make_case(partnership=partnership, lead_agency=council), first_name="Secret", last_name="Person").person
    case = make_case(partnership=partnership, lead_agency=police)
    client.force_login(police_caseworker)
    response = client.post(reverse("case_person_add", args=[case.reference]), add_form(decided="1", decision=str(hidden.pk)))
    assert "Choose the person" in response.content.decode()
    assert not CasePerson.objects.filter(case=case).exists()


def test_a_date_of_birth_in_the_future_is_refused_with_a_clear_message(client, partnership, police, police_caseworker):
    case = make_case(partnership=partnership, lead_agency=police)
    client.force_login(police_caseworker)
    next_year = timezone.localdate().year + 1
    response = client.post(reverse("case_person_add", args=[case.reference]), add_form(dob_year=str(next_year)))
    page = text(response)
    assert response.status_code == 200
    assert "There is a problem" in page and "Date of birth must be today or in the past." in page
    assert 'href="#id_dob_day"' in page
    assert not Person.objects.exists()
    half = text(client.post(reverse("case_person_add", args=[case.reference]), add_form(dob_month="", role="")))
    assert "Date of birth must include a day, month and year." in half and "Choose the person&#x27;s role on this case." in half


def test_removing_a_person_from_a_case(client, partnership, police, police_caseworker):
    case = make_case(partnership=partnership, lead_agency=police)
    link = put_on_case(case=case)
    client.force_login(police_caseworker)
    url = reverse("case_person_remove", args=[case.reference, link.pk])
    assert "Remove Doreen Whitmore (victim or complainant) from this case?" in text(client.get(url))
    response = client.post(url, follow=True)
    assert "Removed Doreen Whitmore" in text(response)
    assert not CasePerson.objects.exists() and Person.objects.count() == 1
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DELETE, person_id=link.person_id, case_id=case.pk).exists()


def test_person_page_lists_only_cases_the_user_may_see_with_repeat_counts(
    client, partnership, police, council, housing, police_caseworker, council_caseworker
):
    police_cases = [make_case(partnership=partnership, lead_agency=police, summary=f"Police case {n}") for n in range(2)]
    council_case = make_case(partnership=partnership, lead_agency=council, summary="Council case")
    person = put_on_case(case=police_cases[0]).person
    put_on_case(case=police_cases[1], person=person)
    put_on_case(case=council_case, person=person)
    put_on_case(case=council_case, person=person, role="perpetrator")

    client.force_login(police_caseworker)
    page = text(client.get(reverse("person_detail", args=[person.pk])))
    assert "Victim on 2 cases" in page and "Repeat victim" in page and "Perpetrator on" not in page
    assert all(case.reference in page for case in police_cases) and council_case.reference not in page
    assert "Lives alone; partially sighted." in page

    client.force_login(council_caseworker)
    page = text(client.get(reverse("person_detail", args=[person.pk])))
    assert "Victim on 1 case " in page and "Perpetrator on 1 case " in page and "Repeat victim" not in page
    assert council_case.reference in page and police_cases[0].reference not in page
    views = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW, person_id=person.pk)
    assert {e.username for e in views} == {"police-cw", "council-cw"}


def test_person_page_is_404_for_an_agency_that_sees_none_of_their_cases_and_the_attempt_is_audited(
    client, partnership, police, housing_caseworker
):
    person = put_on_case(case=make_case(partnership=partnership, lead_agency=police)).person
    client.force_login(housing_caseworker)
    response = client.get(reverse("person_detail", args=[person.pk]))
    assert response.status_code == 404 and "Whitmore" not in response.content.decode()
    denied = AuditEvent.objects.get(action=AuditEvent.Action.DENIED)
    assert (denied.person_id, denied.username) == (person.pk, "housing-cw")
    assert client.get(reverse("person_detail", args=[999999])).status_code == 404


def test_editing_a_person_and_a_stale_save_shows_what_changed_and_keeps_what_was_typed(
    client, partnership, police, police_caseworker
):
    person = put_on_case(case=make_case(partnership=partnership, lead_agency=police)).person
    client.force_login(police_caseworker)
    url = reverse("person_edit", args=[person.pk])
    form = text(client.get(url))
    assert 'value="Doreen"' in form and 'name="version" value="1"' in form.replace('id="id_version" ', "")

    person_update(actor=Actor.system(), person=person, expected_version=1, phone="07700 900 111", email="dw@example.org")
    typed = add_form(address="5 New Road, Ely", phone="01353 000 000", version="1", email="",
                     vulnerability_notes="Lives alone; partially sighted.")
    stale = text(client.post(url, typed))
    assert "was changed by someone else" in stale
    assert "Phone: from “01353 660 418” to “07700 900 111” – you changed this too: your value is in the form" in stale
    assert "Email: from “” to “dw@example.org” – the new value is now in the form" in stale
    assert 'value="5 New Road, Ely"' in stale and 'value="01353 000 000"' in stale and 'value="dw@example.org"' in stale
    assert 'name="version" value="2"' in stale, "the next save is based on the version just shown"
    person.refresh_from_db()
    assert person.address == "Flat 3, Cromwell Court, Silver Street, Ely"

    resubmitted = {**typed, "version": "2", "email": "dw@example.org"}
    saved = client.post(url, resubmitted, follow=True)
    assert "Saved the details of Doreen Whitmore" in text(saved)
    person.refresh_from_db()
    assert (person.address, person.phone, person.email, person.version) == ("5 New Road, Ely", "01353 000 000", "dw@example.org", 3)


def test_only_an_agency_that_may_contribute_to_one_of_their_cases_may_edit_a_person(
    client, partnership, police, council, council_caseworker
):
    case = make_case(partnership=partnership, lead_agency=police)
    person = put_on_case(case=case).person
    case_access_grant(actor=Actor.system(), case=case, agency=council, level=CaseAccess.Level.INFORMATION)
    client.force_login(council_caseworker)
    page = text(client.get(reverse("person_detail", args=[person.pk])))
    assert "Change details" not in page
    assert client.post(reverse("person_edit", args=[person.pk]), add_form(version="1")).status_code == 404
    person.refresh_from_db()
    assert person.version == 1


def test_the_person_page_offers_changes_to_an_agency_that_may_contribute_to_any_one_of_their_cases(
    client, partnership, police, council, council_caseworker
):
    """The page reads can_edit_person's answer with the person (person_get's may_edit): the same rule."""
    seen_only = make_case(partnership=partnership, lead_agency=police, summary="Seen only")
    contributed = make_case(partnership=partnership, lead_agency=police, summary="Contributed to")
    person = put_on_case(case=seen_only).person
    put_on_case(case=contributed, person=person)
    case_access_grant(actor=Actor.system(), case=seen_only, agency=council, level=CaseAccess.Level.INFORMATION)
    client.force_login(council_caseworker)
    assert "Change details" not in text(client.get(reverse("person_detail", args=[person.pk])))

    case_access_grant(actor=Actor.system(), case=contributed, agency=council, level=CaseAccess.Level.CONTRIBUTOR)
    page = text(client.get(reverse("person_detail", args=[person.pk])))
    assert "Change details" in page and "Start a household" in page
    assert "Seen only" in page and "Contributed to" in page and "Victim on 2 cases" in page


def test_households_can_be_started_joined_and_left_from_the_pages(client, partnership, police, police_caseworker):
    case = make_case(partnership=partnership, lead_agency=police, subject_type="family")
    gary = put_on_case(case=case, role="perpetrator", first_name="Gary", last_name="Reeve", postcode="CB6 3NL").person
    sharon = put_on_case(case=case, role="perpetrator", first_name="Sharon", last_name="Reeve").person
    client.force_login(police_caseworker)

    form = text(client.get(reverse("household_create", args=[gary.pk])))
    assert 'value="The Reeve household"' in form
    created = client.post(reverse("household_create", args=[gary.pk]),
                          {"name": "The Reeve household", "address": "14 Station Road, Haddenham", "postcode": "CB6 3NL"}, follow=True)
    household = Household.objects.get()
    assert "Created The Reeve household" in text(created)
    assert "Sharon Reeve" in text(created), "people on the same case are offered as members"

    client.post(reverse("household_member_add", args=[household.pk]), {"person": sharon.pk})
    assert set(household.members.all()) == {gary, sharon}
    client.post(reverse("household_member_remove", args=[household.pk, gary.pk]))
    assert list(household.members.all()) == [sharon]
    assert client.post(reverse("household_member_add", args=[household.pk]), {"person": "999999"}).status_code == 400


def test_household_is_404_to_an_agency_that_sees_none_of_its_members(client, partnership, police, housing_caseworker):
    from casework.services.people import household_create

    person = put_on_case(case=make_case(partnership=partnership, lead_agency=police)).person
    household = household_create(actor=Actor.system(), name="The Whitmore household", members=[person])
    client.force_login(housing_caseworker)
    assert client.get(reverse("household_detail", args=[household.pk])).status_code == 404


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_people_tab_query_count_is_pinned_and_does_not_grow_with_people(
    client, partnership, police, council, police_caseworker, django_assert_max_num_queries
):
    case = make_case(partnership=partnership, lead_agency=police)
    other = make_case(partnership=partnership, lead_agency=police, summary="Other case")
    put_on_case(case=case, first_name="Person", last_name="One")
    client.force_login(police_caseworker)
    url = reverse("case_people", args=[case.reference])
    with django_assert_max_num_queries(15):
        client.get(url)
    one = _queries(client, url)
    for n in range(6):
        link = put_on_case(case=case, first_name=f"Person{n}", last_name="Many", role="perpetrator")
        put_on_case(case=other, person=link.person, role="perpetrator")
    page = text(client.get(url))
    assert "Perpetrator on 2 cases" in page
    assert _queries(client, url) == one


def test_person_page_query_count_is_pinned_and_does_not_grow_with_cases(
    client, partnership, police, police_caseworker, django_assert_max_num_queries
):
    person = put_on_case(case=make_case(partnership=partnership, lead_agency=police)).person
    client.force_login(police_caseworker)
    url = reverse("person_detail", args=[person.pk])
    with django_assert_max_num_queries(13):
        client.get(url)
    one = _queries(client, url)
    for n in range(5):
        put_on_case(case=make_case(partnership=partnership, lead_agency=police, summary=f"Case {n}"), person=person)
    assert "Victim on 6 cases" in text(client.get(url))
    assert _queries(client, url) == one
