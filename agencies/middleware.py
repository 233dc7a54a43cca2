"""Resolve, once per request, which membership (agency, partnership, role) the user is acting in."""

from agencies.selectors import acting_membership, casework_agency_ids, memberships_for_user

SESSION_KEY = "acting_membership_id"


class ActingMembershipMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = None
        request.memberships = []
        if request.user.is_authenticated:
            memberships = list(memberships_for_user(user=request.user))
            request.memberships = memberships
            casework_agency_ids(user=request.user, memberships=memberships)
            request.membership = acting_membership(memberships=memberships, wanted_id=request.session.get(SESSION_KEY))
        request.agency = request.membership.agency if request.membership else None
        request.partnership = request.membership.partnership if request.membership else None
        return self.get_response(request)
