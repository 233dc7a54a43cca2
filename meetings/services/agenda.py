"""Building a meeting's agenda from live data at a cut-off, and the chair's edits to it.

The agenda's order:
  1 Introductions and apologies; 2 Declarations of interest; 3 Minutes of the previous meeting and matters arising
  (outstanding actions from earlier meetings); 4 New referrals to the group; 5 Cases for review; 6 Cases over the
  ASB Case Review threshold; 7 Cases proposed for closure; 8 Any other business; 9 Date of next meeting.

Each case with the group (referred by the cut-off) appears once, in the first of these that applies:
  - 4 New referrals: referred to the group after the previous meeting's cut-off (every case, at a group's first
    meeting), earliest referral first;
  - 7 Proposed for closure: its lead agency (or the chair) proposed closure on this agenda, or the case is in
    monitoring;
  - 6 Over the ASB Case Review threshold: the case is flagged, earliest flag first;
  - 5 Cases for review: every other case: high risk first, then those whose review is due by the meeting (soonest
    first), then the rest by review date.
"""

from datetime import datetime, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import Actor, audit_record
from casework.models import Case
from casework.services.case_review import add_months
from meetings import permissions
from meetings.agenda_facts import Window, case_facts, group_cases_at_cut_off
from meetings.models import AgendaItem, GroupSchedule, Meeting, MeetingAction, MeetingChange
from meetings.selectors import next_meeting, previous_meeting
from meetings.services.common import clock, day, group_notify, meeting_name, require_manager
from meetings.services.documents import document_request
from meetings.services.schedule import change_sentence, default_cut_off

Section = AgendaItem.Section
STANDING_SECTIONS = (Section.INTRODUCTIONS, Section.DECLARATIONS, Section.PREVIOUS_MINUTES, Section.OTHER_BUSINESS, Section.NEXT_MEETING)


def _window(meeting: Meeting, previous: Meeting | None, cut_off: datetime) -> Window:
    if previous is not None:
        since = previous.agenda_cut_off or timezone.make_aware(datetime.combine(previous.held_on, previous.starts_at))
    else:
        # A group's first meeting in the system looks back one month.
        since = timezone.make_aware(datetime.combine(add_months(timezone.localdate(cut_off), -1), time(0, 0)))
    return Window(since=since, until=cut_off)


def outstanding_actions(meeting: Meeting) -> list[dict]:
    """Actions agreed at the group's earlier meetings that are not yet done (on the case, for a case's action)."""
    rows = (
        MeetingAction.objects.filter(
            item__meeting__group_id=meeting.group_id,
            item__meeting__minutes_published_at__isnull=False,
            item__meeting__held_on__lt=meeting.held_on,
        )
        .filter(Q(case_action__isnull=True, done_on__isnull=True) | Q(case_action__isnull=False, case_action__done_on__isnull=True))
        .select_related("item", "item__meeting", "item__case", "owner_user", "owner_agency", "case_action")
        .order_by("item__meeting__held_on", "item__minute_number", "id")
    )
    today = timezone.localdate()
    return [
        {
            "id": action.pk,
            "minute": action.item.minute_number,
            "meeting": day(action.item.meeting.held_on),
            "case": action.item.case.reference if action.item.case_id else "",
            "description": action.description,
            "owner": action_owner_label(action),
            "due_on": action.due_on.isoformat() if action.due_on else None,
            "due_label": day(action.due_on) if action.due_on else "",
            "overdue": action.due_on is not None and action.due_on < today,
        }
        for action in rows
    ]


def action_owner_label(action) -> str:
    if action.owner_user_id:
        name = action.owner_user.get_full_name() or action.owner_user.get_username()
        return f"{name}, {action.owner_agency.name}" if action.owner_agency_id else name
    return action.owner_agency.name


def _review_order(case: Case, meeting_day):
    high = case.risk_level != Case.RiskLevel.HIGH
    due = case.next_review_on is None or case.next_review_on > meeting_day
    return (high, due, case.next_review_on or meeting_day.max, case.reference)


def _natural_section(case: Case, previous_cut_off_day) -> int:
    """Where a case goes, leaving aside a closure proposal carried from an earlier build."""
    if previous_cut_off_day is None or case.group_referred_on > previous_cut_off_day:
        return Section.NEW_REFERRALS
    if case.status == Case.Status.MONITORING:
        return Section.PROPOSED_CLOSURE
    if case.case_review_flagged_at is not None:
        return Section.CASE_REVIEW_THRESHOLD
    return Section.REVIEW


