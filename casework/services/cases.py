"""Opening, changing, closing and reopening cases."""

import re
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import Actor, audit_record, diff
from casework.models import AsbKind, Case, CaseAccess, CaseReferenceCounter, RetentionReview
from casework.services.access import case_access_grant, case_access_revoke

# Fields a caseworker edits on the case form; others change only through their own services.
EDITABLE_FIELDS = (
    "summary", "category", "kind", "subject_type", "subject_tenure", "subject_age_band", "is_drug_alcohol_related",
    "is_complex", "lead_officer", "risk_level", "security_marking", "address", "postcode", "ward", "latitude",
    "longitude", "next_review_on",
)


def _changes_since(case: Case, version: int) -> dict:
    """{field: [value at `version`, value now]} from the audit trail of the updates made since `version`."""
    merged: dict = {}
    events = AuditEvent.objects.filter(case_id=case.pk, action=AuditEvent.Action.UPDATE).order_by("id")
    for event in events.only("changes"):
        from_version = (event.changes.get("version") or [None])[0]
        if from_version is None or from_version < version:
            continue
        for field, (old, new) in event.changes.items():
            if field != "version":
                merged[field] = [merged.get(field, [old])[0], new]
    return {field: values for field, values in merged.items() if values[0] != values[1]}


class CaseVersionConflict(Exception):
    """The case changed since the user loaded it. `changes` says what the other save changed."""

    def __init__(self, case: Case, changes: dict):
        self.case = case
        self.changes = changes
        super().__init__(f"{case.reference} was changed by someone else while you were editing it.")


# The UK postcode format (outward code, then inward code of a digit and two letters), without its space.
_UK_POSTCODE = re.compile(r"^(GIR0AA|[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2})$")


def postcode_normalise(value: str) -> str:
    """'cb74ab ' -> 'CB7 4AB'. Blank stays blank; anything that is not a UK postcode is refused."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if not compact:
        return ""
    if not _UK_POSTCODE.match(compact):
        raise ValidationError({"postcode": "Enter a real UK postcode, like CB7 4AB."})
    return f"{compact[:-3]} {compact[-3:]}"


# No case is opened before this: an earlier date is a slip of the keyboard (0026 for 2026, 680 for 2026-06-08), and
# would give the case a reference whose year has not four digits (ECAM-680-0001).
EARLIEST_OPENED_ON = date(1990, 1, 1)


def opened_on_problem(opened_on: date, *, today: date | None = None) -> str:
    """What is wrong with a case's opening date, in words for the person who typed it ("" when nothing is)."""
    if opened_on < EARLIEST_OPENED_ON:
        return f"The date opened must be {EARLIEST_OPENED_ON:%-d %B %Y} or later."
    if opened_on > (today or timezone.localdate()):
        return "The date opened must be today or in the past."
    return ""


def _check_case_fields(case: Case) -> None:
    """Rules that hold however a case is written (page, API, import): they keep the record coherent."""
    errors = {}
    if case.kind_id is not None:
        kind = case.kind
        if not case.category:
            case.category = kind.category
        elif case.category != kind.category:
            errors["kind"] = (
                f"{kind.name} is a kind of {kind.get_category_display().lower()} ASB, not "
                f"{case.get_category_display().lower()}: choose a matching category or another kind."
            )
    try:
        case.postcode = postcode_normalise(case.postcode)
    except ValidationError as error:
        errors.update(error.message_dict)
    for name, limit in (("latitude", 90), ("longitude", 180)):
        value = getattr(case, name)
        if value is not None and not (-limit <= Decimal(str(value)) <= limit):
            errors[name] = f"{name.capitalize()} must be between -{limit} and {limit}."
    if case.lead_officer_id is not None and not case.lead_officer.memberships.filter(
        agency_id=case.lead_agency_id, partnership_id=case.partnership_id, is_active=True
    ).exists():
        errors["lead_officer"] = f"The lead officer must be a member of {case.lead_agency}."
    if errors:
        raise ValidationError(errors)


def _snapshot(case: Case, fields=EDITABLE_FIELDS) -> dict:
    return {name: getattr(case, name) for name in fields}


