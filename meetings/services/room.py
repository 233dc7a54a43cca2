"""What the chair records in the room: attendance, declarations of interest, minutes, decisions and actions.

Each write is small and saved on its own, so that a dropped connection loses at most the item being typed.
Nothing here touches a case: decisions and actions reach the cases when the minutes are published.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from agencies.models import Agency, Membership
from audit.models import AuditEvent
from audit.services import Actor, audit_record, diff
from casework import permissions as case_permissions
from casework.models import Case
from meetings.models import AgendaItem, Attendance, Declaration, Meeting, MeetingAction
from meetings.selectors import previous_meeting
from meetings.services.common import require_manager

Decision = AgendaItem.Decision


def _open_meeting(meeting: Meeting) -> Meeting:
    current = Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    current = Meeting.objects.select_related("group").get(pk=current.pk)
    if current.is_cancelled:
        raise ValidationError("This meeting is cancelled.")
    if current.minutes_published_at is not None:
        raise ValidationError("The minutes of this meeting are published: they can no longer change.")
    return current


def _open_item(item: AgendaItem) -> AgendaItem:
    _open_meeting(item.meeting)
    AgendaItem.objects.select_for_update().filter(pk=item.pk).first()
    return AgendaItem.objects.select_related("meeting", "meeting__group", "case", "case__lead_agency").get(pk=item.pk)


def _audit(actor: Actor, meeting: Meeting, *, detail: str, changes: dict | None = None, case_id: int | None = None, action=AuditEvent.Action.UPDATE) -> None:
    audit_record(actor=actor, action=action, obj=meeting, case_id=case_id, changes=changes or {}, detail=detail[:500])


def _serves(agency: Agency, meeting: Meeting) -> bool:
    return agency.partnerships.filter(pk=meeting.group.partnership_id).exists()


@transaction.atomic
def attendance_record(
    *, actor: Actor, meeting: Meeting, agency: Agency | None, status: str, name: str = "", user=None, role: str = ""
) -> Attendance:
    """Someone present on behalf of an agency, or their apologies. A user of the system, or a name typed in."""
    current = _open_meeting(meeting)
    require_manager(actor, current)
    name = (name or "").strip() or (user.get_full_name() or user.get_username() if user is not None else "")
    errors = {}
    if not name:
        errors["name"] = "Enter the person's name, or choose them from the list."
    if agency is None:
        errors["agency"] = "Choose the agency they represent."
    elif not _serves(agency, current):
        errors["agency"] = f"{agency} does not serve {current.group.partnership}."
    if status not in Attendance.Status.values:
        errors["status"] = "Choose present or apologies."
    if not errors and Attendance.objects.filter(meeting=current, name__iexact=name, agency=agency).exists():
        errors["name"] = f"{name} ({agency}) is already recorded."
    if errors:
        raise ValidationError(errors)
    attendance = Attendance.objects.create(meeting=current, user=user, name=name[:200], agency=agency, status=status, role=(role or "").strip()[:100])
    _audit(
        actor, current, action=AuditEvent.Action.CREATE,
        changes={"attendance": [None, f"{attendance.name}, {agency.name}: {attendance.get_status_display()}"]},
        detail=f"{attendance.get_status_display()}: {attendance.name} on behalf of {agency.name}",
    )
    return attendance


@transaction.atomic
def attendance_remove(*, actor: Actor, attendance: Attendance) -> None:
    current = _open_meeting(attendance.meeting)
    require_manager(actor, current)
    attendance = Attendance.objects.select_related("agency").get(pk=attendance.pk)
    _audit(actor, current, changes={"attendance": [f"{attendance.name}, {attendance.agency.name}", None]}, detail=f"Removed from attendance: {attendance.name}")
    attendance.delete()


@transaction.atomic
def declaration_record(*, actor: Actor, item: AgendaItem, attendee: Attendance | None, interest: str) -> Declaration:
    current = _open_item(item)
    require_manager(actor, current.meeting)
    interest = (interest or "").strip()
    errors = {}
    if attendee is None or attendee.meeting_id != current.meeting_id or attendee.status != Attendance.Status.PRESENT:
        errors["attendee"] = "Choose who declared the interest from those present."
    if not interest:
        errors["interest"] = "Say what the interest is."
    elif len(interest) > 300:
        errors["interest"] = "Keep the interest to 300 characters or fewer."
    if errors:
        raise ValidationError(errors)
    declaration = Declaration.objects.create(item=current, attendee=attendee, interest=interest)
    _audit(actor, current.meeting, case_id=current.case_id, changes={"declaration": [None, f"{attendee.name}: {interest}"]}, detail=f"Declaration of interest on '{current.title[:100]}'")
    return declaration


@transaction.atomic
def declaration_remove(*, actor: Actor, declaration: Declaration) -> None:
    current = _open_item(declaration.item)
    require_manager(actor, current.meeting)
    _audit(actor, current.meeting, case_id=current.case_id, changes={"declaration": [declaration.interest, None]}, detail=f"Declaration removed on '{current.title[:100]}'")
    declaration.delete()


def _decision_errors(item: AgendaItem, decision: str, lead_agency: Agency | None, outcome: str) -> dict:
    if not decision:
        return {}
    if item.case_id is None:
        return {"decision": "Decisions are recorded on case items."}
    if decision not in Decision.values:
        return {"decision": "Choose a decision from the list."}
    errors = {}
    case = item.case
    if decision == Decision.CHANGE_LEAD:
        if lead_agency is None:
            errors["decision_lead_agency"] = "Choose the agency that will lead the case."
        elif lead_agency.pk == case.lead_agency_id:
            errors["decision_lead_agency"] = f"{lead_agency} already leads the case: choose another agency."
        elif not lead_agency.partnerships.filter(pk=case.partnership_id).exists():
            errors["decision_lead_agency"] = f"{lead_agency} does not serve {case.partnership}."
    if decision == Decision.CLOSE and outcome not in Case.Outcome.values:
        errors["decision_outcome"] = "Choose the outcome the case closes with."
    return errors


@transaction.atomic
def item_minutes_save(
    *,
    actor: Actor,
    item: AgendaItem,
    minute_text: str,
    decision: str = "",
    decision_lead_agency: Agency | None = None,
    decision_outcome: str = "",
    previous_minutes_approval: str | None = None,
    previous_minutes_alterations: str = "",
) -> AgendaItem:
    """Save one item's minutes and (for a case) the decision. Item 3 also records how the previous minutes were taken."""
    current = _open_item(item)
    require_manager(actor, current.meeting)
    minute_text = (minute_text or "").strip()
    decision = decision or ""
    errors = _decision_errors(current, decision, decision_lead_agency, decision_outcome)
    meeting = current.meeting
    approval_changes = {}
    if previous_minutes_approval is not None and current.section == AgendaItem.Section.PREVIOUS_MINUTES:
        alterations = (previous_minutes_alterations or "").strip()
        if previous_minutes_approval not in ("", "correct", "subject_to"):
            errors["previous_minutes_approval"] = "Choose how the previous minutes were accepted."
        elif previous_minutes_approval and previous_meeting(meeting) is None:
            errors["previous_minutes_approval"] = "This is the group's first meeting: there are no previous minutes to accept."
        elif previous_minutes_approval == "subject_to" and not alterations:
            errors["previous_minutes_alterations"] = "List the alterations the previous minutes are accepted subject to."
        elif previous_minutes_approval != "subject_to":
            alterations = ""
        if not errors:
            approval_changes = diff(
                {"previous_minutes_approval": meeting.previous_minutes_approval, "previous_minutes_alterations": meeting.previous_minutes_alterations},
                {"previous_minutes_approval": previous_minutes_approval, "previous_minutes_alterations": alterations},
            )
            if approval_changes:
                meeting.previous_minutes_approval = previous_minutes_approval
                meeting.previous_minutes_alterations = alterations
                meeting.save(update_fields=["previous_minutes_approval", "previous_minutes_alterations", "updated_at"])
    if errors:
        raise ValidationError(errors)
    before = {
        "minute_text": current.minute_text, "decision": current.decision,
        "decision_lead_agency": current.decision_lead_agency_id, "decision_outcome": current.decision_outcome,
    }
    current.minute_text = minute_text
    current.decision = decision
    current.decision_lead_agency = decision_lead_agency if decision == Decision.CHANGE_LEAD else None
    current.decision_outcome = decision_outcome if decision == Decision.CLOSE else ""
    after = {
        "minute_text": current.minute_text, "decision": current.decision,
        "decision_lead_agency": current.decision_lead_agency_id, "decision_outcome": current.decision_outcome,
    }
    changes = {**diff(before, after), **approval_changes}
    if not changes:
        return current
    current.updated_by = actor.user if actor.user is not None and actor.user.is_authenticated else None
    current.save(update_fields=["minute_text", "decision", "decision_lead_agency", "decision_outcome", "updated_at", "updated_by"])
    _audit(actor, meeting, case_id=current.case_id, changes=changes, detail=f"Minutes of '{current.title[:120]}' saved")
    return current


