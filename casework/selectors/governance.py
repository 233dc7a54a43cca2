"""Reads for information governance: the audit search, subject access and retention reviews, scoped by the policy."""

from datetime import datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.http import Http404
from django.utils import timezone

from audit.models import AuditChainCheck, AuditEvent
from casework import permissions
from casework.models import (
    Case,
    CasePerson,
    Document,
    Incident,
    Intervention,
    Note,
    Person,
    RetentionReview,
    SecurityMarking,
    SubjectAccessRequest,
)
from casework.documents import ACCEPTED_TYPES

# The audit search


def audit_values_withheld():
    """For annotating audit events: whether the values an event recorded must no longer be shown, because the case or
    the person it is about was anonymised after it (under the retention policy the rows themselves stay)."""
    anonymised_case = RetentionReview.objects.filter(
        case_id=OuterRef("case_id"), status=RetentionReview.Status.ANONYMISED, anonymised_at__gte=OuterRef("at")
    )
    anonymised_person = RetentionReview.people_anonymised.through.objects.filter(
        person_id=OuterRef("person_id"), retentionreview__anonymised_at__gte=OuterRef("at")
    )
    return Exists(anonymised_case) | Exists(anonymised_person)


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_event_search(*, membership, filters: dict | None = None):
    """The audit events this member may search, newest first (by time: audit_at_idx), narrowed by `filters` (user, case_reference, person_id,
    action, date_from, date_to), each with its case's reference and whether its recorded values are withheld
    because the case or person it is about has since been anonymised. One query, whatever the page size."""
    filters = filters or {}
    events = permissions.audit_events_visible(AuditEvent.objects.all(), membership=membership)
    if filters.get("user"):
        events = events.filter(username__icontains=filters["user"])
    if filters.get("case_reference"):
        events = events.filter(case_id__in=Case.objects.filter(reference__iexact=filters["case_reference"]).values("pk"))
    if filters.get("person_id"):
        events = events.filter(person_id=filters["person_id"])
    if filters.get("action"):
        events = events.filter(action=filters["action"])
    if filters.get("date_from"):
        events = events.filter(at__gte=_start_of(filters["date_from"]))
    if filters.get("date_to"):
        events = events.filter(at__lt=_start_of(filters["date_to"] + timedelta(days=1)))
    return (
        events.annotate(
            case_reference=Subquery(Case.objects.filter(pk=OuterRef("case_id")).values("reference")[:1]),
            withheld=audit_values_withheld(),
        )
        .defer("previous_hash")
        .order_by("-at", "-id")
    )


def audit_chain_checks(*, limit: int = 20):
    return AuditChainCheck.objects.order_by("-checked_at", "-id")[:limit]


# Subject access


def subject_access_request_list(*, membership):
    return permissions.subject_access_requests_visible(SubjectAccessRequest.objects.all(), membership=membership).select_related(
        "person", "requested_by", "requested_by_agency"
    )


def subject_access_request_get(*, membership, request_id: int) -> SubjectAccessRequest:
    try:
        return subject_access_request_list(membership=membership).get(pk=request_id)
    except SubjectAccessRequest.DoesNotExist:
        raise Http404("No subject access request found") from None


def _people_in_partnership(partnership_id):
    on_cases = CasePerson.objects.filter(person_id=OuterRef("pk"), case__partnership_id=partnership_id)
    return Person.objects.filter(Exists(on_cases))


def subject_access_people_find(*, membership, last_name: str, first_name: str = "", date_of_birth=None, limit: int = 50):
    """People on the partnership's cases whose names match, with how many of its cases they are on."""
    if not permissions.can_produce_subject_access(membership=membership):
        return Person.objects.none()
    people = _people_in_partnership(membership.partnership_id).filter(
        Q(last_name__iexact=last_name) | Q(aliases__icontains=last_name) | Q(last_name__istartswith=last_name)
    )
    if first_name:
        people = people.filter(first_name__istartswith=first_name)
    if date_of_birth:
        people = people.filter(date_of_birth=date_of_birth)
    cases = Count("case_links", filter=Q(case_links__case__partnership_id=membership.partnership_id))
    return people.annotate(case_count=cases).order_by("last_name", "first_name", "pk")[:limit]


def subject_access_person_get(*, membership, person_id: int) -> Person:
    if not permissions.can_produce_subject_access(membership=membership):
        raise Http404("No person found")
    try:
        return _people_in_partnership(membership.partnership_id).get(pk=person_id)
    except Person.DoesNotExist:
        raise Http404("No person found") from None


def _type_label(content_type: str) -> str:
    labels = {t.content_type: t.label for t in ACCEPTED_TYPES.values()}
    return labels.get(content_type, content_type)


