"""Every write about referrals: hand-offs between agencies, their threads and deadlines, and referrals to the group.

Each change of a referral's state and the change of case access it carries happen in one transaction: an accepted
referral always comes with its grant, and a declined or withdrawn one never touches access.
"""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency, CaseworkGroup, Membership
from agencies.notifications import notification_send
from audit.models import AuditEvent
from audit.services import Actor, audit_record
from casework.models import Case, CaseAccess
from casework.services.access import case_access_grant, case_access_revoke
from casework.services.cases import case_lead_change
from casework.services.group import case_referred_to_group_mark, case_returned_from_group_mark
from referrals import permissions
from referrals.models import GroupReferral, Referral, ReferralMessage
from casework.workdays import add_working_days

DEFAULT_RESPONSE_WORKING_DAYS = 5

# What each purpose gives the receiving agency once accepted (taking the lead goes through case_lead_change).
PURPOSE_LEVEL = {
    Referral.Purpose.CONTRIBUTE: CaseAccess.Level.CONTRIBUTOR,
    Referral.Purpose.INFORMATION: CaseAccess.Level.INFORMATION,
}
PURPOSE_ASK = {
    Referral.Purpose.TAKE_LEAD: "take the lead",
    Referral.Purpose.CONTRIBUTE: "contribute",
    Referral.Purpose.INFORMATION: "take information-only access",
}


class ReferralNotPending(Exception):
    """Someone else answered (or withdrew) the referral first. Not an error: the message says what happened."""

    def __init__(self, referral: Referral):
        self.referral = referral
        super().__init__(referral_outcome_sentence(referral))


def referral_outcome_sentence(referral: Referral) -> str:
    when = timezone.localtime(referral.responded_at).strftime("%d %B %Y at %H:%M") if referral.responded_at else ""
    on = f" on {when}" if when else ""
    if referral.status == Referral.Status.ACCEPTED:
        return f"This referral was already accepted by {referral.to_agency}{on}."
    if referral.status == Referral.Status.DECLINED:
        return f"This referral was already declined by {referral.to_agency}{on}."
    if referral.status == Referral.Status.WITHDRAWN:
        return f"This referral was withdrawn by {referral.from_agency}{on}."
    return "This referral is still waiting for a reply."


def default_respond_by(today: date | None = None) -> date:
    return add_working_days(today or timezone.localdate(), DEFAULT_RESPONSE_WORKING_DAYS)


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def _agency_users(agency: Agency, partnership):
    """The people working in an agency for the partnership: who hears of referrals to it."""
    memberships = Membership.objects.filter(
        agency=agency, partnership=partnership, is_active=True, user__is_active=True, role__in=permissions.WORKING_ROLES
    ).select_related("user")
    return [m.user for m in memberships]


def _sender_users(referral: Referral):
    """The person who sent the referral, or, if they no longer work there, the sending agency's people."""
    sender = referral.created_by
    if sender is not None and sender.is_active and Membership.objects.filter(
        user=sender, agency_id=referral.from_agency_id, is_active=True
    ).exists():
        return [sender]
    return _agency_users(referral.from_agency, referral.case.partnership)


def _coordinators(partnership):
    return [
        m.user
        for m in Membership.objects.filter(
            partnership=partnership, role=Membership.Role.COORDINATOR, is_active=True, user__is_active=True
        ).select_related("user")
    ]


def _referral_url(referral: Referral) -> str:
    return reverse("referral_detail", args=[referral.pk])


def _lock(referral: Referral) -> Referral:
    """The referral row, locked until the transaction ends: the one place two answers meet."""
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    # Related rows are read after the lock, unlocked.
    return Referral.objects.select_related("case", "case__partnership", "from_agency", "to_agency", "created_by").get(pk=locked.pk)


def _audit_status(actor: Actor, referral: Referral, old_status: str, detail: str) -> None:
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=referral,
        case_id=referral.case_id,
        changes={"status": [old_status, referral.status]},
        detail=detail,
    )


