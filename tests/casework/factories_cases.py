"""Test data for the cases slice: people on cases, actions and interventions (plain rows: their own services
belong to other parts of the app), and a signed-in client acting for a user's agency."""

from datetime import timedelta

from django.utils import timezone

from casework.models import Action, CasePerson, Intervention, InterventionType, Person


def put_person_on_case(*, case, first_name, last_name, role=CasePerson.Role.PERPETRATOR, person=None):
    person = person or Person.objects.create(first_name=first_name, last_name=last_name)
    CasePerson.objects.create(case=case, person=person, role=role)
    return person


def make_action(*, case, description="Send a warning letter", owner_user=None, owner_agency=None, due_in_days=-3, done=False):
    today = timezone.localdate()
    return Action.objects.create(
        case=case,
        description=description,
        owner_user=owner_user,
        owner_agency=owner_agency,
        due_on=today + timedelta(days=due_in_days),
        done_on=today if done else None,
    )


def make_intervention(*, case, agency, status=Intervention.Status.ACTIVE, type=InterventionType.ABC):
    return Intervention.objects.create(case=case, type=type, delivering_agency=agency, status=status)


def date_parts(name: str, day) -> dict:
    """The three inputs of a GOV.UK date field for a form post."""
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}
