"""Retention: closed cases past the partnership's retention period are listed for review, then anonymised or deferred.

Anonymisation keeps what the partnership's statistics count (the case's reference, partnership, category, kind,
subject type, lead agency, dates, status, outcome and risk; incidents' dates, channel and hate flag; interventions'
type, dates and status; people's roles) and removes what identifies or describes anyone: names, contact details,
free text and documents. The audit trail is not changed: it is the record of who did what, exempt from anonymisation
under the retention policy (docs/security.md); the audit search withholds the values it recorded about anonymised
cases and people.
"""

import logging
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from agencies.models import Partnership
from audit.models import AuditEvent
from audit.services import Actor, audit_record, audit_record_many
from casework.models import (
    Action,
    Case,
    CasePerson,
    CaseReviewRequest,
    Document,
    Household,
    Incident,
    Intervention,
    InterventionBreach,
    Note,
    Person,
    RetentionReview,
    RiskAssessment,
    SubjectAccessRequest,
)
from casework.postcodes import postcode_district
from casework.signals import case_anonymised

logger = logging.getLogger(__name__)

ANONYMISED_SUMMARY = "[anonymised]"
REMOVED = "[removed]"


def years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier (29 February becomes 28 February in a common year)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def years_after(day: date, years: int) -> date:
    return years_before(day, -years)


def _count(n: int, singular: str, plural: str = "") -> str:
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


def _remove_files_after_commit(files: list[tuple]) -> None:
    """Files go once the rows that named them are gone for good; a file that cannot be removed is logged."""

    def remove():
        for storage, name in files:
            try:
                storage.delete(name)
            except OSError:
                logger.exception("Could not remove %s after anonymisation; the orphan sweep will retry", name)

    if files:
        transaction.on_commit(remove)


@transaction.atomic
def retention_reviews_raise(*, actor: Actor, today: date | None = None) -> int:
    """List, for review, every closed case whose partnership's retention period has ended (on or before `today`),
    and bring back deferred cases whose review date has come. Idempotent; returns how many cases became due."""
    today = today or timezone.localdate()
    raised = 0
    for partnership in Partnership.objects.select_for_update().order_by("pk"):
        _stale_reviews_remove(actor=actor, partnership=partnership)
        cutoff = years_before(today, partnership.retention_years)
        cases = list(
            Case.objects.filter(partnership=partnership, status=Case.Status.CLOSED, closed_on__lte=cutoff)
            .exclude(Exists(RetentionReview.objects.filter(case_id=OuterRef("pk"))))
            .only("pk", "reference", "closed_on")
        )
        if not cases:
            continue
        now = timezone.now()
        RetentionReview.objects.bulk_create(
            [
                RetentionReview(case=case, retention_ends_on=years_after(case.closed_on, partnership.retention_years), listed_at=now)
                for case in cases
            ]
        )
        audit_record_many(
            actor=actor,
            events=[
                {
                    "action": AuditEvent.Action.FLAG, "obj": case, "case_id": case.pk,
                    "detail": f"Closed on {case.closed_on:%d %B %Y}; the {partnership.retention_years}-year retention period "
                    f"has ended: listed for review",
                }
                for case in cases
            ],
        )
        raised += len(cases)
    back = list(
        RetentionReview.objects.select_for_update()
        .filter(status=RetentionReview.Status.DEFERRED, review_on__lte=today)
        .select_related("case")
    )
    for review in back:
        review.status = RetentionReview.Status.DUE
        review.save(update_fields=["status"])
        audit_record(
            actor=actor, action=AuditEvent.Action.FLAG, obj=review.case, case_id=review.case_id,
            changes={"retention_review": [RetentionReview.Status.DEFERRED.value, RetentionReview.Status.DUE.value]},
            detail=f"Deferred retention review came back on {review.review_on:%d %B %Y}",
        )
    return raised + len(back)


