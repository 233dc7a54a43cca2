"""Resolve, once per request, which membership (agency, partnership, role) the user is acting in."""

from agencies.selectors import memberships_for_user

SESSION_KEY = "acting_membership_id"


def _client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


class ActingMembershipMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = None
        request.memberships = []
        if request.user.is_authenticated:
            memberships = list(memberships_for_user(user=request.user))
            request.memberships = memberships
            wanted = request.session.get(SESSION_KEY)
            request.membership = next((m for m in memberships if m.pk == wanted), memberships[0] if memberships else None)
        request.agency = request.membership.agency if request.membership else None
        request.partnership = request.membership.partnership if request.membership else None
        request.client_ip = _client_ip(request)
        return self.get_response(request)