def subject_access_data(*, request: SubjectAccessRequest) -> dict:
    """Everything the partnership holds about the person, as plain data (the JSON file, and what the PDF shows).

    Sensitive notes and documents are left out when the request says to withhold them; otherwise the ones the
    producer's role may see are included and marked for review before disclosure. A fixed number of queries."""
    person = request.person
    links = list(
        CasePerson.objects.filter(person=person, case__partnership_id=request.partnership_id)
        .select_related("case", "case__lead_agency", "case__kind")
        .order_by("case__opened_on", "case__id", "role")
    )
    cases: dict[int, dict] = {}
    for link in links:
        case = link.case
        entry = cases.setdefault(case.pk, {
            "reference": case.reference, "roles": [], "opened_on": case.opened_on, "closed_on": case.closed_on,
            "status": case.get_status_display(), "lead_agency": case.lead_agency.name,
            "kind": case.kind.name if case.kind else case.get_category_display(),
        })
        entry["roles"].append(link.get_role_display())
    case_ids = list(cases)

    incidents = Incident.objects.filter(case_id__in=case_ids).select_related("case").order_by("occurred_at", "id")
    marking_scope = {"as_dpo": request.requested_as_dpo, "agency": request.requested_by_agency, "withhold_sensitive": request.withhold_sensitive}
    all_notes = Note.objects.filter(case_id__in=case_ids)
    notes = permissions.subject_access_marked_items(all_notes, **marking_scope).select_related("case", "agency").order_by("written_at", "id")
    all_documents = Document.objects.filter(case_id__in=case_ids)
    documents = permissions.subject_access_marked_items(all_documents, **marking_scope).select_related("case", "agency").order_by("uploaded_at", "id")
    interventions = (
        Intervention.objects.filter(person=person, case__partnership_id=request.partnership_id)
        .select_related("case", "delivering_agency")
        .order_by("start_on", "id")
    )
    sensitive = SecurityMarking.OFFICIAL_SENSITIVE
    data = {
        "request": {
            "reference": request.request_reference,
            "received_on": request.received_on,
            "partnership": request.partnership.name,
            "produced_by": request.requested_by.get_full_name() or request.requested_by.get_username() if request.requested_by else "",
            "agency": request.requested_by_agency.name if request.requested_by_agency else "",
            "sensitive_items_withheld": request.withhold_sensitive,
        },
        "person": {
            "id": person.pk, "first_name": person.first_name, "last_name": person.last_name, "aliases": person.aliases,
            "date_of_birth": person.date_of_birth, "gender": person.get_gender_display(), "address": person.address,
            "postcode": person.postcode, "phone": person.phone, "email": person.email,
            "vulnerability_notes": person.vulnerability_notes,
        },
        "cases": list(cases.values()),
        "incidents": [
            {
                "case": i.case.reference, "occurred_at": i.occurred_at, "reported_on": i.reported_on, "channel": i.get_channel_display(),
                "description": i.description, "hate_motivated": i.is_hate_motivated, "reported_by_subject": i.reported_by_id == person.pk,
            }
            for i in incidents
        ],
        "notes": [
            {
                "case": n.case.reference, "written_at": n.written_at, "agency": n.agency.name, "marking": n.get_marking_display(),
                "text": n.text, "for_review_before_disclosure": n.marking == sensitive,
            }
            for n in notes
        ],
        "interventions": [
            {
                "case": v.case.reference, "type": v.get_type_display(), "delivering_agency": v.delivering_agency.name,
                "start_on": v.start_on, "review_on": v.review_on, "end_on": v.end_on, "status": v.get_status_display(), "notes": v.notes,
            }
            for v in interventions
        ],
        "documents": [
            {
                "case": d.case.reference, "title": d.title, "uploaded_at": d.uploaded_at, "type": _type_label(d.content_type),
                "agency": d.agency.name, "marking": d.get_marking_display(), "for_review_before_disclosure": d.marking == sensitive,
            }
            for d in documents
        ],
    }
    included_sensitive = sum(1 for item in data["notes"] + data["documents"] if item["for_review_before_disclosure"])
    total_sensitive = all_notes.filter(marking=sensitive).count() + all_documents.filter(marking=sensitive).count()
    data["counts"] = {"for_review": included_sensitive, "withheld": total_sensitive - included_sensitive}
    return data


# Retention


def retention_review_list(*, membership, status: str | None = None):
    """The partnership's retention reviews, oldest retention end first, with what a list row needs."""
    if not permissions.can_review_retention(membership=membership):
        return RetentionReview.objects.none()
    reviews = RetentionReview.objects.filter(case__partnership_id=membership.partnership_id).select_related(
        "case", "case__lead_agency", "case__kind", "decided_by"
    )
    if status:
        reviews = reviews.filter(status=status)
    # A case reopened since it was listed waits for the monthly listing to take it off; until then it is not shown.
    reviews = reviews.filter(Q(status=RetentionReview.Status.ANONYMISED) | Q(case__status=Case.Status.CLOSED))
    return reviews.order_by("retention_ends_on", "id")


def retention_review_get(*, membership, review_id: int) -> RetentionReview:
    try:
        return retention_review_list(membership=membership).get(pk=review_id)
    except RetentionReview.DoesNotExist:
        raise Http404("No retention review found") from None