@transaction.atomic
def referral_send(
    *,
    actor: Actor,
    case: Case,
    to_agency: Agency,
    purpose: str,
    reason: str,
    priority: str = Referral.Priority.ROUTINE,
    respond_by: date | None = None,
    former_lead_access: str = Referral.FormerLeadAccess.CONTRIBUTOR,
) -> Referral:
    """Refer the case to another agency of its partnership. Only the lead agency may; nothing changes until accepted."""
    current = Case.objects.select_for_update().get(pk=case.pk)
    if not permissions.agency_may_refer(user=actor.user, agency=actor.agency, case=current):
        raise PermissionDenied("Only the lead agency may refer this case.")
    if current.is_closed:
        raise ValidationError("A closed case cannot be referred.")
    today = timezone.localdate()
    errors = {}
    if purpose not in Referral.Purpose.values:
        errors["purpose"] = "Choose what you are asking the agency to do."
    if priority not in Referral.Priority.values:
        errors["priority"] = "Choose routine or urgent."
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = "Say why you are referring the case."
    if to_agency is None:
        errors["to_agency"] = "Choose the agency to refer the case to."
    elif to_agency.pk == actor.agency.pk:
        errors["to_agency"] = "Choose another agency: yours already leads the case."
    elif not to_agency.partnerships.filter(pk=current.partnership_id).exists():
        errors["to_agency"] = f"{to_agency} does not serve {current.partnership}."
    elif Referral.objects.filter(case=current, to_agency=to_agency, status=Referral.Status.PENDING).exists():
        errors["to_agency"] = f"A referral of this case to {to_agency} is already waiting for a reply."
    respond_by = respond_by or default_respond_by(today)
    if respond_by < today:
        errors["respond_by"] = "The reply date cannot be in the past."
    if purpose == Referral.Purpose.TAKE_LEAD:
        if former_lead_access not in Referral.FormerLeadAccess.values:
            errors["former_lead_access"] = "Choose what your agency keeps once the other agency takes the lead."
    else:
        # Only a change of lead takes anything away from the referring agency.
        former_lead_access = Referral.FormerLeadAccess.CONTRIBUTOR
    if errors:
        raise ValidationError(errors)
    referral = Referral.objects.create(
        case=current,
        from_agency=actor.agency,
        to_agency=to_agency,
        purpose=purpose,
        reason=reason,
        priority=priority,
        respond_by=respond_by,
        former_lead_access=former_lead_access,
        created_by=actor.user,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=referral,
        case_id=current.pk,
        changes={
            "to_agency": [None, str(to_agency)],
            "purpose": [None, purpose],
            "priority": [None, priority],
            "respond_by": [None, respond_by.isoformat()],
            "former_lead_access": [None, former_lead_access],
        },
        detail=f"Referred to {to_agency}",
    )
    urgent = "Urgent: " if priority == Referral.Priority.URGENT else ""
    notification_send(
        users=_agency_users(to_agency, current.partnership),
        text=f"{urgent}New referral for case {current.reference}: {actor.agency} asks {to_agency} to "
        f"{PURPOSE_ASK[purpose]}. Reply by {_day(respond_by)}.",
        url=_referral_url(referral),
        actor=actor,
    )
    return referral