def _stale_reviews_remove(*, actor: Actor, partnership) -> None:
    """A listed case that was reopened (or closed again later, or whose partnership changed its period) is taken off
    the list; if it is past the period again, it is listed afresh with its new date."""
    pending = RetentionReview.objects.select_for_update().filter(case__partnership=partnership).exclude(
        status=RetentionReview.Status.ANONYMISED
    ).select_related("case")
    for review in pending:
        case = review.case
        if case.is_closed and years_after(case.closed_on, partnership.retention_years) == review.retention_ends_on:
            continue
        audit_record(
            actor=actor, action=AuditEvent.Action.FLAG, obj=case, case_id=case.pk,
            changes={"retention_review": [review.status, None]},
            detail="Taken off the retention review list: "
            + ("the case was reopened" if not case.is_closed else "its retention period has changed"),
        )
        review.delete()


def _locked_review(review: RetentionReview, *, partnership) -> RetentionReview:
    current = RetentionReview.objects.select_for_update().select_related("case").filter(pk=review.pk).first()
    if current is None or current.case.partnership_id != partnership.pk:
        raise ValidationError("This retention review is not one of your partnership's.")
    if not current.case.is_closed:
        raise ValidationError("This case has been reopened, so it is no longer due for review.")
    if current.status != RetentionReview.Status.DUE:
        raise ValidationError(f"This case is no longer due for review: it is {current.get_status_display().lower()}.")
    return current


@transaction.atomic
def retention_review_defer(*, actor: Actor, review: RetentionReview, partnership, reason: str, review_on: date | None, today: date | None = None) -> RetentionReview:
    """Keep the case as it is until `review_on`, for a recorded reason (for example, a civil injunction still in force)."""
    today = today or timezone.localdate()
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = "Say why the case should be kept."
    if review_on is None:
        errors["review_on"] = "Enter the date to review the case again."
    elif review_on <= today:
        errors["review_on"] = "The new review date must be in the future."
    if errors:
        raise ValidationError(errors)
    current = _locked_review(review, partnership=partnership)
    current.status = RetentionReview.Status.DEFERRED
    current.review_on = review_on
    current.defer_reason = reason
    current.decided_by = actor.user if actor.user is not None and actor.user.is_authenticated else None
    current.decided_by_agency = actor.agency
    current.decided_at = timezone.now()
    current.save()
    audit_record(
        actor=actor, action=AuditEvent.Action.UPDATE, obj=current.case, case_id=current.case_id,
        changes={"retention_review": [RetentionReview.Status.DUE.value, RetentionReview.Status.DEFERRED.value],
                 "review_on": [None, review_on.isoformat()]},
        detail=f"Retention review deferred to {review_on:%d %B %Y}: {reason}"[:500],
    )
    return current


@transaction.atomic
def retention_review_approve(*, actor: Actor, review: RetentionReview, partnership) -> RetentionReview:
    """Approve anonymisation of the case. The anonymisation itself runs in the background once this commits."""
    current = _locked_review(review, partnership=partnership)
    current.status = RetentionReview.Status.APPROVED
    current.decided_by = actor.user if actor.user is not None and actor.user.is_authenticated else None
    current.decided_by_agency = actor.agency
    current.decided_at = timezone.now()
    current.save()
    audit_record(
        actor=actor, action=AuditEvent.Action.UPDATE, obj=current.case, case_id=current.case_id,
        changes={"retention_review": [RetentionReview.Status.DUE.value, RetentionReview.Status.APPROVED.value]},
        detail="Anonymisation approved under the retention policy",
    )
    review_id = current.pk
    transaction.on_commit(lambda: _queue_anonymisation(review_id))
    return current


def _queue_anonymisation(review_id: int) -> None:
    from casework.tasks import case_anonymise_task

    case_anonymise_task.delay(review_id)


def retention_review_anonymise(*, review_id: int) -> RetentionReview | None:
    """Carry out an approved anonymisation (the task's work). Does nothing if it is done or no longer approved."""
    review = RetentionReview.objects.select_related("case", "decided_by", "decided_by_agency").filter(pk=review_id).first()
    if review is None or review.status != RetentionReview.Status.APPROVED:
        return review
    if not review.case.is_closed:  # reopened after approval: the monthly listing takes it off the list
        return review
    case_anonymise(actor=Actor(user=review.decided_by, agency=review.decided_by_agency), case=review.case)
    review.refresh_from_db()
    return review


