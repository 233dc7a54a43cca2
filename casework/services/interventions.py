"""Recording interventions on a case, changing their status and dates, and recording breaches."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import Actor, audit_record, diff
from casework import intervention_rules
from casework.models import Case, CasePerson, Intervention, InterventionBreach, InterventionType

SNAPSHOT_FIELDS = ("type", "delivering_agency", "person", "start_on", "review_on", "end_on", "status", "notes")
# What may change after an intervention is recorded: its type, agency and person are what it is.
UPDATABLE_FIELDS = ("status", "start_on", "review_on", "end_on", "notes")

BREACH_BY_RECORD = "To mark an intervention breached, record the breach: its date and what happened."


def _snapshot(intervention: Intervention) -> dict:
    return {name: getattr(intervention, name) for name in SNAPSHOT_FIELDS}


def _check_dates(errors: dict, *, start_on, review_on, end_on) -> None:
    if start_on and end_on and end_on < start_on:
        errors.setdefault("end_on", []).append("The end date cannot be before the start date.")
    if start_on and review_on and review_on < start_on:
        errors.setdefault("review_on", []).append("The review date cannot be before the start date.")


@transaction.atomic
def intervention_create(
    *,
    actor: Actor,
    case: Case,
    type: str,  # noqa: A002 - the model's field name
    delivering_agency,
    person=None,
    start_on: date | None = None,
    review_on: date | None = None,
    end_on: date | None = None,
    status: str = Intervention.Status.PROPOSED,
    notes: str = "",
) -> Intervention:
    """Record an intervention. Refused, with a message per field, where the law or the dates do not allow it."""
    errors: dict[str, list[str]] = {}
    if type not in InterventionType.values:
        errors["type"] = ["Choose a type of intervention."]
    if status not in Intervention.Status.values:
        errors["status"] = ["Choose a status."]
    elif status == Intervention.Status.BREACHED:
        errors["status"] = [BREACH_BY_RECORD]
    if delivering_agency is None:
        errors["delivering_agency"] = ["Choose the agency delivering it."]
    elif not delivering_agency.partnerships.filter(pk=case.partnership_id).exists():
        errors["delivering_agency"] = [f"{delivering_agency} does not serve {case.partnership}."]
    if person is not None and not CasePerson.objects.filter(case=case, person=person).exists():
        errors["person"] = [f"{person} is not linked to this case: add them to the case's people first."]
    _check_dates(errors, start_on=start_on, review_on=review_on, end_on=end_on)
    if "type" not in errors and "person" not in errors:
        rules = intervention_rules.check(
            case=case, intervention_type=type, person=person, start_on=start_on, today=timezone.localdate()
        )
        for field_name, messages in rules.errors.items():
            errors.setdefault(field_name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    intervention = Intervention(
        case=case,
        type=type,
        delivering_agency=delivering_agency,
        person=person,
        start_on=start_on,
        review_on=review_on,
        end_on=end_on,
        status=status,
        notes=notes,
        created_by=actor.user if actor.user and actor.user.is_authenticated else None,
    )
    intervention.full_clean()
    intervention.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=intervention,
        case_id=case.pk,
        person_id=person.pk if person else None,
        changes=diff({}, _snapshot(intervention)),
    )
    return intervention


@transaction.atomic
def intervention_update(*, actor: Actor, intervention: Intervention, **changes) -> Intervention:
    """Change an intervention's status, dates or notes. A new start date is checked against the law again."""
    unknown = set(changes) - set(UPDATABLE_FIELDS)
    if unknown:
        raise TypeError(f"intervention_update() cannot change: {', '.join(sorted(unknown))}")
    current = Intervention.objects.select_for_update(of=("self",)).select_related("case", "person").get(pk=intervention.pk)
    before = _snapshot(current)
    for name, value in changes.items():
        setattr(current, name, value)
    errors: dict[str, list[str]] = {}
    if current.status not in Intervention.Status.values:
        errors["status"] = ["Choose a status."]
    elif (
        current.status == Intervention.Status.BREACHED
        and before["status"] != Intervention.Status.BREACHED
        and not current.breaches.exists()
    ):
        errors["status"] = [BREACH_BY_RECORD]
    _check_dates(errors, start_on=current.start_on, review_on=current.review_on, end_on=current.end_on)
    if current.start_on != before["start_on"]:
        rules = intervention_rules.check(
            case=current.case,
            intervention_type=current.type,
            person=current.person,
            start_on=current.start_on,
            today=timezone.localdate(),
        )
        for messages in rules.errors.values():
            # The type and person cannot change here: the new start date is what makes it unlawful.
            errors.setdefault("start_on", []).extend(messages)
    if errors:
        raise ValidationError(errors)
    changed = diff(before, _snapshot(current))
    if not changed:
        return current
    current.full_clean()
    current.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=current,
        case_id=current.case_id,
        person_id=current.person_id,
        changes=changed,
    )
    return current


@transaction.atomic
def intervention_breach_record(*, actor: Actor, intervention: Intervention, occurred_on: date, notes: str = "") -> InterventionBreach:
    """Record a breach; the intervention becomes breached."""
    current = Intervention.objects.select_for_update().get(pk=intervention.pk)
    errors: dict[str, list[str]] = {}
    if current.status == Intervention.Status.PROPOSED:
        errors["occurred_on"] = ["This intervention is only proposed: it cannot be breached until it is in force."]
    elif occurred_on is None:
        errors["occurred_on"] = ["Enter the date of the breach."]
    elif occurred_on > timezone.localdate():
        errors["occurred_on"] = ["The date of the breach cannot be in the future."]
    elif current.start_on and occurred_on < current.start_on:
        errors["occurred_on"] = ["The breach cannot be before the intervention started."]
    elif current.end_on and occurred_on > current.end_on:
        errors["occurred_on"] = ["The breach cannot be after the intervention ended."]
    if errors:
        raise ValidationError(errors)
    breach = InterventionBreach(
        intervention=current,
        occurred_on=occurred_on,
        notes=notes,
        recorded_by=actor.user if actor.user and actor.user.is_authenticated else None,
    )
    breach.full_clean()
    breach.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=breach,
        object_repr=f"Breach of {current}",
        case_id=current.case_id,
        person_id=current.person_id,
        changes=diff({}, {"occurred_on": occurred_on, "notes": notes}),
    )
    if current.status != Intervention.Status.BREACHED:
        old_status = current.status
        current.status = Intervention.Status.BREACHED
        current.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=current,
            case_id=current.case_id,
            person_id=current.person_id,
            changes={"status": [old_status, current.status]},
            detail="Breach recorded",
        )
    return breach
