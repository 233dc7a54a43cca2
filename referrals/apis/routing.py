from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from config.api import ACTING_MEMBERSHIP_PARAMETER, AgencyScopedApi
from referrals import permissions
from referrals.selectors.routing import routing_facts_for_draft, routing_rules_for_partnership, routing_suggest_for_facts
from referrals.serializers.routing import RoutingRuleOutputSerializer, RoutingSuggestionOutputSerializer, RoutingTryInputSerializer

BAD_INPUT = OpenApiResponse(description="Bad input: a message per field")
NO_PARTNERSHIP = OpenApiResponse(description="You do not act for an agency in a partnership")


class RoutingRuleListApi(AgencyScopedApi):
    @extend_schema(
        parameters=[ACTING_MEMBERSHIP_PARAMETER],
        responses={200: RoutingRuleOutputSerializer(many=True), 403: NO_PARTNERSHIP},
        description="The lead-agency routing rules of the partnership you act in, in the order they are tried (rules out of use included, marked).",
    )
    def get(self, request):
        if not permissions.can_view_routing_rules(membership=request.membership, partnership=request.partnership):
            raise PermissionDenied("You do not act for an agency in a partnership.")
        rules = routing_rules_for_partnership(partnership=request.partnership)
        return Response(RoutingRuleOutputSerializer(rules, many=True).data)


class RoutingTryApi(AgencyScopedApi):
    @extend_schema(
        parameters=[ACTING_MEMBERSHIP_PARAMETER],
        request=RoutingTryInputSerializer,
        responses={200: RoutingSuggestionOutputSerializer, 400: BAD_INPUT, 403: NO_PARTNERSHIP},
        description="Which rule a case with these facts would fall under, its lead and supporting agencies, the "
                    "interventions to consider, and why. Nothing is saved.",
    )
    def post(self, request):
        if not permissions.can_ask_routing_suggestion(membership=request.membership, partnership=request.partnership):
            raise PermissionDenied("You do not act for an agency in a partnership.")
        data = RoutingTryInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        suggestion = routing_suggest_for_facts(request.partnership, routing_facts_for_draft(**data.validated_data))
        return Response(RoutingSuggestionOutputSerializer(suggestion).data)