def _people_on_case(case: Case) -> set[int]:
    ids = set(CasePerson.objects.filter(case=case).values_list("person_id", flat=True))
    ids |= set(Incident.objects.filter(case=case, reported_by__isnull=False).values_list("reported_by_id", flat=True))
    ids |= set(Intervention.objects.filter(case=case, person__isnull=False).values_list("person_id", flat=True))
    ids |= set(CaseReviewRequest.objects.filter(case=case, requested_by__isnull=False).values_list("requested_by_id", flat=True))
    return ids


def _people_on_live_cases(person_ids: set[int], *, excluding: Case) -> set[int]:
    """Which of these people appear on a case that is not anonymised, other than `excluding`."""
    if not person_ids:
        return set()
    anonymised = RetentionReview.objects.filter(status=RetentionReview.Status.ANONYMISED).values("case_id")
    live = Case.objects.exclude(pk=excluding.pk).exclude(pk__in=anonymised).values("pk")
    found = set(CasePerson.objects.filter(person_id__in=person_ids, case_id__in=live).values_list("person_id", flat=True))
    found |= set(Incident.objects.filter(reported_by_id__in=person_ids, case_id__in=live).values_list("reported_by_id", flat=True))
    found |= set(Intervention.objects.filter(person_id__in=person_ids, case_id__in=live).values_list("person_id", flat=True))
    found |= set(CaseReviewRequest.objects.filter(requested_by_id__in=person_ids, case_id__in=live).values_list("requested_by_id", flat=True))
    return found


def _person_anonymise(*, actor: Actor, person: Person, case: Case, files: list) -> None:
    before_household = person.household_id
    person.first_name = "Anonymised"
    person.last_name = f"person {person.pk}"
    person.aliases = ""
    if person.date_of_birth:
        person.date_of_birth = date(person.date_of_birth.year, 1, 1)
    person.address = person.postcode = person.phone = person.email = person.vulnerability_notes = ""
    person.household = None
    person.version += 1
    person.save()
    if before_household and not Person.objects.filter(household_id=before_household).exists():
        Household.objects.filter(pk=before_household).update(name=f"Anonymised household {before_household}", address="", postcode="")
    # Packs produced for them hold everything they were told: the record that a request was answered stays.
    for request in SubjectAccessRequest.objects.select_for_update().filter(person=person):
        files += [(f.storage, f.name) for f in (request.pdf_file, request.json_file) if f]
        request.reason = ""
        request.pdf_file = request.json_file = ""
        request.save(update_fields=["reason", "pdf_file", "json_file"])
    audit_record(
        actor=actor, action=AuditEvent.Action.UPDATE, obj=person, person_id=person.pk, case_id=case.pk,
        changes={name: [REMOVED, str(getattr(person, name) or "")] for name in (
            "first_name", "last_name", "aliases", "date_of_birth", "address", "postcode", "phone", "email", "vulnerability_notes",
        )},
        detail=f"Anonymised with {case.reference} under the retention policy: on no other case that is kept",
    )


