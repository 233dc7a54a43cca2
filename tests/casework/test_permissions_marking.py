from django.utils import timezone

from casework import permissions
from casework.models import Note, SecurityMarking
from tests.casework.factories import make_case


def _note(case, agency, marking, text):
    return Note.objects.create(case=case, agency=agency, marking=marking, text=text, written_at=timezone.now())


def test_sensitive_notes_are_seen_only_by_the_writer_and_agencies_shared_with(partnership, police, council, housing):
    case = make_case(partnership=partnership, lead_agency=police)
    open_note = _note(case, police, SecurityMarking.OFFICIAL, "Visited the address")
    sensitive = _note(case, police, SecurityMarking.OFFICIAL_SENSITIVE, "Intelligence")
    shared = _note(case, police, SecurityMarking.OFFICIAL_SENSITIVE, "Shared with housing")
    shared.shared_with.add(housing)

    def visible(agency):
        return set(permissions.marked_items_visible(Note.objects.filter(case=case), agency=agency))

    assert visible(police) == {open_note, sensitive, shared}
    assert visible(council) == {open_note}
    assert visible(housing) == {open_note, shared}
    assert permissions.marked_item_visible(sensitive, agency=council) is False
    assert permissions.marked_item_visible(shared, agency=housing) is True
