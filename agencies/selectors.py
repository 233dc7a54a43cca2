from agencies.models import NO_CASEWORK_ROLES, Agency, Membership, Partnership
from config.compiled_queries import compiled_query


def casework_agency_ids(*, user, memberships=None) -> frozenset:
    """The agencies for which the user works on cases: those of their active memberships in a casework role. Kept on
    the user object, so that a request (whose memberships the middleware has read already) asks the database once."""
    ids = getattr(user, "_casework_agency_ids", None)
    if ids is None:
        if memberships is None:
            memberships = Membership.objects.filter(user_id=user.pk, is_active=True).only("agency_id", "role", "is_active")
        ids = frozenset(m.agency_id for m in memberships if m.is_active and m.role not in NO_CASEWORK_ROLES)
        user._casework_agency_ids = ids
    return ids


def memberships_for_user(*, user) -> list[Membership]:
    """The user's active memberships, each with its agency and partnership, by partnership and then agency name.

    Every request reads them (agencies.middleware, config.api), so by a query compiled once per process
    (config.compiled_queries): compiling its 33 columns took Django longer than PostgreSQL took to plan and run it."""
    if not user.is_authenticated:
        return []
    return _active_memberships(user_id=user.pk)


@compiled_query
def _active_memberships(*, user_id):
    return (
        Membership.objects.filter(user_id=user_id, is_active=True)
        .select_related("agency", "partnership")
        .order_by("partnership__name", "agency__name")
    )


def agencies_in_partnership(*, partnership: Partnership):
    return Agency.objects.filter(partnerships=partnership).order_by("name")


def acting_membership(*, memberships, wanted_id=None):
    """The membership the user acts in: the one they chose, else their first."""
    memberships = list(memberships)
    chosen = next((m for m in memberships if wanted_id is not None and m.pk == wanted_id), None)
    return chosen or (memberships[0] if memberships else None)
