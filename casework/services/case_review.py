"""ASB Case Review (formerly the Community Trigger): the threshold, the flag, and review requests.

Section 104 of the Anti-social Behaviour, Crime and Policing Act 2014: a review must be held when the threshold is
met. A partnership sets its threshold (never higher than the law's three complaints in six months) on
`Partnership`: `case_review_complaints` in `case_review_months`, and optionally `case_review_distinct_complainants`
different complainants in the same period, or `case_review_any_hate_incident`.

How the threshold is counted, precisely:

- A *complaint* is an incident that has a reporter (a person on the case) and was reported no later than one
  calendar month after the behaviour: `reported_on <= occurred date + 1 month` (31 January + 1 month is 28 or
  29 February). An incident reported later, or with no reporter, is not a complaint.
- Complaints are placed on the date the behaviour occurred (local time), not the date they were logged.
- A *window of M months ending on day E* holds the days after E − M months, up to and including E: the six months
  ending 3 March 2026 run from 4 September 2025 to 3 March 2026. Complaints on 3 September 2025 and 3 March 2026 are
  therefore *not* within six months of each other; 4 September and 3 March are.
- The threshold is met when some window ending on a complaint's date holds enough complaints (or enough different
  complainants). Every window that could hold a set of complaints is tried, so the order in which incidents are
  logged does not matter: a late-logged incident can complete an earlier window.
- The hate rule, where the partnership has it, is met by any hate-motivated incident (with or without a named
  reporter, however late reported): one hate incident always lies within some window of M months.
- When several rules are met at once, the flag names the one met earliest (its window ends first).

The flag is set once, the first time the case meets the threshold, with a sentence saying which rule and which
dates; it is audited (action "flag") and never cleared by this code.
"""

import calendar
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import Actor, audit_record, diff
from casework.models import Case, CasePerson, CaseReviewRequest, Incident
from casework.workdays import add_working_days


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later (or earlier), kept within the month: 31 Jan + 1 = 28/29 Feb."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def window_start(end: date, months: int) -> date:
    """The first day of the window of `months` months that ends on `end`."""
    return date.fromordinal(add_months(end, -months).toordinal() + 1)


def is_complaint(*, occurred_on: date, reported_on: date, has_reporter: bool) -> bool:
    return has_reporter and reported_on <= add_months(occurred_on, 1)


def _day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


def date_span(first: date, last: date) -> str:
    """'12 Jan – 3 Mar 2026', '12 Dec 2025 – 3 Mar 2026', or '3 Mar 2026' for one day."""
    if first == last:
        return _day(first)
    if first.year == last.year:
        return f"{first.day} {first:%b} – {_day(last)}"
    return f"{_day(first)} – {_day(last)}"


@dataclass(frozen=True)
class IncidentFacts:
    """What the threshold needs to know of one incident."""

    occurred_on: date
    reported_on: date
    reporter_id: int | None
    is_hate_motivated: bool

    @property
    def is_complaint(self) -> bool:
        return is_complaint(occurred_on=self.occurred_on, reported_on=self.reported_on, has_reporter=self.reporter_id is not None)


@dataclass(frozen=True)
class ThresholdMet:
    rule: str  # "complaints", "complainants" or "hate"
    ends_on: date
    sentence: str


def _complaints_rule(complaints: list[IncidentFacts], needed: int, months: int) -> ThresholdMet | None:
    if needed < 1:
        return None
    dates = sorted(c.occurred_on for c in complaints)
    for last in range(needed - 1, len(dates)):
        first = last - needed + 1
        if dates[first] >= window_start(dates[last], months):
            return ThresholdMet(
                "complaints",
                dates[last],
                f"{needed} complaint{'s' if needed != 1 else ''} in {months} months ({date_span(dates[first], dates[last])})",
            )
    return None


def _complainants_rule(complaints: list[IncidentFacts], needed: int | None, months: int) -> ThresholdMet | None:
    if not needed:
        return None
    for end in sorted({c.occurred_on for c in complaints}):
        start = window_start(end, months)
        inside = [c for c in complaints if start <= c.occurred_on <= end]
        if len({c.reporter_id for c in inside}) >= needed:
            first = min(c.occurred_on for c in inside)
            return ThresholdMet(
                "complainants",
                end,
                f"{needed} different complainant{'s' if needed != 1 else ''} in {months} months ({date_span(first, end)})",
            )
    return None


def _hate_rule(incidents: list[IncidentFacts], enabled: bool, months: int) -> ThresholdMet | None:
    if not enabled:
        return None
    hate_dates = sorted(i.occurred_on for i in incidents if i.is_hate_motivated)
    if not hate_dates:
        return None
    return ThresholdMet(
        "hate", hate_dates[0], f"Hate-motivated incident on {_day(hate_dates[0])} (any hate incident in {months} months)"
    )


def case_review_threshold_met(*, partnership, incidents: list[IncidentFacts]) -> ThresholdMet | None:
    """Which of the partnership's rules these incidents meet first, if any. Pure: no queries."""
    months = partnership.case_review_months
    complaints = [i for i in incidents if i.is_complaint]
    met = [
        result
        for result in (
            _complaints_rule(complaints, partnership.case_review_complaints, months),
            _complainants_rule(complaints, partnership.case_review_distinct_complainants, months),
            _hate_rule(incidents, partnership.case_review_any_hate_incident, months),
        )
        if result is not None
    ]
    return min(met, key=lambda result: result.ends_on) if met else None


