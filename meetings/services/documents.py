"""The agenda pack and minutes PDFs: asked for by the services, made by a Celery task, given out with an audit event.

The state lives on MeetingDocument (queued, being made, ready, failed with its reason), so that pages can show it."""

import logging
import uuid

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import Actor, audit_record
from meetings import pdf
from meetings.models import Meeting, MeetingDocument

logger = logging.getLogger(__name__)


@transaction.atomic
def document_request(*, actor: Actor, meeting: Meeting, kind: str) -> MeetingDocument:
    """Queue (again) the making of a meeting's PDF. The task runs once this transaction commits."""
    document, _ = MeetingDocument.objects.select_for_update().get_or_create(
        meeting=meeting, kind=kind, defaults={"requested_at": timezone.now()}
    )
    document.status = MeetingDocument.Status.QUEUED
    document.requested_at = timezone.now()
    document.requested_by = actor.user if actor.user is not None and actor.user.is_authenticated else None
    document.error = ""
    document.save(update_fields=["status", "requested_at", "requested_by", "error"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=meeting, detail=f"{document.get_kind_display()} requested")

    def _queue():
        from meetings.tasks import meeting_document_render_task

        meeting_document_render_task.delay(document.pk)

    transaction.on_commit(_queue)
    return document


def document_render(*, document_id: int) -> MeetingDocument | None:
    """Make the PDF. Safe to run twice: a document already made since it was last asked for is left as it is."""
    with transaction.atomic():
        document = MeetingDocument.objects.select_for_update().filter(pk=document_id).first()
        if document is None:
            return None
        if document.status == MeetingDocument.Status.READY and document.rendered_at and document.rendered_at >= document.requested_at:
            return document
        document.status = MeetingDocument.Status.RENDERING
        document.save(update_fields=["status"])
    meeting = Meeting.objects.select_related("group", "group__partnership").get(pk=document.meeting_id)
    try:
        if document.kind == MeetingDocument.Kind.AGENDA_PACK:
            html, case_ids = pdf.pack_html(meeting)
        else:
            html, case_ids = pdf.minutes_html(meeting)
        content, laid_out = pdf.render_pdf(html)
    except Exception as error:  # noqa: BLE001 - any failure is kept on the record, with its reason, for the page to show
        logger.exception("Could not make %s %s", document.kind, document.pk)
        MeetingDocument.objects.filter(pk=document.pk).update(status=MeetingDocument.Status.FAILED, error=str(error)[:500] or type(error).__name__)
        document.refresh_from_db()
        return document
    with transaction.atomic():
        document = MeetingDocument.objects.select_for_update().get(pk=document.pk)
        old_name = document.file.name
        document.file.save(f"{meeting.pk}/{document.kind}-{uuid.uuid4().hex}.pdf", ContentFile(content), save=False)
        document.status = MeetingDocument.Status.READY
        document.rendered_at = timezone.now()
        document.page_count = len(laid_out.pages)
        document.case_ids = case_ids
        document.error = ""
        document.save()
        audit_record(
            actor=Actor.system(), action=AuditEvent.Action.CREATE, obj=meeting,
            detail=f"{document.get_kind_display()} made: {document.page_count} page(s)",
        )
        if old_name:
            storage = document.file.storage
            transaction.on_commit(lambda: storage.delete(old_name) if storage.exists(old_name) else None)
    return document


def document_is_stale(document: MeetingDocument, *, cases_with_group_ids: set[int]) -> bool:
    """A pack naming a case that is no longer with the group must be made again before anyone else gets it."""
    return document.kind == MeetingDocument.Kind.AGENDA_PACK and any(case_id not in cases_with_group_ids for case_id in document.case_ids)


def document_download_record(*, actor: Actor, document: MeetingDocument) -> None:
    """Every download of a pack or minutes goes into the audit trail."""
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DOWNLOAD,
        obj=document,
        object_repr=str(document)[:200],
        changes={"cases": [None, document.case_ids]} if document.case_ids else {},
        detail=f"Downloaded the {document.get_kind_display().lower()} of {document.meeting}",
    )
