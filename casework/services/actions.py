"""Actions on a case: who must do what, by when; marking them done and reopening them."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import Actor, audit_record, diff
from casework import permissions
from casework.models import Action, Case

SNAPSHOT_FIELDS = ("description", "owner_user", "owner_agency", "due_on", "done_on", "source")
UPDATABLE_FIELDS = ("description", "owner_user", "owner_agency", "due_on")


def _snapshot(action: Action) -> dict:
    return {name: getattr(action, name) for name in SNAPSHOT_FIELDS}


def _owner_errors(*, case: Case, owner_user, owner_agency) -> dict:
    if owner_user is None and owner_agency is None:
        return {"owner": ["Choose who owns the action: a person or an agency."]}
    errors = {}
    if owner_user is not None and not permissions.users_with_case_access(case=case).filter(pk=owner_user.pk).exists():
        errors["owner"] = [f"{owner_user.get_full_name() or owner_user} does not work for an agency with access to this case."]
    if owner_agency is not None and not permissions.agencies_with_case_access(case=case).filter(pk=owner_agency.pk).exists():
        errors.setdefault("owner", []).append(f"{owner_agency} does not have access to this case.")
    return errors


def _description_errors(description: str) -> dict:
    if not (description or "").strip():
        return {"description": ["Say what needs to be done."]}
    if len(description) > Action._meta.get_field("description").max_length:
        return {"description": ["Keep the action to 500 characters or fewer."]}
    return {}


@transaction.atomic
def action_create(
    *,
    actor: Actor,
    case: Case,
    description: str,
    owner_user=None,
    owner_agency=None,
    due_on: date | None = None,
    source: str = "",
) -> Action:
    """Add an action, owned by a user of an agency with access to the case, or by such an agency."""
    errors = {**_description_errors(description), **_owner_errors(case=case, owner_user=owner_user, owner_agency=owner_agency)}
    if errors:
        raise ValidationError(errors)
    action = Action(
        case=case,
        description=description.strip(),
        owner_user=owner_user,
        owner_agency=owner_agency,
        due_on=due_on,
        source=source,
        created_by=actor.user if actor.user and actor.user.is_authenticated else None,
    )
    action.full_clean()
    action.save()
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=action, case_id=case.pk, changes=diff({}, _snapshot(action)))
    return action


@transaction.atomic
def action_update(*, actor: Actor, action: Action, **changes) -> Action:
    """Change what the action is, who owns it or when it is due."""
    unknown = set(changes) - set(UPDATABLE_FIELDS)
    if unknown:
        raise TypeError(f"action_update() cannot change: {', '.join(sorted(unknown))}")
    current = Action.objects.select_for_update(of=("self",)).select_related("case").get(pk=action.pk)
    before = _snapshot(current)
    for name, value in changes.items():
        setattr(current, name, value.strip() if name == "description" else value)
    errors = _description_errors(current.description)
    if "owner_user" in changes or "owner_agency" in changes:
        errors.update(_owner_errors(case=current.case, owner_user=current.owner_user, owner_agency=current.owner_agency))
    if errors:
        raise ValidationError(errors)
    changed = diff(before, _snapshot(current))
    if not changed:
        return current
    current.full_clean()
    current.save()
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=current, case_id=current.case_id, changes=changed)
    return current


@transaction.atomic
def action_mark_done(*, actor: Actor, action: Action, done_on: date | None = None) -> Action:
    current = Action.objects.select_for_update().get(pk=action.pk)
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": ["The date it was done cannot be in the future."]})
    if current.done_on == done_on:
        return current
    old = current.done_on
    current.done_on = done_on
    current.save(update_fields=["done_on"])
    audit_record(
        actor=actor, action=AuditEvent.Action.UPDATE, obj=current, case_id=current.case_id,
        changes=diff({"done_on": old}, {"done_on": done_on}), detail="Marked done",
    )
    return current


@transaction.atomic
def action_reopen(*, actor: Actor, action: Action) -> Action:
    current = Action.objects.select_for_update().get(pk=action.pk)
    if current.done_on is None:
        return current
    old = current.done_on
    current.done_on = None
    current.save(update_fields=["done_on"])
    audit_record(
        actor=actor, action=AuditEvent.Action.UPDATE, obj=current, case_id=current.case_id,
        changes=diff({"done_on": old}, {"done_on": None}), detail="Reopened",
    )
    return current
