"""Small files of each kind, made in the tests rather than kept as binary fixtures, and a per-test MEDIA_ROOT."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.services import Actor
from casework.documents import OLE2_SIGNATURE
from casework.models import SecurityMarking
from casework.services.documents import document_upload


@pytest.fixture
def media_root(settings, tmp_path):
    """Stored documents go to a fresh folder for each test (the storage is rebuilt when STORAGES changes)."""
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": root}}}
    return root


def stored_files(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
        b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )


def png_bytes(size=(8, 6)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def image_bytes(format_name: str) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (10, 120, 200)).save(buffer, format=format_name)
    return buffer.getvalue()


def zip_bytes(entries: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    return zip_bytes({
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "_rels/.rels": "<Relationships/>",
        "word/document.xml": "<w:document/>",
    })


def eml_bytes() -> bytes:
    return (
        b"From: Claire Morton <claire@example.org>\r\n"
        b"To: PC Barrios <tony@example.org>\r\n"
        b"Date: Mon, 2 Mar 2026 19:42:10 +0000\r\n"
        b"Subject: Trouble at the gate again\r\n"
        b"\r\n"
        b"Mum rang me again last night.\r\n"
    )


def ole2_bytes(*stream_names: str) -> bytes:
    """An OLE2 compound file's header sector, then a directory sector naming the streams (UTF-16LE, 128-byte
    entries), which is all the detection looks at."""
    header = OLE2_SIGNATURE + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00"
    header += b"\x00" * (512 - len(header))
    directory = b""
    for name in ("Root Entry", *stream_names):
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        directory += encoded + b"\x00" * (64 - len(encoded)) + len(encoded).to_bytes(2, "little") + b"\x00" * 62
    return header + directory


def msg_bytes() -> bytes:
    return ole2_bytes("__substg1.0_0037001F", "__substg1.0_1000001F", "__properties_version1.0")


def doc_bytes() -> bytes:
    return ole2_bytes("WordDocument", "1Table", "\x05SummaryInformation")


def exe_bytes() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot be run in DOS mode." + b"\x00" * 64


def upload(name="letter.pdf", content=None, content_type="application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes() if content is None else content, content_type=content_type)


def make_document(*, case, agency, user=None, title="Warning letter", marking=SecurityMarking.OFFICIAL, shared_with=(), file=None):
    return document_upload(
        actor=Actor(user=user, agency=agency), case=case, title=title, upload=file or upload(), marking=marking, shared_with=shared_with
    )
