"""Logging incidents (reports of ASB) on a case."""

from datetime import UTC, date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import Actor, audit_record, diff
from casework.models import Case, CasePerson, Incident
from casework.services.case_review import case_review_threshold_check

# Nothing a partnership handles happened before this. It also keeps every time on a whole-minute UTC offset: before
# 1 December 1847, Europe/London is local mean time (-00:01:15), which RFC 3339 (the API's date-time) cannot write.
EARLIEST_INCIDENT = datetime(1900, 1, 1, tzinfo=UTC)

INCIDENT_FIELDS = ("occurred_at", "reported_on", "reported_by", "channel", "description", "is_hate_motivated", "other_references")


def _validate(*, case: Case, occurred_at: datetime, reported_on: date, reported_by, channel: str, description: str) -> None:
    errors = {}
    now = timezone.now()
    if occurred_at > now:
        errors["occurred_at"] = "The date and time it happened must be in the past."
    elif occurred_at < EARLIEST_INCIDENT:
        errors["occurred_at"] = "The date it happened must be in 1900 or later."
    if reported_on > timezone.localdate(now):
        errors["reported_on"] = "The date it was reported must be today or in the past."
    elif reported_on < timezone.localdate(occurred_at):
        errors["reported_on"] = "The date it was reported must be on or after the date it happened."
    if reported_by is not None and not CasePerson.objects.filter(case=case, person=reported_by).exists():
        errors["reported_by"] = "Choose someone who is on this case."
    if channel not in Incident.Channel.values:
        errors["channel"] = "Choose how it was reported."
    if not description.strip():
        errors["description"] = "Describe what happened."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def incident_log(
    *,
    actor: Actor,
    case: Case,
    occurred_at: datetime,
    reported_on: date,
    channel: str,
    description: str,
    reported_by=None,
    is_hate_motivated: bool = False,
    other_references: str = "",
) -> Incident:
    """Log a report of ASB on the case, then check the ASB Case Review threshold in the same transaction."""
    if timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)
    description = description or ""
    _validate(case=case, occurred_at=occurred_at, reported_on=reported_on, reported_by=reported_by, channel=channel, description=description)
    incident = Incident(
        case=case,
        occurred_at=occurred_at,
        reported_on=reported_on,
        reported_by=reported_by,
        channel=channel,
        description=description.strip(),
        is_hate_motivated=bool(is_hate_motivated),
        other_references=(other_references or "").strip(),
        created_by=actor.user if actor.user is not None and actor.user.is_authenticated else None,
        agency=actor.agency,
    )
    incident.full_clean()
    incident.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=incident,
        case_id=case.pk,
        person_id=reported_by.pk if reported_by is not None else None,
        changes=diff({}, {name: getattr(incident, name) for name in INCIDENT_FIELDS}),
    )
    case_review_threshold_check(actor=actor, case=case)
    return incident
