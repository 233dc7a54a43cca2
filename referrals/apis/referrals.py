"""Referrals over the API: the same services and selectors as the pages."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from audit.services import Actor
from casework import selectors as case_selectors
from casework.services.cases import case_view_record
from config.api import ACTING_MEMBERSHIP_PARAMETER, AgencyScopedApi, Conflict
from referrals import permissions
from referrals.selectors import referrals as selectors
from referrals.serializers.referrals import (
    ReferralCreateInputSerializer,
    ReferralDeclineInputSerializer,
    ReferralListFilterSerializer,
    ReferralMessageInputSerializer,
    ReferralMessageOutputSerializer,
    ReferralOutputSerializer,
)
from referrals.services.referrals import (
    ReferralNotPending,
    referral_accept,
    referral_decline,
    referral_message_write,
    referral_send,
    referral_withdraw,
)

NOT_FOUND = OpenApiResponse(description="No such referral, or your agency neither sent nor received it (the two are not told apart)")
BAD_INPUT = OpenApiResponse(description="Bad input: a message per field")
NOT_PENDING = OpenApiResponse(description="The referral is no longer waiting: someone already accepted, declined or withdrew it")


def _forbidden(message):
    return OpenApiResponse(description=message)


def _fresh(request, referral):
    """The referral as the caller now sees it (with its overdue flag)."""
    return selectors.referral_get(pk=referral.pk, user=request.user, agency=request.agency)


class ReferralListCreateApi(AgencyScopedApi):
    # Declared so that the schema shows the page envelope (count, next, previous, results) and the page parameter.
    pagination_class = PageNumberPagination

    @extend_schema(
        parameters=[ReferralListFilterSerializer, ACTING_MEMBERSHIP_PARAMETER],
        responses={200: ReferralOutputSerializer(many=True), 400: BAD_INPUT},
        description="Referrals sent to your acting agency (box=inbox, the default) or by it (box=sent), newest first.",
    )
    def get(self, request):
        filters = ReferralListFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        referrals = selectors.referral_list(
            user=request.user, agency=request.agency, box=filters.validated_data["box"], status=filters.validated_data.get("status")
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(referrals, request, view=self)
        return paginator.get_paginated_response(ReferralOutputSerializer(page, many=True).data)

    @extend_schema(
        parameters=[ACTING_MEMBERSHIP_PARAMETER],
        request=ReferralCreateInputSerializer,
        responses={
            201: ReferralOutputSerializer,
            400: BAD_INPUT,
            403: _forbidden("Your agency does not lead the case (or your role may not refer)"),
            404: OpenApiResponse(description="No such case, or your agency may not see it"),
        },
        description="Refer a case your agency leads to another agency of its partnership. Nothing changes until it is accepted.",
    )
    def post(self, request):
        data = ReferralCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        case = case_selectors.case_get(reference=values.pop("case"), user=request.user, agency=request.agency)
        if not permissions.can_refer_case(user=request.user, membership=request.membership, case=case):
            raise PermissionDenied("Only the lead agency may refer this case.")
        referral = referral_send(actor=Actor.from_request(request), case=case, **values)
        return Response(ReferralOutputSerializer(_fresh(request, referral)).data, status=status.HTTP_201_CREATED)


class ReferralDetailApi(AgencyScopedApi):
    @extend_schema(parameters=[ACTING_MEMBERSHIP_PARAMETER], responses={200: ReferralOutputSerializer, 404: NOT_FOUND})
    def get(self, request, pk):
        referral = selectors.referral_get(pk=pk, user=request.user, agency=request.agency)
        case_view_record(actor=Actor.from_request(request), case=referral.case, what=f"Referral {referral.pk} (API)")
        return Response(ReferralOutputSerializer(referral).data)


class ReferralAcceptApi(AgencyScopedApi):
    @extend_schema(
        parameters=[ACTING_MEMBERSHIP_PARAMETER],
        request=None,
        responses={
            200: ReferralOutputSerializer,
            400: OpenApiResponse(description="The case was closed, or its lead changed, since it was referred"),
            403: _forbidden("Only the agency the case was referred to may accept"),
            404: NOT_FOUND,
            409: NOT_PENDING,
        },
        description="Accept: your agency gets what the referral asked for (the lead, contributor or information-only access).",
    )
    def post(self, request, pk):
        referral = selectors.referral_get(pk=pk, user=request.user, agency=request.agency)
        if not permissions.can_respond(membership=request.membership, referral=referral):
            raise PermissionDenied("Only the agency the case was referred to may accept it.")
        try:
            referral = referral_accept(actor=Actor.from_request(request), referral=referral)
        except ReferralNotPending as error:
            raise Conflict(str(error)) from None
        return Response(ReferralOutputSerializer(_fresh(request, referral)).data)


class ReferralDeclineApi(AgencyScopedApi):
    @extend_schema(
        parameters=[ACTING_MEMBERSHIP_PARAMETER],
        request=ReferralDeclineInputSerializer,
        responses={
            200: ReferralOutputSerializer,
            400: BAD_INPUT,
            403: _forbidden("Only the agency the case was referred to may decline"),
            404: NOT_FOUND,
            409: NOT_PENDING,
        },
        description="Decline with a reason. Access to the case does not change.",
    )
    def post(self, request, pk):
        referral = selectors.referral_get(pk=pk, user=request.user, agency=request.agency)
        if not permissions.can_respond(membership=request.membership, referral=referral):
            raise PermissionDenied("Only the agency the case was referred to may decline it.")
        data = ReferralDeclineInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            referral = referral_decline(actor=Actor.from_request(request), referral=referral, reason=data.validated_data["reason"])
        except ReferralNotPending as error:
            raise Conflict(str(error)) from None
        return Response(ReferralOutputSerializer(_fresh(request, referral)).data)


class ReferralWithdrawApi(AgencyScopedApi):
    @extend_schema(
        parameters=[ACTING_MEMBERSHIP_PARAMETER],
        request=None,
        responses={
            200: ReferralOutputSerializer,
            403: _forbidden("Only the agency that sent the referral may withdraw it"),
            404: NOT_FOUND,
            409: NOT_PENDING,
        },
        description="Withdraw a referral your agency sent that is still waiting. Access to the case does not change.",
    )
    def post(self, request, pk):
        referral = selectors.referral_get(pk=pk, user=request.user, agency=request.agency)
        if not permissions.can_withdraw(membership=request.membership, referral=referral):
            raise PermissionDenied("Only the agency that sent the referral may withdraw it.")
        try:
            referral = referral_withdraw(actor=Actor.from_request(request), referral=referral)
        except ReferralNotPending as error:
            raise Conflict(str(error)) from None
        return Response(ReferralOutputSerializer(_fresh(request, referral)).data)


class ReferralMessagesApi(AgencyScopedApi):
    @extend_schema(
        parameters=[ACTING_MEMBERSHIP_PARAMETER],
        responses={200: ReferralMessageOutputSerializer(many=True), 404: NOT_FOUND},
        description="The referral's thread of questions and answers, oldest first.",
    )
    def get(self, request, pk):
        referral = selectors.referral_get(pk=pk, user=request.user, agency=request.agency)
        return Response(ReferralMessageOutputSerializer(selectors.referral_messages(referral=referral), many=True).data)

    @extend_schema(
        parameters=[ACTING_MEMBERSHIP_PARAMETER],
        request=ReferralMessageInputSerializer,
        responses={
            201: ReferralMessageOutputSerializer,
            400: BAD_INPUT,
            403: _forbidden("Your role may not write in referral threads"),
            404: NOT_FOUND,
        },
        description="Ask a question or answer one; the other agency is told.",
    )
    def post(self, request, pk):
        referral = selectors.referral_get(pk=pk, user=request.user, agency=request.agency)
        if not permissions.can_write_message(membership=request.membership, referral=referral):
            raise PermissionDenied("Your role may not write in referral threads.")
        data = ReferralMessageInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = referral_message_write(actor=Actor.from_request(request), referral=referral, text=data.validated_data["text"])
        return Response(ReferralMessageOutputSerializer(message).data, status=status.HTTP_201_CREATED)