@transaction.atomic
def case_anonymise(*, actor: Actor, case: Case) -> RetentionReview:
    """Anonymise a closed case, its records and the people who appear only on anonymised cases (see the module's
    docstring for what is kept). People also on cases that are kept are taken off this case, untouched."""
    current = Case.objects.select_for_update().get(pk=case.pk)
    if not current.is_closed:
        raise ValidationError("Only a closed case can be anonymised.")
    review = RetentionReview.objects.select_for_update().filter(case=current).first()
    if review is not None and review.status == RetentionReview.Status.ANONYMISED:
        raise ValidationError(f"{current.reference} is already anonymised.")
    now = timezone.now()
    files: list[tuple] = []

    people = _people_on_case(current)
    kept_elsewhere = _people_on_live_cases(people, excluding=current)
    to_anonymise = people - kept_elsewhere

    # People who stay on other cases leave this one, with every reference to them on it.
    unlinked = list(CasePerson.objects.filter(case=current, person_id__in=kept_elsewhere).values_list("pk", "person_id"))
    CasePerson.objects.filter(case=current, person_id__in=kept_elsewhere).delete()
    Incident.objects.filter(case=current, reported_by_id__in=kept_elsewhere).update(reported_by=None)
    Intervention.objects.filter(case=current, person_id__in=kept_elsewhere).update(person=None)
    CaseReviewRequest.objects.filter(case=current, requested_by_id__in=kept_elsewhere).update(requested_by=None)

    cleared = {
        "incident": Incident.objects.filter(case=current).update(description="", other_references=""),
        "note": Note.objects.filter(case=current).update(text=""),
        "intervention": Intervention.objects.filter(case=current).update(notes=""),
        "action": Action.objects.filter(case=current).update(description=""),
    }
    InterventionBreach.objects.filter(intervention__case=current).update(notes="")
    RiskAssessment.objects.filter(case=current).update(notes="")
    CaseReviewRequest.objects.filter(case=current).update(notes="", requested_by_description="")
    CasePerson.objects.filter(case=current).update(notes="")

    documents = list(Document.objects.filter(case=current).only("pk", "file", "sha256"))
    files += [(d.file.storage, d.file.name) for d in documents if d.file]
    Document.objects.filter(pk__in=[d.pk for d in documents]).delete()

    before = {"address": current.address, "postcode": current.postcode, "ward": current.ward}
    current.summary = ANONYMISED_SUMMARY
    current.address = current.ward = current.closing_reason = ""
    current.postcode = postcode_district(current.postcode)
    current.latitude = current.longitude = None
    current.version += 1
    current.save()

    if review is None:
        review = RetentionReview(case=current, retention_ends_on=current.closed_on, listed_at=now)
    review.status = RetentionReview.Status.ANONYMISED
    review.anonymised_at = now
    if review.decided_at is None:
        review.decided_by = actor.user if actor.user is not None and actor.user.is_authenticated else None
        review.decided_by_agency = actor.agency
        review.decided_at = now
    review.save()
    review.people_anonymised.add(*to_anonymise)

    # The values removed are not written again into the trail: only which fields were cleared.
    changes = {"summary": [REMOVED, ANONYMISED_SUMMARY], "closing_reason": [REMOVED, ""], "version": [current.version - 1, current.version]}
    changes.update({name: [REMOVED, getattr(current, name)] for name, value in before.items() if value})
    changes["latitude"] = changes["longitude"] = [REMOVED, None]
    audit_record(
        actor=actor, action=AuditEvent.Action.UPDATE, obj=current, case_id=current.pk, changes=changes,
        detail=f"Anonymised under the retention policy. Text cleared from {', '.join(_count(n, what) for what, n in cleared.items())}; "
        f"{_count(len(documents), 'document')} deleted; {_count(len(to_anonymise), 'person', 'people')} anonymised, "
        f"{len(unlinked)} taken off the case",
    )
    audit_record_many(actor=actor, events=[
        {"action": AuditEvent.Action.DELETE, "object_type": "document", "object_id": d.pk, "object_repr": f"Document {d.pk}",
         "case_id": current.pk, "detail": f"Deleted with the anonymisation of {current.reference} (SHA-256 {d.sha256})"}
        for d in documents
    ] + [
        {"action": AuditEvent.Action.DELETE, "object_type": "caseperson", "object_id": link_id, "object_repr": f"Person {person_id} on {current.reference}",
         "case_id": current.pk, "person_id": person_id,
         "detail": f"Taken off {current.reference} when it was anonymised: the person is on a case that is kept"}
        for link_id, person_id in unlinked
    ])
    for person in Person.objects.select_for_update().filter(pk__in=to_anonymise).order_by("pk"):
        _person_anonymise(actor=actor, person=person, case=current, files=files)

    case_anonymised.send(sender=Case, case=current, actor=actor)
    _remove_files_after_commit(files)
    return review

