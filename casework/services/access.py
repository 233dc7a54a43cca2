"""Granting and revoking agencies' access to a case: guardian permissions and the access record, together."""

from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from audit.models import AuditEvent
from audit.services import Actor, audit_record
from casework.models import Case, CaseAccess
from casework.permissions import LEVEL_PERMISSIONS


def _sync_group_permissions(case: Case, agency) -> None:
    """Make the agency group's permissions on the case exactly what its open access periods give."""
    open_levels = CaseAccess.objects.filter(case=case, agency=agency, revoked_at__isnull=True).values_list("level", flat=True)
    wanted = {codename for level in open_levels for codename in LEVEL_PERMISSIONS[level]}
    held = set(case.group_permissions.filter(group=agency.group).values_list("permission__codename", flat=True))
    for codename in wanted - held:
        assign_perm(codename, agency.group, case)
    for codename in held - wanted:
        remove_perm(codename, agency.group, case)


@transaction.atomic
def case_access_grant(*, actor: Actor, case: Case, agency, level: str, reason: str = "") -> CaseAccess:
    """Give an agency a level of access; a no-op if it already holds that level."""
    access, created = CaseAccess.objects.get_or_create(
        case=case,
        agency=agency,
        level=level,
        revoked_at__isnull=True,
        defaults={"granted_at": timezone.now(), "granted_by": actor.user if actor.user else None, "reason": reason[:300]},
    )
    if created:
        _sync_group_permissions(case, agency)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.GRANT,
            obj=case,
            case_id=case.pk,
            detail=f"{access.get_level_display()} access for {agency}. {reason}".strip(),
        )
    return access


@transaction.atomic
def case_access_revoke(*, actor: Actor, case: Case, agency, level: str, reason: str = "") -> bool:
    """End an agency's access at a level; returns whether there was any to end."""
    now = timezone.now()
    ended = CaseAccess.objects.filter(case=case, agency=agency, level=level, revoked_at__isnull=True).update(
        revoked_at=now, revoked_by=actor.user if actor.user else None
    )
    if ended:
        _sync_group_permissions(case, agency)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.REVOKE,
            obj=case,
            case_id=case.pk,
            detail=f"{CaseAccess.Level(level).label} access for {agency} ended. {reason}".strip(),
        )
    return bool(ended)
