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
