"""Demo documents on the East Cambridgeshire demo cases: a warning letter (PDF), a photo of graffiti (PNG) and an
OFFICIAL-SENSITIVE e-mail from a victim's daughter (.eml, kept to the police), uploaded through the same service as a user's."""

import io
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from audit.services import Actor
from casework.models import Case, Document, SecurityMarking
from casework.services.documents import document_upload


def pdf_bytes(lines: list[str]) -> bytes:
    """A one-page PDF of plain text lines (Helvetica, A4): small, valid, and made without a PDF library."""
    def escape(text):
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    stream = "\n".join(["BT", "/F1 11 Tf", "15 TL", "64 780 Td", *(f"({escape(line)}) Tj T*" for line in lines), "ET"]).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def graffiti_png() -> bytes:
    """A photo-like picture of tags sprayed on an underpass wall."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 400), (150, 148, 140))
    draw = ImageDraw.Draw(image)
    for row in range(0, 400, 40):  # concrete panels
        draw.line([(0, row), (640, row)], fill=(120, 118, 112), width=2)
    draw.rectangle([0, 330, 640, 400], fill=(70, 70, 68))  # the path
    draw.ellipse([60, 70, 300, 230], outline=(200, 30, 40), width=12)
    draw.line([(80, 200), (170, 90), (240, 210), (300, 100)], fill=(30, 60, 200), width=14)
    draw.arc([320, 60, 600, 260], start=200, end=340, fill=(20, 160, 60), width=16)
    draw.text((380, 170), "KRW 26", fill=(250, 250, 250))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def victim_email(sent) -> bytes:
    return (
        "From: Claire Morton <claire.morton@example.org>\r\n"
        "To: PC Tony Barrios <tony.barrios@cambs.police.example>\r\n"
        f"Date: {sent:%a, %d %b %Y} 19:42:10 +0000\r\n"
        "Subject: My mother - more trouble from next door\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "\r\n"
        "Dear PC Barrios,\r\n\r\n"
        "Mum rang me again last night. The two men from next door stood at her gate from about 10pm shouting that\r\n"
        "she is a grass and that she should move out. She did not sleep and is now afraid to go to the shop.\r\n"
        "She kept a note of the times in the diary you gave her. Please can someone call her before Friday?\r\n\r\n"
        "Claire Morton\r\n"
    ).encode()


def _user(username):
    return get_user_model().objects.filter(username=username).first()


def seed(*, partnerships, agencies, stdout, **_):
    partnership = partnerships["east-cambridgeshire"]
    today = timezone.localdate()
    wanted = [
        (
            "Loud music and shouting from flat at all hours", "sanctuary", "housing-caseworker",
            "Warning letter to the tenant of Flat 3, 14 Lynn Road", "warning-letter-flat-3-lynn-road.pdf", SecurityMarking.OFFICIAL,
            lambda: pdf_bytes([
                "Sanctuary Housing - Neighbourhood Services, East Cambridgeshire",
                f"Date: {today - timedelta(days=21):%d %B %Y}",
                "",
                "To the tenant, Flat 3, 14 Lynn Road, Ely CB7 4AB",
                "",
                "Warning: noise nuisance - breach of your tenancy agreement",
                "",
                "We have received several reports of loud music and shouting from your flat late at night,",
                "most recently between 11pm and 3am. Causing nuisance or annoyance to your neighbours breaks",
                "clause 5 of your tenancy agreement.",
                "",
                "Please keep noise to a level that cannot be heard in neighbouring homes, especially between",
                "11pm and 7am. We will keep monitoring. If the nuisance continues we may offer an Acceptable",
                "Behaviour Contract, apply for a civil injunction under the Anti-social Behaviour, Crime and",
                "Policing Act 2014, or take action for possession of your home.",
                "",
                "If something is affecting you that we can help with, please call us.",
                "",
                "Sam Okafor, Neighbourhood Officer",
            ]),
        ),
        (
            "Graffiti on the railway underpass", "ecdc", "council-caseworker",
            "Photo of the tags on the underpass wall, north side", "underpass-north-wall.png", SecurityMarking.OFFICIAL,
            graffiti_png,
        ),
        (
            "Repeated intimidation of elderly neighbour", "cambs-police", "police-caseworker",
            "E-mail from the victim's daughter about threats at the gate", "email-from-claire-morton.eml", SecurityMarking.OFFICIAL_SENSITIVE,
            lambda: victim_email(today - timedelta(days=3)),
        ),
    ]
    added = 0
    for summary, agency_slug, username, title, filename, marking, make_content in wanted:
        case = Case.objects.filter(partnership=partnership, summary=summary).order_by("id").first()
        if case is None or Document.objects.filter(case=case, title=title).exists():
            continue
        agency = agencies[agency_slug]
        document_upload(
            actor=Actor(user=_user(username), agency=agency),
            case=case,
            title=title,
            upload=SimpleUploadedFile(filename, make_content()),
            marking=marking,
        )
        added += 1
    if added:
        stdout.write(f"Added {added} demo documents.")
