import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from audit.models import AuditEvent
from casework.models import Note, SecurityMarking
from tests.casework.factories import make_case
from tests.casework.factories_work import grant, make_note

SENSITIVE = SecurityMarking.OFFICIAL_SENSITIVE
SECRET = "Informant says the subject keeps a knife in the car"


@pytest.fixture
def case(partnership, police, council, housing):
    case = make_case(partnership=partnership, lead_agency=police, summary="Intimidation on Acre Road", kind_slug="intimidation-harassment")
    grant(case, council)  # contributor
    grant(case, housing)  # contributor
    return case


@pytest.fixture
def notes(case, police, housing, police_caseworker):
    return {
        "open": make_note(case=case, agency=police, user=police_caseworker, text="Visited the neighbour; she is frightened"),
        "secret": make_note(case=case, agency=police, user=police_caseworker, text=SECRET, marking=SENSITIVE),
        "shared": make_note(case=case, agency=police, user=police_caseworker, text="Shared with housing only", marking=SENSITIVE, shared_with=[housing]),
    }


def test_sensitive_note_is_hidden_from_a_contributing_agency_on_the_page(client, case, notes, council_caseworker):
    client.force_login(council_caseworker)
    body = client.get(reverse("case_notes", args=[case.reference])).content.decode()
    assert "Visited the neighbour" in body
    assert SECRET not in body and "Shared with housing only" not in body
    assert body.count('data-testid="note"') == 1


def test_shared_note_is_visible_to_the_agency_it_is_shared_with(client, case, notes, housing_caseworker):
    client.force_login(housing_caseworker)
    body = client.get(reverse("case_notes", args=[case.reference])).content.decode()
    assert "Shared with housing only" in body and "Visited the neighbour" in body
    assert SECRET not in body


def test_writer_agency_sees_every_note_newest_first(client, case, notes, police_caseworker):
    client.force_login(police_caseworker)
    body = client.get(reverse("case_notes", args=[case.reference])).content.decode()
    assert body.index("Shared with housing only") < body.index(SECRET.replace("'", "&#x27;")) < body.index("Visited the neighbour")
    assert "seen only by Police, Sanctuary" in body


def test_api_applies_the_same_marking_filter(case, notes, council_caseworker, housing_caseworker, police_caseworker):
    api = APIClient()
    url = f"/api/v1/cases/{case.reference}/notes/"
    api.force_authenticate(council_caseworker)
    texts = [n["text"] for n in api.get(url).data]
    assert texts == ["Visited the neighbour; she is frightened"]
    api.force_authenticate(housing_caseworker)
    shared = api.get(url).data
    assert [n["text"] for n in shared] == ["Shared with housing only", "Visited the neighbour; she is frightened"]
    assert shared[0]["marking"] == "official_sensitive" and shared[0]["shared_with"] == ["sanctuary"]
    api.force_authenticate(police_caseworker)
    assert len(api.get(url).data) == 3


def test_audit_row_records_marking_and_length_never_the_text(case, notes, police):
    event = AuditEvent.objects.get(object_type="note", object_id=str(notes["secret"].pk), action="create")
    assert SECRET not in str(event.changes) and SECRET not in event.detail and SECRET not in event.object_repr
    assert event.changes["marking"] == [None, "OFFICIAL-SENSITIVE"]
    assert event.changes["length"] == [None, len(SECRET)]
    assert event.case_id == case.pk and event.agency_name == police.name
    shared_event = AuditEvent.objects.get(object_type="note", object_id=str(notes["shared"].pk))
    assert shared_event.changes["shared_with"] == [None, ["Sanctuary Housing"]]


def test_sharing_with_an_agency_without_access_is_refused(case, police, fire):
    with pytest.raises(ValidationError) as refused:
        make_note(case=case, agency=police, text="x", marking=SENSITIVE, shared_with=[fire])
    assert "does not have access" in refused.value.message_dict["shared_with"][0]
    assert not Note.objects.exists()


def test_sharing_an_official_note_is_meaningless_and_not_stored(case, police, council):
    note = make_note(case=case, agency=police, text="x", marking=SecurityMarking.OFFICIAL, shared_with=[council])
    assert not note.shared_with.exists()


def test_write_a_sensitive_note_through_the_page(client, case, council, housing, council_caseworker):
    client.force_login(council_caseworker)
    url = reverse("case_notes", args=[case.reference])
    form = client.get(url).content.decode()
    assert "Share an OFFICIAL-SENSITIVE note with" in form and "Sanctuary Housing" in form
    assert 'class="govuk-checkboxes__input"' in form and "govuk-__" not in form
    response = client.post(url, {"text": "Tenant disclosed a health condition", "marking": SENSITIVE, "shared_with": [housing.pk]}, follow=True)
    assert "OFFICIAL-SENSITIVE note added." in response.content.decode()
    note = Note.objects.get()
    assert note.agency == council and note.author == council_caseworker and list(note.shared_with.all()) == [housing]


def test_empty_note_shows_an_error(client, case, council_caseworker):
    client.force_login(council_caseworker)
    response = client.post(reverse("case_notes", args=[case.reference]), {"text": "  ", "marking": "official"})
    body = response.content.decode()
    assert "There is a problem" in body
    assert not Note.objects.exists()


def test_notes_cannot_be_edited(client, case, notes, police_caseworker):
    # There is no page or API to change a note: a correction is a new note.
    client.force_login(police_caseworker)
    api = APIClient()
    api.force_authenticate(police_caseworker)
    url = f"/api/v1/cases/{case.reference}/notes/"
    assert api.patch(url, {"text": "changed"}, format="json").status_code == 405
    notes["open"].refresh_from_db()
    assert notes["open"].text == "Visited the neighbour; she is frightened"


def test_information_only_agency_reads_official_notes_but_cannot_write(client, partnership, police, fire, fire_caseworker, case, notes):
    grant(case, fire, "information")
    client.force_login(fire_caseworker)
    body = client.get(reverse("case_notes", args=[case.reference])).content.decode()
    assert "Visited the neighbour" in body and "Add a note" not in body
    assert client.post(reverse("case_notes", args=[case.reference]), {"text": "x", "marking": "official"}).status_code == 404
    assert Note.objects.count() == 3


def test_notes_tab_query_count_does_not_grow_with_rows(client, case, police, housing, council, police_caseworker, django_assert_max_num_queries):
    client.force_login(police_caseworker)
    url = reverse("case_notes", args=[case.reference])
    make_note(case=case, agency=police, user=police_caseworker, marking=SENSITIVE, shared_with=[housing])
    with django_assert_max_num_queries(18):
        assert client.get(url).status_code == 200
    for i in range(6):
        make_note(case=case, agency=police, user=police_caseworker, text=f"Note {i}", marking=SENSITIVE, shared_with=[housing, council])
    with django_assert_max_num_queries(18):
        assert client.get(url).content.decode().count('data-testid="note"') == 7
