"""Reads of groups, meetings, agendas and minutes for a user, already scoped by meetings.permissions."""

from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Max, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from agencies.models import Agency, CaseworkGroup, Membership
from casework import permissions as case_permissions
from casework.selectors.actions import action_owner_choices
from meetings import permissions
from meetings.models import AgendaItem, Attendance, Declaration, GroupSchedule, Meeting, MeetingAction, MeetingChange, MeetingDocument
from referrals.selectors.referrals import cases_with_group

Section = AgendaItem.Section


def groups_for_user(*, user, membership):
    """The groups whose business the user may see, with their schedules."""
    return (
        permissions.groups_visible(CaseworkGroup.objects.filter(is_active=True), user=user, membership=membership)
        .select_related("partnership", "chair", "administrator", "schedule")
        .order_by("name")
    )


def meetings_for_user(*, user, membership, upcoming: bool = True, today: date | None = None, limit: int = 12):
    """Meetings of the user's groups: from today on, soonest first (or before today, latest first)."""
    today = today or timezone.localdate()
    groups = permissions.groups_visible(CaseworkGroup.objects.all(), user=user, membership=membership)
    meetings = Meeting.objects.filter(group__in=groups).select_related("group")
    if upcoming:
        return meetings.filter(held_on__gte=today).order_by("held_on", "starts_at", "id")[:limit]
    return meetings.filter(held_on__lt=today).order_by("-held_on", "-starts_at", "-id")[:limit]


def meeting_get(*, pk, user, membership) -> Meeting:
    """The meeting if the user may see its group's business; otherwise 404, so that its existence does not leak."""
    try:
        meeting = Meeting.objects.select_related("group", "group__partnership", "group__chair", "group__administrator").get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404("No meeting found") from None
    if not permissions.can_see_group(user=user, membership=membership, group=meeting.group):
        raise Http404("No meeting found")
    return meeting


def group_get(*, pk, user, membership) -> CaseworkGroup:
    try:
        group = CaseworkGroup.objects.select_related("partnership").get(pk=pk)
    except (CaseworkGroup.DoesNotExist, ValueError, TypeError):
        raise Http404("No group found") from None
    if not permissions.can_see_group(user=user, membership=membership, group=group):
        raise Http404("No group found")
    return group


def group_schedule(group: CaseworkGroup) -> GroupSchedule | None:
    return GroupSchedule.objects.filter(group=group).first()


def meeting_items(meeting: Meeting) -> list[AgendaItem]:
    """Every item of the agenda in order, with its declarations and actions, in a fixed number of queries."""
    return list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("case", "case__lead_agency", "closure_proposed_by", "decision_lead_agency")
        .prefetch_related(
            Prefetch("declarations", queryset=Declaration.objects.select_related("attendee", "attendee__agency")),
            Prefetch("actions", queryset=MeetingAction.objects.select_related("owner_user", "owner_agency", "case_action", "item__case")),
        )
        .order_by("section", "position", "id")
    )


def cases_with_group_ids(group: CaseworkGroup) -> set[int]:
    return set(cases_with_group(group).values_list("pk", flat=True))


def visible_items(meeting: Meeting, *, user, agency) -> list[AgendaItem]:
    """The items this user may see: all for the chair and administrator; for others, a case only while it is with
    the group, unless their agency leads it."""
    items = meeting_items(meeting)
    if permissions.can_manage_meeting(user=user, meeting=meeting):
        return items
    with_group = cases_with_group_ids(meeting.group)
    return [item for item in items if permissions.case_item_visible(agency=agency, item=item, cases_with_group_ids=with_group)]


def is_minuted(item: AgendaItem, *, has_other_business: bool) -> bool:
    """Introductions and apologies are the attendance record; 'Any other business' is a heading when it has items."""
    if item.kind == AgendaItem.Kind.STANDING and item.section == Section.INTRODUCTIONS:
        return False
    if item.kind == AgendaItem.Kind.STANDING and item.section == Section.OTHER_BUSINESS and has_other_business:
        return False
    return True


def _first_number(meeting: Meeting) -> int:
    last = (
        AgendaItem.objects.filter(meeting__group_id=meeting.group_id, minute_number__isnull=False)
        .exclude(meeting=meeting)
        .aggregate(last=Max("minute_number"))["last"]
    )
    if last is not None:
        return last + 1
    schedule = GroupSchedule.objects.filter(group_id=meeting.group_id).first()
    return schedule.first_minute_number if schedule is not None else 1


