"""Minutes: one running sequence of numbers across the group's meetings, and publishing them onto the cases."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from audit.services import Actor
from casework.models import Action, Case, CaseAccess, CaseReviewRequest
from casework.permissions import case_permissions
from meetings.models import AgendaItem, Attendance
from meetings.services.agenda import agenda_build, agenda_item_add
from meetings.services.minutes import minutes_publish
from meetings.services.room import attendance_record, item_minutes_save, meeting_action_add
from referrals.models import GroupReferral
from tests.meetings.factories_meetings import at, case_with_group, make_meeting, set_schedule

S = AgendaItem.Section
D = AgendaItem.Decision


@pytest.fixture
def present(chair_actor, police, council, housing):
    def record(meeting):
        attendance_record(actor=chair_actor, meeting=meeting, agency=police, status="present", name="Chris Savage", role="Chair")
        attendance_record(actor=chair_actor, meeting=meeting, agency=council, status="present", name="Lyn Hesse")
        attendance_record(actor=chair_actor, meeting=meeting, agency=housing, status="apologies", name="Sam Okafor")
    return record


def _held(group, day, chair_actor, present, cut_off_day):
    meeting = make_meeting(group, day)
    agenda_build(actor=chair_actor, meeting=meeting, cut_off=at(cut_off_day))
    present(meeting)
    return meeting


def test_minute_numbers_continue_across_meetings(group, chair_actor, present, partnership, council):
    set_schedule(group, first_minute_number=76, today=date(2026, 1, 1), months_ahead=1)
    case_with_group(partnership=partnership, lead_agency=council, group=group, referred_on=date(2026, 1, 20))
    january = make_meeting(group, date(2026, 1, 27), scheduled=False)
    agenda_build(actor=chair_actor, meeting=january, cut_off=at(date(2026, 1, 21)))
    agenda_item_add(actor=chair_actor, meeting=january, title="Bin sticker initiative")
    present(january)
    minutes_publish(actor=chair_actor, meeting=january)

    numbers = list(january.items.exclude(minute_number=None).order_by("minute_number").values_list("section", "minute_number"))
    # 2 declarations, 3 previous minutes, 4.1 the case, 8.1 bin stickers (8 is its heading), 9 next meeting.
    assert numbers == [(S.DECLARATIONS, 76), (S.PREVIOUS_MINUTES, 77), (S.NEW_REFERRALS, 78), (S.OTHER_BUSINESS, 79), (S.NEXT_MEETING, 80)]
    assert january.items.get(section=S.INTRODUCTIONS).minute_number is None

    february = make_meeting(group, date(2026, 2, 24), scheduled=False)
    agenda_build(actor=chair_actor, meeting=february, cut_off=at(date(2026, 2, 17)))
    present(february)
    item_minutes_save(
        actor=chair_actor, item=february.items.get(section=S.PREVIOUS_MINUTES), minute_text="",
        previous_minutes_approval="subject_to", previous_minutes_alterations="Minute 79: the stickers are for wheelie bins only.",
    )
    minutes_publish(actor=chair_actor, meeting=february)
    assert min(february.items.exclude(minute_number=None).values_list("minute_number", flat=True)) == 81
    january.refresh_from_db()
    assert january.approved_at_meeting == february


def test_the_next_meeting_waits_for_the_previous_minutes(group, chair_actor, present, partnership, council):
    january = _held(group, date(2026, 1, 13), chair_actor, present, date(2026, 1, 6))
    february = _held(group, date(2026, 2, 10), chair_actor, present, date(2026, 2, 3))
    with pytest.raises(ValidationError, match="Publish the minutes of the meeting on 13 January 2026 first"):
        minutes_publish(actor=chair_actor, meeting=february)
    minutes_publish(actor=chair_actor, meeting=january)
    minutes_publish(actor=chair_actor, meeting=february)
    assert february.items.get(section=S.DECLARATIONS).minute_number == january.items.get(section=S.NEXT_MEETING).minute_number + 1


@pytest.fixture
def march_cases(partnership, police, council, housing, group, fire):
    def make(lead, referred_on, **fields):
        return case_with_group(partnership=partnership, lead_agency=lead, group=group, referred_on=referred_on, **fields)

    return {
        "lead_change": make(council, date(2026, 2, 20), subject_tenure="housing_association"),
        "close": make(council, date(2026, 2, 21)),
        "escalate": make(police, date(2026, 2, 22), risk_level="medium"),
        "review": make(police, date(2026, 2, 23)),
        "keep": make(housing, date(2026, 2, 24)),
    }


def test_publishing_puts_actions_and_decisions_on_the_cases_with_audit_events(
    group, march, chair_actor, present, march_cases, council, housing, police, council_caseworker, police_caseworker
):
    set_schedule(group, first_minute_number=84, today=date(2026, 3, 1), months_ahead=2)
    agenda_build(actor=chair_actor, meeting=march, cut_off=at(date(2026, 3, 3)))
    present(march)
    item = {name: march.items.get(case=case) for name, case in march_cases.items()}
    meeting_action_add(actor=chair_actor, item=item["keep"], description="Visit the household with the tenancy officer", owner_agency=housing, due_on=date(2026, 3, 24))
    meeting_action_add(actor=chair_actor, item=item["close"], description="Write to the complainant to say the case is closing", owner_user=council_caseworker, due_on=date(2026, 3, 17))
    item_minutes_save(actor=chair_actor, item=item["lead_change"], minute_text="The household are Sanctuary tenants.", decision=D.CHANGE_LEAD, decision_lead_agency=housing)
    item_minutes_save(actor=chair_actor, item=item["close"], minute_text="No incidents for two months.", decision=D.CLOSE, decision_outcome=Case.Outcome.RESOLVED)
    item_minutes_save(actor=chair_actor, item=item["escalate"], minute_text="Threats have increased.", decision=D.ESCALATE)
    item_minutes_save(actor=chair_actor, item=item["review"], minute_text="The victim's councillor asked for a review.", decision=D.CASE_REVIEW)
    item_minutes_save(actor=chair_actor, item=item["keep"], minute_text="Keep open.", decision=D.KEEP_OPEN)

    minutes_publish(actor=chair_actor, meeting=march)

    numbers = {name: march.items.get(pk=i.pk).minute_number for name, i in item.items()}
    meeting_name = "East Cambridgeshire ASB Casework Group, 10 March 2026"
    keep_action = Action.objects.get(case=march_cases["keep"])
    assert keep_action.description == "Visit the household with the tenancy officer"
    assert keep_action.owner_agency == housing and keep_action.due_on == date(2026, 3, 24)
    assert keep_action.source == f"{meeting_name}, minute {numbers['keep']}"
    close_action = Action.objects.get(case=march_cases["close"])
    assert close_action.owner_user == council_caseworker

    cases = {name: Case.objects.get(pk=case.pk) for name, case in march_cases.items()}
    assert cases["lead_change"].lead_agency == housing
    assert cases["close"].status == Case.Status.CLOSED and cases["close"].closing_outcome == Case.Outcome.RESOLVED
    assert not GroupReferral.objects.filter(case=cases["close"], status=GroupReferral.Status.WITH_GROUP).exists()
    assert case_permissions(user=police_caseworker, agency=police, case=cases["close"]) == set(), "members' access ends with the group's part"
    assert cases["escalate"].risk_level == Case.RiskLevel.HIGH
    assert cases["escalate"].next_review_on == date(2026, 4, 14), "reviewed at the next meeting"
    review = CaseReviewRequest.objects.get(case=cases["review"])
    assert review.requested_by_description == f"{meeting_name}, minute {numbers['review']}"
    assert cases["keep"].status == Case.Status.REFERRED_TO_GROUP

    for name, case in cases.items():
        assert AuditEvent.objects.filter(case_id=case.pk, detail__startswith=f"Decision of {meeting_name}, minute {numbers[name]}").exists(), name
    assert AuditEvent.objects.filter(case_id=cases["lead_change"].pk, changes__lead_agency=[str(council), str(housing)], detail__contains=meeting_name).exists()
    assert AuditEvent.objects.filter(case_id=cases["keep"].pk, object_type="action", action="create").exists()

    # Idempotent: publishing again adds nothing and changes nothing.
    events = AuditEvent.objects.count()
    minutes_publish(actor=chair_actor, meeting=march)
    assert Action.objects.filter(case__in=cases.values()).count() == 2
    assert CaseReviewRequest.objects.filter(case=cases["review"]).count() == 1
    assert AuditEvent.objects.count() == events


def test_nothing_is_published_when_an_owner_has_no_access_any_more(group, march, chair_actor, present, march_cases, housing, police):
    from casework.services.access import case_access_revoke

    agenda_build(actor=chair_actor, meeting=march, cut_off=at(date(2026, 3, 3)))
    present(march)
    item = march.items.get(case=march_cases["escalate"])
    meeting_action_add(actor=chair_actor, item=item, description="Share the tenancy file", owner_agency=housing)
    item_minutes_save(actor=chair_actor, item=item, minute_text="Escalate.", decision=D.ESCALATE)
    case_access_revoke(actor=Actor.system(), case=march_cases["escalate"], agency=housing, level=CaseAccess.Level.GROUP_MEMBER)
    with pytest.raises(ValidationError, match="does not have access"):
        minutes_publish(actor=chair_actor, meeting=march)
    march.refresh_from_db()
    assert march.minutes_published_at is None
    assert not Action.objects.filter(case=march_cases["escalate"]).exists()
    assert Case.objects.get(pk=march_cases["escalate"].pk).risk_level == "medium"


def test_the_room_refuses_bad_decisions_and_owners(group, march, chair_actor, present, march_cases, council, fire):
    agenda_build(actor=chair_actor, meeting=march, cut_off=at(date(2026, 3, 3)))
    present(march)
    item = march.items.get(case=march_cases["lead_change"])
    with pytest.raises(ValidationError) as error:
        item_minutes_save(actor=chair_actor, item=item, minute_text="", decision=D.CHANGE_LEAD, decision_lead_agency=council)
    assert "already leads the case" in str(error.value)
    with pytest.raises(ValidationError, match="Choose the outcome"):
        item_minutes_save(actor=chair_actor, item=item, minute_text="", decision=D.CLOSE)
    with pytest.raises(ValidationError, match="does not have access"):
        meeting_action_add(actor=chair_actor, item=item, description="Fire safety visit", owner_agency=fire)
    with pytest.raises(ValidationError, match="Decisions are recorded on case items"):
        item_minutes_save(actor=chair_actor, item=march.items.get(section=S.DECLARATIONS), minute_text="", decision=D.CLOSE)
    assert Attendance.objects.filter(meeting=march, status="present").count() == 2


def test_a_member_agency_given_an_action_becomes_a_contributor_and_sees_the_action_on_the_case(
    group, march, chair_actor, present, march_cases, housing, housing_caseworker
):
    case = march_cases["close"]  # led by the council; Sanctuary Housing is only a member of the group
    assert case_permissions(user=housing_caseworker, agency=housing, case=case) == set(), "a member sees the agenda, not the case"
    agenda_build(actor=chair_actor, meeting=march, cut_off=at(date(2026, 3, 3)))
    present(march)
    item = march.items.get(case=case)
    meeting_action_add(actor=chair_actor, item=item, description="Check the tenancy for breaches", owner_agency=housing, due_on=date(2026, 3, 31))
    item_minutes_save(actor=chair_actor, item=item, minute_text="Sanctuary to check the tenancy.", decision=D.KEEP_OPEN)

    minutes_publish(actor=chair_actor, meeting=march)

    number = march.items.get(pk=item.pk).minute_number
    assert case_permissions(user=housing_caseworker, agency=housing, case=case) == {"view_case", "contribute_case"}
    access = CaseAccess.objects.get(case=case, agency=housing, level=CaseAccess.Level.CONTRIBUTOR, revoked_at__isnull=True)
    assert access.reason == f"Owns an action from East Cambridgeshire ASB Casework Group, 10 March 2026, minute {number}"
    assert Action.objects.get(case=case).owner_agency == housing
    assert AuditEvent.objects.filter(case_id=case.pk, action="grant", detail__startswith="Contributor access for").exists()