def case_reference_allocate(*, partnership, year: int) -> str:
    """The next reference for the partnership and year, for example ECAM-2026-0042. Call inside a transaction."""
    counter, _ = CaseReferenceCounter.objects.select_for_update().get_or_create(partnership=partnership, year=year)
    counter.last_number = F("last_number") + 1
    counter.save(update_fields=["last_number"])
    counter.refresh_from_db(fields=["last_number"])
    return f"{partnership.short_code}-{year}-{counter.last_number:04d}"


@transaction.atomic
def case_open(*, actor: Actor, partnership, lead_agency, summary: str, category: str = "", opened_on: date | None = None, **fields) -> Case:
    """Open a case: allocate its reference, give its lead agency full access, and audit it.

    A kind implies its category: give either, or both if they agree.
    """
    if not lead_agency.partnerships.filter(pk=partnership.pk).exists():
        raise ValidationError({"lead_agency": f"{lead_agency} does not serve {partnership}."})
    opened_on = opened_on or timezone.localdate()
    if problem := opened_on_problem(opened_on):
        raise ValidationError({"opened_on": problem})
    unknown = set(fields) - set(EDITABLE_FIELDS) - {"status", "referred_to_group_on"}
    if unknown:
        raise TypeError(f"case_open() got unexpected fields: {', '.join(sorted(unknown))}")
    case = Case(
        partnership=partnership,
        lead_agency=lead_agency,
        summary=summary,
        category=category,
        opened_on=opened_on,
        created_by=actor.user if actor.user and actor.user.is_authenticated else None,
        **fields,
    )
    _check_case_fields(case)
    case.reference = case_reference_allocate(partnership=partnership, year=opened_on.year)
    case.full_clean()
    case.save()
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=case, case_id=case.pk, changes=diff({}, _snapshot(case)))
    case_access_grant(actor=actor, case=case, agency=lead_agency, level=CaseAccess.Level.LEAD, reason="Lead agency when opened")
    return case