@transaction.atomic
def referral_accept(*, actor: Actor, referral: Referral) -> Referral:
    """Accept: the receiving agency gets what the referral asked for, in this transaction, exactly once.

    Raises ReferralNotPending when someone answered first (two people pressing Accept at once: one wins).
    """
    locked = _lock(referral)
    if actor.agency is None or actor.agency.pk != locked.to_agency_id:
        raise PermissionDenied("Only the agency the case was referred to may accept it.")
    if locked.status != Referral.Status.PENDING:
        raise ReferralNotPending(locked)
    case = Case.objects.select_for_update().select_related("lead_agency").get(pk=locked.case_id)
    if case.is_closed:
        raise ValidationError("The case has been closed since it was referred, so the referral cannot be accepted. Decline it instead.")
    if case.lead_agency_id != locked.from_agency_id:
        raise ValidationError(
            f"{locked.from_agency} no longer leads this case, so its referral cannot be accepted. "
            f"Decline it, and ask {case.lead_agency} to refer the case again if needed."
        )
    reason = f"Referral {locked.pk} from {locked.from_agency} accepted"
    if locked.purpose == Referral.Purpose.TAKE_LEAD:
        kept = None if locked.former_lead_access == Referral.FormerLeadAccess.NONE else locked.former_lead_access
        case_lead_change(actor=actor, case=case, new_lead=locked.to_agency, old_lead_level=kept, reason=reason)
    else:
        case_access_grant(actor=actor, case=case, agency=locked.to_agency, level=PURPOSE_LEVEL[locked.purpose], reason=reason)
    old_status = locked.status
    locked.status = Referral.Status.ACCEPTED
    locked.responded_at = timezone.now()
    locked.responded_by = actor.user
    locked.save(update_fields=["status", "responded_at", "responded_by"])
    _audit_status(actor, locked, old_status, f"Accepted by {locked.to_agency}")
    notification_send(
        users=_sender_users(locked),
        text=f"{locked.to_agency} accepted your referral for case {case.reference} ({locked.get_purpose_display().lower()}).",
        url=_referral_url(locked),
        actor=actor,
    )
    return locked


@transaction.atomic
def referral_decline(*, actor: Actor, referral: Referral, reason: str) -> Referral:
    """Decline with a reason. Access to the case stays exactly as it was."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why you are declining the referral."})
    locked = _lock(referral)
    if actor.agency is None or actor.agency.pk != locked.to_agency_id:
        raise PermissionDenied("Only the agency the case was referred to may decline it.")
    if locked.status != Referral.Status.PENDING:
        raise ReferralNotPending(locked)
    old_status = locked.status
    locked.status = Referral.Status.DECLINED
    locked.decline_reason = reason
    locked.responded_at = timezone.now()
    locked.responded_by = actor.user
    locked.save(update_fields=["status", "decline_reason", "responded_at", "responded_by"])
    _audit_status(actor, locked, old_status, f"Declined by {locked.to_agency}")
    notification_send(
        users=_sender_users(locked),
        text=f"{locked.to_agency} declined your referral for case {locked.case.reference}. The reason is on the referral.",
        url=_referral_url(locked),
        actor=actor,
    )
    return locked


@transaction.atomic
def referral_withdraw(*, actor: Actor, referral: Referral) -> Referral:
    """The sending agency takes back a referral that is still waiting. Access stays exactly as it was."""
    locked = _lock(referral)
    if actor.agency is None or actor.agency.pk != locked.from_agency_id:
        raise PermissionDenied("Only the agency that sent the referral may withdraw it.")
    if locked.status != Referral.Status.PENDING:
        raise ReferralNotPending(locked)
    old_status = locked.status
    locked.status = Referral.Status.WITHDRAWN
    locked.responded_at = timezone.now()
    locked.responded_by = actor.user
    locked.save(update_fields=["status", "responded_at", "responded_by"])
    _audit_status(actor, locked, old_status, f"Withdrawn by {locked.from_agency}")
    notification_send(
        users=_agency_users(locked.to_agency, locked.case.partnership),
        text=f"{locked.from_agency} withdrew its referral for case {locked.case.reference}. No reply is needed.",
        url=_referral_url(locked),
        actor=actor,
    )
    return locked


@transaction.atomic
def referral_message_write(*, actor: Actor, referral: Referral, text: str) -> ReferralMessage:
    """A question or an answer in the referral's thread, from either side; the other side is told."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Write your question or answer."})
    if not permissions.is_party(agency=actor.agency, referral=referral):
        raise PermissionDenied("Only the two agencies on the referral may write in its thread.")
    referral = Referral.objects.select_related("case", "case__partnership", "from_agency", "to_agency", "created_by").get(pk=referral.pk)
    message = ReferralMessage.objects.create(referral=referral, author=actor.user, agency=actor.agency, text=text)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=message,
        object_repr=f"Message on referral {referral.pk}",
        case_id=referral.case_id,
        detail=f"Message on referral {referral.pk} from {actor.agency}",
    )
    if actor.agency.pk == referral.to_agency_id:
        recipients = _sender_users(referral)
    else:
        recipients = _agency_users(referral.to_agency, referral.case.partnership)
    notification_send(
        users=[user for user in recipients if user != actor.user],
        text=f"New message from {actor.agency} on the referral for case {referral.case.reference}.",
        url=_referral_url(referral),
        actor=actor,
    )
    return message


