"""What every API view shares: the acting agency resolved once, after authentication, and clean errors."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import APIView, exception_handler

from agencies.middleware import SESSION_KEY
from agencies.selectors import acting_membership, casework_agency_ids, memberships_for_user

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
        if getattr(self, request.method.lower(), None) is None or request.method.lower() not in self.http_method_names:
            # dispatch() answers 405 Method Not Allowed next; who the caller acts for does not matter to that.
            return
        wanted_id = _wanted_membership_id(request)
        memberships = list(memberships_for_user(user=request.user))
        casework_agency_ids(user=request.user, memberships=memberships)
        membership = acting_membership(memberships=memberships, wanted_id=wanted_id)
        if wanted_id is not None and (membership is None or membership.pk != wanted_id):
            raise exceptions.ValidationError({ACTING_MEMBERSHIP_HEADER: "Give the id of one of your memberships."})
        request.membership = membership
        request.agency = membership.agency if membership else None
        request.partnership = membership.partnership if membership else None
        # The Django request underneath, so that Actor.from_request sees the same agency.
        request._request.agency = request.agency
        request._request.membership = membership


BAD_ACTING_MEMBERSHIP = "An `X-Acting-Membership` that is not the id of one of your memberships"
BAD_PAGE = "No such page (`page` past the last one, or not a page number)"
NOT_SIGNED_IN = "No token, or an invalid or revoked one"
THROTTLED = "Too many requests: wait the number of seconds in the Retry-After header"


def api_schema_shared_responses(result, generator, request, public):
    """drf-spectacular post-processing hook: the responses that every operation can give because of what the views share,
    added where an operation's own declaration leaves them out, so that the schema lists every status the API sends.

    - 400 where the X-Acting-Membership header is accepted (AgencyScopedApi.initial refuses one that is not yours);
    - 404 where the list is paginated (DRF's page number pagination says "Invalid page." with a 404);
    - 401 wherever a token or session is needed (every operation not declared with auth=[]);
    - 429 everywhere: every API view is throttled (REST_FRAMEWORK's DEFAULT_THROTTLE_CLASSES, or its own)."""
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            names = {(p.get("in"), p.get("name")) for p in operation.get("parameters", [])}
            if ("header", ACTING_MEMBERSHIP_HEADER) in names:
                _add_reason(responses, "400", BAD_ACTING_MEMBERSHIP)
            if ("query", "page") in names:
                _add_reason(responses, "404", BAD_PAGE)
            if operation.get("security"):
                _add_reason(responses, "401", NOT_SIGNED_IN)
            if "429" not in responses:
                _add_reason(responses, "429", THROTTLED)
    return result


def _add_reason(responses: dict, code: str, reason: str) -> None:
    said = responses.setdefault(code, {}).get("description", "")
    if reason not in said:
        responses[code]["description"] = f"{said}; or {reason[0].lower()}{reason[1:]}" if said else reason


def _wanted_membership_id(request) -> int | None:
    """The membership asked for: the header's, else the one chosen in the web session, else None (the first)."""
    header = request.headers.get(ACTING_MEMBERSHIP_HEADER)
    if header is not None:
        # A header that is sent must be an id: an empty one is refused, and so are "١" and "1_0", which int() takes.
        if not (header.isascii() and header.isdigit()):
            raise exceptions.ValidationError({ACTING_MEMBERSHIP_HEADER: "Give the id of one of your memberships."})
        return int(header)
    wanted = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    try:
        return int(wanted) if wanted not in (None, "") else None
    except (TypeError, ValueError):
        raise exceptions.ValidationError({ACTING_MEMBERSHIP_HEADER: "Give the id of one of your memberships."}) from None


def api_exception_handler(exc, context):
    """Django's ValidationError (raised by services) becomes a 400 with a message per field."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {field: [m for e in errors for m in e.messages] for field, errors in exc.error_dict.items()}
        else:
            detail = {"non_field_errors": exc.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    return exception_handler(exc, context)
