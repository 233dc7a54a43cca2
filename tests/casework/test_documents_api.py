"""The documents API: list, upload (multipart), download, withdraw; 404 for what the caller may not see."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from audit.models import AuditEvent
from audit.services import Actor
from casework.models import CaseAccess, Document, SecurityMarking
from casework.services.access import case_access_grant
from tests.casework.factories import make_case
from tests.casework.factories_documents import docx_bytes, exe_bytes, make_document, media_root, msg_bytes, pdf_bytes, stored_files  # noqa: F401

pytestmark = pytest.mark.usefixtures("media_root")


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def case(partnership, police, council, housing):
    case = make_case(partnership=partnership, lead_agency=police)
    case_access_grant(actor=Actor.system(), case=case, agency=council, level=CaseAccess.Level.CONTRIBUTOR)
    case_access_grant(actor=Actor.system(), case=case, agency=housing, level=CaseAccess.Level.INFORMATION)
    return case


def _list_url(case):
    return f"/api/v1/cases/{case.reference}/documents/"


def test_upload_list_and_download(api, case, council, council_caseworker, housing):
    api.force_authenticate(council_caseworker)
    content = docx_bytes()
    created = api.post(
        _list_url(case),
        {"title": "Noise diary", "file": SimpleUploadedFile("diary.docx", content), "marking": "official_sensitive", "shared_with": ["sanctuary"]},
        format="multipart",
    )
    assert created.status_code == 201, created.data
    assert created.data["content_type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert created.data["sha256"] == hashlib.sha256(content).hexdigest() and created.data["size"] == len(content)
    assert created.data["agency"] == "ecdc" and created.data["shared_with"] == ["sanctuary"]
    assert created.data["uploaded_by"] == "council-cw"

    listed = api.get(_list_url(case))
    assert listed.status_code == 200
    assert [row["title"] for row in listed.data["results"]] == ["Noise diary"]

    download = api.get(created.data["download_url"], HTTP_ACCEPT="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert download["Content-Disposition"] == 'attachment; filename="diary.docx"'
    assert download["X-Content-Type-Options"] == "nosniff"
    event = AuditEvent.objects.get(action=AuditEvent.Action.DOWNLOAD)
    assert event.case_id == case.pk and event.object_id == str(created.data["id"]) and "API" in event.detail


def test_wrong_type_is_a_400_with_the_reason(api, case, police_caseworker, media_root):
    api.force_authenticate(police_caseworker)
    response = api.post(_list_url(case), {"title": "Invoice", "file": SimpleUploadedFile("invoice.pdf", exe_bytes())}, format="multipart")
    assert response.status_code == 400
    assert "is a Windows program" in response.data["file"][0]
    assert stored_files(media_root) == []


def test_too_large_is_a_400_with_the_reason(api, case, police_caseworker, media_root, monkeypatch):
    def never(**kwargs):
        raise AssertionError("the upload handler should have skipped the file before the service saw it")

    monkeypatch.setattr("casework.apis.documents.document_upload", never)
    api.force_authenticate(police_caseworker)
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"\x00" * (21 * 1024 * 1024))
    response = api.post(_list_url(case), {"title": "Big", "file": big}, format="multipart")
    assert response.status_code == 400
    assert response.data == {"file": ["The selected file must be smaller than 20 MB"]}
    assert not Document.objects.exists() and stored_files(media_root) == []


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"file": "msg"}, "title"),
        ({"title": "No file"}, "file"),
        ({"title": "x", "file": "msg", "marking": "secret"}, "marking"),
        ({"title": "x", "file": "msg", "marking": "official_sensitive", "shared_with": ["cambs-fire"]}, "shared_with"),
        ({"title": "x", "file": "msg", "marking": "official_sensitive", "shared_with": ["no-such-agency"]}, "shared_with"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api, case, police_caseworker, fire, payload, field):
    api.force_authenticate(police_caseworker)
    if payload.get("file") == "msg":
        payload["file"] = SimpleUploadedFile("complaint.msg", msg_bytes())
    response = api.post(_list_url(case), payload, format="multipart")
    assert response.status_code == 400
    assert field in response.data
    assert not Document.objects.exists()


def test_information_only_agency_cannot_upload(api, case, housing_caseworker):
    api.force_authenticate(housing_caseworker)
    response = api.post(_list_url(case), {"title": "x", "file": SimpleUploadedFile("a.pdf", pdf_bytes())}, format="multipart")
    assert response.status_code == 404
    assert not Document.objects.exists()


def test_404_for_a_case_the_caller_cannot_see(api, partnership, police, fire_caseworker):
    other = make_case(partnership=partnership, lead_agency=police)
    document = make_document(case=other, agency=police)
    api.force_authenticate(fire_caseworker)
    assert api.get(_list_url(other)).status_code == 404
    assert api.get(f"{_list_url(other)}{document.pk}/").status_code == 404
    assert api.get(f"{_list_url(other)}{document.pk}/download/").status_code == 404
    assert api.post(_list_url(other), {"title": "x", "file": SimpleUploadedFile("a.pdf", pdf_bytes())}, format="multipart").status_code == 404
    assert api.get("/api/v1/cases/ECAM-2099-0001/documents/").status_code == 404


def test_404_for_a_document_the_marking_keeps_out(api, case, police, council_caseworker):
    hidden = make_document(case=case, agency=police, title="Intelligence", marking=SecurityMarking.OFFICIAL_SENSITIVE)
    api.force_authenticate(council_caseworker)
    assert api.get(_list_url(case)).data["results"] == []
    assert api.get(f"{_list_url(case)}{hidden.pk}/").status_code == 404
    assert api.get(f"{_list_url(case)}{hidden.pk}/download/").status_code == 404
    assert api.delete(f"{_list_url(case)}{hidden.pk}/").status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD).exists()


def test_withdraw_through_the_api(api, case, police, council, council_caseworker, media_root, django_capture_on_commit_callbacks):
    mine = make_document(case=case, agency=council, title="Mine")
    theirs = make_document(case=case, agency=police, title="Theirs")
    api.force_authenticate(council_caseworker)
    assert api.delete(f"{_list_url(case)}{theirs.pk}/").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        assert api.delete(f"{_list_url(case)}{mine.pk}/").status_code == 204
    assert list(Document.objects.all()) == [theirs]
    assert len(stored_files(media_root)) == 1
    event = AuditEvent.objects.get(action=AuditEvent.Action.DELETE, object_type="document")
    assert event.changes["title"] == ["Mine", None] and event.changes["sha256"][0] == mine.sha256


def test_list_query_count_does_not_grow(api, case, police, housing, police_caseworker, django_assert_max_num_queries):
    api.force_authenticate(police_caseworker)
    make_document(case=case, agency=police, marking=SecurityMarking.OFFICIAL_SENSITIVE, shared_with=[housing])
    with django_assert_max_num_queries(20) as few:
        api.get(_list_url(case))
    for i in range(6):
        make_document(case=case, agency=police, title=f"Doc {i}", marking=SecurityMarking.OFFICIAL_SENSITIVE, shared_with=[housing])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api.get(_list_url(case)).data["results"]) == 7
