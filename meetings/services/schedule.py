"""A group's schedule, the meetings generated from it, and moving or cancelling one meeting."""

import calendar
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from agencies.models import CaseworkGroup
from audit.models import AuditEvent
from audit.services import Actor, audit_record, diff
from casework.services.case_review import add_months
from meetings import permissions
from meetings.models import GroupSchedule, Meeting, MeetingChange
from meetings.services.common import clock, day, require_manager

SCHEDULE_FIELDS = ("week_of_month", "weekday", "starts_at", "venue", "months_ahead", "cut_off_days", "first_minute_number", "is_active")


def schedule_day(*, year: int, month: int, weekday: int, week_of_month: int) -> date:
    """The nth weekday of a month (week_of_month 1 to 4), or its last one (-1): the second Tuesday of March 2026 is
    10 March."""
    if week_of_month == GroupSchedule.Week.LAST:
        last = date(year, month, calendar.monthrange(year, month)[1])
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (week_of_month - 1))


def schedule_days(schedule: GroupSchedule, *, start: date, end: date) -> list[date]:
    """The schedule's meeting days from `start` to `end`, both included."""
    days = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        candidate = schedule_day(year=year, month=month, weekday=schedule.weekday, week_of_month=schedule.week_of_month)
        if start <= candidate <= end:
            days.append(candidate)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return days


def schedule_venue(schedule: GroupSchedule) -> str:
    return schedule.venue or schedule.group.default_venue


def default_cut_off(meeting: Meeting, schedule: GroupSchedule | None = None):
    """The schedule's number of days before the meeting, at 17:00 local time."""
    days = schedule.cut_off_days if schedule is not None else 7
    return timezone.make_aware(datetime.combine(meeting.held_on - timedelta(days=days), time(17, 0)))


def _schedule_errors(values: dict) -> dict:
    errors = {}
    if values["weekday"] not in GroupSchedule.Weekday.values:
        errors["weekday"] = "Choose the day of the week the group meets."
    if values["week_of_month"] not in GroupSchedule.Week.values:
        errors["week_of_month"] = "Choose which week of the month the group meets."
    if values["starts_at"] is None:
        errors["starts_at"] = "Enter the time the meeting starts, like 10:00."
    if not 1 <= (values["months_ahead"] or 0) <= 12:
        errors["months_ahead"] = "Keep meetings between 1 and 12 months ahead."
    if not 1 <= (values["cut_off_days"] or 0) <= 28:
        errors["cut_off_days"] = "The agenda cut-off must be between 1 and 28 days before the meeting."
    if (values["first_minute_number"] or 0) < 1:
        errors["first_minute_number"] = "Minute numbers start at 1 or more."
    return errors


@transaction.atomic
def group_schedule_set(
    *,
    actor: Actor,
    group: CaseworkGroup,
    weekday: int,
    week_of_month: int,
    starts_at: time,
    venue: str = "",
    months_ahead: int = 3,
    cut_off_days: int = 7,
    first_minute_number: int = 1,
    is_active: bool = True,
    today: date | None = None,
) -> GroupSchedule:
    """Set when the group meets, then fill the calendar ahead. Meetings already generated keep their dates."""
    if actor.user is not None and not permissions.is_chair_or_administrator(user=actor.user, group=group):
        raise PermissionDenied("Only the group's chair or administrator may set its schedule.")
    values = {
        "weekday": weekday, "week_of_month": week_of_month, "starts_at": starts_at, "venue": (venue or "").strip(),
        "months_ahead": months_ahead, "cut_off_days": cut_off_days, "first_minute_number": first_minute_number,
        "is_active": is_active,
    }
    errors = _schedule_errors(values)
    if errors:
        raise ValidationError(errors)
    schedule = GroupSchedule.objects.select_for_update().filter(group=group).first()
    before = {name: getattr(schedule, name) for name in SCHEDULE_FIELDS} if schedule else {}
    if schedule is None:
        schedule = GroupSchedule(group=group)
    for name, value in values.items():
        setattr(schedule, name, value)
    schedule.full_clean()
    schedule.save()
    changes = diff(before, {name: getattr(schedule, name) for name in SCHEDULE_FIELDS})
    if changes:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE if before else AuditEvent.Action.CREATE,
            obj=schedule,
            object_repr=f"Schedule of {group}",
            changes=changes,
            detail=str(schedule),
        )
    if schedule.is_active:
        meetings_generate(actor=actor, group=group, today=today)
    return schedule


@transaction.atomic
def meetings_generate(*, actor: Actor, group: CaseworkGroup, today: date | None = None, months_ahead: int | None = None) -> list[Meeting]:
    """Make sure the calendar holds every scheduled meeting from today to `months_ahead` months on (the schedule's
    number by default). Idempotent: a schedule day that already has a meeting, moved or cancelled, is left alone."""
    schedule = GroupSchedule.objects.select_related("group").filter(group=group, is_active=True).first()
    if schedule is None:
        return []
    today = today or timezone.localdate()
    end = add_months(today, months_ahead if months_ahead is not None else schedule.months_ahead)
    wanted = schedule_days(schedule, start=today, end=end)
    existing = set(Meeting.objects.filter(group=group, scheduled_for__in=wanted).values_list("scheduled_for", flat=True))
    created = []
    for slot in wanted:
        if slot in existing:
            continue
        try:
            # A savepoint: a second worker generating at the same moment makes the same row, which the constraint refuses.
            with transaction.atomic():
                meeting = Meeting.objects.create(
                    group=group, scheduled_for=slot, held_on=slot, starts_at=schedule.starts_at, venue=schedule_venue(schedule)
                )
        except IntegrityError:
            continue
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=meeting,
            changes=diff({}, {"held_on": meeting.held_on, "starts_at": meeting.starts_at, "venue": meeting.venue}),
            detail="Scheduled from the group's schedule",
        )
        created.append(meeting)
    return created