@transaction.atomic
def case_update(*, actor: Actor, case: Case, expected_version: int, **changes) -> Case:
    """Change a case's details. Refused with CaseVersionConflict if someone saved since `expected_version`."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"case_update() cannot change: {', '.join(sorted(unknown))}")
    current = Case.objects.select_for_update().get(pk=case.pk)
    if current.version != expected_version:
        raise CaseVersionConflict(current, _changes_since(current, expected_version))
    before = _snapshot(current)
    if changes.get("kind") is not None and "category" not in changes:
        changes["category"] = changes["kind"].category  # a new kind brings its category unless one is given
    for name, value in changes.items():
        setattr(current, name, value)
    _check_case_fields(current)
    current.full_clean()
    changed = diff(before, _snapshot(current))
    if not changed:
        return current
    changed["version"] = [current.version, current.version + 1]
    current.version += 1
    current.save()
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=current, case_id=current.pk, changes=changed)
    return current


@transaction.atomic
def case_close(*, actor: Actor, case: Case, outcome: str, reason: str, closed_on: date | None = None, expected_version: int | None = None) -> Case:
    current = Case.objects.select_for_update().get(pk=case.pk)
    if expected_version is not None and current.version != expected_version:
        raise CaseVersionConflict(current, _changes_since(current, expected_version))
    if current.is_closed:
        raise ValidationError("This case is already closed.")
    if outcome not in Case.Outcome.values:
        raise ValidationError({"closing_outcome": "Choose the outcome of the case."})
    closed_on = closed_on or timezone.localdate()
    if closed_on < current.opened_on:
        raise ValidationError({"closed_on": "The closing date cannot be before the case was opened."})
    before = {"status": current.status, "closing_outcome": current.closing_outcome, "closed_on": current.closed_on}
    current.status = Case.Status.CLOSED
    current.closing_outcome = outcome
    current.closing_reason = reason
    current.closed_on = closed_on
    current.version += 1
    current.full_clean()
    current.save()
    after = {"status": current.status, "closing_outcome": current.closing_outcome, "closed_on": current.closed_on}
    before["version"], after["version"] = current.version - 1, current.version
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=current, case_id=current.pk, changes=diff(before, after), detail="Case closed")
    return current


@transaction.atomic
def case_lead_change(*, actor: Actor, case: Case, new_lead, old_lead_level: str | None = CaseAccess.Level.CONTRIBUTOR, reason: str = "") -> Case:
    """Move the lead to another agency. The old lead keeps `old_lead_level` access (None: none at all)."""
    current = Case.objects.select_for_update().get(pk=case.pk)
    old_lead = current.lead_agency
    if old_lead.pk == new_lead.pk:
        return current
    if not new_lead.partnerships.filter(pk=current.partnership_id).exists():
        raise ValidationError({"lead_agency": f"{new_lead} does not serve {current.partnership}."})
    case_access_grant(actor=actor, case=current, agency=new_lead, level=CaseAccess.Level.LEAD, reason=reason)
    case_access_revoke(actor=actor, case=current, agency=old_lead, level=CaseAccess.Level.LEAD, reason=reason)
    if old_lead_level:
        case_access_grant(actor=actor, case=current, agency=old_lead, level=old_lead_level, reason="Former lead agency")
    current.lead_agency = new_lead
    current.lead_officer = None
    current.version += 1
    current.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=current,
        case_id=current.pk,
        changes={"lead_agency": [str(old_lead), str(new_lead)], "version": [current.version - 1, current.version]},
        detail=reason,
    )
    return current


def case_view_record(*, actor: Actor, case: Case, what: str = "") -> None:
    """Every view of a case goes into the audit trail."""
    audit_record(actor=actor, action=AuditEvent.Action.VIEW, obj=case, case_id=case.pk, detail=what)


@transaction.atomic
def case_reopen(*, actor: Actor, case: Case, reason: str, expected_version: int | None = None) -> Case:
    """Open a closed case again. Its closing outcome goes (the audit trail keeps it); the reason is recorded."""
    current = Case.objects.select_for_update().get(pk=case.pk)
    if expected_version is not None and current.version != expected_version:
        raise CaseVersionConflict(current, _changes_since(current, expected_version))
    if not current.is_closed:
        raise ValidationError("This case is not closed.")
    if RetentionReview.objects.filter(case=current, status=RetentionReview.Status.ANONYMISED).exists():
        raise ValidationError("This case was anonymised under the retention policy, so it cannot be reopened. Open a new case.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the case is being reopened."})
    fields = ("status", "closing_outcome", "closing_reason", "closed_on", "version")
    before = {name: getattr(current, name) for name in fields}
    current.status = Case.Status.OPEN
    current.closing_outcome = ""
    current.closing_reason = ""
    current.closed_on = None
    current.version += 1
    current.full_clean()
    current.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=current,
        case_id=current.pk,
        changes=diff(before, {name: getattr(current, name) for name in fields}),
        detail=f"Case reopened: {reason}",
    )
    return current


def case_denied_record(*, actor: Actor, case: Case, what: str) -> None:
    """A user who may see a case asked for a part of it that is not for them (such as its history)."""
    audit_record(actor=actor, action=AuditEvent.Action.DENIED, obj=case, case_id=case.pk, detail=f"Asked for {what}")


def case_search_record(*, actor: Actor, filters: dict) -> None:
    """A search of cases goes into the audit trail: the filters asked for, never the results."""
    asked = {name: value for name, value in filters.items() if value not in (None, "", False)}
    if not asked:
        return
    detail = "; ".join(f"{name}={value}" for name, value in sorted(asked.items()))
    audit_record(actor=actor, action=AuditEvent.Action.SEARCH, object_type="case", detail=f"Case search: {detail}")


def case_export_record(*, actor: Actor, filters: dict, count: int) -> None:
    """An export of cases goes into the audit trail: the filters and how many cases, never the rows."""
    asked = {name: value for name, value in filters.items() if value not in (None, "", False)}
    detail = "; ".join(f"{name}={value}" for name, value in sorted(asked.items())) or "all cases"
    audit_record(actor=actor, action=AuditEvent.Action.EXPORT, object_type="case", detail=f"Case export ({count} cases): {detail}")


@transaction.atomic
def asb_kind_save(*, actor: Actor, kind: AsbKind) -> AsbKind:
    """Add or change a kind of ASB in the catalogue (administrators, through the admin site)."""
    fields = ("name", "slug", "category", "is_active", "sort_order")
    before = {}
    if kind.pk is not None:
        previous = AsbKind.objects.filter(pk=kind.pk).values(*fields).first() or {}
        before = previous
    kind.full_clean()
    kind.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE if before else AuditEvent.Action.CREATE,
        obj=kind,
        changes=diff(before, {name: getattr(kind, name) for name in fields}),
    )
    return kind