def case_review_threshold_rules(*, partnership) -> list[str]:
    """The partnership's rules in words, any one of which meets the threshold."""
    months = partnership.case_review_months
    n = partnership.case_review_complaints
    rules = [f"{n} complaint{'s' if n != 1 else ''} in {months} months"]
    if partnership.case_review_distinct_complainants:
        d = partnership.case_review_distinct_complainants
        rules.append(f"{d} different complainant{'s' if d != 1 else ''} in {months} months")
    if partnership.case_review_any_hate_incident:
        rules.append("any hate-motivated incident")
    return rules


def incident_is_complaint(incident: Incident) -> bool:
    """Whether this incident counts as a complaint towards the threshold (see the module's notes)."""
    return is_complaint(
        occurred_on=timezone.localdate(incident.occurred_at),
        reported_on=incident.reported_on,
        has_reporter=incident.reported_by_id is not None,
    )


def _incident_facts(case: Case) -> list[IncidentFacts]:
    rows = Incident.objects.filter(case=case).values_list("occurred_at", "reported_on", "reported_by_id", "is_hate_motivated")
    return [
        IncidentFacts(timezone.localdate(occurred_at), reported_on, reporter_id, hate)
        for occurred_at, reported_on, reporter_id, hate in rows
    ]


@transaction.atomic
def case_review_threshold_check(*, actor: Actor, case: Case) -> bool:
    """Flag the case the first time it meets its partnership's threshold; returns whether it is flagged.

    Called by the services that record incidents, inside their transaction. A flag once set stays set.
    """
    current = Case.objects.select_for_update().select_related("partnership").get(pk=case.pk)
    if current.case_review_flagged_at is None:
        met = case_review_threshold_met(partnership=current.partnership, incidents=_incident_facts(current))
        if met is None:
            return False
        current.case_review_flagged_at = timezone.now()
        current.case_review_rule = met.sentence[:200]
        current.save(update_fields=["case_review_flagged_at", "case_review_rule", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.FLAG,
            obj=current,
            case_id=current.pk,
            changes=diff(
                {"case_review_flagged_at": None, "case_review_rule": ""},
                {"case_review_flagged_at": current.case_review_flagged_at, "case_review_rule": current.case_review_rule},
            ),
            detail=f"Over the ASB Case Review threshold: {current.case_review_rule}",
        )
    # The caller's copy of the case shows the flag too.
    case.case_review_flagged_at = current.case_review_flagged_at
    case.case_review_rule = current.case_review_rule
    return True


# Review requests ---------------------------------------------------------------------------------------------------

REQUEST_FIELDS = ("requested_on", "requested_by", "requested_by_description", "decision_due_on", "decision_on", "outcome", "notes")


def _snapshot(request: CaseReviewRequest) -> dict:
    return {name: getattr(request, name) for name in REQUEST_FIELDS}


def _is_person_on_case(case: Case, person) -> bool:
    return CasePerson.objects.filter(case=case, person=person).exists()


@transaction.atomic
def case_review_request_record(
    *,
    actor: Actor,
    case: Case,
    requested_on: date,
    requested_by=None,
    requested_by_description: str = "",
    notes: str = "",
) -> CaseReviewRequest:
    """Record that a case review was asked for. The decision is due the partnership's number of working days later."""
    requested_by_description = (requested_by_description or "").strip()
    errors = {}
    if requested_on > timezone.localdate():
        errors["requested_on"] = "The date the review was requested must be today or in the past."
    if requested_by is None and not requested_by_description:
        errors["requested_by"] = "Choose who asked for the review, or describe them."
    elif requested_by is not None and not _is_person_on_case(case, requested_by):
        errors["requested_by"] = "Choose someone who is on this case."
    if errors:
        raise ValidationError(errors)
    request = CaseReviewRequest(
        case=case,
        requested_on=requested_on,
        requested_by=requested_by,
        requested_by_description=requested_by_description,
        decision_due_on=add_working_days(requested_on, case.partnership.case_review_decision_working_days),
        notes=notes or "",
        recorded_by=actor.user if actor.user is not None and actor.user.is_authenticated else None,
    )
    request.full_clean()
    request.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=request,
        object_repr=f"ASB Case Review request on {case.reference}",
        case_id=case.pk,
        changes=diff({}, _snapshot(request)),
        detail="ASB Case Review requested",
    )
    return request


@transaction.atomic
def case_review_request_decide(
    *, actor: Actor, review_request: CaseReviewRequest, outcome: str, decision_on: date | None, notes: str | None = None
) -> CaseReviewRequest:
    """Record the decision on a review request (and its outcome). Changing a recorded decision is audited too."""
    current = CaseReviewRequest.objects.select_for_update().get(pk=review_request.pk)
    errors = {}
    if outcome not in CaseReviewRequest.Outcome.values or outcome == CaseReviewRequest.Outcome.PENDING:
        errors["outcome"] = "Choose the outcome of the decision."
    if decision_on is None:
        errors["decision_on"] = "Enter the date of the decision."
    elif decision_on > timezone.localdate():
        errors["decision_on"] = "The date of the decision must be today or in the past."
    elif decision_on < current.requested_on:
        errors["decision_on"] = "The decision cannot be before the review was requested."
    if errors:
        raise ValidationError(errors)
    before = _snapshot(current)
    current.outcome = outcome
    current.decision_on = decision_on
    if notes is not None:
        current.notes = notes
    current.full_clean()
    changed = diff(before, _snapshot(current))
    if changed:
        current.save()
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=current,
            object_repr=f"ASB Case Review request on {current.case.reference}",
            case_id=current.case_id,
            changes=changed,
            detail=f"ASB Case Review decision: {current.get_outcome_display()}",
        )
    return current
