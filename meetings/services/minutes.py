"""Publishing the minutes: numbering them, and carrying the meeting's actions and decisions onto the cases.

Actions become the cases' Actions, and decisions change the cases, through the same services the case pages use,
each with an audit event naming the meeting and minute. Publishing is idempotent: a second call changes nothing.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from agencies.models import CaseworkGroup
from audit.models import AuditEvent
from audit.services import Actor, audit_record
from casework import permissions as case_permissions
from casework.models import Case, CaseAccess
from casework.services.access import case_access_grant
from casework.services.actions import action_create
from casework.services.case_review import case_review_request_record
from casework.services.cases import case_close, case_lead_change, case_update
from meetings import selectors
from meetings.selectors import next_meeting, previous_meeting
from meetings.models import AgendaItem, Meeting, MeetingAction
from meetings.services.common import day, group_notify, minute_source, require_manager
from meetings.services.documents import document_request
from referrals.models import GroupReferral
from referrals.services.referrals import group_referral_return

Decision = AgendaItem.Decision


def _unpublished_earlier(meeting: Meeting) -> Meeting | None:
    """An earlier meeting of the group with an agenda whose minutes are not yet published: numbering waits for it."""
    return (
        Meeting.objects.filter(
            group_id=meeting.group_id, status=Meeting.Status.SCHEDULED, agenda_built_at__isnull=False,
            minutes_published_at__isnull=True, held_on__lt=meeting.held_on,
        )
        .order_by("held_on")
        .first()
    )


def _owner_made_contributor(*, actor: Actor, action: MeetingAction, source: str) -> None:
    """A member agency the group tasks with an action sees the case only on the agenda: to do the action it needs the
    case page, so it becomes a contributor to the case (recorded, with the minute that made it so)."""
    case = action.item.case
    involved = case_permissions.agencies_involved_in_case(case=case)
    if action.owner_agency is not None:
        agencies = list(involved.filter(pk=action.owner_agency_id))
    else:
        agencies = list(
            involved.filter(memberships__user=action.owner_user, memberships__is_active=True, memberships__partnership_id=case.partnership_id)
            .distinct().order_by("pk")
        )
    if any(case_permissions.CONTRIBUTE in case_permissions.agency_case_permissions(agency=agency, case=case) for agency in agencies):
        return
    if agencies:  # none: the owner has no part in the case any more, and action_create refuses it
        case_access_grant(actor=actor, case=case, agency=agencies[0], level=CaseAccess.Level.CONTRIBUTOR, reason=f"Owns an action from {source}")


def _create_case_action(*, actor: Actor, action: MeetingAction, source: str) -> None:
    _owner_made_contributor(actor=actor, action=action, source=source)
    case_action = action_create(
        actor=actor, case=action.item.case, description=action.description, owner_user=action.owner_user,
        owner_agency=action.owner_agency, due_on=action.due_on, source=source[:200],
    )
    action.case_action = case_action
    action.save(update_fields=["case_action"])


def _open_group_referral(case: Case, group: CaseworkGroup) -> GroupReferral | None:
    return GroupReferral.objects.filter(case=case, group=group, status=GroupReferral.Status.WITH_GROUP).first()


def _apply_decision(*, actor: Actor, item: AgendaItem, meeting: Meeting, source: str) -> None:
    case = Case.objects.select_related("partnership", "lead_agency").get(pk=item.case_id)
    label = Decision(item.decision).label
    because = f"Decision of {source}"
    if item.decision == Decision.CHANGE_LEAD:
        case = case_lead_change(actor=actor, case=case, new_lead=item.decision_lead_agency, reason=because)
    elif item.decision == Decision.CLOSE:
        if not case.is_closed:
            case = case_close(actor=actor, case=case, outcome=item.decision_outcome, reason=f"{because}. {item.minute_text}".strip()[:2000])
        referral = _open_group_referral(case, meeting.group)
        if referral is not None:
            group_referral_return(actor=actor, group_referral=referral)
    elif item.decision == Decision.ESCALATE:
        following = next_meeting(meeting)
        review_on = following.held_on if following is not None else meeting.held_on + timedelta(days=case.partnership.review_days_high)
        case = case_update(actor=actor, case=case, expected_version=case.version, risk_level=Case.RiskLevel.HIGH, next_review_on=review_on)
    elif item.decision == Decision.CASE_REVIEW:
        request = case_review_request_record(
            actor=actor, case=case, requested_on=min(meeting.held_on, timezone.localdate()),
            requested_by_description=source[:200], notes=item.minute_text,
        )
        item.case_review_request = request
    elif item.decision == Decision.RETURN:
        referral = _open_group_referral(case, meeting.group)
        if referral is not None:
            group_referral_return(actor=actor, group_referral=referral)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=case,
        case_id=case.pk,
        changes={"group_decision": [None, item.decision]},
        detail=f"{because}: {label}"
        + (f" ({item.decision_lead_agency.name})" if item.decision == Decision.CHANGE_LEAD else ""),
    )
    item.decision_applied_at = timezone.now()
    item.save(update_fields=["decision_applied_at", "case_review_request"])


@transaction.atomic
def minutes_publish(*, actor: Actor, meeting: Meeting) -> Meeting:
    """Number the minutes after the group's last minute, then make actions and decisions real on the cases."""
    # The group row is the lock that keeps two meetings from taking the same minute numbers.
    CaseworkGroup.objects.select_for_update().filter(pk=meeting.group_id).first()
    current = Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    current = Meeting.objects.select_related("group", "group__partnership").get(pk=current.pk)
    require_manager(actor, current)
    if current.minutes_published_at is not None:
        return current
    if current.is_cancelled:
        raise ValidationError("This meeting was cancelled: it has no minutes.")
    if current.agenda_built_at is None:
        raise ValidationError("Build the agenda and record the meeting before publishing minutes.")
    if current.held_on > timezone.localdate():
        raise ValidationError("The meeting has not been held yet.")
    earlier = _unpublished_earlier(current)
    if earlier is not None:
        raise ValidationError(f"Publish the minutes of the meeting on {day(earlier.held_on)} first: minutes are numbered in order.")
    if not current.attendance.filter(status="present").exists():
        raise ValidationError("Record who was present before publishing the minutes.")

    items = selectors.meeting_items(current)
    numbers = selectors.minute_numbers(current, items)
    for item in items:
        number = numbers.get(item.pk)
        if item.minute_number != number:
            item.minute_number = number
            item.save(update_fields=["minute_number"])

    created = 0
    for item in items:
        if item.case_id is None:
            continue
        source = minute_source(current, item.minute_number)
        for action in item.actions.all():
            if action.case_action_id is None:
                _create_case_action(actor=actor, action=action, source=source)
                created += 1
    decided = 0
    for item in items:
        if item.case_id is not None and item.decision and item.decision_applied_at is None:
            _apply_decision(actor=actor, item=item, meeting=current, source=minute_source(current, item.minute_number))
            decided += 1

    if current.previous_minutes_approval:
        previous = previous_meeting(current)
        if previous is not None and previous.minutes_published_at is not None and previous.approved_at_meeting_id is None:
            previous.approved_at_meeting = current
            previous.save(update_fields=["approved_at_meeting", "updated_at"])
            audit_record(
                actor=actor, action=AuditEvent.Action.UPDATE, obj=previous,
                changes={"approved_at_meeting": [None, str(current)]},
                detail=f"Minutes approved at {current}" + (" subject to alterations" if current.previous_minutes_approval == "subject_to" else ""),
            )

    current.minutes_published_at = timezone.now()
    current.minutes_published_by = actor.user if actor.user is not None and actor.user.is_authenticated else None
    current.save(update_fields=["minutes_published_at", "minutes_published_by", "updated_at"])
    first, last = (min(numbers.values()), max(numbers.values())) if numbers else (None, None)
    audit_record(
        actor=actor, action=AuditEvent.Action.UPDATE, obj=current,
        changes={"minutes_published": [False, True], "minutes": [None, [first, last]]},
        detail=f"Minutes {first}–{last} published: {created} action(s) added to cases, {decided} decision(s) applied",
    )
    document_request(actor=actor, meeting=current, kind="minutes")
    group_notify(actor=actor, meeting=current, text=f"The minutes of {current.group.name} on {day(current.held_on)} are published (minutes {first}–{last}).")
    return current
