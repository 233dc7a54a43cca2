"""Subject access: the pack holds what the partnership holds about the person (and what it must not), as JSON and as
a PDF; producing and downloading it is recorded; only coordinators and DPOs of the partnership may do it."""

import json
import os
import shutil
import subprocess
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.models import Membership
from audit.models import AuditEvent
from casework.models import CasePerson, SecurityMarking, SubjectAccessRequest
from casework.services import subject_access as services
from casework.services.subject_access import subject_access_produce, subject_access_request_create
from tests.agencies.factories import make_member
from tests.casework.factories import make_case
from tests.casework.factories_documents import make_document, media_root, stored_files  # noqa: F401
from tests.casework.factories_governance import actor_of, coordinator, dpo, make_intervention, make_note, membership_of  # noqa: F401
from tests.casework.factories_incidents import make_incident
from tests.casework.factories_people import put_on_case

pytestmark = pytest.mark.usefixtures("media_root")
SENSITIVE = SecurityMarking.OFFICIAL_SENSITIVE


@pytest.fixture
def held(partnership, other_partnership, police, council):
    """Doreen Whitmore: victim on a council case, witness on a police case, and on a case in another partnership."""
    council_case = make_case(partnership=partnership, lead_agency=council, summary="Loud music from the flat above")
    police_case = make_case(partnership=partnership, lead_agency=police, summary="Intimidation on the stairs")
    fenland_case = make_case(partnership=other_partnership, lead_agency=police, summary="Nuisance in March")
    doreen = put_on_case(case=council_case, role=CasePerson.Role.VICTIM).person
    put_on_case(case=police_case, role=CasePerson.Role.WITNESS, person=doreen)
    put_on_case(case=fenland_case, role=CasePerson.Role.VICTIM, person=doreen)
    kyle = put_on_case(case=council_case, role=CasePerson.Role.PERPETRATOR, first_name="Kyle", last_name="Barker",
                       date_of_birth=date(1998, 7, 30), address="Flat 7, Cromwell Court", vulnerability_notes="").person
    make_incident(case=council_case, on=date(2026, 3, 3), reported_by=doreen, description="Music until 3am from flat 7")
    make_incident(case=council_case, on=date(2026, 3, 5), reported_by=kyle, description="Says the woman below banged on his door")
    make_incident(case=fenland_case, on=date(2026, 3, 6), description="Shouting in the market in March")
    make_note(case=council_case, agency=council, text="Visited Mrs Whitmore; she is frightened to go out.")
    make_note(case=council_case, agency=council, text="Legal advice on possession proceedings", marking=SENSITIVE)
    make_note(case=police_case, agency=police, text="Intelligence about the associates of the perpetrator", marking=SENSITIVE)
    make_note(case=fenland_case, agency=police, text="Fenland note never in the pack")
    make_intervention(case=council_case, agency=council, person=kyle, type="cpw", notes="CPW served at the door")
    make_intervention(case=police_case, agency=police, person=doreen, type="floating_support", notes="Weekly visits from the support worker")
    make_document(case=council_case, agency=council, title="Noise diary kept by the victim")
    make_document(case=council_case, agency=council, title="Counsel's opinion on possession", marking=SENSITIVE)
    return {"person": doreen, "council_case": council_case, "police_case": police_case, "fenland_case": fenland_case}


def _produce(user, person, **fields) -> SubjectAccessRequest:
    values = {"request_reference": "SAR-2026-014", "received_on": date(2026, 3, 10)} | fields
    request = subject_access_request_create(actor=actor_of(user), membership=membership_of(user), person=person, **values)
    return subject_access_produce(request_id=request.pk)


def _data(request) -> dict:
    with request.json_file.open("rb") as handle:
        return json.load(handle)


def _pdf_text(request) -> str:
    if shutil.which("pdftotext") is None:
        if os.environ.get("CI") == "true" or os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("pdftotext (poppler-utils) is needed to read the PDF back")
        pytest.skip("poppler-utils (pdftotext) is not installed")
    with request.pdf_file.open("rb") as handle:
        text = subprocess.run(["pdftotext", "-", "-"], input=handle.read(), capture_output=True, check=True).stdout.decode()
    return " ".join(text.split())  # table cells wrap: compare words, not lines


