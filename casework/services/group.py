"""A case going to, and coming back from, the partnership's casework group (the monthly ASB group).

The referral itself (and the member agencies' access) is kept by referrals.services; these functions keep the case's
own record of it, so that casework never needs to import referrals.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from audit.models import AuditEvent
from audit.services import Actor, audit_record, diff
from casework.models import Case


def _save_with_audit(*, actor: Actor, case: Case, before: dict, detail: str) -> Case:
    after = {name: getattr(case, name) for name in before}
    changes = diff(before, after)
    if not changes:
        return case
    changes["version"] = [case.version, case.version + 1]
    case.version += 1
    case.save(update_fields=[*before, "version", "updated_at"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=case, case_id=case.pk, changes=changes, detail=detail)
    return case


@transaction.atomic
def case_referred_to_group_mark(*, actor: Actor, case: Case, referred_on: date) -> Case:
    """Record that the case went to the group on `referred_on`.

    `referred_to_group_on` keeps the latest referral: it is set when empty or when the date held is earlier, and a
    back-dated entry never moves it backwards. The case's status becomes "referred to group".
    """
    current = Case.objects.select_for_update().get(pk=case.pk)
    if current.is_closed:
        raise ValidationError("A closed case cannot be referred to the group.")
    before = {"referred_to_group_on": current.referred_to_group_on, "status": current.status}
    if current.referred_to_group_on is None or current.referred_to_group_on < referred_on:
        current.referred_to_group_on = referred_on
    current.status = Case.Status.REFERRED_TO_GROUP
    return _save_with_audit(actor=actor, case=current, before=before, detail="Referred to the casework group")


@transaction.atomic
def case_returned_from_group_mark(*, actor: Actor, case: Case) -> Case:
    """The case is no longer with any group: it is active again (a closed case stays closed). The date is kept."""
    current = Case.objects.select_for_update().get(pk=case.pk)
    if current.status != Case.Status.REFERRED_TO_GROUP:
        return current
    before = {"status": current.status}
    current.status = Case.Status.ACTIVE
    return _save_with_audit(actor=actor, case=current, before=before, detail="Returned from the casework group")
