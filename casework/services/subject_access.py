"""Subject access: recording a person's request and producing the pack (PDF and JSON) of what the partnership holds.

The pack is produced in the background. Its state lives on the SubjectAccessRequest row (status, progress, step,
error), written as the work goes so that the page can show it. Files are written through Django's storage API before
the row says "done"; if marking it done fails, they are removed again.
"""

import json
import logging
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from agencies.models import Membership
from audit.models import AuditEvent
from audit.services import Actor, audit_record, audit_record_many
from casework import permissions
from casework.models import Person, SubjectAccessRequest

logger = logging.getLogger(__name__)


def _set_progress(request: SubjectAccessRequest, progress: int, step: str, **fields) -> None:
    """Saved outside any transaction, so that the page polling the row sees each step."""
    request.progress, request.step = progress, step
    for name, value in fields.items():
        setattr(request, name, value)
    request.save(update_fields=["progress", "step", *fields])


@transaction.atomic
def subject_access_request_create(
    *, actor: Actor, membership, person: Person, request_reference: str, received_on: date | None, reason: str = "",
    withhold_sensitive: bool = True,
) -> SubjectAccessRequest:
    """Record a subject access request for a person on the partnership's cases; the pack is produced once this commits."""
    if not permissions.can_produce_subject_access(membership=membership):
        raise ValidationError("Only a partnership coordinator or data protection officer can produce a subject access pack.")
    request_reference = (request_reference or "").strip()
    errors = {}
    if not request_reference:
        errors["request_reference"] = "Enter the reference the request was given, for example SAR-2026-014."
    elif len(request_reference) > 100:
        errors["request_reference"] = "The reference must be 100 characters or fewer."
    if received_on is None:
        errors["received_on"] = "Enter the date the request was received."
    elif received_on > timezone.localdate():
        errors["received_on"] = "The date the request was received must be today or in the past."
    if errors:
        raise ValidationError(errors)
    request = SubjectAccessRequest.objects.create(
        partnership=membership.partnership,
        person=person,
        request_reference=request_reference,
        received_on=received_on,
        reason=(reason or "").strip(),
        withhold_sensitive=bool(withhold_sensitive),
        requested_by=actor.user if actor.user is not None and actor.user.is_authenticated else None,
        requested_by_agency=membership.agency,
        requested_as_dpo=membership.role == Membership.Role.DPO,
        step="Waiting to start",
    )
    audit_record(
        actor=actor, action=AuditEvent.Action.CREATE, obj=request, person_id=person.pk,
        changes={"request_reference": [None, request_reference], "received_on": [None, received_on.isoformat()],
                 "withhold_sensitive": [None, request.withhold_sensitive]},
        detail=f"Subject access request {request_reference} for person {person.pk}",
    )
    request_id = request.pk
    transaction.on_commit(lambda: _queue(request_id))
    return request


def _queue(request_id: int) -> None:
    from casework.tasks import subject_access_produce_task

    subject_access_produce_task.delay(request_id)


@transaction.atomic
def subject_access_request_retry(*, actor: Actor, request: SubjectAccessRequest) -> SubjectAccessRequest:
    """Queue a failed request again."""
    current = SubjectAccessRequest.objects.select_for_update().get(pk=request.pk)
    if current.status != SubjectAccessRequest.Status.FAILED:
        raise ValidationError("Only a request that failed can be tried again.")
    current.status, current.progress, current.step, current.error = SubjectAccessRequest.Status.QUEUED, 0, "Waiting to start", ""
    current.save(update_fields=["status", "progress", "step", "error"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=current, person_id=current.person_id,
                 changes={"status": [SubjectAccessRequest.Status.FAILED.value, SubjectAccessRequest.Status.QUEUED.value]},
                 detail="Subject access pack queued again after a failure")
    request_id = current.pk
    transaction.on_commit(lambda: _queue(request_id))
    return current


def subject_access_pdf_render(*, data: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string("casework/governance/subject_access_pdf.html", {"data": data, "generated_at": timezone.now()})
    return HTML(string=html).write_pdf()


def subject_access_json_render(*, data: dict) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode("utf-8")


def subject_access_produce(*, request_id: int) -> SubjectAccessRequest:
    """Gather, write and keep the pack (the task's work). Idempotent: a pack already produced is not made again.
    A failure is kept on the row with its reason, and can be retried."""
    from casework.selectors.governance import subject_access_data

    request = SubjectAccessRequest.objects.select_related("person", "partnership", "requested_by", "requested_by_agency").get(pk=request_id)
    if request.status == SubjectAccessRequest.Status.DONE:
        return request
    written = []
    try:
        _set_progress(request, 10, "Gathering what the partnership holds", status=SubjectAccessRequest.Status.RUNNING,
                      started_at=timezone.now(), error="")
        data = subject_access_data(request=request)
        _set_progress(request, 40, "Writing the JSON file")
        stem = f"subject-access-{request.pk}"
        request.json_file.save(f"{stem}.json", ContentFile(subject_access_json_render(data=data)), save=False)
        written.append(request.json_file.name)
        _set_progress(request, 60, "Rendering the PDF")
        request.pdf_file.save(f"{stem}.pdf", ContentFile(subject_access_pdf_render(data=data)), save=False)
        written.append(request.pdf_file.name)
        with transaction.atomic():
            request.status = SubjectAccessRequest.Status.DONE
            request.progress, request.step = 100, "Ready"
            request.produced_at = timezone.now()
            request.items_for_review = data["counts"]["for_review"]
            request.items_withheld = data["counts"]["withheld"]
            request.save()
            audit_record(
                actor=Actor(user=request.requested_by, agency=request.requested_by_agency),
                action=AuditEvent.Action.EXPORT, obj=request, person_id=request.person_id,
                detail=(
                    f"Subject access pack {request.request_reference} produced: {len(data['cases'])} cases, "
                    f"{len(data['incidents'])} incidents, {len(data['notes'])} notes, {len(data['interventions'])} interventions, "
                    f"{len(data['documents'])} documents listed; OFFICIAL-SENSITIVE items "
                    + ("withheld" if request.withhold_sensitive else f"included for review: {request.items_for_review}")
                ),
            )
    except Exception as error:  # noqa: BLE001 - any failure is kept on the row for the user to see and retry
        logger.exception("Subject access request %s failed", request_id)
        storage = SubjectAccessRequest._meta.get_field("pdf_file").storage
        for name in written:
            storage.delete(name)
        SubjectAccessRequest.objects.filter(pk=request_id).update(
            status=SubjectAccessRequest.Status.FAILED, step="Failed", error=f"{type(error).__name__}: {error}"[:1000],
            pdf_file="", json_file="",
        )
        request.refresh_from_db()
    return request


@transaction.atomic
def subject_access_download_record(*, actor: Actor, request: SubjectAccessRequest, kind: str) -> None:
    audit_record(
        actor=actor, action=AuditEvent.Action.DOWNLOAD, obj=request, person_id=request.person_id,
        detail=f"Subject access pack {request.request_reference} downloaded as {kind.upper()}",
    )


def subject_access_people_search_record(*, actor: Actor, shown: list, last_name: str) -> None:
    """Looking people up to answer a request is a search of each person shown: record it."""
    audit_record_many(actor=actor, events=[
        {"action": AuditEvent.Action.SEARCH, "object_type": "person", "object_id": person.pk, "object_repr": f"Person {person.pk}",
         "person_id": person.pk, "detail": f"Found by a subject access search for the surname {last_name[:100]!r}"}
        for person in shown
    ])
