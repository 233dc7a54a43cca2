"""The partnership's plan: priorities and task groups, action plans with quarterly updates, the lead officers'
quarterly narratives, measures and the figures analysts enter for them. Every change audited."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from audit.models import AuditEvent
from audit.services import Actor, audit_record, diff
from reports.marking import publicity_marking_error
from reports.models import ActionUpdate, Measure, MeasureValue, PlanAction, Priority, QuarterNarrative
from reports.quarters import Quarter

PRIORITY_FIELDS = ("number", "title", "task_group", "lead_officer_name", "lead_officer", "aims", "shows_group_stats", "is_active")
ACTION_FIELDS = ("number", "text", "milestones", "lead_agency", "other_partners", "sort_order")
NARRATIVE_FIELDS = ("key_achievements", "areas_of_concern", "recommendations", "publicity")
MEASURE_FIELDS = ("name", "target", "unit", "source", "intervention_type", "direction", "baseline_year", "tolerance_percent", "sort_order", "is_active")


def _user(actor: Actor):
    return actor.user if actor.user is not None and actor.user.is_authenticated else None


def _snapshot(obj, fields) -> dict:
    return {name: getattr(obj, name) for name in fields}


def _save(obj, *, unique_message: dict) -> None:
    obj.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise ValidationError(unique_message) from None


def _create(*, actor: Actor, obj, fields, unique_message: dict, detail: str = ""):
    _save(obj, unique_message=unique_message)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=obj, changes=diff({}, _snapshot(obj, fields)), detail=detail)
    return obj


def _update(*, actor: Actor, obj, fields, changes: dict, unique_message: dict, detail: str = ""):
    unknown = set(changes) - set(fields)
    if unknown:
        raise TypeError(f"Cannot change: {', '.join(sorted(unknown))}")
    before = _snapshot(obj, fields)
    for name, value in changes.items():
        setattr(obj, name, value)
    changed = diff(before, _snapshot(obj, fields))
    if not changed:
        return obj
    _save(obj, unique_message=unique_message)
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=obj, changes=changed, detail=detail)
    return obj


def _check_lead_officer(partnership, lead_officer) -> None:
    if lead_officer is not None and not lead_officer.memberships.filter(partnership=partnership, is_active=True).exists():
        raise ValidationError({"lead_officer": f"{lead_officer.get_full_name() or lead_officer} is not a member of {partnership}."})


# Priorities.


@transaction.atomic
def priority_create(*, actor: Actor, partnership, **fields) -> Priority:
    _check_lead_officer(partnership, fields.get("lead_officer"))
    priority = Priority(partnership=partnership, **fields)
    return _create(actor=actor, obj=priority, fields=PRIORITY_FIELDS, unique_message={"number": f"{partnership} already has a priority {fields.get('number')}."})


@transaction.atomic
def priority_update(*, actor: Actor, priority: Priority, **changes) -> Priority:
    if "lead_officer" in changes:
        _check_lead_officer(priority.partnership, changes["lead_officer"])
    current = Priority.objects.select_for_update().get(pk=priority.pk)
    return _update(actor=actor, obj=current, fields=PRIORITY_FIELDS, changes=changes,
                   unique_message={"number": f"{current.partnership} already has a priority {changes.get('number')}."})


# Action plans.


@transaction.atomic
def plan_action_create(*, actor: Actor, priority: Priority, **fields) -> PlanAction:
    action = PlanAction(priority=priority, **fields)
    return _create(actor=actor, obj=action, fields=ACTION_FIELDS, unique_message={"number": f"{priority} already has an action {fields.get('number')}."})


@transaction.atomic
def plan_action_update(*, actor: Actor, action: PlanAction, **changes) -> PlanAction:
    current = PlanAction.objects.select_for_update().get(pk=action.pk)
    return _update(actor=actor, obj=current, fields=ACTION_FIELDS, changes=changes,
                   unique_message={"number": f"{current.priority} already has an action {changes.get('number')}."})


@transaction.atomic
def action_update_save(*, actor: Actor, action: PlanAction, quarter: Quarter, text: str, updated_on: date) -> ActionUpdate:
    """Write (or rewrite) the action's update for the quarter."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Write what was done on this action during the quarter."})
    update = ActionUpdate.objects.select_for_update().filter(action=action, financial_year=quarter.year, quarter=quarter.number).first()
    if update is None:
        update = ActionUpdate(action=action, financial_year=quarter.year, quarter=quarter.number, text=text, updated_on=updated_on, written_by=_user(actor))
        return _create(actor=actor, obj=update, fields=("text", "updated_on"), unique_message={"text": "Someone else wrote this update at the same moment: reload the page."},
                       detail=f"Action {action.number}, {quarter.label}")
    update.written_by = _user(actor)
    return _update(actor=actor, obj=update, fields=("text", "updated_on"), changes={"text": text, "updated_on": updated_on},
                   unique_message={}, detail=f"Action {action.number}, {quarter.label}")


