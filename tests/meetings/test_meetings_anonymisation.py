"""Anonymising a case under the retention policy also clears what the group's agendas and minutes say about it."""

from datetime import date

from django.core.files.base import ContentFile
from django.utils import timezone

from audit.services import Actor
from casework.models import Case
from casework.services.retention import case_anonymise
from meetings.models import AgendaItem, Attendance, Declaration, MeetingAction, MeetingDocument
from meetings.services.agenda import agenda_build
from meetings.services.minutes import minutes_publish
from meetings.services.room import attendance_record, declaration_record, item_minutes_save, meeting_action_add
from tests.casework.factories_documents import media_root, stored_files  # noqa: F401
from tests.meetings.factories_meetings import at, case_with_group

D = AgendaItem.Decision


def test_anonymising_a_case_clears_its_agenda_items_minutes_and_packs(
    group, march, chair_actor, partnership, council, housing, police, media_root, django_capture_on_commit_callbacks
):
    closing = case_with_group(partnership=partnership, lead_agency=council, group=group, referred_on=date(2026, 2, 20),
                              summary="Doreen Whitmore woken by music from flat 7")
    kept = case_with_group(partnership=partnership, lead_agency=housing, group=group, referred_on=date(2026, 2, 21),
                           summary="Shouting in the stairwell at Cromwell Court")
    agenda_build(actor=chair_actor, meeting=march, cut_off=at(date(2026, 3, 3)))
    chair_seat = attendance_record(actor=chair_actor, meeting=march, agency=police, status=Attendance.Status.PRESENT, name="Chris Savage", role="Chair")
    item, other = march.items.get(case=closing), march.items.get(case=kept)
    declaration_record(actor=chair_actor, item=item, attendee=chair_seat, interest="Knows Doreen Whitmore's family")
    meeting_action_add(actor=chair_actor, item=item, description="Ring Doreen Whitmore to say the case is closing", owner_agency=council, due_on=date(2026, 3, 17))
    item_minutes_save(actor=chair_actor, item=item, minute_text="Doreen Whitmore reports no music since January.",
                      decision=D.CLOSE, decision_outcome=Case.Outcome.RESOLVED)
    item_minutes_save(actor=chair_actor, item=other, minute_text="Keep open.", decision=D.KEEP_OPEN)
    with django_capture_on_commit_callbacks(execute=True):
        minutes_publish(actor=chair_actor, meeting=march)
    pack = MeetingDocument.objects.create(meeting=march, kind=MeetingDocument.Kind.AGENDA_PACK, status=MeetingDocument.Status.READY,
                                          requested_at=timezone.now(), case_ids=[closing.pk, kept.pk])
    pack.file.save("pack.pdf", ContentFile(b"%PDF-1.4 Doreen Whitmore"))
    assert MeetingDocument.objects.filter(meeting=march).count() == len(stored_files(media_root)) == 2  # the minutes made on publishing, and the pack
    item.refresh_from_db()
    number, incidents_count = item.minute_number, item.facts["incidents"]["count"]

    with django_capture_on_commit_callbacks(execute=True):
        case_anonymise(actor=Actor.system(), case=Case.objects.get(pk=closing.pk))

    item.refresh_from_db()
    assert (item.minute_text, item.body, item.closure_reason, item.facts["summary"]) == ("", "", "", "")
    assert item.minute_number == number and item.decision == D.CLOSE, "the record of what was decided stays"
    assert item.facts["incidents"]["count"] == incidents_count and item.facts["incidents"]["lines"] == []
    assert Declaration.objects.get(item=item).interest == ""
    assert MeetingAction.objects.get(item=item).description == ""
    assert "Doreen" not in str(AgendaItem.objects.filter(case=closing).values())

    other.refresh_from_db()
    assert other.minute_text == "Keep open." and other.facts["summary"] == "Shouting in the stairwell at Cromwell Court"
    assert not MeetingDocument.objects.filter(meeting=march).exists(), "a pack or minutes that showed the case are made again when next asked for"
    assert stored_files(media_root) == []
