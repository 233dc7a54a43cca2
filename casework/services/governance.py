"""The audit trail's own use recorded in it: searches, exports and requests to check the chain."""

from django.db import transaction

from audit.models import AuditEvent
from audit.services import Actor, audit_record


@transaction.atomic
def audit_search_record(*, actor: Actor, description: str, results: int, more: bool = False) -> None:
    """more: the search found more than `results` events (it was counted only so far)."""
    found = f"more than {results} events" if more else f"{results} event{'' if results == 1 else 's'}"
    audit_record(
        actor=actor, action=AuditEvent.Action.SEARCH, object_type="audit trail",
        detail=f"Searched the audit trail ({found}): {description}"[:500],
    )


@transaction.atomic
def audit_export_record(*, actor: Actor, description: str) -> None:
    audit_record(
        actor=actor, action=AuditEvent.Action.EXPORT, object_type="audit trail",
        detail=f"Exported the audit trail as CSV: {description}"[:500],
    )


def audit_chain_check_queue(*, actor: Actor) -> None:
    """Ask for a walk of the chain now, in the background (the nightly one runs anyway)."""
    from audit.tasks import audit_chain_verify_task

    with transaction.atomic():
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, object_type="audit chain check",
                     detail="Check of the audit chain queued")
    audit_chain_verify_task.delay()
