import re

from django import template

register = template.Library()
_BULLET = re.compile(r"^\s*(?:[-*•●o]\s+)")


@register.filter
def lines(text: str) -> list[str]:
    """The non-empty lines of a narrative, without any bullet the writer typed: the report prints its own bullets."""
    return [_BULLET.sub("", line).strip() for line in (text or "").splitlines() if line.strip() and _BULLET.sub("", line).strip()]


@register.filter
def signed_percent(value) -> str:
    """+15%, −13%, 0%; an en dash when there is nothing to compare with."""
    if value is None:
        return "–"
    if value > 0:
        return f"+{value}%"
    if value < 0:
        return f"−{abs(value)}%"
    return "0%"


@register.filter
def figure(value) -> str:
    return "no figure" if value is None else str(value)


@register.filter
def lines_of(obj, name: str) -> list[str]:
    """The lines of one text field of `obj`, as `lines` gives them."""
    return lines(getattr(obj, name, "") or "")
