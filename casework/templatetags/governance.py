from django import template
from django.urls import reverse

from casework import permissions

register = template.Library()


@register.simple_tag
def governance_links(membership) -> list[dict]:
    """The governance pages the acting member may open, for the navigation."""
    return [{"label": label, "url": reverse(name)} for label, name in permissions.governance_links(membership=membership)]
