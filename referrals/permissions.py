"""Who may send, see and answer referrals. Access to the case itself is decided by casework.permissions.

A referral is visible to its two parties only: the agency that sent it and the agency it went to. The receiving
agency sees the referral (and the few case facts on it) before it has any access to the case; case access follows
only from accepting it.
"""

from django.db.models import Q

from agencies.models import Membership
from casework import permissions as case_permissions
from referrals.models import Referral

# Roles that do casework; analysts see reports only.
WORKING_ROLES = frozenset(
    {
        Membership.Role.CASEWORKER,
        Membership.Role.SUPERVISOR,
        Membership.Role.AGENCY_ADMIN,
        Membership.Role.COORDINATOR,
        Membership.Role.CHAIR,
    }
)


def _works(membership) -> bool:
    return membership is not None and membership.is_active and membership.role in WORKING_ROLES


def agency_may_refer(*, user, agency, case) -> bool:
    """Sending a referral or referring to the group is leading the case: the acting agency must hold MANAGE."""
    return agency is not None and case_permissions.can_manage_case(user=user, agency=agency, case=case)


def can_refer_case(*, user, membership, case) -> bool:
    return _works(membership) and agency_may_refer(user=user, agency=membership.agency, case=case)


def referral_parties_filter(*, agency) -> Q:
    """The referrals an agency may see: those it sent and those sent to it."""
    if agency is None:
        return Q(pk__in=[])
    return Q(from_agency_id=agency.pk) | Q(to_agency_id=agency.pk)


def referrals_visible(queryset, *, agency):
    if agency is None:
        return queryset.none()
    return queryset.filter(referral_parties_filter(agency=agency))


def can_see_all_case_referrals(*, user, agency, case) -> bool:
    """The lead agency sees every referral on its case; other agencies see the ones they are party to."""
    return agency is not None and case_permissions.can_manage_case(user=user, agency=agency, case=case)


def is_party(*, agency, referral: Referral) -> bool:
    return agency is not None and agency.pk in (referral.from_agency_id, referral.to_agency_id)


def can_respond(*, membership, referral: Referral) -> bool:
    """Accept or decline: someone working in the receiving agency."""
    return _works(membership) and membership.agency_id == referral.to_agency_id


def can_withdraw(*, membership, referral: Referral) -> bool:
    return _works(membership) and membership.agency_id == referral.from_agency_id


def can_write_message(*, membership, referral: Referral) -> bool:
    """Either side may ask or answer in the referral's thread."""
    return _works(membership) and is_party(agency=membership.agency, referral=referral)


def may_return_from_group(*, user, agency, group_referral) -> bool:
    """The lead agency, or the group's chair or administrator (the group decides when it has done its part)."""
    group = group_referral.group
    if user is not None and user.is_authenticated and user.pk in (group.chair_id, group.administrator_id):
        return True
    return agency_may_refer(user=user, agency=agency, case=group_referral.case)


def can_return_from_group(*, user, membership, group_referral) -> bool:
    return _works(membership) and may_return_from_group(user=user, agency=membership.agency, group_referral=group_referral)
"""Who may see or do what in the referrals app. Case access itself is decided in casework/permissions.py."""

from agencies.models import Membership


def _acting_in(membership, partnership) -> bool:
    return membership is not None and membership.is_active and partnership is not None and membership.partnership_id == partnership.pk


# Routing rules are the partnership's agreed flow chart: every member may read them (and ask for a suggestion when
# opening a case); only the partnership's coordinators change them or try draft cases against them.


def can_view_routing_rules(*, membership, partnership) -> bool:
    return _acting_in(membership, partnership)


def can_edit_routing_rules(*, membership, partnership) -> bool:
    return _acting_in(membership, partnership) and membership.role == Membership.Role.COORDINATOR


def can_try_routing(*, membership, partnership) -> bool:
    """The "try a draft case" page is the coordinators' tool for checking the rules they edit."""
    return can_edit_routing_rules(membership=membership, partnership=partnership)


def can_ask_routing_suggestion(*, membership, partnership) -> bool:
    """A suggestion reveals only the partnership's rules, which every member may read."""
    return _acting_in(membership, partnership)
