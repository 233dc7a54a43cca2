from django.core.management import call_command

from audit.models import AuditEvent
from casework.models import Action, Case
from meetings.models import AgendaItem, Attendance, GroupSchedule, Meeting, MeetingAction, MeetingChange


def test_the_demo_group_has_a_schedule_a_minuted_meeting_and_an_issued_agenda(db):
    call_command("seed_demo", "--password", "demo-password-123")
    counts = (Meeting.objects.count(), AgendaItem.objects.count(), MeetingAction.objects.count(), Action.objects.count(), MeetingChange.objects.count())
    call_command("seed_demo", "--password", "demo-password-123")
    assert counts == (Meeting.objects.count(), AgendaItem.objects.count(), MeetingAction.objects.count(), Action.objects.count(), MeetingChange.objects.count())

    schedule = GroupSchedule.objects.get(group__name="East Cambridgeshire ASB Casework Group")
    assert str(schedule) == "Monthly on the second Tuesday at 10:00"
    last = Meeting.objects.get(group=schedule.group, minutes_published_at__isnull=False)
    numbers = list(last.items.exclude(minute_number=None).order_by("minute_number").values_list("minute_number", flat=True))
    assert numbers == list(range(76, 87))
    assert last.items.get(minute_number=84).title == "Bin sticker initiative"
    assert last.items.get(minute_number=86).section == AgendaItem.Section.NEXT_MEETING
    assert Attendance.objects.filter(meeting=last, status="present", name="Jenny Massie", agency__slug="cambs-police").exists()
    assert Attendance.objects.filter(meeting=last, status="apologies").count() == 2
    stickers = MeetingAction.objects.filter(item__minute_number=84, item__meeting=last)
    assert sorted(a.owner_user.get_full_name() for a in stickers) == ["Lyn Hesse", "Tony Barrios"]

    source = f"East Cambridgeshire ASB Casework Group, {last.held_on.day} {last.held_on:%B %Y}, minute"
    assert Action.objects.filter(source__startswith=source).count() == 4
    returned = Case.objects.get(summary="Family in dispute with neighbours over parking and threats")
    assert returned.status == "active" and not returned.group_referrals.filter(status="with_group").exists()
    assert AuditEvent.objects.filter(case_id=returned.pk, detail__startswith=f"Decision of {source}").exists()
    kept = Case.objects.get(summary="Repeated intimidation of elderly neighbour")
    assert kept.case_review_requests.filter(requested_by_description__startswith=source).count() == 1

    following = Meeting.objects.filter(group=schedule.group, held_on__gt=last.held_on, status="scheduled").order_by("held_on").first()
    assert following.agenda_issued_at is not None
    sections = set(following.items.values_list("section", flat=True))
    assert sections == {1, 2, 3, 4, 6, 8, 9}
    assert following.items.get(section=AgendaItem.Section.CASE_REVIEW_THRESHOLD).case == kept
    assert following.items.get(section=AgendaItem.Section.NEW_REFERRALS).case.summary == "Drug dealing from a house on the estate"
    assert "Change of date of the" in following.items.get(section=AgendaItem.Section.NEXT_MEETING).body
    outstanding = following.items.get(section=AgendaItem.Section.PREVIOUS_MINUTES).facts["outstanding_actions"]
    assert len(outstanding) == 6
