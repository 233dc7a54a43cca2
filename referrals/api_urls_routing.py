from django.urls import path

from referrals.apis import routing

urlpatterns = [
    path("routing/rules/", routing.RoutingRuleListApi.as_view(), name="api_routing_rules"),
    path("routing/try/", routing.RoutingTryApi.as_view(), name="api_routing_try"),
]
