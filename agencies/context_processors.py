import functools

from django.urls import get_script_prefix, reverse

# The pages every signed-in page links to (templates/base.html): reversed once per script prefix and process, not
# on every page.
NAVIGATION = (
    "dashboard", "case_list", "referral_inbox", "notification_list", "routing_rule_list", "meeting_list", "report_list",
    "priority_list", "profile", "logout", "login", "acting_membership_switch", "session_extend",
)


@functools.cache
def _navigation_links(script_prefix: str) -> dict[str, str]:
    return {name: reverse(name) for name in NAVIGATION}


def navigation(request):
    """`nav`: {url name: path} for the layout's links."""
    return {"nav": _navigation_links(get_script_prefix())}


def acting_membership(request):
    return {
        "acting_membership": getattr(request, "membership", None),
        "acting_memberships": getattr(request, "memberships", []),
    }
