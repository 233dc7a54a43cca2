import functools

from django.db import connections, router

from agencies.models import NO_CASEWORK_ROLES, Agency, Membership, Partnership
from config.model_rows import model_columns, models_from_row


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

    Every request reads them (agencies.middleware, config.api), so by SQL written once per process rather than
    through select_related (config.model_rows): compiling that query's 33 columns took Django longer than PostgreSQL
    took to plan and run it. tests/agencies/test_memberships_query.py holds it to what the ORM's query gives."""
    if not user.is_authenticated:
        return []
    alias = router.db_for_read(Membership)
    with connections[alias].cursor() as cursor:
        cursor.execute(_memberships_sql(alias), [user.pk, True])
        rows = cursor.fetchall()
    columns, memberships = model_columns(alias, _MEMBERSHIP_MODELS), []
    for row in rows:
        membership, agency, partnership = models_from_row(alias, columns, row)
        Membership.agency.field.set_cached_value(membership, agency)
        Membership.partnership.field.set_cached_value(membership, partnership)
        memberships.append(membership)
    return memberships


_MEMBERSHIP_MODELS = (Membership, Agency, Partnership)


@functools.cache
def _memberships_sql(alias: str) -> str:
    quote = connections[alias].ops.quote_name
    membership, agency, partnership = (quote(model._meta.db_table) for model in _MEMBERSHIP_MODELS)
    return (
        f"SELECT {model_columns(alias, _MEMBERSHIP_MODELS).select} FROM {membership}"
        f" INNER JOIN {agency} ON ({membership}.{quote('agency_id')} = {agency}.{quote('id')})"
        f" INNER JOIN {partnership} ON ({membership}.{quote('partnership_id')} = {partnership}.{quote('id')})"
        f" WHERE {membership}.{quote('user_id')} = %s AND {membership}.{quote('is_active')} = %s"
        f" ORDER BY {partnership}.{quote('name')} ASC, {agency}.{quote('name')} ASC"
    )


def agencies_in_partnership(*, partnership: Partnership):
    return Agency.objects.filter(partnerships=partnership).order_by("name")


def acting_membership(*, memberships, wanted_id=None):
    """The membership the user acts in: the one they chose, else their first."""
    memberships = list(memberships)
    chosen = next((m for m in memberships if wanted_id is not None and m.pk == wanted_id), None)
    return chosen or (memberships[0] if memberships else None)
