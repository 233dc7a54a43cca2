from celery import shared_task

from meetings.services.documents import document_render
from meetings.services.schedule import meetings_generate_all


@shared_task(acks_late=True)
def meetings_schedule_task() -> int:
    """Daily: keep every active group's calendar filled the schedule's number of months ahead. Safe to repeat."""
    return meetings_generate_all()


@shared_task(acks_late=True)
def meeting_document_render_task(document_id: int) -> str:
    """Make an agenda pack or minutes PDF; returns its status. A document already made since it was asked for is kept."""
    document = document_render(document_id=document_id)
    return document.status if document is not None else "missing"
