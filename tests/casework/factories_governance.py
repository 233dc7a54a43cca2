"""Members with governance roles, closed cases, and the records on a case that the notes/interventions/actions services
(another slice's) would write: made directly, since only their presence matters here."""

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from agencies.models import Membership
from audit.services import Actor
from casework.models import Action, Intervention, Note, SecurityMarking
from casework.services.cases import case_close
from tests.agencies.factories import make_member
from tests.casework.factories import make_case


@pytest.fixture
def dpo(council, partnership):
    return make_member(agency=council, partnership=partnership, role=Membership.Role.DPO, username="dpo", first_name="Grace", last_name="Holloway")


@pytest.fixture
def coordinator(council, partnership):
    return make_member(agency=council, partnership=partnership, role=Membership.Role.COORDINATOR, username="coordinator", first_name="Helen", last_name="Ward")


@pytest.fixture
def police_supervisor(police, partnership):
    return make_member(agency=police, partnership=partnership, role=Membership.Role.SUPERVISOR, username="police-sup")


def membership_of(user):
    return Membership.objects.select_related("agency", "partnership").get(user=user)


def actor_of(user):
    return Actor(user=user, agency=membership_of(user).agency)


def aware(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def make_closed_case(*, partnership, lead_agency, opened_on: date, closed_on: date, outcome="resolved", **fields):
    case = make_case(partnership=partnership, lead_agency=lead_agency, opened_on=opened_on, **fields)
    return case_close(actor=Actor.system(), case=case, outcome=outcome, reason="Resolved by mediation", closed_on=closed_on)


def make_note(*, case, agency, text="Spoke to the victim by phone.", marking=SecurityMarking.OFFICIAL, written_on=date(2026, 3, 3)):
    return Note.objects.create(case=case, agency=agency, text=text, marking=marking, written_at=aware(written_on))


def make_intervention(*, case, agency, person=None, type="warning_letter", notes="", start_on=date(2026, 3, 4), status="active"):
    return Intervention.objects.create(case=case, delivering_agency=agency, person=person, type=type, notes=notes,
                                       start_on=start_on, status=status)


def make_action(*, case, agency, description="Visit the neighbours at no. 5", due_on=date(2026, 3, 20)):
    return Action.objects.create(case=case, owner_agency=agency, description=description, due_on=due_on)
