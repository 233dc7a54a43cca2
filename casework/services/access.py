"""Granting and revoking agencies' access to a case: guardian permissions and the access record, together.

The guardian rows are written here and nowhere else. Each carries the case's opening date (`case_opened_on`), the key
casework.permissions lists cases by, so the list of what an agency may see is always in step with what it may see.
"""

from django.contrib.auth.models import Permission
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from agencies.models import Agency
from audit.models import AuditEvent
from audit.services import Actor, audit_record, audit_record_many
from casework.models import Case, CaseAccess, CaseGroupObjectPermission, VisibleCaseCount
from casework.permissions import LEVEL_PERMISSIONS, VIEW


def _case_permission_ids(codenames) -> dict[str, int]:
    return dict(
        Permission.objects.filter(content_type__app_label="casework", content_type__model="case", codename__in=codenames).values_list(
            "codename", "pk"
        )
    )


def _sync_group_permissions(case: Case, agency) -> int:
    """Make the agency group's permissions on the case exactly what its open access periods give.

    Returns how the number of cases the group may view changed (+1, -1 or 0), for _visible_count_change. The caller
    holds the case's row lock, so no other transaction changes these grants meanwhile."""
    open_levels = CaseAccess.objects.filter(case=case, agency=agency, revoked_at__isnull=True).values_list("level", flat=True)
    wanted = {codename for level in open_levels for codename in LEVEL_PERMISSIONS[level]}
    held = dict(
        CaseGroupObjectPermission.objects.filter(content_object=case, group_id=agency.group_id).values_list("permission__codename", "pk")
    )
    missing = wanted - set(held)
    if missing:
        ids = _case_permission_ids(missing)
        CaseGroupObjectPermission.objects.bulk_create(
            [
                CaseGroupObjectPermission(content_object=case, group_id=agency.group_id, permission_id=ids[codename], case_opened_on=case.opened_on)
                for codename in sorted(missing)
            ]
        )
    surplus = [pk for codename, pk in held.items() if codename not in wanted]
    if surplus:
        CaseGroupObjectPermission.objects.filter(pk__in=surplus).delete()
    return (VIEW in missing) - (VIEW in held and VIEW not in wanted)


def _visible_count_change(group_id: int, delta: int) -> None:
    """Keep VisibleCaseCount in step with the group's view grants. Called after the audit record, so that every
    transaction takes the audit chain's lock before a counter's (never the other way round: no deadlock)."""
    if not delta:
        return
    if VisibleCaseCount.objects.filter(group_id=group_id).update(cases=F("cases") + delta):
        return
    # The group's first change since counting began: count its view grants, this one included.
    viewing = CaseGroupObjectPermission.objects.filter(group_id=group_id, permission__codename=VIEW).count()
    try:
        with transaction.atomic():
            VisibleCaseCount.objects.create(group_id=group_id, cases=viewing)
    except IntegrityError:  # another transaction counted first; it could not see this change
        VisibleCaseCount.objects.filter(group_id=group_id).update(cases=F("cases") + delta)


def _lock(case: Case) -> None:
    """Grants on one case change one transaction at a time (the services that call these mostly hold it already)."""
    Case.objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True).first()


def case_grants_opened_on_refresh(*, cases) -> int:
    """Keep the grants' copy of each case's opening date when a service changes `opened_on` (re-imports do).
    Call inside that service's transaction."""
    changed = 0
    for case in cases:
        changed += CaseGroupObjectPermission.objects.filter(content_object_id=case.pk).exclude(case_opened_on=case.opened_on).update(
            case_opened_on=case.opened_on
        )
    return changed


@transaction.atomic
def case_access_grant(*, actor: Actor, case: Case, agency, level: str, reason: str = "") -> CaseAccess:
    """Give an agency a level of access; a no-op if it already holds that level."""
    _lock(case)
    access, created = CaseAccess.objects.get_or_create(
        case=case,
        agency=agency,
        level=level,
        revoked_at__isnull=True,
        defaults={"granted_at": timezone.now(), "granted_by": actor.user if actor.user else None, "reason": reason[:300]},
    )
    if created:
        viewing = _sync_group_permissions(case, agency)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.GRANT,
            obj=case,
            case_id=case.pk,
            detail=f"{access.get_level_display()} access for {agency}. {reason}".strip(),
        )
        _visible_count_change(agency.group_id, viewing)
    return access


@transaction.atomic
def case_access_revoke(*, actor: Actor, case: Case, agency, level: str, reason: str = "") -> bool:
    """End an agency's access at a level; returns whether there was any to end."""
    now = timezone.now()
    _lock(case)
    ended = CaseAccess.objects.filter(case=case, agency=agency, level=level, revoked_at__isnull=True).update(
        revoked_at=now, revoked_by=actor.user if actor.user else None
    )
    if ended:
        viewing = _sync_group_permissions(case, agency)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.REVOKE,
            obj=case,
            case_id=case.pk,
            detail=f"{CaseAccess.Level(level).label} access for {agency} ended. {reason}".strip(),
        )
        _visible_count_change(agency.group_id, viewing)
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
    permission_ids = list(_case_permission_ids(LEVEL_PERMISSIONS[CaseAccess.Level.LEAD]).values())
    group_of_agency = dict(
        Agency.objects.filter(pk__in={c.lead_agency_id for c in cases}).values_list("pk", "group_id")
    )
    CaseGroupObjectPermission.objects.bulk_create(
        [
            CaseGroupObjectPermission(content_object=c, group_id=group_of_agency[c.lead_agency_id], permission_id=p, case_opened_on=c.opened_on)
            for c in cases
            for p in permission_ids
        ],
        batch_size=2000,
    )
    audit_record_many(
        actor=actor,
        events=[
            {"action": AuditEvent.Action.GRANT, "obj": c, "case_id": c.pk, "detail": f"Lead agency access for {c.lead_agency_id and c.lead_agency}. {reason}".strip()}
            for c in cases
        ],
    )
    new_per_group: dict[int, int] = {}
    for c in cases:
        group_id = group_of_agency[c.lead_agency_id]
        new_per_group[group_id] = new_per_group.get(group_id, 0) + 1
    for group_id, added in sorted(new_per_group.items()):
        _visible_count_change(group_id, added)
