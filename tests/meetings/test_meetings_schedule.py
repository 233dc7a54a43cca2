"""The group's schedule, the meetings kept three months ahead, and moving or cancelling one meeting."""

from datetime import date, time

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.services import Actor
from meetings.models import AgendaItem, Meeting, MeetingChange
from meetings.services.agenda import agenda_build
from meetings.services.schedule import meeting_cancel, meeting_move, meetings_generate, schedule_day
from meetings.tasks import meetings_schedule_task
from tests.meetings.factories_meetings import at, make_meeting, set_schedule


def test_schedule_days():
    assert schedule_day(year=2026, month=3, weekday=1, week_of_month=2) == date(2026, 3, 10)
    assert schedule_day(year=2026, month=9, weekday=1, week_of_month=2) == date(2026, 9, 8)
    assert schedule_day(year=2026, month=11, weekday=1, week_of_month=-1) == date(2026, 11, 24)
    assert schedule_day(year=2027, month=2, weekday=4, week_of_month=-1) == date(2027, 2, 26)


def test_the_schedule_fills_three_months_ahead_and_generating_again_adds_nothing(group):
    set_schedule(group, today=date(2026, 11, 23))
    meetings = list(Meeting.objects.filter(group=group).order_by("held_on"))
    assert [m.held_on for m in meetings] == [date(2026, 12, 8), date(2027, 1, 12), date(2027, 2, 9)]
    assert {(m.starts_at, m.venue) for m in meetings} == {(time(10, 0), "Sanctuary Housing, AVRO House, Witchford")}
    assert meetings_generate(actor=Actor.system(), group=group, today=date(2026, 11, 23)) == []
    added = meetings_generate(actor=Actor.system(), group=group, today=date(2026, 12, 20))
    assert [m.held_on for m in added] == [date(2027, 3, 9)]


def test_the_daily_task_keeps_the_calendar_ahead_and_is_scheduled_once(group):
    set_schedule(group, today=date(2026, 1, 1), months_ahead=1)
    before = Meeting.objects.filter(group=group).count()
    assert meetings_schedule_task.delay().get() >= 1
    assert Meeting.objects.filter(group=group).count() > before
    again = Meeting.objects.filter(group=group).count()
    assert meetings_schedule_task.delay().get() == 0
    assert Meeting.objects.filter(group=group).count() == again
    entries = [entry for entry in settings.CELERY_BEAT_SCHEDULE.values() if entry["task"] == "meetings.tasks.meetings_schedule_task"]
    assert len(entries) == 1


def test_a_moved_meeting_keeps_its_place_in_the_schedule_and_is_noted_on_the_next_agenda(group, chair_actor):
    set_schedule(group, today=date(2026, 11, 23), months_ahead=4)
    december, january, february, march = Meeting.objects.filter(group=group).order_by("held_on")[:4]
    meeting_move(actor=chair_actor, meeting=march, held_on=date(2027, 2, 23), starts_at=time(14, 0), venue=march.venue, reason="The venue is being refurbished")
    meeting_cancel(actor=chair_actor, meeting=february, reason="Too close to the moved March meeting")
    assert meetings_generate(actor=Actor.system(), group=group, today=date(2026, 11, 23), months_ahead=4) == [], "the moved slot is not filled again"

    agenda_build(actor=chair_actor, meeting=december, cut_off=at(date(2026, 12, 1)))
    body = december.items.get(section=AgendaItem.Section.NEXT_MEETING).body
    assert body.startswith("Tuesday 12 January 2027 at 10:00, Sanctuary Housing, AVRO House, Witchford.")
    assert "Change of date of the March meeting to 23 February 2027 at 14:00 (The venue is being refurbished)." in body
    assert "Cancellation of the February 2027 meeting (Too close to the moved March meeting)." in body
    assert set(MeetingChange.objects.values_list("noted_at_meeting", flat=True)) == {december.pk}

    agenda_build(actor=chair_actor, meeting=january, cut_off=at(date(2027, 1, 5)))
    body = january.items.get(section=AgendaItem.Section.NEXT_MEETING).body
    assert "Change of date" not in body, "noted once"
    assert body.startswith("Tuesday 23 February 2027 at 14:00")


def test_moving_needs_a_reason_and_a_change_and_only_the_chair_may(group, chair_actor, council_caseworker, council):
    meeting = make_meeting(group, date(2027, 1, 12))
    with pytest.raises(ValidationError) as error:
        meeting_move(actor=chair_actor, meeting=meeting, held_on=date(2027, 1, 12), starts_at=time(10, 0), venue=meeting.venue, reason="")
    assert "Say why the meeting is moving." in str(error.value)
    with pytest.raises(ValidationError, match="cannot be in the past"):
        meeting_move(actor=chair_actor, meeting=meeting, held_on=date(2020, 1, 1), starts_at=time(10, 0), venue=meeting.venue, reason="x")
    with pytest.raises(PermissionDenied):
        meeting_cancel(actor=Actor(user=council_caseworker, agency=council), meeting=meeting, reason="No quorum")
    assert not MeetingChange.objects.exists()


def test_the_chair_moves_a_meeting_from_its_page(client, group, chair, council_caseworker):
    meeting = make_meeting(group, date(2027, 1, 12))
    client.force_login(council_caseworker)
    assert client.get(reverse("meeting_move", args=[meeting.pk])).status_code == 403
    client.force_login(chair)
    url = reverse("meeting_move", args=[meeting.pk])
    response = client.post(url, {"held_on": "2027-01-19", "starts_at": "10:00", "venue": meeting.venue, "reason": ""})
    assert "Say why the meeting is moving." in response.content.decode() and "govuk-error-summary" in response.content.decode()
    response = client.post(url, {"held_on": "2027-01-19", "starts_at": "10:00", "venue": meeting.venue, "reason": "Clash with the district council's budget meeting"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.held_on == date(2027, 1, 19) and meeting.scheduled_for == date(2027, 1, 12)
    assert "Clash with the district council" in client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()


def test_the_chair_sets_the_schedule_from_the_page(client, group, chair, council_caseworker):
    url = reverse("meeting_group_schedule", args=[group.pk])
    client.force_login(council_caseworker)
    assert client.get(url).status_code == 403
    client.force_login(chair)
    response = client.post(url, {"week_of_month": "2", "weekday": "1", "starts_at": "10:00", "venue": "", "months_ahead": "3", "cut_off_days": "7", "first_minute_number": "76"})
    assert response.status_code == 302
    assert group.schedule.first_minute_number == 76
    assert Meeting.objects.filter(group=group).count() == 3
    response = client.post(url, {"week_of_month": "2", "weekday": "1", "starts_at": "", "months_ahead": "30", "cut_off_days": "7", "first_minute_number": "76"})
    page = response.content.decode()
    assert "Enter the start time, like 10:00." in page
