"""Who may do what with the quarterly reports. Case access is decided in casework/permissions.py; reports hold counts
only, so nothing here depends on which cases a user may see.

- Reports (asking for one, the archive, downloads): the partnership's analysts and coordinators.
- Priorities, action plans and measures: every member of the partnership may read them (they are the partnership's
  plan, not casework); coordinators set them up; the lead officer of a priority (and coordinators) write its quarterly
  narrative and action updates; analysts (and coordinators) define measures and enter their quarterly figures.
"""

from agencies.models import Membership

REPORT_ROLES = frozenset({Membership.Role.ANALYST, Membership.Role.COORDINATOR})


def _active(membership) -> bool:
    return membership is not None and membership.is_active


def _acting_in(membership, partnership_id) -> bool:
    return _active(membership) and membership.partnership_id == partnership_id


def can_use_reports(*, membership) -> bool:
    """Ask for reports, see the archive and download: analysts and coordinators, in the partnership they act in."""
    return _active(membership) and membership.role in REPORT_ROLES


def can_download_report(*, membership, run) -> bool:
    return can_use_reports(membership=membership) and _acting_in(membership, run.partnership_id)


def can_view_plan(*, membership) -> bool:
    return _active(membership)


def can_manage_priorities(*, membership) -> bool:
    return _active(membership) and membership.role == Membership.Role.COORDINATOR


def can_write_for_priority(*, user, membership, priority) -> bool:
    """The quarter's narrative and action updates: the priority's lead officer, or a coordinator."""
    if not _acting_in(membership, priority.partnership_id):
        return False
    return membership.role == Membership.Role.COORDINATOR or (user is not None and user.pk == priority.lead_officer_id)


def can_edit_actions(*, user, membership, priority) -> bool:
    """The action plan itself: as for the narrative, the lead officer or a coordinator."""
    return can_write_for_priority(user=user, membership=membership, priority=priority)


def can_manage_measures(*, membership, partnership_id) -> bool:
    """Define measures and enter their quarterly figures: analysts and coordinators."""
    return _acting_in(membership, partnership_id) and membership.role in REPORT_ROLES
