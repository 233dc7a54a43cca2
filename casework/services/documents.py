"""Uploading, downloading and withdrawing a case's documents.

A document is a row and a file, which cannot share one transaction. The file is written first, outside the database
transaction (so that the audit chain's lock is not held while megabytes are copied), then the row and its audit event
are written in a transaction; if that fails, or its commit does, the file is removed again. A withdrawn document's
row goes first and its file after the commit. What a crash between the two steps can leave (a file without a row) is
found and removed by `document_orphans_remove` (`manage.py remove_orphan_document_files`).
"""

import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import Actor, audit_record, diff
from casework import permissions
from casework.documents import (
    EMPTY_MESSAGE,
    MAX_DOCUMENT_BYTES,
    TOO_LARGE_MESSAGE,
    DigestingFile,
    DocumentTypeRefused,
    document_type_detect,
    safe_original_name,
)
from casework.models import Case, Document, SecurityMarking

logger = logging.getLogger(__name__)

DOCUMENTS_FOLDER = "documents"
AUDITED_FIELDS = ("title", "original_name", "content_type", "size", "sha256", "marking", "shared_with")


def _snapshot(document: Document, shared_with) -> dict:
    values = {name: getattr(document, name) for name in AUDITED_FIELDS if name != "shared_with"}
    values["shared_with"] = ", ".join(sorted(agency.name for agency in shared_with))
    return values


def _validate(*, actor: Actor, case: Case, title: str, upload, marking: str, shared_with) -> tuple[dict, object]:
    """Every reason to refuse the upload, by field, and the detected type of the file."""
    errors, detected = {}, None
    if actor.agency is None:
        errors["__all__"] = "You must act for an agency to upload a document"
    if not title:
        errors["title"] = "Enter a title for the document"
    elif len(title) > Document._meta.get_field("title").max_length:
        errors["title"] = "The title must be 200 characters or fewer"
    if marking not in SecurityMarking.values:
        errors["marking"] = "Choose the security marking"
    if shared_with:
        allowed = set(permissions.agencies_with_case_access(case=case).values_list("pk", flat=True))
        outside = sorted(agency.name for agency in shared_with if agency.pk not in allowed)
        if outside:
            errors["shared_with"] = f"{', '.join(outside)} cannot see this case, so the document cannot be shared with them"
    if upload is None:
        errors["file"] = "Select a file to upload"
    elif upload.size > MAX_DOCUMENT_BYTES:
        errors["file"] = TOO_LARGE_MESSAGE
    elif upload.size == 0:
        errors["file"] = EMPTY_MESSAGE
    else:
        try:
            detected = document_type_detect(upload)
        except DocumentTypeRefused as refused:
            errors["file"] = str(refused)
    return errors, detected


def document_upload(
    *, actor: Actor, case: Case, title: str, upload, marking: str = SecurityMarking.OFFICIAL, shared_with=()
) -> Document:
    """Store an uploaded file on the case for the actor's agency, after checking its size and (from its content) its
    type. A sensitive document may be shared with agencies that can see the case; an OFFICIAL one is seen by all
    of them, so `shared_with` is ignored for it. Refused with ValidationError (a message per field)."""
    title = (title or "").strip()
    shared_with = [agency for agency in shared_with if actor.agency is None or agency.pk != actor.agency.pk]
    if marking != SecurityMarking.OFFICIAL_SENSITIVE:
        shared_with = []
    errors, detected = _validate(actor=actor, case=case, title=title, upload=upload, marking=marking, shared_with=shared_with)
    if errors:
        raise ValidationError(errors)

    document = Document(
        case=case,
        title=title,
        original_name=safe_original_name(upload.name, detected),
        content_type=detected.content_type,
        marking=marking,
        uploaded_by=actor.user if actor.user is not None and actor.user.is_authenticated else None,
        agency=actor.agency,
    )
    field = Document._meta.get_field("file")
    content = DigestingFile(upload)
    stored_name = field.storage.save(field.generate_filename(document, document.original_name), content, max_length=field.max_length)
    try:
        if content.bytes_read != upload.size:
            raise ValidationError({"file": "The file could not be read completely. Upload it again"})
        document.file.name = stored_name
        document.size = content.bytes_read
        document.sha256 = content.hexdigest
        with transaction.atomic():
            document.save()
            document.shared_with.set(shared_with)
            audit_record(
                actor=actor,
                action=AuditEvent.Action.CREATE,
                obj=document,
                case_id=case.pk,
                changes=diff({}, _snapshot(document, shared_with)),
                detail=f"Uploaded {document.original_name}",
            )
    except BaseException:
        field.storage.delete(stored_name)
        raise
    return document


@transaction.atomic
def document_download_record(*, actor: Actor, document: Document, via: str = "") -> None:
    """Every download goes into the audit trail."""
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DOWNLOAD,
        obj=document,
        case_id=document.case_id,
        detail=f"{document.original_name} ({document.sha256}){' via ' + via if via else ''}",
    )


def _remove_file(storage, name: str) -> None:
    try:
        storage.delete(name)
    except OSError:
        logger.exception("Could not remove the file %s of a withdrawn document; the orphan sweep will retry", name)


@transaction.atomic
def document_withdraw(*, actor: Actor, document: Document, reason: str = "") -> None:
    """Remove a document and its file. The audit trail keeps that it existed: its title, name, size and SHA-256."""
    current = Document.objects.select_for_update().filter(pk=document.pk).first()
    if current is None:
        raise ValidationError("This document has already been withdrawn")
    before = _snapshot(current, current.shared_with.all())
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        obj=current,
        case_id=current.case_id,
        changes=diff(before, dict.fromkeys(before)),
        detail=f"Withdrawn. {reason}".strip()[:500],
    )
    storage, name = current.file.storage, current.file.name
    current.delete()
    transaction.on_commit(lambda: _remove_file(storage, name))


def document_orphans_remove(*, actor: Actor, older_than: timedelta = timedelta(hours=1)) -> list[str]:
    """Remove stored document files that no document row refers to (left by a crash between writing a file and its
    row, or a failed removal), once they are older than `older_than` so that uploads in progress are left alone."""
    storage = Document._meta.get_field("file").storage
    try:
        # Not storage.exists(): in an object store a folder is only a prefix, never an object of its own.
        folders, _ = storage.listdir(DOCUMENTS_FOLDER)
    except FileNotFoundError:  # the file system, before the first upload
        return []
    cutoff = timezone.now() - older_than
    removed = []
    for folder in folders:
        prefix = f"{DOCUMENTS_FOLDER}/{folder}/"
        known = set(Document.objects.filter(file__startswith=prefix).values_list("file", flat=True))
        for filename in storage.listdir(prefix)[1]:
            name = prefix + filename
            if name in known or storage.get_modified_time(name) > cutoff:
                continue
            with transaction.atomic():  # if the file cannot be removed, neither is its removal recorded
                audit_record(
                    actor=actor, action=AuditEvent.Action.DELETE, object_type="document file", object_repr=name,
                    detail="Stored file with no document record removed",
                )
                storage.delete(name)
            removed.append(name)
    return removed
