"""Granting and revoking agencies' access to a case: guardian permissions and the access record, together."""

from django.db import transaction
from django.utils import timezone
from django.contrib.auth.models import Permission
from guardian.shortcuts import assign_perm, remove_perm

from audit.models import AuditEvent
from agencies.models import Agency
from audit.services import Actor, audit_record, audit_record_many
from casework.models import Case, CaseAccess, CaseGroupObjectPermission
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


@transaction.atomic
def case_access_grant_lead_to_new_cases(*, actor: Actor, cases: list[Case], reason: str) -> None:
    """Bulk form of case_access_grant for cases just created in bulk (imports): each lead agency gets lead access.

    Only for cases that have no access yet; writes the same rows case_access_grant would, in a few queries."""
    if not cases:
        return
    now = timezone.now()
    user = actor.user if actor.user else None
    CaseAccess.objects.bulk_create(
        [CaseAccess(case=c, agency_id=c.lead_agency_id, level=CaseAccess.Level.LEAD, granted_at=now, granted_by=user, reason=reason[:300]) for c in cases],
        batch_size=1000,
    )
    codenames = LEVEL_PERMISSIONS[CaseAccess.Level.LEAD]
    permissions = list(Permission.objects.filter(content_type__app_label="casework", content_type__model="case", codename__in=codenames))
    group_of_agency = dict(
        Agency.objects.filter(pk__in={c.lead_agency_id for c in cases}).values_list("pk", "group_id")
    )
    CaseGroupObjectPermission.objects.bulk_create(
        [CaseGroupObjectPermission(content_object=c, group_id=group_of_agency[c.lead_agency_id], permission=p) for c in cases for p in permissions],
        batch_size=2000,
    )
    audit_record_many(
        actor=actor,
        events=[
            {"action": AuditEvent.Action.GRANT, "obj": c, "case_id": c.pk, "detail": f"Lead agency access for {c.lead_agency_id and c.lead_agency}. {reason}".strip()}
            for c in cases
        ],
    )
