"""The demo documents: seeded through the upload service, idempotent, one kept to the police."""

import shutil
import subprocess

import pytest
from django.core.management import call_command

from casework import permissions
from casework.models import Document, SecurityMarking
from tests.casework.factories_documents import media_root, stored_files  # noqa: F401

pytestmark = pytest.mark.usefixtures("media_root")


def test_demo_documents_are_seeded_once_with_their_files(db, media_root):
    call_command("seed_demo", "--password", "demo-password-123")
    call_command("seed_demo", "--password", "demo-password-123")

    documents = {d.title: d for d in Document.objects.select_related("agency", "case", "uploaded_by")}
    assert len(documents) == 3 and len(stored_files(media_root)) == 3
    letter = documents["Warning letter to the tenant of Flat 3, 14 Lynn Road"]
    photo = documents["Photo of the tags on the underpass wall, north side"]
    email = documents["E-mail from the victim's daughter about threats at the gate"]
    assert (letter.content_type, letter.agency.slug, letter.uploaded_by.username) == ("application/pdf", "sanctuary", "housing-caseworker")
    assert (photo.content_type, photo.case.summary) == ("image/png", "Graffiti on the railway underpass")
    assert email.content_type == "message/rfc822" and email.marking == SecurityMarking.OFFICIAL_SENSITIVE
    assert (media_root / letter.file.name).read_bytes().startswith(b"%PDF-1.4")

    on_that_case = Document.objects.filter(case=email.case)
    assert list(permissions.marked_items_visible(on_that_case, agency=email.agency)) == [email]
    assert list(permissions.marked_items_visible(on_that_case, agency=letter.agency)) == []  # Sanctuary Housing


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")
def test_the_demo_warning_letter_is_a_pdf_a_reader_can_open():
    from casework.demo_documents import pdf_bytes

    text = subprocess.run(["pdftotext", "-", "-"], input=pdf_bytes(["Warning: noise nuisance (flat 3)", "Second line"]),
                          capture_output=True, check=True).stdout.decode()
    assert "Warning: noise nuisance (flat 3)" in text and "Second line" in text
