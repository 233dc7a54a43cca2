"""When casework anonymises a case, what the group's agendas and minutes hold about it goes too, in the same transaction.

The minute numbers, decisions and the counts in the pack's facts stay, as the case's own counts do; the free text
(item notes, minutes, closure reasons, declarations, action descriptions, summary and lines of the facts) is cleared,
and any PDF that showed the case is deleted, to be made again from what is left when someone next asks for it."""

from django.db import transaction
from django.dispatch import receiver

from casework.signals import case_anonymised
from meetings.models import AgendaItem, Declaration, MeetingAction, MeetingDocument

# Facts that are free text about the case (the rest are codes, dates and counts).
_FACT_TEXT = ("summary", "referral_reason")
_FACT_BLOCKS = tuple(key for key, _ in AgendaItem.FACT_BLOCKS)


def _facts_without_text(facts: dict) -> dict:
    facts = dict(facts or {})
    for key in _FACT_TEXT:
        if key in facts:
            facts[key] = ""
    for key in _FACT_BLOCKS:
        if isinstance(facts.get(key), dict):
            facts[key] = {**facts[key], "lines": [], "more": facts[key].get("count", 0)}
    return facts


@receiver(case_anonymised)
def _clear_meeting_text(sender, case, actor, **kwargs):
    items = list(AgendaItem.objects.select_for_update().filter(case=case).only("pk", "meeting_id", "facts"))
    if not items:
        return
    for item in items:
        item.facts = _facts_without_text(item.facts)
        item.body = item.minute_text = item.closure_reason = ""
    AgendaItem.objects.bulk_update(items, ["facts", "body", "minute_text", "closure_reason"])
    Declaration.objects.filter(item__in=items).update(interest="")
    MeetingAction.objects.filter(item__in=items).update(description="")

    documents = list(MeetingDocument.objects.filter(meeting_id__in={item.meeting_id for item in items}))
    files = [(d.file.storage, d.file.name) for d in documents if d.file]
    MeetingDocument.objects.filter(pk__in=[d.pk for d in documents]).delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files if storage.exists(name)])
