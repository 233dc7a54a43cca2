"""The agenda pack and the minutes as PDFs: Django templates rendered by WeasyPrint (in the Celery worker).

Every page carries OFFICIAL-SENSITIVE in its top and bottom margin boxes (see templates/meetings/pdf/_page.css)."""

from django.template.loader import render_to_string
from django.utils import timezone

from meetings import selectors
from meetings.models import AgendaItem, Meeting

MARKING = "OFFICIAL-SENSITIVE"


def _minutes_context(meeting: Meeting) -> dict:
    items = selectors.meeting_items(meeting)
    numbers = selectors.minute_numbers(meeting, items)
    outline = selectors.agenda_outline(items, numbers)
    minuted = [item for section in outline for item in ([section["standing"]] if section["standing"] else []) + section["items"] if item.minute_no]
    return {
        "meeting": meeting,
        "attendance": selectors.meeting_attendance(meeting),
        "minuted": minuted,
        "previous": selectors.previous_meeting(meeting),
    }


def pack_context(meeting: Meeting) -> dict:
    """The agenda, the previous meeting's minutes, and one page per case item still with the group."""
    with_group = selectors.cases_with_group_ids(meeting.group)
    items = [item for item in selectors.meeting_items(meeting) if item.case_id is None or item.case_id in with_group]
    outline = selectors.agenda_outline(items)
    previous = selectors.previous_meeting(meeting)
    previous_minutes = _minutes_context(previous) if previous is not None and previous.minutes_published_at else None
    return {
        "meeting": meeting,
        "marking": MARKING,
        "outline": outline,
        "case_items": [item for section in outline for item in section["items"] if item.kind == AgendaItem.Kind.CASE],
        "previous_minutes": previous_minutes,
        "made_at": timezone.localtime(),
    }


def minutes_context(meeting: Meeting) -> dict:
    return {**_minutes_context(meeting), "marking": MARKING, "made_at": timezone.localtime()}


def pack_html(meeting: Meeting) -> tuple[str, list[int]]:
    context = pack_context(meeting)
    return render_to_string("meetings/pdf/pack.html", context), [item.case_id for item in context["case_items"]]


def minutes_html(meeting: Meeting) -> tuple[str, list[int]]:
    context = minutes_context(meeting)
    return render_to_string("meetings/pdf/minutes.html", context), []


def render_pdf(html: str):
    """(PDF bytes, the laid-out document): the document's pages are what tests and page counts read."""
    from weasyprint import HTML

    document = HTML(string=html).render()
    return document.write_pdf(), document
