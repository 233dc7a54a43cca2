"""What a document upload may be: its size and its type, told from its content.

The type comes from the bytes, never from the file's name or the browser's content type, so a ``.pdf`` that is
really a program is refused. The checks, kept deliberately simple:

* PDF, JPEG, PNG, GIF, TIFF and HEIC: the ``filetype`` package's signature ("magic number") matchers.
* Word ``.docx``: a zip archive (``PK\\x03\\x04``) whose directory lists ``[Content_Types].xml`` and a ``word/``
  part; any other zip (a spreadsheet, an archive of anything) is refused.
* Word ``.doc`` and Outlook ``.msg``: both are OLE2 compound files (``D0 CF 11 E0 A1 B1 1A E1``). The names of the
  streams inside are stored in UTF-16LE: an Outlook message has ``__substg1.0_…`` property streams, a Word
  document a ``WordDocument`` stream. Any other OLE2 file (an Excel or PowerPoint 97 file) is refused.
* E-mail ``.eml``: RFC 822 text with no NUL bytes whose header block the standard library's parser reads without
  stumbling, with a ``From`` header and a ``Date`` or ``Subject``.

Size: Django's own limits do not stop a large file. ``FILE_UPLOAD_MAX_MEMORY_SIZE`` only decides whether an upload
is held in memory or spooled to a temporary file, and ``DATA_UPLOAD_MAX_MEMORY_SIZE`` counts only the non-file
fields of a multipart body. ``DocumentSizeLimitHandler`` stops reading a file part once it passes the limit, so an
oversized upload is never written out in full, and the form (or API) says why the file is missing.
"""

import email.parser
import email.policy
import hashlib
import io
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

import filetype
from django.core.files.base import File
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
MAX_DOCUMENT_LABEL = "20 MB"
TOO_LARGE_MESSAGE = f"The selected file must be smaller than {MAX_DOCUMENT_LABEL}"
EMPTY_MESSAGE = "The selected file is empty"
ACCEPTED_LABEL = "PDF, Word (.doc or .docx), a photo or image (JPEG, PNG, GIF, TIFF or HEIC) or an e-mail (.eml or .msg)"

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"
MSG_STREAM_MARK = "__substg1.0_".encode("utf-16-le")
WORD_STREAM_MARK = "WordDocument".encode("utf-16-le")
EML_HEADER_BYTES = 64 * 1024
_SCAN_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class DocumentType:
    kind: str
    label: str
    content_type: str
    extensions: tuple[str, ...]

    @property
    def extension(self) -> str:
        return self.extensions[0]


ACCEPTED_TYPES = {
    t.kind: t
    for t in (
        DocumentType("pdf", "PDF", "application/pdf", (".pdf",)),
        DocumentType("doc", "Word document (.doc)", "application/msword", (".doc",)),
        DocumentType("docx", "Word document (.docx)", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)),
        DocumentType("jpeg", "JPEG image", "image/jpeg", (".jpg", ".jpeg")),
        DocumentType("png", "PNG image", "image/png", (".png",)),
        DocumentType("gif", "GIF image", "image/gif", (".gif",)),
        DocumentType("tiff", "TIFF image", "image/tiff", (".tif", ".tiff")),
        DocumentType("heic", "HEIC photo", "image/heic", (".heic",)),
        DocumentType("eml", "E-mail (.eml)", "message/rfc822", (".eml",)),
        DocumentType("msg", "Outlook e-mail (.msg)", "application/vnd.ms-outlook", (".msg",)),
    )
}
# What filetype's signature matchers may settle on their own.
_BY_SIGNATURE = {"application/pdf": "pdf", "image/jpeg": "jpeg", "image/png": "png", "image/gif": "gif", "image/tiff": "tiff", "image/heic": "heic"}
# Names for what we refuse, so the message says what the file really is.
_REFUSED_NAMES = {"exe": "a Windows program", "elf": "a Linux program", "zip": "a zip archive", "xlsx": "an Excel spreadsheet",
                  "pptx": "a PowerPoint presentation", "odt": "an OpenDocument text file", "rtf": "a Rich Text file"}


class DocumentTypeRefused(ValueError):
    """The content is not a kind of document we accept; the message says so in words a user understands."""


def _refuse(what: str):
    raise DocumentTypeRefused(f"The selected file is {what}. It must be a {ACCEPTED_LABEL}")


def _read_from_start(fileobj, size: int = -1) -> bytes:
    fileobj.seek(0)
    return fileobj.read(size)


def _contains(fileobj, needle: bytes) -> bool:
    """Whether `needle` appears anywhere in the file, read a chunk at a time (chunks overlap so a match across a
    boundary is not missed)."""
    fileobj.seek(0)
    tail = b""
    while chunk := fileobj.read(_SCAN_CHUNK):
        if needle in tail + chunk:
            return True
        tail = chunk[-(len(needle) - 1):]
    return False


def _ole2_type(fileobj) -> DocumentType:
    if _contains(fileobj, MSG_STREAM_MARK):
        return ACCEPTED_TYPES["msg"]
    if _contains(fileobj, WORD_STREAM_MARK):
        return ACCEPTED_TYPES["doc"]
    _refuse("an Office 97 file that is not a Word document or an Outlook e-mail (for example a spreadsheet)")