def meetings_generate_all(*, today: date | None = None) -> int:
    """For the periodic task: every active schedule, each in its own transaction. Returns how many meetings were added."""
    added = 0
    for group in CaseworkGroup.objects.filter(is_active=True, schedule__is_active=True):
        added += len(meetings_generate(actor=Actor.system(), group=group, today=today))
    return added


def _lock(meeting: Meeting) -> Meeting:
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    return Meeting.objects.select_related("group").get(pk=meeting.pk)


def _check_changeable(current: Meeting) -> None:
    if current.minutes_published_at is not None:
        raise ValidationError("The minutes of this meeting are published: it can no longer be moved or cancelled.")
    if current.is_cancelled:
        raise ValidationError("This meeting is cancelled.")


@transaction.atomic
def meeting_move(*, actor: Actor, meeting: Meeting, held_on: date, starts_at: time, venue: str, reason: str) -> Meeting:
    """Move one meeting to another date, time or venue. The change and its reason are noted on the next agenda."""
    current = _lock(meeting)
    require_manager(actor, current)
    _check_changeable(current)
    reason = (reason or "").strip()
    venue = (venue or "").strip()
    errors = {}
    if held_on is None:
        errors["held_on"] = "Enter the new date of the meeting."
    elif held_on < timezone.localdate():
        errors["held_on"] = "The new date cannot be in the past."
    if starts_at is None:
        errors["starts_at"] = "Enter the time the meeting starts, like 10:00."
    if not venue:
        errors["venue"] = "Enter where the meeting will be held."
    if not reason:
        errors["reason"] = "Say why the meeting is moving."
    if not errors and (held_on, starts_at, venue) == (current.held_on, current.starts_at, current.venue):
        errors["held_on"] = "Change the date, the time or the venue."
    if not errors and Meeting.objects.filter(group=current.group, held_on=held_on, status=Meeting.Status.SCHEDULED).exclude(pk=current.pk).exists():
        errors["held_on"] = f"The group already meets on {day(held_on)}."
    if errors:
        raise ValidationError(errors)
    MeetingChange.objects.create(
        meeting=current, kind=MeetingChange.Kind.MOVED, old_held_on=current.held_on, old_starts_at=current.starts_at,
        old_venue=current.venue, new_held_on=held_on, new_starts_at=starts_at, new_venue=venue, reason=reason,
        changed_by=actor.user if actor.user is not None and actor.user.is_authenticated else None,
    )
    before = {"held_on": current.held_on, "starts_at": current.starts_at, "venue": current.venue}
    current.held_on, current.starts_at, current.venue = held_on, starts_at, venue
    current.save(update_fields=["held_on", "starts_at", "venue", "updated_at"])
    audit_record(
        actor=actor, action=AuditEvent.Action.UPDATE, obj=current,
        changes=diff(before, {"held_on": held_on, "starts_at": starts_at, "venue": venue}), detail=f"Meeting moved: {reason}",
    )
    return current


@transaction.atomic
def meeting_cancel(*, actor: Actor, meeting: Meeting, reason: str) -> Meeting:
    current = _lock(meeting)
    require_manager(actor, current)
    _check_changeable(current)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the meeting is cancelled."})
    MeetingChange.objects.create(
        meeting=current, kind=MeetingChange.Kind.CANCELLED, old_held_on=current.held_on, old_starts_at=current.starts_at,
        old_venue=current.venue, reason=reason,
        changed_by=actor.user if actor.user is not None and actor.user.is_authenticated else None,
    )
    current.status = Meeting.Status.CANCELLED
    current.cancelled_reason = reason[:300]
    current.save(update_fields=["status", "cancelled_reason", "updated_at"])
    audit_record(
        actor=actor, action=AuditEvent.Action.UPDATE, obj=current,
        changes={"status": [Meeting.Status.SCHEDULED, Meeting.Status.CANCELLED]}, detail=f"Meeting cancelled: {reason}",
    )
    return current


def change_sentence(change: MeetingChange) -> str:
    """How the next agenda notes a change: 'Change of date of the November meeting to 25 October 2026 (…)'."""
    month = f"{change.old_held_on:%B}"
    if change.kind == MeetingChange.Kind.CANCELLED:
        return f"Cancellation of the {month} {change.old_held_on.year} meeting ({change.reason})."
    parts = []
    if change.new_held_on != change.old_held_on:
        parts.append(f"Change of date of the {month} meeting to {day(change.new_held_on)}")
        if change.new_starts_at != change.old_starts_at:
            parts[-1] += f" at {clock(change.new_starts_at)}"
    elif change.new_starts_at != change.old_starts_at:
        parts.append(f"Change of time of the {month} meeting to {clock(change.new_starts_at)}")
    if change.new_venue != change.old_venue:
        if parts:
            parts[-1] += f", at {change.new_venue}"
        else:
            parts.append(f"Change of venue of the {month} meeting to {change.new_venue}")
    return f"{parts[0]} ({change.reason})."