def _place(cases: list[Case], *, previous_cut_off_day, carried: dict, meeting_day) -> dict[int, list[Case]]:
    placed = {Section.NEW_REFERRALS: [], Section.REVIEW: [], Section.CASE_REVIEW_THRESHOLD: [], Section.PROPOSED_CLOSURE: []}
    for case in cases:
        case.natural_section = _natural_section(case, previous_cut_off_day)
        closing = case.pk in carried and case.natural_section != Section.NEW_REFERRALS
        placed[Section.PROPOSED_CLOSURE if closing else case.natural_section].append(case)
    placed[Section.NEW_REFERRALS].sort(key=lambda c: (c.group_referred_on, c.reference))
    placed[Section.PROPOSED_CLOSURE].sort(key=lambda c: (c.group_referred_on, c.reference))
    placed[Section.CASE_REVIEW_THRESHOLD].sort(key=lambda c: (c.case_review_flagged_at, c.reference))
    placed[Section.REVIEW].sort(key=lambda c: _review_order(c, meeting_day))
    return placed


def _why(section: int, case: Case, facts: dict) -> str:
    if section == Section.NEW_REFERRALS:
        return f"Referred on {day(case.group_referred_on)}"
    if section == Section.PROPOSED_CLOSURE:
        return "Proposed for closure" if case.status != Case.Status.MONITORING else "Monitoring: proposed for closure"
    if section == Section.CASE_REVIEW_THRESHOLD:
        return f"Over the threshold: {case.case_review_rule}" if case.case_review_rule else "Over the threshold"
    if case.risk_level == Case.RiskLevel.HIGH:
        return "High risk"
    if facts["review_due"]:
        return f"Review due {day(case.next_review_on)}"
    return f"Next review {day(case.next_review_on)}" if case.next_review_on else "Review"


def _next_meeting_text(meeting: Meeting) -> str:
    following = next_meeting(meeting)
    if following is None:
        return "To be arranged."
    return f"{following.held_on:%A} {day(following.held_on)} at {clock(following.starts_at)}, {following.venue}."


def _recorded_in_room(meeting: Meeting) -> bool:
    return (
        meeting.items.exclude(minute_text="").exists()
        or meeting.items.exclude(decision="").exists()
        or MeetingAction.objects.filter(item__meeting=meeting).exists()
        or meeting.items.filter(declarations__isnull=False).exists()
    )


def _lock(meeting: Meeting) -> Meeting:
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    return Meeting.objects.select_related("group").get(pk=meeting.pk)


def _check_editable(current: Meeting) -> None:
    if current.is_cancelled:
        raise ValidationError("This meeting is cancelled.")
    if current.minutes_published_at is not None:
        raise ValidationError("The minutes of this meeting are published: its agenda can no longer change.")


