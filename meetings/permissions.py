"""Who may see or do what with a casework group's meetings. Access to cases themselves is casework.permissions'.

- A group's business (its meetings, issued agendas, packs and published minutes) is for the people working in its
  member agencies within the group's partnership, and for its chair and administrator. Anyone else gets a 404.
- Only the chair or the group administrator edits the agenda, runs the meeting and publishes the minutes.
- On an agenda, a member agency that does not lead a case sees it only while the case is with the group, and only
  what the group pack shows (the item's summary taken at the cut-off), never the case's notes or documents.
"""

from django.db.models import Q

from agencies.models import CaseworkGroup, Membership

# Roles that take part in casework; analysts see reports only.
WORKING_ROLES = frozenset(
    {
        Membership.Role.CASEWORKER,
        Membership.Role.SUPERVISOR,
        Membership.Role.AGENCY_ADMIN,
        Membership.Role.COORDINATOR,
        Membership.Role.CHAIR,
    }
)


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def is_chair_or_administrator(*, user, group: CaseworkGroup) -> bool:
    return _signed_in(user) and user.pk in (group.chair_id, group.administrator_id)


def _working_membership(membership) -> bool:
    return membership is not None and membership.is_active and membership.role in WORKING_ROLES


def groups_visible_filter(*, user, membership) -> Q:
    """The groups whose business this user, acting in this membership, may see."""
    if not _signed_in(user):
        return Q(pk__in=[])
    condition = Q(chair_id=user.pk) | Q(administrator_id=user.pk)
    if _working_membership(membership):
        condition |= Q(member_agencies=membership.agency_id, partnership_id=membership.partnership_id)
    return condition


def groups_visible(queryset, *, user, membership):
    # The member-agency join can repeat a group; filter by id so that callers get each once.
    ids = queryset.model.objects.filter(groups_visible_filter(user=user, membership=membership)).values("pk")
    return queryset.filter(pk__in=ids)


def can_see_group(*, user, membership, group: CaseworkGroup) -> bool:
    if is_chair_or_administrator(user=user, group=group):
        return True
    return (
        _signed_in(user)
        and _working_membership(membership)
        and membership.partnership_id == group.partnership_id
        and group.member_agencies.filter(pk=membership.agency_id).exists()
    )


def can_manage_meeting(*, user, meeting) -> bool:
    """Set the schedule, move or cancel a meeting, edit the agenda, run the meeting, publish the minutes."""
    return is_chair_or_administrator(user=user, group=meeting.group)


def can_see_agenda(*, user, membership, meeting) -> bool:
    """Members see an agenda once it is issued; the chair and administrator see the draft too."""
    if can_manage_meeting(user=user, meeting=meeting):
        return meeting.agenda_built_at is not None
    return meeting.agenda_issued_at is not None and can_see_group(user=user, membership=membership, group=meeting.group)


def can_see_minutes(*, user, membership, meeting) -> bool:
    """Members see minutes once published; the chair and administrator see the draft as it is written."""
    if can_manage_meeting(user=user, meeting=meeting):
        return True
    return meeting.minutes_published_at is not None and can_see_group(user=user, membership=membership, group=meeting.group)


def case_item_visible(*, agency, item, cases_with_group_ids: set[int]) -> bool:
    """A case item shows to its lead agency, and to other member agencies while the case is with the group."""
    if item.case_id is None:
        return True
    if agency is not None and item.case.lead_agency_id == agency.pk:
        return True
    return item.case_id in cases_with_group_ids


def can_propose_closure(*, user, agency, item, meeting=None) -> bool:
    """The lead agency may propose its case for closure; so may the chair or administrator. Not once proposed, nor
    after the minutes are published."""
    meeting = meeting or item.meeting
    if item.case_id is None or item.proposed_for_closure or meeting.minutes_published_at is not None or meeting.is_cancelled:
        return False
    if can_manage_meeting(user=user, meeting=meeting):
        return True
    return _signed_in(user) and agency is not None and item.case.lead_agency_id == agency.pk