def test_the_pack_holds_the_partnerships_cases_incidents_notes_interventions_and_documents(held, coordinator):
    request = _produce(coordinator, held["person"])
    assert request.status == SubjectAccessRequest.Status.DONE and request.progress == 100 and request.produced_at
    data = _data(request)

    assert data["person"]["first_name"] == "Doreen" and data["person"]["address"] == "Flat 3, Cromwell Court, Silver Street, Ely"
    assert [(c["reference"], c["roles"], c["lead_agency"]) for c in data["cases"]] == [
        (held["council_case"].reference, ["Victim or complainant"], "East Cambridgeshire District Council"),
        (held["police_case"].reference, ["Witness"], "Cambridgeshire Constabulary"),
    ]
    assert data["cases"][0]["status"] == "Open" and data["cases"][0]["opened_on"] == "2026-03-02"
    assert [(i["description"], i["reported_by_subject"]) for i in data["incidents"]] == [
        ("Music until 3am from flat 7", True), ("Says the woman below banged on his door", False),
    ]
    assert [n["text"] for n in data["notes"]] == ["Visited Mrs Whitmore; she is frightened to go out."]
    assert [(v["type"], v["notes"]) for v in data["interventions"]] == [("Floating support", "Weekly visits from the support worker")]
    assert [(d["title"], d["type"]) for d in data["documents"]] == [("Noise diary kept by the victim", "PDF")]
    assert (request.items_withheld, request.items_for_review) == (3, 0)


def test_nothing_from_another_partnership_is_in_the_pack(held, coordinator):
    text = json.dumps(_data(_produce(coordinator, held["person"])))
    assert held["fenland_case"].reference not in text
    assert "Shouting in the market in March" not in text and "Fenland note" not in text


def test_a_dpo_may_include_every_sensitive_item_each_marked_for_review(held, dpo):
    request = _produce(dpo, held["person"], withhold_sensitive=False)
    data = _data(request)
    notes = {n["text"]: n["for_review_before_disclosure"] for n in data["notes"]}
    assert notes == {
        "Visited Mrs Whitmore; she is frightened to go out.": False,
        "Legal advice on possession proceedings": True,
        "Intelligence about the associates of the perpetrator": True,
    }
    assert {d["title"]: d["for_review_before_disclosure"] for d in data["documents"]} == {
        "Noise diary kept by the victim": False, "Counsel's opinion on possession": True,
    }
    assert (request.items_withheld, request.items_for_review) == (0, 3)


def test_a_coordinator_including_sensitive_items_gets_only_those_their_agency_may_see(held, coordinator):
    data = _data(_produce(coordinator, held["person"], withhold_sensitive=False))
    texts = [n["text"] for n in data["notes"]]
    assert "Legal advice on possession proceedings" in texts  # the council's own
    assert "Intelligence about the associates of the perpetrator" not in texts  # the police's, not shared


def test_the_pdf_shows_the_same_and_withholds_what_the_json_withholds(held, coordinator, dpo):
    withheld = _pdf_text(_produce(coordinator, held["person"]))
    assert "Doreen Whitmore" in withheld and held["council_case"].reference in withheld and held["police_case"].reference in withheld
    assert "Music until 3am from flat 7" in withheld and "reported by you" in withheld
    assert "Visited Mrs Whitmore" in withheld and "Floating support" in withheld and "Noise diary kept by the victim" in withheld
    for absent in ("Legal advice on possession", "Intelligence about the associates", "Counsel's opinion", "FOR REVIEW",
                   held["fenland_case"].reference, "CPW served at the door"):
        assert absent not in withheld
    assert "OFFICIAL-SENSITIVE" in withheld  # the page marking

    included = _pdf_text(_produce(dpo, held["person"], request_reference="SAR-2026-015", withhold_sensitive=False))
    assert "Legal advice on possession" in included and "Intelligence about the associates" in included
    assert included.count("FOR REVIEW BEFORE DISCLOSURE") >= 3


