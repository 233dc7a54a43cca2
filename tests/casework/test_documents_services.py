"""Uploading and withdrawing documents through the services: storage, fingerprint, audit, and no half-written record."""

import hashlib
import os
import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from audit.models import AuditEvent
from audit.services import Actor
from casework.documents import MAX_DOCUMENT_BYTES
from casework.models import CaseAccess, Document, SecurityMarking
from casework.services import documents as document_services
from casework.services.access import case_access_grant
from casework.services.documents import document_orphans_remove, document_upload, document_withdraw
from tests.casework.factories import make_case
from tests.casework.factories_documents import exe_bytes, make_document, media_root, png_bytes, stored_files, upload  # noqa: F401

pytestmark = pytest.mark.usefixtures("media_root")


@pytest.fixture
def case(partnership, police, council):
    case = make_case(partnership=partnership, lead_agency=police)
    case_access_grant(actor=Actor.system(), case=case, agency=council, level=CaseAccess.Level.CONTRIBUTOR)
    return case


def test_upload_stores_the_file_under_a_random_name_with_its_size_and_sha256(case, police, police_caseworker, media_root):
    content = png_bytes()
    document = make_document(case=case, agency=police, user=police_caseworker, title="Photo of the damage",
                             file=upload("IMG 0042.png", content, "application/octet-stream"))

    document.refresh_from_db()
    assert document.size == len(content)
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.content_type == "image/png"  # from the content, not what the browser said
    assert document.original_name == "IMG 0042.png"
    assert document.file.name.startswith(f"documents/{case.pk}/") and "IMG" not in document.file.name
    [stored] = stored_files(media_root)
    assert stored.read_bytes() == content
    assert oct(stored.stat().st_mode & 0o777) == "0o640"


def test_a_large_upload_spooled_to_disk_is_digested_too(case, police, media_root):
    from django.core.files.uploadedfile import TemporaryUploadedFile

    content = b"%PDF-1.4\n" + os.urandom(3 * 1024 * 1024)
    spooled = TemporaryUploadedFile("big.pdf", "application/pdf", len(content), None)
    spooled.write(content)
    spooled.seek(0)
    document = make_document(case=case, agency=police, file=spooled)
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert stored_files(media_root)[0].read_bytes() == content


def test_upload_is_audited_with_title_marking_and_fingerprint(case, police, council, police_caseworker):
    document = make_document(case=case, agency=police, user=police_caseworker, title="Statement",
                             marking=SecurityMarking.OFFICIAL_SENSITIVE, shared_with=[council])
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, object_type="document")
    assert event.case_id == case.pk and event.object_id == str(document.pk)
    assert event.user == police_caseworker and event.agency_id == police.pk
    assert event.changes["title"] == [None, "Statement"]
    assert event.changes["sha256"] == [None, document.sha256]
    assert event.changes["marking"] == [None, "official_sensitive"]
    assert event.changes["shared_with"] == [None, council.name]


@pytest.mark.parametrize(
    "kwargs, field, message",
    [
        ({"title": ""}, "title", "Enter a title"),
        ({"upload": upload("program.pdf", exe_bytes())}, "file", "is a Windows program"),
        ({"upload": upload("empty.pdf", b"")}, "file", "is empty"),
        ({"upload": None}, "file", "Select a file"),
        ({"marking": "top_secret"}, "marking", "Choose the security marking"),
    ],
)
def test_bad_uploads_are_refused_with_a_message_and_nothing_is_stored(case, police, media_root, kwargs, field, message):
    values = {"title": "Letter", "upload": upload(), "marking": SecurityMarking.OFFICIAL} | kwargs
    with pytest.raises(ValidationError) as refused:
        document_upload(actor=Actor(agency=police), case=case, **values)
    assert message in " ".join(refused.value.message_dict[field])
    assert not Document.objects.exists() and stored_files(media_root) == []


def test_a_file_over_the_limit_is_refused(case, police, media_root):
    big = upload("big.pdf", b"%PDF-1.4\n" + b"0" * MAX_DOCUMENT_BYTES)
    with pytest.raises(ValidationError) as refused:
        document_upload(actor=Actor(agency=police), case=case, title="Big", upload=big)
    assert refused.value.message_dict["file"] == ["The selected file must be smaller than 20 MB"]
    assert stored_files(media_root) == []


