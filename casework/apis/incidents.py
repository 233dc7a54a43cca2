"""API for a case's incidents and ASB Case Review requests."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response

from audit.services import Actor
from casework import permissions, selectors
from casework.selectors.incidents import case_person_find, case_review_request_get, case_review_request_list, incident_list
from casework.serializers.incidents import (
    CaseReviewDecisionInputSerializer,
    CaseReviewRequestInputSerializer,
    CaseReviewRequestOutputSerializer,
    IncidentInputSerializer,
    IncidentOutputSerializer,
)
from casework.services.case_review import case_review_request_decide, case_review_request_record
from casework.services.cases import case_view_record
from casework.services.incidents import incident_log
from config.api import ACTING_MEMBERSHIP_PARAMETER, AgencyScopedApi

NOT_FOUND = OpenApiResponse(description="No such case, or your agency may not see it (the two are not told apart)")
NOT_FOUND_OR_READ_ONLY = OpenApiResponse(description="No such case, or your agency may not see it or add to it")
BAD_INPUT = OpenApiResponse(description="Bad input: a message per field")


def person_on_case(case, person_id, field: str):
    """The person with this id on the case, None for no id, or a 400 naming the field."""
    if person_id is None:
        return None
    person = case_person_find(case=case, person_id=person_id)
    if person is None:
        raise ValidationError({field: "Choose someone who is on this case."})
    return person


class IncidentListCreateApi(AgencyScopedApi):
    """A case's incidents, newest first; log one."""

    @extend_schema(parameters=[ACTING_MEMBERSHIP_PARAMETER], responses={200: IncidentOutputSerializer(many=True), 404: NOT_FOUND})
    def get(self, request, reference):
        case = selectors.case_get(reference=reference, user=request.user, agency=request.agency)
        case_view_record(actor=Actor.from_request(request), case=case, what="API: incidents")
        return Response(IncidentOutputSerializer(incident_list(case=case), many=True).data)

    @extend_schema(
        parameters=[ACTING_MEMBERSHIP_PARAMETER],
        request=IncidentInputSerializer,
        responses={201: IncidentOutputSerializer, 400: BAD_INPUT, 404: NOT_FOUND_OR_READ_ONLY},
        description="Needs contributor access. Also checks the ASB Case Review threshold: the case's "
        "`case_review_flagged_at` and `case_review_rule` are set the first time it is met.",
    )
    def post(self, request, reference):
        case = selectors.case_get(reference=reference, user=request.user, agency=request.agency, codename=permissions.CONTRIBUTE)
        data = IncidentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["reported_by"] = person_on_case(case, values.get("reported_by"), "reported_by")
        incident = incident_log(actor=Actor.from_request(request), case=case, **values)
        return Response(IncidentOutputSerializer(incident).data, status=status.HTTP_201_CREATED)


class CaseReviewRequestListCreateApi(AgencyScopedApi):
    """ASB Case Review requests on a case; record one (its decision is due a number of working days later)."""

    @extend_schema(parameters=[ACTING_MEMBERSHIP_PARAMETER], responses={200: CaseReviewRequestOutputSerializer(many=True), 404: NOT_FOUND})
    def get(self, request, reference):
        case = selectors.case_get(reference=reference, user=request.user, agency=request.agency)
        case_view_record(actor=Actor.from_request(request), case=case, what="API: case review requests")
        return Response(CaseReviewRequestOutputSerializer(case_review_request_list(case=case), many=True).data)

    @extend_schema(
        parameters=[ACTING_MEMBERSHIP_PARAMETER],
        request=CaseReviewRequestInputSerializer,
        responses={201: CaseReviewRequestOutputSerializer, 400: BAD_INPUT, 404: NOT_FOUND_OR_READ_ONLY},
        description="Needs contributor access. Give `requested_by` (a person on the case) or `requested_by_description`.",
    )
    def post(self, request, reference):
        case = selectors.case_get(reference=reference, user=request.user, agency=request.agency, codename=permissions.CONTRIBUTE)
        data = CaseReviewRequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["requested_by"] = person_on_case(case, values.get("requested_by"), "requested_by")
        review_request = case_review_request_record(actor=Actor.from_request(request), case=case, **values)
        return Response(CaseReviewRequestOutputSerializer(review_request).data, status=status.HTTP_201_CREATED)


class CaseReviewRequestDetailApi(AgencyScopedApi):
    @extend_schema(parameters=[ACTING_MEMBERSHIP_PARAMETER], responses={200: CaseReviewRequestOutputSerializer, 404: NOT_FOUND})
    def get(self, request, reference, pk):
        case = selectors.case_get(reference=reference, user=request.user, agency=request.agency)
        case_view_record(actor=Actor.from_request(request), case=case, what="API: case review request")
        return Response(CaseReviewRequestOutputSerializer(case_review_request_get(case=case, pk=pk)).data)

    @extend_schema(
        parameters=[ACTING_MEMBERSHIP_PARAMETER],
        request=CaseReviewDecisionInputSerializer,
        responses={200: CaseReviewRequestOutputSerializer, 400: BAD_INPUT, 404: NOT_FOUND_OR_READ_ONLY},
        description="Record (or correct) the decision: its date and outcome. Needs contributor access.",
    )
    def patch(self, request, reference, pk):
        case = selectors.case_get(reference=reference, user=request.user, agency=request.agency, codename=permissions.CONTRIBUTE)
        review_request = case_review_request_get(case=case, pk=pk)
        data = CaseReviewDecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        review_request = case_review_request_decide(
            actor=Actor.from_request(request),
            review_request=review_request,
            outcome=values["outcome"],
            decision_on=values["decision_on"],
            notes=values.get("notes"),
        )
        return Response(CaseReviewRequestOutputSerializer(review_request).data)