@transaction.atomic
def _referral_overdue_escalate_one(*, referral_id: int, today: date) -> bool:
    locked = Referral.objects.select_for_update().get(pk=referral_id)
    if locked.status != Referral.Status.PENDING or locked.respond_by >= today:
        return False
    if locked.overdue_since is not None and locked.escalated_at is not None:
        return False
    referral = Referral.objects.select_related("case", "case__partnership", "from_agency", "to_agency").get(pk=referral_id)
    changed = ["overdue_since"] if referral.overdue_since is None else []
    if referral.overdue_since is None:
        # Overdue from the first day after the reply date.
        referral.overdue_since = referral.respond_by + timedelta(days=1)
    coordinators = _coordinators(referral.case.partnership) if referral.escalated_at is None else []
    if coordinators:
        referral.escalated_at = timezone.now()
        changed.append("escalated_at")
    if not changed:
        return False
    referral.save(update_fields=changed)
    audit_record(
        actor=Actor.system(),
        action=AuditEvent.Action.FLAG,
        obj=referral,
        case_id=referral.case_id,
        changes={"overdue_since": [None, referral.overdue_since.isoformat()]} if "overdue_since" in changed else {},
        detail=f"No reply by {_day(referral.respond_by)}"
        + (f"; escalated to {len(coordinators)} coordinator(s)" if coordinators else "; no coordinator to escalate to"),
    )
    if coordinators:
        notification_send(
            users=coordinators,
            text=f"Overdue referral for case {referral.case.reference}: {referral.to_agency} has not replied to "
            f"{referral.from_agency}; the reply was due by {_day(referral.respond_by)}.",
            url=_referral_url(referral),
        )
    return True


def referrals_overdue_escalate(*, today: date | None = None) -> int:
    """Flag every unanswered referral past its reply date as overdue and escalate each, once, to the partnership's
    coordinators. Safe to run again and at the same time: each referral is handled in its own locked transaction."""
    today = today or timezone.localdate()
    due = (
        Referral.objects.filter(status=Referral.Status.PENDING, respond_by__lt=today)
        .filter(Q(overdue_since__isnull=True) | Q(escalated_at__isnull=True))
        .order_by("respond_by", "pk")
        .values_list("pk", flat=True)
    )
    return sum(1 for referral_id in list(due) if _referral_overdue_escalate_one(referral_id=referral_id, today=today))


# Referrals to the casework group (the monthly ASB group)


def _group_notify_users(group: CaseworkGroup):
    return [user for user in (group.chair, group.administrator) if user is not None]


