from agencies.models import Agency, Membership, Partnership


def memberships_for_user(*, user):
    if not user.is_authenticated:
        return Membership.objects.none()
    return (
        Membership.objects.filter(user=user, is_active=True)
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
