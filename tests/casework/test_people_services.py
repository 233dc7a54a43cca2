"""People through the services and selectors: duplicates, what a duplicate shows to whom, linking, edits, households."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import Actor
from casework.models import CaseAccess, CasePerson, Household, Person
from casework.selectors import people as people_selectors
from casework.services import people as people_services
from casework.services.access import case_access_grant
from casework.services.cases import case_close
from tests.casework.factories import make_case
from tests.casework.factories_people import person_details, put_on_case


def candidates_for(user, agency, **details):
    return people_selectors.person_duplicate_candidates(user=user, agency=agency, **details)


def test_same_name_any_case_and_same_date_of_birth_is_a_possible_duplicate(partnership, police, police_caseworker):
    case = make_case(partnership=partnership, lead_agency=police)
    known = put_on_case(case=case).person
    found = candidates_for(police_caseworker, police, first_name="DOREEN", last_name="whitmore", date_of_birth=date(1947, 2, 11))
    assert [c["id"] for c in found] == [known.pk]
    assert candidates_for(police_caseworker, police, first_name="Doreen", last_name="Whitmore", date_of_birth=date(1947, 2, 12)) == []


def test_same_name_and_postcode_ignoring_spaces_and_case_is_a_possible_duplicate(partnership, police, police_caseworker):
    case = make_case(partnership=partnership, lead_agency=police)
    known = put_on_case(case=case, date_of_birth=None).person
    found = candidates_for(police_caseworker, police, first_name="doreen", last_name="WHITMORE", postcode="cb74ab")
    assert [c["id"] for c in found] == [known.pk]
    assert candidates_for(police_caseworker, police, first_name="Doreen", last_name="Whitmore", postcode="CB7 4AC") == []


def test_same_name_alone_or_same_details_under_another_name_is_not_offered(partnership, police, police_caseworker):
    case = make_case(partnership=partnership, lead_agency=police)
    put_on_case(case=case)
    assert candidates_for(police_caseworker, police, first_name="Doreen", last_name="Whitmore") == []
    assert candidates_for(police_caseworker, police, first_name="Dorothy", last_name="Whitmore",
                          date_of_birth=date(1947, 2, 11), postcode="CB7 4AB") == []


def test_duplicate_from_a_case_the_agency_cannot_see_shows_only_name_birth_year_and_district(
    partnership, police, council, police_caseworker, council_caseworker
):
    council_case = make_case(partnership=partnership, lead_agency=council)
    known = put_on_case(case=council_case).person

    [limited] = candidates_for(police_caseworker, police, first_name="Doreen", last_name="Whitmore", date_of_birth=date(1947, 2, 11))
    assert limited == {"id": known.pk, "name": "Doreen Whitmore", "birth_year": 1947, "postcode_district": "CB7", "disclosed": False}

    [full] = candidates_for(council_caseworker, council, first_name="Doreen", last_name="Whitmore", postcode="CB7 4AB")
    assert full["disclosed"] is True
    assert full["address"] == "Flat 3, Cromwell Court, Silver Street, Ely"
    assert full["vulnerability_notes"] == "Lives alone; partially sighted."
    assert full["phone"] == "01353 660 418"


def test_a_limited_duplicate_may_be_linked_and_then_the_agency_sees_the_person_in_full(
    partnership, police, council, police_caseworker
):
    """That is how a repeat victim is found across agencies."""
    known = put_on_case(case=make_case(partnership=partnership, lead_agency=council)).person
    police_case = make_case(partnership=partnership, lead_agency=police)
    offered = candidates_for(police_caseworker, police, first_name="Doreen", last_name="Whitmore", postcode="CB74AB")
    person = people_selectors.person_linkable_get(person_id=known.pk, user=police_caseworker, agency=police,
                                                  offered_ids=[c["id"] for c in offered])
    put_on_case(case=police_case, person=person)
    assert people_selectors.person_get(person_id=known.pk, user=police_caseworker, agency=police) == known
    assert Person.objects.count() == 1


def test_a_person_who_was_not_offered_and_cannot_be_seen_cannot_be_linked_by_id(partnership, police, council, police_caseworker):
    hidden = put_on_case(case=make_case(partnership=partnership, lead_agency=council)).person
    with pytest.raises(Http404):
        people_selectors.person_linkable_get(person_id=hidden.pk, user=police_caseworker, agency=police, offered_ids=[])
    with pytest.raises(Http404):
        people_selectors.person_linkable_get(person_id=987654, user=police_caseworker, agency=police, offered_ids=[987654])


def test_details_are_tidied_and_a_date_of_birth_in_the_future_is_refused():
    cleaned = people_services.person_fields_clean(**person_details(first_name="  Doreen ", postcode="cb74ab"))
    assert cleaned["first_name"] == "Doreen" and cleaned["postcode"] == "CB7 4AB"
    with pytest.raises(ValidationError) as refused:
        people_services.person_fields_clean(**person_details(date_of_birth=timezone.localdate() + timedelta(days=1)))
    assert refused.value.message_dict == {"date_of_birth": ["Date of birth must be today or in the past."]}
    with pytest.raises(ValidationError) as refused:
        people_services.person_fields_clean(**person_details(postcode="NOT A POSTCODE", first_name=""))
    assert set(refused.value.message_dict) == {"postcode", "first_name"}


def test_adding_a_person_writes_audit_rows_for_the_person_and_the_link(partnership, police, police_caseworker):
    case = make_case(partnership=partnership, lead_agency=police)
    actor = Actor(user=police_caseworker, agency=police)
    link = put_on_case(case=case, role=CasePerson.Role.PERPETRATOR, actor=actor, first_name="Dean", last_name="Cartwright")
    created = AuditEvent.objects.filter(person_id=link.person_id, action=AuditEvent.Action.CREATE)
    assert {(e.object_type, e.case_id, e.username, e.agency_name) for e in created} == {
        ("person", case.pk, "police-cw", police.name),
        ("caseperson", case.pk, "police-cw", police.name),
    }
    person_event = created.get(object_type="person")
    assert person_event.changes["last_name"] == [None, "Cartwright"]


def test_same_person_in_the_same_role_twice_is_refused_but_another_role_is_allowed(partnership, police):
    case = make_case(partnership=partnership, lead_agency=police)
    person = put_on_case(case=case).person
    with pytest.raises(ValidationError) as refused:
        put_on_case(case=case, person=person)
    assert refused.value.message_dict == {"role": ["Doreen Whitmore is already on this case as victim or complainant."]}
    put_on_case(case=case, person=person, role=CasePerson.Role.WITNESS)
    assert CasePerson.objects.filter(case=case, person=person).count() == 2


def test_people_on_a_closed_case_cannot_be_changed(partnership, police):
    case = make_case(partnership=partnership, lead_agency=police)
    link = put_on_case(case=case)
    case = case_close(actor=Actor.system(), case=case, outcome="resolved", reason="Moved away")
    with pytest.raises(ValidationError):
        put_on_case(case=case, first_name="Another")
    link.refresh_from_db()
    with pytest.raises(ValidationError):
        people_services.case_person_remove(actor=Actor.system(), link=link)
    assert Person.objects.count() == 1 and CasePerson.objects.count() == 1


def test_removing_a_link_keeps_the_person_and_is_audited(partnership, police, police_caseworker):
    case = make_case(partnership=partnership, lead_agency=police)
    link = put_on_case(case=case)
    people_services.case_person_remove(actor=Actor(user=police_caseworker, agency=police), link=link)
    assert not CasePerson.objects.exists() and Person.objects.count() == 1
    removed = AuditEvent.objects.get(action=AuditEvent.Action.DELETE)
    assert (removed.case_id, removed.person_id, removed.changes) == (case.pk, link.person_id, {"role": ["victim", None]})


def test_a_stale_edit_is_refused_and_says_what_changed(partnership, police):
    person = put_on_case(case=make_case(partnership=partnership, lead_agency=police)).person
    people_services.person_update(actor=Actor.system(), person=person, expected_version=1, phone="07700 900 111")
    with pytest.raises(people_services.PersonVersionConflict) as stale:
        people_services.person_update(actor=Actor.system(), person=person, expected_version=1, address="New address")
    assert stale.value.changes == {"phone": ["01353 660 418", "07700 900 111"]}
    person.refresh_from_db()
    assert (person.version, person.phone, person.address) == (2, "07700 900 111", "Flat 3, Cromwell Court, Silver Street, Ely")
    update = AuditEvent.objects.get(person_id=person.pk, action=AuditEvent.Action.UPDATE)
    assert update.changes == {"phone": ["01353 660 418", "07700 900 111"], "version": [1, 2]}


def test_households_group_people_and_every_membership_change_is_audited(partnership, police):
    case = make_case(partnership=partnership, lead_agency=police, subject_type="family")
    gary = put_on_case(case=case, role="perpetrator", first_name="Gary", last_name="Reeve").person
    sharon = put_on_case(case=case, role="perpetrator", first_name="Sharon", last_name="Reeve").person
    household = people_services.household_create(actor=Actor.system(), name="The Reeve household", postcode="cb63nl", members=[gary])
    assert household.postcode == "CB6 3NL"
    people_services.household_member_add(actor=Actor.system(), household=household, person=sharon)
    assert set(household.members.all()) == {gary, sharon}
    people_services.household_member_remove(actor=Actor.system(), household=household, person=gary)
    assert list(household.members.all()) == [sharon]
    moves = AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE, changes__has_key="household").order_by("id")
    assert [(e.person_id, e.changes["household"]) for e in moves] == [
        (gary.pk, [None, "The Reeve household"]),
        (sharon.pk, [None, "The Reeve household"]),
        (gary.pk, ["The Reeve household", None]),
    ]
    with pytest.raises(ValidationError):
        people_services.household_member_remove(actor=Actor.system(), household=household, person=gary)
    with pytest.raises(ValidationError):
        people_services.household_create(actor=Actor.system(), name=" ")
    assert Household.objects.count() == 1


def test_who_may_see_and_edit_a_person_follows_their_cases(partnership, police, council, housing, police_caseworker,
                                                           council_caseworker, housing_caseworker):
    from casework import permissions

    case = make_case(partnership=partnership, lead_agency=police)
    person = put_on_case(case=case).person
    case_access_grant(actor=Actor.system(), case=case, agency=council, level=CaseAccess.Level.INFORMATION)
    assert permissions.person_permissions(user=police_caseworker, agency=police, person=person) == {"view_case", "contribute_case"}
    assert permissions.person_permissions(user=council_caseworker, agency=council, person=person) == {"view_case"}
    assert permissions.person_permissions(user=housing_caseworker, agency=housing, person=person) == set()