@transaction.atomic
def group_referral_send(
    *, actor: Actor, case: Case, group: CaseworkGroup, reason: str, referred_on: date | None = None
) -> GroupReferral:
    """Refer the case to the group: the case records the date, and every member agency takes part in the group's
    business about it (its agenda items, as the group pack shows them) while it is there."""
    current = Case.objects.select_for_update().get(pk=case.pk)
    if not permissions.agency_may_refer(user=actor.user, agency=actor.agency, case=current):
        raise PermissionDenied("Only the lead agency may refer this case to the group.")
    errors = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = "Say why the group should consider the case."
    today = timezone.localdate()
    referred_on = referred_on or today
    if referred_on > today:
        errors["referred_on"] = "The date of referral cannot be in the future."
    elif referred_on < current.opened_on:
        errors["referred_on"] = "The date of referral cannot be before the case was opened."
    if group.partnership_id != current.partnership_id or not group.is_active:
        errors["group"] = f"{group} is not an active group of {current.partnership}."
    elif GroupReferral.objects.filter(case=current, group=group, status=GroupReferral.Status.WITH_GROUP).exists():
        errors["group"] = f"The case is already with {group}."
    if current.is_closed:
        raise ValidationError("A closed case cannot be referred to the group.")
    if errors:
        raise ValidationError(errors)
    group_referral = GroupReferral.objects.create(
        case=current, group=group, referred_on=referred_on, reason=reason, referred_by=actor.user
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=group_referral,
        object_repr=f"{current.reference} to {group}",
        case_id=current.pk,
        changes={"group": [None, str(group)], "referred_on": [None, referred_on.isoformat()]},
        detail=f"Referred to {group}",
    )
    case_referred_to_group_mark(actor=actor, case=current, referred_on=referred_on)
    for agency in group.member_agencies.all():
        case_access_grant(
            actor=actor, case=current, agency=agency, level=CaseAccess.Level.GROUP_MEMBER, reason=f"Member of {group}"
        )
    notification_send(
        users=_group_notify_users(group),
        text=f"Case {current.reference} was referred to {group} by {actor.agency}.",
        # The chair sees the case on the group's agenda (a case page only if their agency has a part in the case).
        url=reverse("meeting_list"),
        actor=actor,
    )
    return group_referral


@transaction.atomic
def group_referral_return(*, actor: Actor, group_referral: GroupReferral, returned_on: date | None = None) -> GroupReferral:
    """The group hands the case back to its lead agency: member agencies lose the access the group gave them.

    Only the group-member level is ended; any other access an agency holds (lead, contributor, information) stays,
    and so does group access that another group still holding the case gives.
    """
    locked = GroupReferral.objects.select_for_update().get(pk=group_referral.pk)
    locked = GroupReferral.objects.select_related("case", "group").get(pk=locked.pk)
    case = Case.objects.select_for_update().get(pk=locked.case_id)
    if not permissions.may_return_from_group(user=actor.user, agency=actor.agency, group_referral=locked):
        raise PermissionDenied("Only the lead agency or the group's chair or administrator may return the case.")
    if locked.status != GroupReferral.Status.WITH_GROUP:
        raise ValidationError(f"The case was already returned from {locked.group} on {_day(locked.returned_on)}.")
    returned_on = returned_on or timezone.localdate()
    if returned_on < locked.referred_on:
        raise ValidationError({"returned_on": "The case cannot come back before it was referred."})
    locked.status = GroupReferral.Status.RETURNED
    locked.returned_on = returned_on
    locked.save(update_fields=["status", "returned_on"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=locked,
        object_repr=f"{case.reference} to {locked.group}",
        case_id=case.pk,
        changes={"status": [GroupReferral.Status.WITH_GROUP, locked.status], "returned_on": [None, returned_on.isoformat()]},
        detail=f"Returned from {locked.group}",
    )
    still_with = GroupReferral.objects.filter(case=case, status=GroupReferral.Status.WITH_GROUP)
    still_covered = set(
        Agency.objects.filter(casework_groups__referrals__in=still_with).values_list("pk", flat=True)
    )
    holding = Agency.objects.filter(
        case_access_periods__case=case,
        case_access_periods__level=CaseAccess.Level.GROUP_MEMBER,
        case_access_periods__revoked_at__isnull=True,
    ).distinct()
    for agency in holding:
        if agency.pk not in still_covered:
            case_access_revoke(
                actor=actor, case=case, agency=agency, level=CaseAccess.Level.GROUP_MEMBER, reason=f"Returned from {locked.group}"
            )
    if not still_with.exists():
        case_returned_from_group_mark(actor=actor, case=case)
    return locked
