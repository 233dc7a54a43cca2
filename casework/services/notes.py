"""Writing notes on a case. A note is never edited after it is written: a correction is a new note."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import Actor, audit_record
from casework import permissions
from casework.models import Case, Note, SecurityMarking


@transaction.atomic
def note_write(
    *, actor: Actor, case: Case, text: str, marking: str = SecurityMarking.OFFICIAL, shared_with=(), written_at: datetime | None = None
) -> Note:
    """Add a note for the actor's agency. An OFFICIAL-SENSITIVE note is seen only by that agency and by the agencies
    it is shared with, which must have access to the case. Sharing an OFFICIAL note means nothing: all may see it.
    `written_at` is for bringing in earlier records (imports, demo data); pages and the API always write "now"."""
    errors: dict[str, list[str]] = {}
    now = timezone.now()
    if written_at is not None and written_at > now:
        errors["written_at"] = ["A note cannot be dated in the future."]
    if actor.agency is None:
        errors["agency"] = ["You must act for an agency to write a note."]
    text = (text or "").strip()
    if not text:
        errors["text"] = ["Write the note."]
    if marking not in SecurityMarking.values:
        errors["marking"] = ["Choose OFFICIAL or OFFICIAL-SENSITIVE."]
    shared_with = list(shared_with) if marking == SecurityMarking.OFFICIAL_SENSITIVE else []
    if shared_with:
        allowed = set(permissions.agencies_with_case_access(case=case).values_list("pk", flat=True))
        outside = [agency for agency in shared_with if agency.pk not in allowed]
        if outside:
            errors["shared_with"] = [f"{agency} does not have access to this case." for agency in outside]
    if errors:
        raise ValidationError(errors)
    shared_with = [agency for agency in shared_with if agency.pk != actor.agency.pk]
    note = Note(
        case=case,
        written_at=written_at or now,
        author=actor.user if actor.user and actor.user.is_authenticated else None,
        agency=actor.agency,
        marking=marking,
        text=text,
    )
    note.full_clean(exclude=["author"])  # an import or the system may write without a user
    note.save()
    if shared_with:
        note.shared_with.set(shared_with)
    # The text stays out of the audit trail, which more people may read than the note: marking and length only.
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=note,
        object_repr=f"{SecurityMarking(marking).label} note on {case.reference}",
        case_id=case.pk,
        changes={
            "marking": [None, SecurityMarking(marking).label],
            "length": [None, len(text)],
            "shared_with": [None, sorted(agency.name for agency in shared_with)],
            "written_at": [None, note.written_at.isoformat()],
        },
    )
    return note