def _owner_errors(item: AgendaItem, owner_user, owner_agency) -> dict:
    if owner_user is None and owner_agency is None:
        return {"owner": "Choose who owns the action: a person or an agency."}
    if item.case_id is not None:
        # The group may task any agency that has a part in the case, its own members included (see minutes_publish).
        involved = case_permissions.agencies_involved_in_case(case=item.case)
        if owner_user is not None and not Membership.objects.filter(
            user=owner_user, is_active=True, partnership_id=item.case.partnership_id, agency__in=involved
        ).exists():
            return {"owner": f"{owner_user.get_full_name() or owner_user} does not work for an agency with access to {item.case.reference}."}
        if owner_agency is not None and not involved.filter(pk=owner_agency.pk).exists():
            return {"owner": f"{owner_agency} does not have access to {item.case.reference}."}
        return {}
    partnership_id = item.meeting.group.partnership_id
    if owner_agency is not None and not owner_agency.partnerships.filter(pk=partnership_id).exists():
        return {"owner": f"{owner_agency} does not serve {item.meeting.group.partnership}."}
    if owner_user is not None and not Membership.objects.filter(user=owner_user, partnership_id=partnership_id, is_active=True).exists():
        return {"owner": f"{owner_user.get_full_name() or owner_user} does not work in {item.meeting.group.partnership}."}
    return {}