def minute_numbers(meeting: Meeting, items: list[AgendaItem]) -> dict[int, int]:
    """{item id: minute number}: the numbers held once published, otherwise the ones publishing would give now
    (one running sequence across the group's meetings)."""
    if meeting.minutes_published_at is not None:
        return {item.pk: item.minute_number for item in items if item.minute_number is not None}
    has_other_business = any(item.section == Section.OTHER_BUSINESS and item.kind != AgendaItem.Kind.STANDING for item in items)
    number = _first_number(meeting)
    numbers = {}
    for item in sorted(items, key=lambda i: (i.section, i.position, i.pk)):
        if is_minuted(item, has_other_business=has_other_business):
            numbers[item.pk] = number
            number += 1
    return numbers


def agenda_outline(items: list[AgendaItem], numbers: dict[int, int] | None = None) -> list[dict]:
    """The nine sections, each with its standing item (if any) and its other items numbered 4.1, 4.2, …"""
    numbers = numbers or {}
    outline = []
    for section in Section:
        in_section = [item for item in items if item.section == section]
        standing = next((item for item in in_section if item.kind == AgendaItem.Kind.STANDING), None)
        children = [item for item in in_section if item.kind != AgendaItem.Kind.STANDING]
        for index, item in enumerate(children, start=1):
            item.agenda_number = f"{int(section)}.{index}"
            item.minute_no = numbers.get(item.pk)
        if standing is not None:
            standing.agenda_number = str(int(section))
            standing.minute_no = numbers.get(standing.pk)
        outline.append(
            {
                "number": int(section),
                "title": standing.title if standing is not None else section.label,
                "standing": standing,
                "items": children,
                "is_case_section": section in (Section.NEW_REFERRALS, Section.REVIEW, Section.CASE_REVIEW_THRESHOLD, Section.PROPOSED_CLOSURE),
            }
        )
    return outline


def meeting_attendance(meeting: Meeting) -> dict:
    rows = list(Attendance.objects.filter(meeting=meeting).select_related("agency", "user").order_by("agency__name", "name", "id"))
    return {
        "present": [row for row in rows if row.status == Attendance.Status.PRESENT],
        "apologies": [row for row in rows if row.status == Attendance.Status.APOLOGIES],
    }


def meeting_changes(meeting: Meeting):
    return MeetingChange.objects.filter(meeting=meeting).select_related("changed_by").order_by("changed_at", "id")


def meeting_document(meeting: Meeting, kind: str) -> MeetingDocument | None:
    return MeetingDocument.objects.filter(meeting=meeting, kind=kind).first()


def meeting_user_choices(meeting: Meeting):
    """People who may be recorded as present: active members of the group's partnership."""
    members = Membership.objects.filter(partnership_id=meeting.group.partnership_id, is_active=True).values("user_id")
    return get_user_model().objects.filter(pk__in=members, is_active=True).order_by("last_name", "first_name", "username")


def partnership_agencies(meeting: Meeting):
    return Agency.objects.filter(partnerships=meeting.group.partnership_id).order_by("name")


def present_attendees(meeting: Meeting):
    """Who is recorded present at the meeting: those who may declare an interest on an item."""
    return Attendance.objects.filter(meeting=meeting, status=Attendance.Status.PRESENT).select_related("agency").order_by("name", "id")


def item_owner_choices(item: AgendaItem):
    """(agencies, users) that may own an action on the item: for a case, those with access to it."""
    if item.case_id is not None:
        return action_owner_choices(case=item.case, agencies=case_permissions.agencies_involved_in_case(case=item.case))
    return partnership_agencies(item.meeting), meeting_user_choices(item.meeting)


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The group's last meeting before this one that was held: not cancelled, with an agenda."""
    return (
        Meeting.objects.filter(group_id=meeting.group_id, status=Meeting.Status.SCHEDULED, agenda_built_at__isnull=False)
        .filter(Q(held_on__lt=meeting.held_on) | Q(held_on=meeting.held_on, starts_at__lt=meeting.starts_at))
        .exclude(pk=meeting.pk)
        .order_by("-held_on", "-starts_at", "-id")
        .first()
    )


def next_meeting(meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.filter(group_id=meeting.group_id, status=Meeting.Status.SCHEDULED)
        .filter(Q(held_on__gt=meeting.held_on) | Q(held_on=meeting.held_on, starts_at__gt=meeting.starts_at))
        .exclude(pk=meeting.pk)
        .order_by("held_on", "starts_at", "id")
        .first()
    )


def outstanding_non_case_actions(meeting: Meeting):
    """Actions from the group's earlier meetings not on a case and not yet done: the chair marks them done."""
    return (
        MeetingAction.objects.filter(
            item__meeting__group_id=meeting.group_id, item__meeting__minutes_published_at__isnull=False,
            item__meeting__held_on__lt=meeting.held_on, case_action__isnull=True, item__case__isnull=True, done_on__isnull=True,
        )
        .select_related("item", "item__meeting", "owner_user", "owner_agency")
        .order_by("item__meeting__held_on", "item__minute_number", "id")
    )