# The quarterly narrative.


@transaction.atomic
def narrative_save(*, actor: Actor, priority: Priority, quarter: Quarter, **sections) -> QuarterNarrative:
    """Write (or rewrite) the priority's progress report for the quarter. Items for publicity must not be marked."""
    unknown = set(sections) - set(NARRATIVE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown sections: {', '.join(sorted(unknown))}")
    sections = {name: (sections.get(name) or "").strip() for name in NARRATIVE_FIELDS}
    marked = publicity_marking_error(sections["publicity"])
    if marked:
        raise ValidationError({"publicity": marked})
    narrative = QuarterNarrative.objects.select_for_update().filter(priority=priority, financial_year=quarter.year, quarter=quarter.number).first()
    if narrative is None:
        narrative = QuarterNarrative(priority=priority, financial_year=quarter.year, quarter=quarter.number, written_by=_user(actor), **sections)
        return _create(actor=actor, obj=narrative, fields=NARRATIVE_FIELDS, unique_message={"key_achievements": "Someone else saved this narrative at the same moment: reload the page."},
                       detail=f"{priority}, {quarter.label}")
    narrative.written_by = _user(actor)
    return _update(actor=actor, obj=narrative, fields=NARRATIVE_FIELDS, changes=sections, unique_message={}, detail=f"{priority}, {quarter.label}")


# Measures.


def _check_measure(fields: dict) -> None:
    if fields.get("source") != Measure.Source.INTERVENTIONS_STARTED and fields.get("intervention_type"):
        raise ValidationError({"intervention_type": "Choose an intervention type only for a measure of interventions started."})


@transaction.atomic
def measure_create(*, actor: Actor, priority: Priority, **fields) -> Measure:
    _check_measure(fields)
    measure = Measure(priority=priority, **fields)
    return _create(actor=actor, obj=measure, fields=MEASURE_FIELDS, unique_message={})


@transaction.atomic
def measure_update(*, actor: Actor, measure: Measure, **changes) -> Measure:
    current = Measure.objects.select_for_update().get(pk=measure.pk)
    _check_measure({**_snapshot(current, MEASURE_FIELDS), **changes})
    return _update(actor=actor, obj=current, fields=MEASURE_FIELDS, changes=changes, unique_message={})


@transaction.atomic
def measure_value_save(*, actor: Actor, measure: Measure, quarter: Quarter, value: int, note: str = "") -> MeasureValue:
    """Enter (or correct) an entered measure's figure for a quarter."""
    if not measure.is_entered:
        raise ValidationError({"value": f"“{measure.name}” is counted from the casework; its figures cannot be typed in."})
    if value is None or value < 0:
        raise ValidationError({"value": "Enter the figure as a whole number, 0 or more."})
    entry = MeasureValue.objects.select_for_update().filter(measure=measure, financial_year=quarter.year, quarter=quarter.number).first()
    if entry is None:
        entry = MeasureValue(measure=measure, financial_year=quarter.year, quarter=quarter.number, value=value, note=note, entered_by=_user(actor))
        return _create(actor=actor, obj=entry, fields=("value", "note"), unique_message={"value": "Someone else entered this figure at the same moment: reload the page."},
                       detail=f"{measure.name}, {quarter.label}")
    entry.entered_by = _user(actor)
    return _update(actor=actor, obj=entry, fields=("value", "note"), changes={"value": value, "note": note}, unique_message={}, detail=f"{measure.name}, {quarter.label}")