@transaction.atomic
def agenda_build(*, actor: Actor, meeting: Meeting, cut_off: datetime | None = None) -> Meeting:
    """Build (or build again) the agenda from the cases with the group at the cut-off.

    Building again replaces the items it built and keeps the items the chair added, and any closure proposals.
    Once minutes, decisions or actions are recorded in the room, the agenda is no longer rebuilt."""
    current = _lock(meeting)
    require_manager(actor, current)
    _check_editable(current)
    schedule = GroupSchedule.objects.filter(group_id=current.group_id).first()
    cut_off = cut_off or current.agenda_cut_off or default_cut_off(current, schedule)
    starts = timezone.make_aware(datetime.combine(current.held_on, current.starts_at))
    if cut_off > starts:
        raise ValidationError({"agenda_cut_off": "The cut-off must be before the meeting starts."})
    if current.agenda_built_at is not None and _recorded_in_room(current):
        raise ValidationError("Minutes, decisions or actions are already recorded on this agenda: edit its items instead of building it again.")

    previous = previous_meeting(current)
    window = _window(current, previous, cut_off)
    previous_cut_off_day = timezone.localdate(previous.agenda_cut_off) if previous is not None and previous.agenda_cut_off else None
    if previous is not None and previous_cut_off_day is None:
        previous_cut_off_day = previous.held_on

    old_items = list(current.items.all())
    carried = {
        item.case_id: item for item in old_items if item.case_id is not None and item.proposed_for_closure
    }
    added = [item for item in old_items if item.kind == AgendaItem.Kind.ADDED]
    current.items.exclude(kind=AgendaItem.Kind.ADDED).delete()

    cases = list(group_cases_at_cut_off(current.group, window=window))
    placed = _place(cases, previous_cut_off_day=previous_cut_off_day, carried=carried, meeting_day=current.held_on)

    changes = list(
        MeetingChange.objects.filter(meeting__group_id=current.group_id, changed_at__lte=max(cut_off, timezone.now()))
        .filter(Q(noted_at_meeting__isnull=True) | Q(noted_at_meeting=current))
        .exclude(meeting=current)
        .order_by("changed_at", "id")
    )
    change_notes = [change_sentence(change) for change in changes]
    next_text = _next_meeting_text(current)
    if change_notes:
        next_text += "\n\nTo note formally: " + " ".join(change_notes)

    previous_title = (
        f"Minutes of the meeting held on {day(previous.held_on)} and matters arising" if previous is not None else Section.PREVIOUS_MINUTES.label
    )
    rows = [
        AgendaItem(meeting=current, section=Section.INTRODUCTIONS, position=0, kind=AgendaItem.Kind.STANDING, title=Section.INTRODUCTIONS.label),
        AgendaItem(meeting=current, section=Section.DECLARATIONS, position=0, kind=AgendaItem.Kind.STANDING, title=Section.DECLARATIONS.label),
        AgendaItem(
            meeting=current, section=Section.PREVIOUS_MINUTES, position=0, kind=AgendaItem.Kind.STANDING, title=previous_title,
            facts={"previous_meeting_id": previous.pk if previous else None, "outstanding_actions": outstanding_actions(current)},
        ),
        AgendaItem(meeting=current, section=Section.OTHER_BUSINESS, position=0, kind=AgendaItem.Kind.STANDING, title=Section.OTHER_BUSINESS.label),
        AgendaItem(
            meeting=current, section=Section.NEXT_MEETING, position=0, kind=AgendaItem.Kind.STANDING, title=Section.NEXT_MEETING.label,
            body=next_text, facts={"changes": change_notes},
        ),
    ]
    for section, section_cases in placed.items():
        for position, case in enumerate(section_cases, start=1):
            facts = case_facts(case, window=window, meeting_day=current.held_on)
            facts["built_section"] = int(case.natural_section)
            facts["why"] = _why(section, case, facts)
            proposal = carried.get(case.pk) if section == Section.PROPOSED_CLOSURE else None
            rows.append(
                AgendaItem(
                    meeting=current, section=section, position=position, kind=AgendaItem.Kind.CASE, case=case,
                    title=f"{case.reference}: {facts['kind'] or facts['category']} ({facts['subject_type'].lower()})",
                    facts=facts,
                    proposed_for_closure=proposal is not None,
                    closure_proposed_by_id=proposal.closure_proposed_by_id if proposal else None,
                    closure_reason=proposal.closure_reason if proposal else "",
                )
            )
    AgendaItem.objects.bulk_create(rows)
    for position, item in enumerate(sorted(added, key=lambda i: (i.position, i.pk)), start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])
    MeetingChange.objects.filter(pk__in=[change.pk for change in changes]).update(noted_at_meeting=current)

    rebuilt = current.agenda_built_at is not None
    current.agenda_cut_off = cut_off
    current.agenda_built_at = timezone.now()
    current.agenda_issued_at = None
    current.save(update_fields=["agenda_cut_off", "agenda_built_at", "agenda_issued_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=current,
        changes={"agenda_cut_off": [None, cut_off.isoformat()], "cases": [None, [c.reference for c in cases]]},
        detail=f"Agenda {'rebuilt' if rebuilt else 'built'} at the cut-off of {day(timezone.localdate(cut_off))}: {len(cases)} case(s)",
    )
    return current


def _lock_item(item: AgendaItem) -> AgendaItem:
    AgendaItem.objects.select_for_update().filter(pk=item.pk).first()
    current = AgendaItem.objects.select_related("meeting", "meeting__group", "case").get(pk=item.pk)
    _check_editable(current.meeting)
    return current


def _audit_item(actor: Actor, item: AgendaItem, changes: dict, detail: str) -> None:
    audit_record(
        actor=actor, action=AuditEvent.Action.UPDATE, obj=item.meeting, object_repr=str(item.meeting),
        case_id=item.case_id, changes=changes, detail=f"Agenda item '{item.title[:120]}': {detail}",
    )


@transaction.atomic
def agenda_item_update(*, actor: Actor, item: AgendaItem, title: str, body: str) -> AgendaItem:
    """The chair's wording of an item."""
    current = _lock_item(item)
    require_manager(actor, current.meeting)
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise ValidationError({"title": "Give the item a title."})
    if len(title) > 300:
        raise ValidationError({"title": "Keep the title to 300 characters or fewer."})
    changes = {}
    if title != current.title:
        changes["title"] = [current.title, title]
    if body != current.body:
        changes["body"] = [current.body, body]
    if not changes:
        return current
    current.title, current.body, current.updated_by = title, body, actor.user
    current.save(update_fields=["title", "body", "updated_at", "updated_by"])
    _audit_item(actor, current, changes, "changed")
    return current


@transaction.atomic
def agenda_item_move(*, actor: Actor, item: AgendaItem, direction: str) -> AgendaItem:
    """Move an item up or down within its section."""
    current = _lock_item(item)
    require_manager(actor, current.meeting)
    if direction not in ("up", "down"):
        raise ValidationError({"direction": "Move the item up or down."})
    siblings = list(
        AgendaItem.objects.select_for_update().filter(meeting_id=current.meeting_id, section=current.section).order_by("position", "id")
    )
    movable = [sibling for sibling in siblings if sibling.kind != AgendaItem.Kind.STANDING]
    index = next((i for i, sibling in enumerate(movable) if sibling.pk == current.pk), None)
    if index is None:
        raise ValidationError("This item stays where it is.")
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(movable):
        return current
    movable[index], movable[other] = movable[other], movable[index]
    for position, sibling in enumerate(movable, start=1):
        if sibling.position != position:
            sibling.position = position
            sibling.save(update_fields=["position"])
    _audit_item(actor, current, {"position": [index + 1, other + 1]}, f"moved {direction}")
    return current


@transaction.atomic
def agenda_item_remove(*, actor: Actor, item: AgendaItem) -> None:
    current = _lock_item(item)
    require_manager(actor, current.meeting)
    if current.kind == AgendaItem.Kind.STANDING:
        raise ValidationError("A standing item cannot be removed; change its wording instead.")
    if current.minute_text or current.decision or current.actions.exists() or current.declarations.exists():
        raise ValidationError("Minutes, a decision or actions are recorded on this item: clear them before removing it.")
    _audit_item(actor, current, {"removed": [False, True]}, "removed")
    current.delete()


@transaction.atomic
def agenda_item_add(*, actor: Actor, meeting: Meeting, title: str, body: str = "") -> AgendaItem:
    """An item of any other business, after the others."""
    current = _lock(meeting)
    require_manager(actor, current)
    _check_editable(current)
    if current.agenda_built_at is None:
        raise ValidationError("Build the agenda first.")
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise ValidationError({"title": "Give the item a title."})
    if len(title) > 300:
        raise ValidationError({"title": "Keep the title to 300 characters or fewer."})
    last = current.items.filter(section=Section.OTHER_BUSINESS).aggregate(last=Max("position"))["last"] or 0
    item = AgendaItem.objects.create(
        meeting=current, section=Section.OTHER_BUSINESS, position=last + 1, kind=AgendaItem.Kind.ADDED, title=title, body=body,
        updated_by=actor.user if actor.user is not None and actor.user.is_authenticated else None,
    )
    _audit_item(actor, item, {"title": [None, title]}, "added")
    return item


@transaction.atomic
def agenda_item_propose_closure(*, actor: Actor, item: AgendaItem, reason: str) -> AgendaItem:
    """The lead agency (or the chair) proposes the case for closure: the item moves to 'Cases proposed for closure'."""
    current = _lock_item(item)
    if current.proposed_for_closure:
        raise ValidationError("This case is already proposed for closure.")
    if not permissions.can_propose_closure(user=actor.user, agency=actor.agency, item=current):
        raise PermissionDenied("Only the lead agency or the chair may propose this case for closure.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"closure_reason": "Say why the case could close."})
    last = AgendaItem.objects.filter(meeting_id=current.meeting_id, section=Section.PROPOSED_CLOSURE).aggregate(last=Max("position"))["last"] or 0
    old_section = current.section
    current.section = Section.PROPOSED_CLOSURE
    current.position = last + 1
    current.proposed_for_closure = True
    current.closure_proposed_by = actor.agency
    current.closure_reason = reason[:300]
    current.facts = {**current.facts, "why": f"Proposed for closure by {actor.agency.name if actor.agency else 'the chair'}"}
    current.save(update_fields=["section", "position", "proposed_for_closure", "closure_proposed_by", "closure_reason", "facts", "updated_at"])
    _audit_item(actor, current, {"section": [old_section, current.section], "closure_reason": [None, current.closure_reason]}, "proposed for closure")
    return current


@transaction.atomic
def agenda_issue(*, actor: Actor, meeting: Meeting) -> Meeting:
    """Issue the agenda to the member agencies: they can read it, and the pack is made for them to download."""
    current = _lock(meeting)
    require_manager(actor, current)
    _check_editable(current)
    if current.agenda_built_at is None:
        raise ValidationError("Build the agenda first.")
    current.agenda_issued_at = timezone.now()
    current.save(update_fields=["agenda_issued_at", "updated_at"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=current, changes={"agenda_issued": [False, True]}, detail="Agenda issued")
    document_request(actor=actor, meeting=current, kind="agenda_pack")
    group_notify(actor=actor, meeting=current, text=f"The agenda of the {meeting_name(current)} meeting is issued; the pack can be downloaded.")
    return current
