"""Importing existing cases from a CSV file: all or nothing, re-importable, audited, with the lead's access."""

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import Actor, audit_record, audit_record_many, diff
from casework.imports import ParsedImport, RowError, parse_cases_csv
from casework.models import Case, CaseReferenceCounter
from casework.services.access import case_access_grant_lead_to_new_cases, case_grants_opened_on_refresh
from casework.services.cases import case_lead_change

IMPORTED_FIELDS = ("category", "kind", "subject_type", "opened_on", "referred_to_group_on", "closed_on", "status", "risk_level", "summary", "postcode")
CLOSED_BEFORE_IMPORT = "Closed before the case was imported into ASB Casework."


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return f"Nothing imported: {len(self.errors)} problem(s) in the file."
        verb = "Would import" if self.dry_run else "Imported"
        return f"{verb} {len(self.created)} new case(s), updated {len(self.updated)}, {len(self.unchanged)} unchanged."


def _reserve_references(partnership, given: list[str], wanted_per_year: dict[int, int]) -> dict[int, list[str]]:
    """Move each year's counter past any given reference of ours, then take numbers for rows without one."""
    pattern = re.compile(rf"^{re.escape(partnership.short_code)}-(\d{{4}})-(\d+)$")
    highest: dict[int, int] = defaultdict(int)
    for reference in given:
        match = pattern.match(reference)
        if match:
            highest[int(match.group(1))] = max(highest[int(match.group(1))], int(match.group(2)))
    allocated: dict[int, list[str]] = {}
    for year in set(highest) | set(wanted_per_year):
        counter, _ = CaseReferenceCounter.objects.select_for_update().get_or_create(partnership=partnership, year=year)
        start = max(counter.last_number, highest.get(year, 0))
        count = wanted_per_year.get(year, 0)
        allocated[year] = [f"{partnership.short_code}-{year}-{n:04d}" for n in range(start + 1, start + count + 1)]
        counter.last_number = start + count
        counter.save(update_fields=["last_number"])
    return allocated


def _closing_fields(values: dict) -> dict:
    if values["status"] == Case.Status.CLOSED:
        return {"closing_outcome": Case.Outcome.OTHER, "closing_reason": CLOSED_BEFORE_IMPORT}
    return {"closing_outcome": "", "closing_reason": ""}


@transaction.atomic
def cases_import(*, actor: Actor, partnership, data: bytes, source_name: str = "", dry_run: bool = False) -> ImportResult:
    """Check the whole file; if any row is bad write nothing and report every bad row, otherwise create or update all."""
    parsed: ParsedImport = parse_cases_csv(data, partnership=partnership, today=timezone.localdate())
    if not parsed.ok:
        return ImportResult(errors=parsed.errors, dry_run=dry_run)
    source = f"Imported from {source_name}" if source_name else "Imported from a CSV file"
    given = [row.reference for row in parsed.rows if row.reference]
    existing = {case.reference: case for case in Case.objects.select_for_update().filter(partnership=partnership, reference__in=given).select_related("lead_agency")}
    new_rows = [row for row in parsed.rows if row.reference not in existing]
    result = ImportResult(dry_run=dry_run)
    if dry_run:
        result.created = [row.reference or f"(new, line {row.line})" for row in new_rows]
        for row in parsed.rows:
            if row.reference in existing:
                case = existing[row.reference]
                changed = any(getattr(case, name) != row.values[name] for name in IMPORTED_FIELDS) or case.lead_agency_id != row.values["lead_agency"].pk
                (result.updated if changed else result.unchanged).append(row.reference)
        return result

    wanted: dict[int, int] = defaultdict(int)
    for row in new_rows:
        if not row.reference:
            wanted[row.values["opened_on"].year] += 1
    allocated = _reserve_references(partnership, [row.reference for row in new_rows if row.reference], wanted)
    user = actor.user if actor.user and actor.user.is_authenticated else None
    new_cases = []
    for row in new_rows:
        reference = row.reference or allocated[row.values["opened_on"].year].pop(0)
        new_cases.append(
            Case(reference=reference, partnership=partnership, created_by=user, **{k: row.values[k] for k in IMPORTED_FIELDS}, lead_agency=row.values["lead_agency"], **_closing_fields(row.values))
        )
    Case.objects.bulk_create(new_cases, batch_size=1000)
    audit_record_many(
        actor=actor,
        events=[
            {"action": AuditEvent.Action.IMPORT, "obj": case, "case_id": case.pk, "detail": source,
             "changes": diff({}, {name: getattr(case, name) for name in (*IMPORTED_FIELDS, "lead_agency")})}
            for case in new_cases
        ],
    )
    case_access_grant_lead_to_new_cases(actor=actor, cases=new_cases, reason=source)
    result.created = [case.reference for case in new_cases]

    for row in parsed.rows:
        case = existing.get(row.reference)
        if case is None:
            continue
        new_lead = row.values["lead_agency"]
        if case.lead_agency_id != new_lead.pk:
            case = case_lead_change(actor=actor, case=case, new_lead=new_lead, reason=source)
        before = {name: getattr(case, name) for name in IMPORTED_FIELDS}
        for name in IMPORTED_FIELDS:
            setattr(case, name, row.values[name])
        for name, value in _closing_fields(row.values).items():
            if name == "closing_reason" and case.closing_reason and row.values["status"] == Case.Status.CLOSED:
                continue  # keep a reason already written in ASB Casework
            setattr(case, name, value)
        changes = diff(before, {name: getattr(case, name) for name in IMPORTED_FIELDS})
        if not changes and case.lead_agency_id == existing[row.reference].lead_agency_id:
            result.unchanged.append(case.reference)
            continue
        if changes:
            changes["version"] = [case.version, case.version + 1]
            case.version += 1
            case.full_clean()
            case.save()
            if "opened_on" in changes:
                case_grants_opened_on_refresh(cases=[case])
            audit_record(actor=actor, action=AuditEvent.Action.IMPORT, obj=case, case_id=case.pk, changes=changes, detail=source)
        result.updated.append(case.reference)
    return result
