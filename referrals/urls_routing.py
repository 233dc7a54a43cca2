from django.urls import path

from referrals.views import routing

urlpatterns = [
    path("", routing.routing_rule_list, name="routing_rule_list"),
    path("rules/new/", routing.routing_rule_create, name="routing_rule_create"),
    path("rules/<int:pk>/", routing.routing_rule_edit, name="routing_rule_edit"),
    path("rules/<int:pk>/move/", routing.routing_rule_move, name="routing_rule_move"),
    path("rules/<int:pk>/in-use/", routing.routing_rule_active, name="routing_rule_active"),
    path("try/", routing.routing_try, name="routing_try"),
    path("suggest/", routing.routing_suggest, name="routing_suggest"),
]