def _zip_type(fileobj, guessed) -> DocumentType:
    fileobj.seek(0)
    try:
        names = zipfile.ZipFile(fileobj).namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        _refuse("a damaged zip archive")
    if "[Content_Types].xml" in names and any(name.startswith("word/") for name in names):
        return ACCEPTED_TYPES["docx"]
    _refuse(_REFUSED_NAMES.get(guessed.extension if guessed else "zip", "a zip archive"))


def _is_email(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    # Only the header block matters here; the body may be anything.
    message = email.parser.BytesParser(policy=email.policy.compat32).parsebytes(head, headersonly=True)
    if message.defects:
        return False
    return message["From"] is not None and (message["Date"] is not None or message["Subject"] is not None)


def document_type_detect(fileobj) -> DocumentType:
    """The accepted type of this file's content, or DocumentTypeRefused. Reads from the start; leaves the position
    at the start again."""
    try:
        head = _read_from_start(fileobj, 8192)
        if head.startswith(OLE2_SIGNATURE):
            return _ole2_type(fileobj)
        guessed = filetype.guess(head)
        if head.startswith(ZIP_SIGNATURE):
            return _zip_type(fileobj, guessed)
        if guessed is not None and guessed.mime in _BY_SIGNATURE:
            return ACCEPTED_TYPES[_BY_SIGNATURE[guessed.mime]]
        if guessed is not None:
            _refuse(_REFUSED_NAMES.get(guessed.extension, f"a .{guessed.extension} file ({guessed.mime})"))
        if _is_email(_read_from_start(fileobj, EML_HEADER_BYTES)):
            return ACCEPTED_TYPES["eml"]
        _refuse("not a kind of file we recognise")
    finally:
        fileobj.seek(0)


def safe_original_name(name: str, document_type: DocumentType | None = None) -> str:
    """The file's own name, without any folder or control characters (which could break a header); never empty.
    Quotes are kept: the download's Content-Disposition escapes them."""
    name = PureWindowsPath(PurePosixPath(name or "").name).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = name.strip(" .")[:255]
    if not name:
        name = f"document{document_type.extension if document_type else ''}"
    return name


def download_name(original_name: str, content_type: str) -> str:
    """The name to download under: the original, with the right extension added if its own does not match the
    content (a PNG uploaded as photo.pdf downloads as photo.pdf.png, so the computer opens it with the right program)."""
    name = safe_original_name(original_name)
    document_type = next((t for t in ACCEPTED_TYPES.values() if t.content_type == content_type), None)
    if document_type and not name.lower().endswith(document_type.extensions):
        name = f"{name}{document_type.extension}"
    return name[-255:]


class DigestingFile(File):
    """Wraps an upload for Storage.save(): digests (SHA-256) and counts the bytes as the storage reads them. Being a
    plain File, it has no temporary_file_path(), so the file system storage copies it (and so digests it) instead of
    moving the temporary file behind our back.

    A storage may look before it reads (an object store's client seeks to the end for the size, and back): a return
    to the start begins the digest again, and a read that does not carry on from where the digest stopped spoils the
    count, so that the upload is refused as not read completely rather than stored with a wrong digest."""

    def __init__(self, upload):
        super().__init__(upload, name=upload.name)
        self._restart()

    def _restart(self):
        self.sha256 = hashlib.sha256()
        self.bytes_read = 0

    def read(self, *args):
        start = self.file.tell()
        data = self.file.read(*args)
        if start == self.bytes_read:
            self.sha256.update(data)
            self.bytes_read += len(data)
        elif data:
            self.bytes_read = -1  # spoilt until the next return to the start
        return data

    def seek(self, offset, whence=io.SEEK_SET):
        position = self.file.seek(offset, whence)
        if self.file.tell() == 0:
            self._restart()
        return position

    def tell(self):
        return self.file.tell()

    def chunks(self, chunk_size=None):
        self.seek(0)
        chunk_size = chunk_size or self.DEFAULT_CHUNK_SIZE
        while data := self.read(chunk_size):
            yield data

    @property
    def hexdigest(self) -> str:
        return self.sha256.hexdigest()


OVERSIZED_ATTRIBUTE = "oversized_uploads"


class DocumentSizeLimitHandler(FileUploadHandler):
    """Put first in request.upload_handlers (before request.POST or FILES is read): a file part that passes the
    limit is skipped rather than written out, and its field name is noted on the request for the form to report."""

    def __init__(self, request=None, limit: int = MAX_DOCUMENT_BYTES):
        super().__init__(request)
        self.limit = limit

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            oversized = getattr(self.request, OVERSIZED_ATTRIBUTE, set())
            oversized.add(self.field_name)
            setattr(self.request, OVERSIZED_ATTRIBUTE, oversized)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


def limit_upload_size(request) -> None:
    """Install the size limit on a Django request. Call before anything reads request.POST or request.FILES."""
    request.upload_handlers.insert(0, DocumentSizeLimitHandler(request))


def oversized_uploads(request) -> set[str]:
    """The file fields that DocumentSizeLimitHandler skipped for being too large."""
    return set(getattr(getattr(request, "_request", request), OVERSIZED_ATTRIBUTE, set()))
