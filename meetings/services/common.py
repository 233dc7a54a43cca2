"""What the meetings services share: who may manage a meeting, and how meetings are named in records."""

from datetime import date, time

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from agencies.notifications import notification_send
from audit.services import Actor
from meetings import permissions
from meetings.models import Meeting


def require_manager(actor: Actor, meeting: Meeting) -> None:
    """The chair or the group administrator; the system (demo, scheduled tasks) acts as the group itself."""
    if actor.user is None:
        return
    if not permissions.can_manage_meeting(user=actor.user, meeting=meeting):
        raise PermissionDenied("Only the group's chair or administrator may do this.")


def day(value: date) -> str:
    """10 March 2026"""
    return f"{value.day} {value:%B %Y}"


def clock(value: time) -> str:
    """10:00"""
    return f"{value:%H:%M}"


def meeting_name(meeting: Meeting) -> str:
    """East Cambridgeshire ASB Casework Group, 10 March 2026"""
    return f"{meeting.group.name}, {day(meeting.held_on)}"


def minute_source(meeting: Meeting, number: int | None) -> str:
    """Where an action or decision came from: 'East Cambridgeshire ASB Casework Group, 10 March 2026, minute 84'."""
    name = meeting_name(meeting)
    return f"{name}, minute {number}" if number is not None else name


def group_notify(*, actor: Actor, meeting: Meeting, text: str) -> None:
    """Tell the group's named members, chair and administrator (not the person acting): references only."""
    group = meeting.group
    users = [*group.members.filter(is_active=True), group.chair, group.administrator]
    notification_send(
        users=[user for user in users if user is not None and user != actor.user],
        text=text,
        url=reverse("meeting_detail", args=[meeting.pk]),
        actor=actor,
    )