@transaction.atomic
def meeting_action_add(
    *, actor: Actor, item: AgendaItem, description: str, owner_user=None, owner_agency: Agency | None = None, due_on: date | None = None
) -> MeetingAction:
    """An action agreed on an item. On a case it becomes the case's action when the minutes are published."""
    current = _open_item(item)
    require_manager(actor, current.meeting)
    description = (description or "").strip()
    errors = {}
    if not description:
        errors["description"] = "Say what needs to be done."
    elif len(description) > 500:
        errors["description"] = "Keep the action to 500 characters or fewer."
    if due_on is not None and due_on < current.meeting.held_on:
        errors["due_on"] = "The due date cannot be before the meeting."
    errors.update(_owner_errors(current, owner_user, owner_agency))
    if errors:
        raise ValidationError(errors)
    action = MeetingAction.objects.create(
        item=current, description=description, owner_user=owner_user, owner_agency=owner_agency, due_on=due_on,
        created_by=actor.user if actor.user is not None and actor.user.is_authenticated else None,
    )
    owner = owner_user.get_full_name() if owner_user is not None else owner_agency.name
    _audit(
        actor, current.meeting, action=AuditEvent.Action.CREATE, case_id=current.case_id,
        changes={"action": [None, description], "owner": [None, owner], "due_on": [None, due_on.isoformat() if due_on else None]},
        detail=f"Action agreed on '{current.title[:100]}'",
    )
    return action


@transaction.atomic
def meeting_action_remove(*, actor: Actor, action: MeetingAction) -> None:
    current = _open_item(action.item)
    require_manager(actor, current.meeting)
    _audit(actor, current.meeting, case_id=current.case_id, changes={"action": [action.description, None]}, detail=f"Action removed from '{current.title[:100]}'")
    action.delete()


@transaction.atomic
def meeting_action_mark_done(*, actor: Actor, action: MeetingAction, done_on: date | None = None) -> MeetingAction:
    """Matters arising: an action not on a case is done. (A case's action is marked done on the case.)"""
    current = MeetingAction.objects.select_for_update().get(pk=action.pk)
    current = MeetingAction.objects.select_related("item", "item__meeting", "item__meeting__group").get(pk=current.pk)
    require_manager(actor, current.item.meeting)
    if current.case_action_id is not None:
        raise ValidationError("This action is on a case: mark it done on the case's Actions tab.")
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": "The date it was done cannot be in the future."})
    if current.done_on == done_on:
        return current
    old = current.done_on
    current.done_on = done_on
    current.save(update_fields=["done_on"])
    _audit(actor, current.item.meeting, changes=diff({"done_on": old}, {"done_on": done_on}), detail=f"Action done: {current.description[:200]}")
    return current
