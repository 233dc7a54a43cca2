"""Test data for meetings: a casework group with its schedule, meetings on given days, cases referred to the group."""

from datetime import date, datetime, time

from django.utils import timezone

from agencies.models import CaseworkGroup, Membership
from audit.services import Actor
from meetings.models import Meeting
from meetings.services.schedule import group_schedule_set
from referrals.services.referrals import group_referral_send
from tests.agencies.factories import make_member
from tests.casework.factories import make_case

GROUP_NAME = "East Cambridgeshire ASB Casework Group"
VENUE = "Sanctuary Housing, AVRO House, Witchford"


def make_chair(*, police, partnership, username="police-chair"):
    return make_member(agency=police, partnership=partnership, role=Membership.Role.CHAIR, username=username, first_name="Chris", last_name="Savage")


def make_group(*, partnership, member_agencies, chair=None, administrator=None, name=GROUP_NAME) -> CaseworkGroup:
    group = CaseworkGroup.objects.create(partnership=partnership, name=name, chair=chair, administrator=administrator, default_venue=VENUE)
    group.member_agencies.set(member_agencies)
    return group


def set_schedule(group, *, today=None, first_minute_number=1, **overrides):
    values = {"weekday": 1, "week_of_month": 2, "starts_at": time(10, 0), "first_minute_number": first_minute_number, **overrides}
    return group_schedule_set(actor=Actor.system(), group=group, today=today, **values)


def make_meeting(group, held_on: date, *, starts_at=time(10, 0), venue=VENUE, scheduled=True) -> Meeting:
    return Meeting.objects.create(group=group, scheduled_for=held_on if scheduled else None, held_on=held_on, starts_at=starts_at, venue=venue)


def at(day: date, hour=17, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def refer(case, group, *, on: date, by=None, reason="Persistent ASB despite warnings; partners' help is needed."):
    actor = Actor(user=by, agency=case.lead_agency) if by is not None else None
    if actor is None:
        # The lead agency refers its own case: act as one of its people.
        membership = Membership.objects.filter(agency=case.lead_agency, partnership=case.partnership, is_active=True).select_related("user").first()
        lead_user = membership.user if membership else make_member(agency=case.lead_agency, partnership=case.partnership, username=f"{case.lead_agency.slug}-referrer")
        actor = Actor(user=lead_user, agency=case.lead_agency)
    return group_referral_send(actor=actor, case=case, group=group, reason=reason, referred_on=on)


def case_with_group(*, partnership, lead_agency, group, referred_on: date, opened_on=date(2026, 1, 5), **fields):
    case = make_case(partnership=partnership, lead_agency=lead_agency, opened_on=opened_on, **fields)
    refer(case, group, on=referred_on)
    case.refresh_from_db()
    return case
