"""Factories for incidents, ASB Case Review requests and risk assessments, through their services."""

from datetime import date, datetime, time

from django.utils import timezone

from audit.services import Actor
from casework.models import CasePerson, Person
from casework.services.incidents import incident_log


def make_person_on_case(*, case, first_name="Edith", last_name="Clarke", role=CasePerson.Role.VICTIM) -> Person:
    """People are the people slice's to write; a test only needs one linked to the case."""
    person = Person.objects.create(first_name=first_name, last_name=last_name)
    CasePerson.objects.create(case=case, person=person, role=role)
    return person


def at(day: date, hour: int = 20, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def make_incident(*, case, on: date, reported_by=None, reported_on: date | None = None, channel="phone", hate=False,
                  description="Shouting and banging on the door", actor=None, **fields):
    return incident_log(
        actor=actor or Actor.system(),
        case=case,
        occurred_at=at(on),
        reported_on=reported_on or on,
        reported_by=reported_by,
        channel=channel,
        description=description,
        is_hate_motivated=hate,
        **fields,
    )
