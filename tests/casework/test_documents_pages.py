"""The case's Documents tab: what a caseworker sees, uploads, downloads and withdraws."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils.html import escape

from audit.models import AuditEvent
from audit.services import Actor
from casework.models import CaseAccess, Document, SecurityMarking
from casework.services.access import case_access_grant
from tests.casework.factories import make_case
from tests.casework.factories_documents import (  # noqa: F401
    docx_bytes,
    eml_bytes,
    exe_bytes,
    make_document,
    media_root,
    pdf_bytes,
    png_bytes,
    stored_files,
    upload,
)

pytestmark = pytest.mark.usefixtures("media_root")


@pytest.fixture
def case(partnership, police, council, housing):
    """Led by the police; the council contributes; housing has information-only access."""
    case = make_case(partnership=partnership, lead_agency=police)
    case_access_grant(actor=Actor.system(), case=case, agency=council, level=CaseAccess.Level.CONTRIBUTOR)
    case_access_grant(actor=Actor.system(), case=case, agency=housing, level=CaseAccess.Level.INFORMATION)
    return case


def _url(case):
    return reverse("case_documents", args=[case.reference])


def _post(client, case, **fields):
    values = {"title": "Warning letter", "marking": "official", "file": upload()} | fields
    return client.post(_url(case), values)


def test_the_documents_tab_shows_on_the_case(client, case, police_caseworker):
    client.force_login(police_caseworker)
    page = client.get(reverse("case_detail", args=[case.reference])).content.decode()
    assert f'href="{_url(case)}"' in page and ">Documents</a>" in page


def test_contributor_uploads_a_pdf_and_sees_it_listed(client, case, council, council_caseworker, media_root):
    client.force_login(council_caseworker)
    response = _post(client, case, title="Warning letter to no. 4", file=upload("warning.pdf", pdf_bytes()))
    assert response.status_code == 302 and response["Location"] == _url(case)

    page = client.get(_url(case)).content.decode()
    assert "Warning letter to no. 4" in page
    assert "warning.pdf · PDF" in page
    assert escape(council_caseworker.get_full_name()) in page  # Faker names may hold an apostrophe
    document = Document.objects.get()
    assert document.agency == council and document.uploaded_by == council_caseworker
    assert len(stored_files(media_root)) == 1


@pytest.mark.parametrize(
    "name, content, label",
    [("scan.docx", docx_bytes(), "Word document (.docx)"), ("photo.png", png_bytes(), "PNG image"), ("complaint.eml", eml_bytes(), "E-mail (.eml)")],
)
def test_each_kind_is_accepted_through_the_page(client, case, police_caseworker, name, content, label):
    client.force_login(police_caseworker)
    assert _post(client, case, file=SimpleUploadedFile(name, content, content_type="application/octet-stream")).status_code == 302
    assert label in client.get(_url(case)).content.decode()


def test_a_program_named_pdf_is_refused_with_a_clear_message(client, case, police_caseworker, media_root):
    client.force_login(police_caseworker)
    response = _post(client, case, file=SimpleUploadedFile("invoice.pdf", exe_bytes(), content_type="application/pdf"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert 'href="#id_file">The selected file is a Windows program. It must be a PDF' in page
    assert not Document.objects.exists() and stored_files(media_root) == []


def test_a_25_mb_upload_gets_the_friendly_message_not_an_error(client, case, police_caseworker, media_root, monkeypatch):
    # Django's DATA_UPLOAD_MAX_MEMORY_SIZE counts only the non-file fields of a multipart body, and
    # FILE_UPLOAD_MAX_MEMORY_SIZE only spools a large file to disk: neither refuses it. The upload handler does,
    # before the file is written anywhere or reaches the service.
    def never(**kwargs):
        raise AssertionError("the upload handler should have skipped the file")

    monkeypatch.setattr("casework.views.documents.document_upload", never)
    client.force_login(police_caseworker)
    big = SimpleUploadedFile("cctv-stills.pdf", b"%PDF-1.4\n" + b"\x00" * (25 * 1024 * 1024), content_type="application/pdf")
    response = _post(client, case, title="CCTV stills", file=big)
    page = response.content.decode()
    assert response.status_code == 200
    assert "The selected file must be smaller than 20 MB" in page
    assert 'value="CCTV stills"' in page  # what was typed is kept
    assert not Document.objects.exists() and stored_files(media_root) == []


def test_missing_title_and_file_are_both_reported(client, case, police_caseworker):
    client.force_login(police_caseworker)
    page = client.post(_url(case), {"title": "", "marking": "official"}).content.decode()
    assert 'href="#id_title">Enter a title for the document' in page
    assert 'href="#id_file">Select a file to upload' in page


def test_information_only_agency_sees_no_upload_form_and_cannot_post(client, case, housing_caseworker):
    make_document(case=case, agency=case.lead_agency, title="Letter")
    client.force_login(housing_caseworker)
    page = client.get(_url(case)).content.decode()
    assert "Letter" in page and "Upload a document" not in page
    assert _post(client, case).status_code == 404
    assert Document.objects.count() == 1


def test_upload_form_still_checks_csrf(case, police_caseworker):
    client = Client(enforce_csrf_checks=True)
    client.force_login(police_caseworker)
    assert _post(client, case).status_code == 403
    assert not Document.objects.exists()


def test_sensitive_documents_are_listed_only_for_the_uploader_and_agencies_shared_with(
    client, case, police, council, housing, council_caseworker, housing_caseworker
):
    make_document(case=case, agency=police, title="Open letter")
    make_document(case=case, agency=police, title="Intelligence report", marking=SecurityMarking.OFFICIAL_SENSITIVE)
    make_document(case=case, agency=police, title="Shared statement", marking=SecurityMarking.OFFICIAL_SENSITIVE, shared_with=[housing])

    client.force_login(council_caseworker)
    page = client.get(_url(case)).content.decode()
    assert "Open letter" in page and "Intelligence report" not in page and "Shared statement" not in page

    client.force_login(housing_caseworker)
    page = client.get(_url(case)).content.decode()
    assert "Open letter" in page and "Shared statement" in page and "Intelligence report" not in page


def test_upload_shared_with_an_agency_through_the_form(client, case, police_caseworker, housing, housing_caseworker):
    client.force_login(police_caseworker)
    page = client.get(_url(case)).content.decode()
    assert "Sanctuary Housing" in page  # offered: it has access to the case
    response = _post(client, case, title="Victim statement", marking="official_sensitive", shared_with=[housing.pk])
    assert response.status_code == 302
    assert list(Document.objects.get().shared_with.all()) == [housing]


def test_sharing_with_an_agency_without_access_is_refused(client, case, police_caseworker, fire):
    client.force_login(police_caseworker)
    page = _post(client, case, marking="official_sensitive", shared_with=[fire.pk]).content.decode()
    assert 'href="#id_shared_with">Choose agencies that can see this case' in page
    assert not Document.objects.exists()


def test_the_tab_is_audited_as_a_view(client, case, police_caseworker):
    client.force_login(police_caseworker)
    client.get(_url(case))
    assert AuditEvent.objects.filter(action=AuditEvent.Action.VIEW, case_id=case.pk, detail="Documents", user=police_caseworker).exists()


def test_the_tab_query_count_does_not_grow_with_documents(client, case, police, housing, police_caseworker, django_assert_max_num_queries):
    client.force_login(police_caseworker)

    def add(n):
        for i in range(n):
            make_document(case=case, agency=police, title=f"Doc {i}", marking=SecurityMarking.OFFICIAL_SENSITIVE, shared_with=[housing])

    add(1)
    with django_assert_max_num_queries(17) as few:
        client.get(_url(case))
    add(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(_url(case)).content.decode()
    assert page.count("Doc ") >= 9


def test_download_is_an_audited_attachment_with_the_detected_type(client, case, police, council_caseworker):
    content = png_bytes()
    document = make_document(case=case, agency=police, title="Photo", file=upload('graffiti "north" wall.pdf', content, "application/pdf"))
    client.force_login(council_caseworker)
    response = client.get(reverse("document_download", args=[case.reference, document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="graffiti \\"north\\" wall.pdf.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action=AuditEvent.Action.DOWNLOAD)
    assert (event.case_id, event.object_type, event.object_id) == (case.pk, "document", str(document.pk))
    assert event.user == council_caseworker


def test_download_of_a_non_ascii_name_is_encoded(client, case, police, police_caseworker):
    document = make_document(case=case, agency=police, file=upload("lettre d’avertissement.pdf"))
    client.force_login(police_caseworker)
    response = client.get(reverse("document_download", args=[case.reference, document.pk]))
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''lettre%20d%E2%80%99avertissement.pdf"


def test_download_is_404_for_an_agency_that_cannot_see_the_case(client, partnership, police, fire_caseworker):
    other = make_case(partnership=partnership, lead_agency=police)
    document = make_document(case=other, agency=police)
    client.force_login(fire_caseworker)
    assert client.get(reverse("document_download", args=[other.reference, document.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD).exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DENIED, object_repr=other.reference).exists()


def test_download_is_404_for_an_agency_the_marking_keeps_out(client, case, police, council_caseworker):
    document = make_document(case=case, agency=police, marking=SecurityMarking.OFFICIAL_SENSITIVE)
    client.force_login(council_caseworker)
    assert client.get(reverse("document_download", args=[case.reference, document.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD).exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DENIED, object_type="document", object_id=str(document.pk)).exists()


def test_a_document_cannot_be_fetched_through_another_case(client, partnership, case, police, police_caseworker):
    other = make_case(partnership=partnership, lead_agency=police)
    document = make_document(case=other, agency=police)
    client.force_login(police_caseworker)
    assert client.get(reverse("document_download", args=[case.reference, document.pk])).status_code == 404


def test_a_missing_file_is_a_404_not_an_error(client, case, police, police_caseworker, media_root):
    document = make_document(case=case, agency=police)
    (media_root / document.file.name).unlink()
    client.force_login(police_caseworker)
    assert client.get(reverse("document_download", args=[case.reference, document.pk])).status_code == 404


def test_stored_files_are_never_served_by_url(client, case, police, police_caseworker, media_root):
    document = make_document(case=case, agency=police)
    client.force_login(police_caseworker)
    paths = {document.file.url, f"/{document.file.name}", f"/media/{document.file.name}", f"/static/{document.file.name}", f"/var/media/{document.file.name}"}
    for url in paths:
        with pytest.raises(Resolver404):
            resolve(url)
        assert client.get(url).status_code == 404
    # Outside the web root: not under any folder whose files are served as static.
    media = Path(settings.MEDIA_ROOT).resolve()
    for served in [Path(settings.STATIC_ROOT), *map(Path, settings.STATICFILES_DIRS)]:
        assert not media.is_relative_to(served.resolve())


def test_configured_media_root_is_outside_static_folders():
    base_media = Path(settings.BASE_DIR / "var" / "media").resolve()
    for served in [Path(settings.STATIC_ROOT), *map(Path, settings.STATICFILES_DIRS)]:
        assert not base_media.is_relative_to(served.resolve())


def test_uploader_agency_withdraws_its_document(client, case, council, council_caseworker, media_root, django_capture_on_commit_callbacks):
    document = make_document(case=case, agency=council, title="Noise diary")
    client.force_login(council_caseworker)
    url = reverse("document_withdraw", args=[case.reference, document.pk])
    assert "Withdraw “Noise diary”" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "Duplicate"})
    assert response.status_code == 302
    assert not Document.objects.exists() and stored_files(media_root) == []
    event = AuditEvent.objects.get(action=AuditEvent.Action.DELETE, object_type="document")
    assert event.changes["sha256"] == [document.sha256, None] and event.user == council_caseworker


def test_lead_may_withdraw_any_document_it_sees_but_others_only_their_own(
    client, case, police, council, police_caseworker, council_caseworker, housing_caseworker
):
    by_council = make_document(case=case, agency=council, title="By council")
    by_police = make_document(case=case, agency=police, title="By police")

    client.force_login(council_caseworker)
    page = client.get(_url(case)).content.decode()
    assert page.count(">Withdraw<") == 1
    assert client.post(reverse("document_withdraw", args=[case.reference, by_police.pk])).status_code == 403

    client.force_login(housing_caseworker)
    assert ">Withdraw<" not in client.get(_url(case)).content.decode()
    assert client.post(reverse("document_withdraw", args=[case.reference, by_council.pk])).status_code == 403

    client.force_login(police_caseworker)
    assert client.get(_url(case)).content.decode().count(">Withdraw<") == 2
    assert client.post(reverse("document_withdraw", args=[case.reference, by_council.pk])).status_code == 302
    assert list(Document.objects.all()) == [by_police]


def test_lead_cannot_withdraw_a_sensitive_document_it_cannot_see(client, case, council, police_caseworker):
    hidden = make_document(case=case, agency=council, marking=SecurityMarking.OFFICIAL_SENSITIVE)
    client.force_login(police_caseworker)
    assert client.post(reverse("document_withdraw", args=[case.reference, hidden.pk])).status_code == 404
    assert Document.objects.filter(pk=hidden.pk).exists()


def test_the_size_limit_handler_skips_only_the_oversized_file(rf):
    from django.core.files.uploadedfile import SimpleUploadedFile as Upload

    from casework.documents import limit_upload_size, oversized_uploads

    request = rf.post("/", {"title": "Stills", "file": Upload("big.pdf", b"0" * (20 * 1024 * 1024 + 1)), "small": Upload("a.pdf", pdf_bytes())})
    limit_upload_size(request)
    assert request.POST["title"] == "Stills"
    assert "file" not in request.FILES and request.FILES["small"].read() == pdf_bytes()
    assert oversized_uploads(request) == {"file"}
