"""Factories for interventions, actions and notes, and the people they need, made through the services."""

from datetime import date

from audit.services import Actor
from casework.models import CasePerson, Person, SecurityMarking
from casework.services.access import case_access_grant
from casework.services.actions import action_create
from casework.services.interventions import intervention_create
from casework.services.notes import note_write


def make_person(*, case=None, first_name="Jordan", last_name="Reed", date_of_birth=None, role=CasePerson.Role.PERPETRATOR):
    """A person, linked to `case` in `role` when given. (People have their own services in another slice.)"""
    person = Person.objects.create(first_name=first_name, last_name=last_name, date_of_birth=date_of_birth)
    if case is not None:
        CasePerson.objects.create(case=case, person=person, role=role)
    return person


def born_years_before(day: date, years: int, *, days_short: int = 0) -> date:
    """A date of birth that makes someone exactly `years` old on `day` (or that many days short of it)."""
    from datetime import timedelta

    return day.replace(year=day.year - years) + timedelta(days=days_short)


def make_intervention(*, case, type, delivering_agency, actor=None, **fields):  # noqa: A002
    return intervention_create(actor=actor or Actor.system(), case=case, type=type, delivering_agency=delivering_agency, **fields)


def make_action(*, case, description="Visit the complainant", actor=None, **fields):
    if "owner_user" not in fields and "owner_agency" not in fields:
        fields["owner_agency"] = case.lead_agency
    return action_create(actor=actor or Actor.system(), case=case, description=description, **fields)


def make_note(*, case, agency, user=None, text="Visited the address", marking=SecurityMarking.OFFICIAL, shared_with=()):
    return note_write(actor=Actor(user=user, agency=agency), case=case, text=text, marking=marking, shared_with=shared_with)


def grant(case, agency, level="contributor"):
    return case_access_grant(actor=Actor.system(), case=case, agency=agency, level=level)
