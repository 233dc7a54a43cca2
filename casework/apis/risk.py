"""API for a case's victim risk assessments and the questionnaire they answer."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response

from audit.services import Actor
from casework import permissions, selectors
from casework.selectors.risk import risk_assessment_list
from casework.serializers.risk import RiskAssessmentInputSerializer, RiskAssessmentOutputSerializer, RiskQuestionOutputSerializer
from casework.services.cases import case_view_record
from casework.services.risk import risk_assessment_record, risk_questions_ensure
from config.api import ACTING_MEMBERSHIP_PARAMETER, AgencyScopedApi

NOT_FOUND = OpenApiResponse(description="No such case, or your agency may not see it (the two are not told apart)")
NOT_FOUND_OR_READ_ONLY = OpenApiResponse(description="No such case, or your agency may not see it or add to it")
BAD_INPUT = OpenApiResponse(description="Bad input: a message per field")


class RiskQuestionListApi(AgencyScopedApi):
    """The questions a risk assessment on this case must answer (its partnership's questionnaire)."""

    @extend_schema(parameters=[ACTING_MEMBERSHIP_PARAMETER], responses={200: RiskQuestionOutputSerializer(many=True), 404: NOT_FOUND})
    def get(self, request, reference):
        case = selectors.case_get(reference=reference, user=request.user, agency=request.agency)
        questions = risk_questions_ensure(partnership=case.partnership, actor=Actor.from_request(request))
        return Response(RiskQuestionOutputSerializer(questions, many=True).data)


class RiskAssessmentListCreateApi(AgencyScopedApi):
    """A case's victim risk assessments, newest first; record one."""

    @extend_schema(parameters=[ACTING_MEMBERSHIP_PARAMETER], responses={200: RiskAssessmentOutputSerializer(many=True), 404: NOT_FOUND})
    def get(self, request, reference):
        case = selectors.case_get(reference=reference, user=request.user, agency=request.agency)
        case_view_record(actor=Actor.from_request(request), case=case, what="API: risk assessments")
        return Response(RiskAssessmentOutputSerializer(risk_assessment_list(case=case), many=True).data)

    @extend_schema(
        parameters=[ACTING_MEMBERSHIP_PARAMETER],
        request=RiskAssessmentInputSerializer,
        responses={201: RiskAssessmentOutputSerializer, 400: BAD_INPUT, 404: NOT_FOUND_OR_READ_ONLY},
        description="Needs contributor access. Answer every question of `risk-questions` by id. The score gives "
        "standard, medium or high risk; the latest assessment sets the case's `risk_level` and `next_review_on`.",
    )
    def post(self, request, reference):
        case = selectors.case_get(reference=reference, user=request.user, agency=request.agency, codename=permissions.CONTRIBUTE)
        data = RiskAssessmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        assessment = risk_assessment_record(
            actor=Actor.from_request(request),
            case=case,
            assessed_on=values["assessed_on"],
            answers={answer["question"]: answer["answer"] for answer in values["answers"]},
            notes=values["notes"],
        )
        return Response(RiskAssessmentOutputSerializer(assessment).data, status=status.HTTP_201_CREATED)
