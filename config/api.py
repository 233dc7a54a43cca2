"""What every API view shares: the acting agency resolved once, after authentication, and clean errors."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import APIView, exception_handler

from agencies.middleware import SESSION_KEY
from agencies.selectors import acting_membership, memberships_for_user

ACTING_MEMBERSHIP_HEADER = "X-Acting-Membership"
ACTING_MEMBERSHIP_PARAMETER = OpenApiParameter(
    name=ACTING_MEMBERSHIP_HEADER,
    type=int,
    location=OpenApiParameter.HEADER,
    required=False,
    description="Id of the membership (agency and partnership) to act in; defaults to the user's first.",
)


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The record changed since you read it."
    default_code = "conflict"


class AgencyScopedApi(APIView):
    """Base for the API: after authentication, `request.membership` and `request.agency` say who the caller acts for."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        wanted = request.headers.get(ACTING_MEMBERSHIP_HEADER)
        if wanted is None and hasattr(request, "session"):
            wanted = request.session.get(SESSION_KEY)
        try:
            wanted_id = int(wanted) if wanted not in (None, "") else None
        except (TypeError, ValueError):
            raise exceptions.ValidationError({ACTING_MEMBERSHIP_HEADER: "Give the id of one of your memberships."}) from None
        membership = acting_membership(memberships=memberships_for_user(user=request.user), wanted_id=wanted_id)
        if wanted_id is not None and (membership is None or membership.pk != wanted_id):
            raise exceptions.ValidationError({ACTING_MEMBERSHIP_HEADER: "Give the id of one of your memberships."})
        request.membership = membership
        request.agency = membership.agency if membership else None
        request.partnership = membership.partnership if membership else None
        # The Django request underneath, so that Actor.from_request sees the same agency.
        request._request.agency = request.agency
        request._request.membership = membership


def api_exception_handler(exc, context):
    """Django's ValidationError (raised by services) becomes a 400 with a message per field."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {field: [m for e in errors for m in e.messages] for field, errors in exc.error_dict.items()}
        else:
            detail = {"non_field_errors": exc.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    return exception_handler(exc, context)
