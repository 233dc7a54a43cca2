"""The demo people: a repeat victim across agencies, a persistent perpetrator, a parent and a household."""

from django.core.management import call_command
from django.urls import reverse

from casework.models import CasePerson, Household, Person
from tests.agencies.factories_security import sign_in_with_code


def test_demo_people_show_repeat_victims_and_persistent_perpetrators_and_load_once(db, client):
    call_command("seed_demo", "--password", "demo-password-123")
    people, links = Person.objects.count(), CasePerson.objects.count()
    call_command("seed_demo", "--password", "demo-password-123")
    assert (Person.objects.count(), CasePerson.objects.count()) == (people, links)
    assert Household.objects.count() == 2

    doreen = Person.objects.get(first_name="Doreen", last_name="Whitmore")
    as_victim = CasePerson.objects.filter(person=doreen, role="victim").select_related("case")
    assert as_victim.count() == 3
    assert len({link.case.lead_agency_id for link in as_victim}) >= 2

    dean = Person.objects.get(first_name="Dean", last_name="Cartwright")
    assert CasePerson.objects.filter(person=dean, role="perpetrator").values("case").distinct().count() == 2

    youth = CasePerson.objects.filter(case__summary__startswith="Group of young people")
    assert youth.filter(role="parent_guardian").exists()
    assert any(link.person.is_under_18 for link in youth.filter(role="perpetrator"))
    family = CasePerson.objects.filter(case__summary__startswith="Family in dispute", role="perpetrator")
    assert {link.person.household.name for link in family} == {"The Reeve household, 14 Station Road"}

    # The council sees two of Doreen's three cases (the third is Sanctuary's).
    sign_in_with_code(client, "council-caseworker", "demo-password-123")
    page = client.get(reverse("person_detail", args=[doreen.pk])).content.decode()
    assert "Victim on 2 cases" in page and "Repeat victim" in page
