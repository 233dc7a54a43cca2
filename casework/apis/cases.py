from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from audit.services import Actor
from casework import permissions, selectors
from casework.pagination import CaseSearchPaginator
from casework.serializers.cases import (
    CaseCloseInputSerializer,
    CaseCreateInputSerializer,
    CaseListFilterSerializer,
    CaseOutputSerializer,
    CaseUpdateInputSerializer,
)
from casework.services.cases import CaseVersionConflict, case_close, case_search_record, case_update, case_view_record
from config.api import ACTING_MEMBERSHIP_PARAMETER, AgencyScopedApi, Conflict

NOT_FOUND = OpenApiResponse(description="No such case, or your agency may not see it (the two are not told apart)")
BAD_INPUT = OpenApiResponse(description="Bad input: a message per field")


class CasePagination(PageNumberPagination):
    """DRF's page envelope; a search's count and pages read from the grants (casework.pagination)."""

    django_paginator_class = CaseSearchPaginator


class CaseListCreateApi(AgencyScopedApi):
    """Cases your acting agency may see, newest first; open a case."""

    # Declared so that the schema shows the page envelope (count, next, previous, results) and the page parameter.
    pagination_class = CasePagination

    @extend_schema(
        parameters=[CaseListFilterSerializer, ACTING_MEMBERSHIP_PARAMETER],
        responses={200: CaseOutputSerializer(many=True), 400: BAD_INPUT},
        description="The Cases page's filters and search. A search is recorded in the audit trail (the filters, not the results).",
    )
    def get(self, request):
        filters = CaseListFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        cases = selectors.case_list(user=request.user, agency=request.agency, filters=filters.validated_data).select_related("partnership", "kind")
        case_search_record(actor=Actor.from_request(request), filters=filters.validated_data)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(cases, request, view=self)
        return paginator.get_paginated_response(CaseOutputSerializer(page, many=True).data)

    @extend_schema(
        parameters=[ACTING_MEMBERSHIP_PARAMETER],
        request=CaseCreateInputSerializer,
        responses={201: CaseOutputSerializer, 400: BAD_INPUT, 403: OpenApiResponse(description="Your role may not open cases")},
        description="Opens a case in the partnership you act for. The lead agency gets full access.",
    )
    def post(self, request):
        if not permissions.can_open_case(membership=request.membership):
            raise PermissionDenied("Your role may not open cases.")
        data = CaseCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        lead = fields.pop("lead_agency", None) or request.agency
        # The same rule as the case-open page: the partnership's routing rules suggest the lead, and choosing
        # another needs a reason. (An API view, like a page, may call the higher referrals app.)
        from referrals.services.routing import case_open_routed

        case = case_open_routed(actor=Actor.from_request(request), partnership=request.partnership, lead_agency=lead, **fields)
        return Response(CaseOutputSerializer(case).data, status=status.HTTP_201_CREATED)


class CaseDetailApi(AgencyScopedApi):
    @extend_schema(parameters=[ACTING_MEMBERSHIP_PARAMETER], responses={200: CaseOutputSerializer, 404: NOT_FOUND})
    def get(self, request, reference):
        case = selectors.case_get(reference=reference, user=request.user, agency=request.agency)
        case_view_record(actor=Actor.from_request(request), case=case, what="API")
        return Response(CaseOutputSerializer(case).data)

    @extend_schema(
        parameters=[ACTING_MEMBERSHIP_PARAMETER],
        request=CaseUpdateInputSerializer,
        responses={200: CaseOutputSerializer, 400: BAD_INPUT, 404: NOT_FOUND, 409: OpenApiResponse(description="Changed since the version you read")},
        description="Needs change access (the lead agency). Send the `version` you read.",
    )
    def patch(self, request, reference):
        case = selectors.case_get(reference=reference, user=request.user, agency=request.agency, codename=permissions.CHANGE)
        data = CaseUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        version = changes.pop("version")
        try:
            case = case_update(actor=Actor.from_request(request), case=case, expected_version=version, **changes)
        except CaseVersionConflict as conflict:
            raise Conflict({"detail": str(conflict), "changes": conflict.changes}) from None
        return Response(CaseOutputSerializer(case).data)


class CaseCloseApi(AgencyScopedApi):
    @extend_schema(
        parameters=[ACTING_MEMBERSHIP_PARAMETER],
        request=CaseCloseInputSerializer,
        responses={200: CaseOutputSerializer, 400: BAD_INPUT, 404: NOT_FOUND, 409: OpenApiResponse(description="Changed since the version you read")},
        description="Needs manage access (the lead agency).",
    )
    def post(self, request, reference):
        case = selectors.case_get(reference=reference, user=request.user, agency=request.agency, codename=permissions.MANAGE)
        data = CaseCloseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            case = case_close(
                actor=Actor.from_request(request), case=case, outcome=values["outcome"], reason=values.get("reason", ""),
                closed_on=values.get("closed_on"), expected_version=values.get("version"),
            )
        except CaseVersionConflict as conflict:
            raise Conflict({"detail": str(conflict), "changes": conflict.changes}) from None
        return Response(CaseOutputSerializer(case).data)
