"""The type of an upload comes from its content, never from its name or the browser's content type."""

import io

import pytest

from casework.documents import DocumentTypeRefused, document_type_detect, download_name, safe_original_name
from tests.casework.factories_documents import (
    doc_bytes,
    docx_bytes,
    eml_bytes,
    exe_bytes,
    image_bytes,
    msg_bytes,
    ole2_bytes,
    pdf_bytes,
    png_bytes,
    zip_bytes,
)


@pytest.mark.parametrize(
    "make, kind, content_type",
    [
        (pdf_bytes, "pdf", "application/pdf"),
        (docx_bytes, "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (doc_bytes, "doc", "application/msword"),
        (png_bytes, "png", "image/png"),
        (lambda: image_bytes("JPEG"), "jpeg", "image/jpeg"),
        (lambda: image_bytes("GIF"), "gif", "image/gif"),
        (lambda: image_bytes("TIFF"), "tiff", "image/tiff"),
        (eml_bytes, "eml", "message/rfc822"),
        (msg_bytes, "msg", "application/vnd.ms-outlook"),
    ],
)
def test_each_accepted_kind_is_recognised_from_its_content(make, kind, content_type):
    detected = document_type_detect(io.BytesIO(make()))
    assert (detected.kind, detected.content_type) == (kind, content_type)


def test_heic_is_recognised_by_its_ftyp_box():
    # The start of an HEIC photo from a phone: an ISO-BMFF 'ftyp' box with the 'heic' brand.
    box = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"
    assert document_type_detect(io.BytesIO(box + b"\x00" * 64)).kind == "heic"


def test_detection_leaves_the_file_at_its_start():
    fileobj = io.BytesIO(docx_bytes())
    document_type_detect(fileobj)
    assert fileobj.tell() == 0


@pytest.mark.parametrize(
    "content, says",
    [
        (exe_bytes(), "a Windows program"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "a Linux program"),
        (zip_bytes({"notes.txt": "hello"}), "a zip archive"),
        (zip_bytes({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"}), "Excel spreadsheet"),
        (ole2_bytes("Workbook", "\x05SummaryInformation"), "not a Word document or an Outlook e-mail"),
        (b"#!/bin/sh\nrm -rf ~\n", "not a kind of file we recognise"),
        (b"Just some notes about the case\nwith no headers\n", "not a kind of file we recognise"),
        (b"From: someone@example.org\r\n\x00\x01binary", "not a kind of file we recognise"),
        (b"PK\x03\x04 not really a zip", "a damaged zip archive"),
    ],
)
def test_what_is_not_a_document_we_accept_is_refused_saying_what_it_is(content, says):
    with pytest.raises(DocumentTypeRefused) as refused:
        document_type_detect(io.BytesIO(content))
    assert says in str(refused.value)
    assert "It must be a PDF, Word" in str(refused.value)


def test_an_email_needs_a_sender_and_a_date_or_subject():
    with pytest.raises(DocumentTypeRefused):
        document_type_detect(io.BytesIO(b"To: someone@example.org\r\n\r\nNo sender.\r\n"))
    assert document_type_detect(io.BytesIO(b"From: a@example.org\r\nSubject: Noise\r\n\r\nBody\r\n")).kind == "eml"


def test_an_outlook_message_that_carries_a_word_attachment_is_still_a_message():
    assert document_type_detect(io.BytesIO(ole2_bytes("__substg1.0_0037001F", "WordDocument"))).kind == "msg"


def test_a_stream_name_split_across_read_chunks_is_still_found(monkeypatch):
    from casework import documents

    monkeypatch.setattr(documents, "_SCAN_CHUNK", 650)  # the first stream name starts at byte 640
    assert document_type_detect(io.BytesIO(msg_bytes())).kind == "msg"


def test_names_are_stripped_of_folders_and_control_characters():
    assert safe_original_name("C:\\Users\\lyn\\Desktop\\letter.pdf") == "letter.pdf"
    assert safe_original_name("../../etc/passwd") == "passwd"
    assert safe_original_name('evil"\r\nX-Header: 1.pdf') == 'evil"X-Header: 1.pdf'
    assert safe_original_name("...") == "document"


def test_the_download_name_gets_the_extension_of_what_the_file_really_is():
    assert download_name("photo.pdf", "image/png") == "photo.pdf.png"
    assert download_name("IMG_0042.JPEG", "image/jpeg") == "IMG_0042.JPEG"
    assert download_name("letter.pdf", "application/pdf") == "letter.pdf"
