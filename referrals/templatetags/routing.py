"""{% case_routing_summary case %}: the case page's routing summary, for the integrator to place with one line."""

from django import template

from referrals.selectors.routing import case_routing_latest

register = template.Library()


@register.inclusion_tag("referrals/includes/case_routing_summary.html")
def case_routing_summary(case):
    return {"routing_decision": case_routing_latest(case)}