def test_producing_and_downloading_are_recorded_against_the_person(client, held, coordinator):
    request = _produce(coordinator, held["person"])
    person_id = held["person"].pk
    created = AuditEvent.objects.get(action="create", object_type="subjectaccessrequest")
    produced = AuditEvent.objects.get(action="export", object_type="subjectaccessrequest")
    assert created.person_id == produced.person_id == person_id
    assert produced.username == "coordinator" and produced.agency_name == "East Cambridgeshire District Council"
    assert "2 cases, 2 incidents, 1 notes, 1 interventions, 1 documents listed" in produced.detail and "withheld" in produced.detail

    client.force_login(coordinator)
    pdf = client.get(reverse("subject_access_download", args=[request.pk, "pdf"]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert pdf["Content-Disposition"] == f'attachment; filename="subject-access-{request.pk}.pdf"'
    assert pdf["Cache-Control"] == "private, no-store" and pdf["X-Content-Type-Options"] == "nosniff"
    body = json.loads(b"".join(client.get(reverse("subject_access_download", args=[request.pk, "json"])).streaming_content))
    assert body["person"]["last_name"] == "Whitmore"
    downloads = AuditEvent.objects.filter(action="download", person_id=person_id).values_list("detail", flat=True)
    assert sorted(downloads) == ["Subject access pack SAR-2026-014 downloaded as JSON", "Subject access pack SAR-2026-014 downloaded as PDF"]


def test_through_the_pages_a_coordinator_finds_the_person_records_the_request_and_downloads_the_pack(
    client, held, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    page = client.get(reverse("subject_access_list"), {"last_name": "whitmore"}).content.decode()
    new_url = reverse("subject_access_new", args=[held["person"].pk])
    assert "Doreen Whitmore" in page and new_url in page and "Kyle" not in page
    assert AuditEvent.objects.filter(action="search", person_id=held["person"].pk, username="coordinator").exists()

    form = client.get(new_url).content.decode()
    assert 'name="withhold_sensitive"' in form and "checked" in form.split('name="withhold_sensitive"')[1].split(">")[0]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(new_url, {"request_reference": "SAR-2026-021", "received_on": "2026-03-09", "reason": "Letter",
                                         "withhold_sensitive": "on"})
    request = SubjectAccessRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("subject_access_detail", args=[request.pk])
    detail = client.get(response["Location"]).content.decode()
    assert "The pack is ready" in detail and reverse("subject_access_download", args=[request.pk, "pdf"]) in detail
    assert "3 OFFICIAL-SENSITIVE items left out of the pack" in detail and "hx-trigger" not in detail
    listing = client.get(reverse("subject_access_list")).content.decode()
    assert "SAR-2026-021" in listing and "Ready" in listing


def test_the_request_form_explains_what_is_missing(client, held, coordinator):
    client.force_login(coordinator)
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    page = client.post(reverse("subject_access_new", args=[held["person"].pk]), {"request_reference": "", "received_on": future}).content.decode()
    assert "There is a problem" in page and "Enter the reference the request was given" in page
    page = client.post(reverse("subject_access_new", args=[held["person"].pk]), {"request_reference": "SAR-1", "received_on": future}).content.decode()
    assert "must be today or in the past" in page
    assert not SubjectAccessRequest.objects.exists()


def test_a_pack_that_fails_says_why_and_can_be_tried_again(client, held, coordinator, monkeypatch, media_root, django_capture_on_commit_callbacks):
    def broken(*, data):
        raise RuntimeError("the PDF renderer ran out of memory")

    monkeypatch.setattr(services, "subject_access_pdf_render", broken)
    request = _produce(coordinator, held["person"])
    assert request.status == SubjectAccessRequest.Status.FAILED
    assert request.error == "RuntimeError: the PDF renderer ran out of memory"
    assert not request.json_file and not [f for f in stored_files(media_root) if "subject-access" in str(f)]

    client.force_login(coordinator)
    page = client.get(reverse("subject_access_detail", args=[request.pk])).content.decode()
    assert "The pack could not be produced" in page and "ran out of memory" in page and "Try again" in page
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("subject_access_retry", args=[request.pk]))
    request.refresh_from_db()
    assert request.status == SubjectAccessRequest.Status.DONE and request.error == "" and request.pdf_file


def test_a_pack_in_progress_polls_and_shows_its_step(client, held, coordinator):
    request = subject_access_request_create(actor=actor_of(coordinator), membership=membership_of(coordinator), person=held["person"],
                                            request_reference="SAR-9", received_on=date(2026, 3, 1))
    client.force_login(coordinator)
    partial = client.get(reverse("subject_access_progress", args=[request.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in partial and "Waiting to start" in partial and 'value="0"' in partial
    assert "<html" not in partial
    assert client.get(reverse("subject_access_download", args=[request.pk, "pdf"])).status_code == 404


def test_only_the_partnerships_coordinators_and_dpos_may_handle_requests(client, held, coordinator, council_caseworker, council_supervisor, police, other_partnership):
    request = _produce(coordinator, held["person"])
    for user in (council_caseworker, council_supervisor):
        client.force_login(user)
        assert client.get(reverse("subject_access_list")).status_code == 403
        assert client.get(reverse("subject_access_detail", args=[request.pk])).status_code == 403
    fenland = make_member(agency=police, partnership=other_partnership, role=Membership.Role.COORDINATOR, username="fenland-coord")
    client.force_login(fenland)
    assert client.get(reverse("subject_access_detail", args=[request.pk])).status_code == 404
    assert client.get(reverse("subject_access_download", args=[request.pk, "pdf"])).status_code == 404
    # Doreen is on a Fenland case too, but Kyle is not: he cannot be found from Fenland.
    kyle = CasePerson.objects.get(person__first_name="Kyle").person
    assert client.get(reverse("subject_access_new", args=[kyle.pk])).status_code == 404


@pytest.mark.parametrize("count", [3, 20])
def test_the_request_list_runs_a_fixed_number_of_queries(client, held, coordinator, dpo, django_assert_max_num_queries, count):
    for n in range(count):
        subject_access_request_create(actor=actor_of(dpo), membership=membership_of(dpo), person=held["person"],
                                      request_reference=f"SAR-{n}", received_on=date(2026, 3, 1))
    client.force_login(coordinator)
    client.get(reverse("subject_access_list"))
    with django_assert_max_num_queries(8):
        page = client.get(reverse("subject_access_list")).content.decode()
    assert page.count("Grace Holloway, ECDC") == min(count, 25)