def test_a_sensitive_document_may_be_shared_only_with_agencies_that_see_the_case(case, police, council, housing, media_root):
    with pytest.raises(ValidationError) as refused:
        make_document(case=case, agency=police, marking=SecurityMarking.OFFICIAL_SENSITIVE, shared_with=[council, housing])
    assert refused.value.message_dict["shared_with"] == ["Sanctuary Housing cannot see this case, so the document cannot be shared with them"]
    assert stored_files(media_root) == []


def test_sharing_an_official_document_is_meaningless_and_ignored(case, police, council):
    document = make_document(case=case, agency=police, marking=SecurityMarking.OFFICIAL, shared_with=[council])
    assert list(document.shared_with.all()) == []


@pytest.mark.parametrize("failing", ["audit_record", "shared_with"])
def test_a_failure_after_the_file_is_stored_leaves_neither_file_nor_row(case, police, council, media_root, monkeypatch, failing):
    stored_before_failure = []

    def fail(*args, **kwargs):
        stored_before_failure.extend(stored_files(media_root))
        raise RuntimeError("database went away")

    if failing == "audit_record":
        monkeypatch.setattr(document_services, "audit_record", fail)
    else:
        monkeypatch.setattr(Document.shared_with.related_manager_cls, "set", fail)
    with pytest.raises(RuntimeError):
        make_document(case=case, agency=police, marking=SecurityMarking.OFFICIAL_SENSITIVE, shared_with=[council])
    assert len(stored_before_failure) == 1  # the file had been written...
    assert stored_files(media_root) == []  # ...and is gone again
    assert not Document.objects.exists()
    assert not AuditEvent.objects.filter(object_type="document").exists()


def test_withdraw_removes_row_and_file_and_the_audit_keeps_title_and_sha256(
    case, police, police_caseworker, media_root, django_capture_on_commit_callbacks
):
    document = make_document(case=case, agency=police, title="Tenancy agreement")
    sha256, pk = document.sha256, document.pk
    with django_capture_on_commit_callbacks(execute=True):
        document_withdraw(actor=Actor(user=police_caseworker, agency=police), document=document, reason="Uploaded to the wrong case")
    assert not Document.objects.filter(pk=pk).exists()
    assert stored_files(media_root) == []
    event = AuditEvent.objects.get(action=AuditEvent.Action.DELETE, object_type="document")
    assert event.object_id == str(pk) and event.case_id == case.pk and event.object_repr == "Tenancy agreement"
    assert event.changes["title"] == ["Tenancy agreement", None]
    assert event.changes["sha256"] == [sha256, None]
    assert "wrong case" in event.detail


def test_withdrawing_twice_is_refused_cleanly(case, police, django_capture_on_commit_callbacks):
    document = make_document(case=case, agency=police)
    with django_capture_on_commit_callbacks(execute=True):
        document_withdraw(actor=Actor(agency=police), document=document)
    with pytest.raises(ValidationError, match="already been withdrawn"):
        document_withdraw(actor=Actor(agency=police), document=document)


def test_orphan_files_are_swept_but_recent_ones_and_real_documents_are_kept(case, police, media_root):
    document = make_document(case=case, agency=police)
    folder = media_root / "documents" / str(case.pk)
    old_orphan, new_orphan = folder / "0123abcd", folder / "4567ef01"
    old_orphan.write_bytes(b"left by a crash")
    new_orphan.write_bytes(b"an upload in progress")
    an_hour_ago = time.time() - 2 * 3600
    os.utime(old_orphan, (an_hour_ago, an_hour_ago))
    os.utime(media_root / document.file.name, (an_hour_ago, an_hour_ago))

    removed = document_orphans_remove(actor=Actor.system(), older_than=timedelta(hours=1))

    assert removed == [f"documents/{case.pk}/0123abcd"]
    assert not old_orphan.exists() and new_orphan.exists() and (media_root / document.file.name).exists()
    assert AuditEvent.objects.filter(object_type="document file", object_repr=removed[0]).exists()


def test_the_sweep_command_runs_when_nothing_was_ever_stored(db, media_root, capsys):
    call_command("remove_orphan_document_files", "--minutes", "0")
    assert "0 orphan document file(s) removed" in capsys.readouterr().out
