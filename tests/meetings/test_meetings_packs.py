"""The agenda pack and minutes as PDFs: made by the Celery task, marked on every page, for members only, audited."""

import shutil
import subprocess
from datetime import date

import pytest
from django.urls import reverse

from agencies.models import Notification
from audit.models import AuditEvent
from meetings import pdf
from meetings.models import AgendaItem, MeetingDocument
from meetings.services.agenda import agenda_build, agenda_issue
from meetings.services.minutes import minutes_publish
from meetings.services.room import attendance_record, item_minutes_save, meeting_action_add
from referrals.services.referrals import group_referral_return
from tests.casework.factories_documents import media_root  # noqa: F401  (a fixture)
from tests.meetings.factories_meetings import at, case_with_group
from tests.test_storage_s3 import BUCKET, bucket, bucket_keys  # noqa: F401  (bucket: a fixture)

S = AgendaItem.Section


def margin_texts(page) -> dict[str, str]:
    """{'@top-center': 'OFFICIAL-SENSITIVE', …}: the text WeasyPrint laid out in a page's margin boxes."""
    from weasyprint.formatting_structure import boxes

    def text_of(box):
        if isinstance(box, boxes.TextBox):
            return box.text
        return "".join(text_of(child) for child in getattr(box, "children", []))

    return {box.at_keyword: text_of(box) for box in page._page_box.children if isinstance(box, boxes.MarginBox)}


@pytest.fixture
def issued(media_root, march, february, chair_actor, partnership, council, police, group, django_capture_on_commit_callbacks):  # noqa: F811
    # February's minutes were published (it had no items recorded here): the pack carries them.
    february.minutes_published_at = at(date(2026, 2, 12))
    february.save(update_fields=["minutes_published_at"])
    first = case_with_group(partnership=partnership, lead_agency=council, group=group, referred_on=date(2026, 2, 20))
    group.members.add(*[m.user for m in council.memberships.all()])
    second = case_with_group(partnership=partnership, lead_agency=police, group=group, referred_on=date(2026, 1, 20))
    agenda_build(actor=chair_actor, meeting=march, cut_off=at(date(2026, 3, 3)))
    with django_capture_on_commit_callbacks(execute=True):
        agenda_issue(actor=chair_actor, meeting=march)
    return {"meeting": march, "cases": [first, second]}


def test_the_pack_is_made_by_the_task_with_the_agenda_and_a_page_per_case_marked_on_every_page(issued):
    document = MeetingDocument.objects.get(meeting=issued["meeting"], kind="agenda_pack")
    assert document.status == "ready", document.error
    told = Notification.objects.get(user__memberships__agency__slug="ecdc")
    assert told.text == "The agenda for East Cambridgeshire ASB Casework Group on 10 March 2026 is issued; the pack can be downloaded."
    assert sorted(document.case_ids) == sorted(case.pk for case in issued["cases"])
    content = document.file.read()
    assert content.startswith(b"%PDF")
    html, _ = pdf.pack_html(issued["meeting"])
    _, laid_out = pdf.render_pdf(html)
    # The agenda, the previous minutes page, and one page per case item.
    assert len(laid_out.pages) == document.page_count >= 4
    for page in laid_out.pages:
        margins = margin_texts(page)
        assert margins["@top-center"] == "OFFICIAL-SENSITIVE"
        assert margins["@bottom-center"] == "OFFICIAL-SENSITIVE"
    assert "New referrals to the group" in html and issued["cases"][0].reference in html
    assert "Minutes of the meeting held on Tuesday, 10 February 2026" in html
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", document.file.path, "-"], capture_output=True, text=True, check=True).stdout
        assert text.count("OFFICIAL-SENSITIVE") >= 2 * document.page_count


def test_members_download_the_pack_each_download_audited_and_others_get_404(client, issued, housing_caseworker, fire_caseworker, other_partnership, police):
    assert not Notification.objects.filter(user=housing_caseworker).exists(), "not a named member of the group"
    url = reverse("meeting_pack", args=[issued["meeting"].pk])
    client.force_login(housing_caseworker)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.get(url)
    downloads = AuditEvent.objects.filter(action="download", object_type="meetingdocument", user=housing_caseworker)
    assert downloads.count() == 2
    assert "Downloaded the agenda pack" in downloads.first().detail

    client.force_login(fire_caseworker)
    assert client.get(url).status_code == 404
    from tests.agencies.factories import make_member

    fenland_police = make_member(agency=police, partnership=other_partnership, username="fenland-police")
    client.force_login(fenland_police)
    assert client.get(url).status_code == 404, "police serve the group's partnership, but this user acts in another one"
    assert not AuditEvent.objects.filter(action="download", user__in=[fire_caseworker, fenland_police]).exists()


def test_a_pack_naming_a_case_no_longer_with_the_group_is_made_again_before_it_is_given_out(
    client, issued, chair_actor, housing_caseworker, django_capture_on_commit_callbacks
):
    returned = issued["cases"][0]
    group_referral_return(actor=chair_actor, group_referral=returned.group_referrals.get())
    client.force_login(housing_caseworker)
    url = reverse("meeting_pack", args=[issued["meeting"].pk])
    with django_capture_on_commit_callbacks(execute=True):
        waiting = client.get(url)
    assert waiting["Content-Type"].startswith("text/html") and "Waiting to be made" in waiting.content.decode()
    assert 'hx-trigger="every 3s"' in waiting.content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    document = MeetingDocument.objects.get(meeting=issued["meeting"], kind="agenda_pack")
    assert document.case_ids == [issued["cases"][1].pk]


def test_published_minutes_are_made_as_a_pdf_with_their_numbers(client, issued, chair_actor, chair, police, council, housing_caseworker, django_capture_on_commit_callbacks):
    meeting = issued["meeting"]
    attendance_record(actor=chair_actor, meeting=meeting, agency=police, status="present", name="Chris Savage", role="Chair")
    attendance_record(actor=chair_actor, meeting=meeting, agency=council, status="apologies", name="Lyn Hesse")
    item = meeting.items.get(case=issued["cases"][0])
    item_minutes_save(actor=chair_actor, item=item, minute_text="Two incidents since the referral.", decision="keep_open")
    meeting_action_add(actor=chair_actor, item=item, description="Send diary sheets", owner_agency=council)
    with django_capture_on_commit_callbacks(execute=True):
        minutes_publish(actor=chair_actor, meeting=meeting)
    document = MeetingDocument.objects.get(meeting=meeting, kind="minutes")
    assert document.status == "ready"
    html, _ = pdf.minutes_html(meeting)
    assert "Chris Savage – Chair" in html and "on behalf of Cambridgeshire Constabulary" in html
    assert "Apologies</strong> were received from Lyn Hesse (East Cambridgeshire District Council)" in html
    assert f"{item.__class__.objects.get(pk=item.pk).minute_number}. {item.title}" in html
    assert "Action: Send diary sheets – East Cambridgeshire District Council" in html
    client.force_login(housing_caseworker)
    response = client.get(reverse("meeting_minutes_pdf", args=[meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    page = client.get(reverse("meeting_minutes", args=[meeting.pk])).content.decode()
    assert "Two incidents since the referral." in page


def test_a_failed_pack_says_why(media_root, march, chair_actor, monkeypatch, django_capture_on_commit_callbacks):  # noqa: F811
    agenda_build(actor=chair_actor, meeting=march, cut_off=at(date(2026, 3, 3)))

    def broken(html):
        raise RuntimeError("No fonts installed")

    monkeypatch.setattr(pdf, "render_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        agenda_issue(actor=chair_actor, meeting=march)
    document = MeetingDocument.objects.get(meeting=march)
    assert (document.status, document.error) == ("failed", "No fonts installed")


def test_with_an_object_store_the_pack_is_written_to_the_bucket_and_served_from_it(
    client, bucket, march, chair_actor, partnership, council, group, housing_caseworker, django_capture_on_commit_callbacks  # noqa: F811
):
    case_with_group(partnership=partnership, lead_agency=council, group=group, referred_on=date(2026, 2, 20))
    agenda_build(actor=chair_actor, meeting=march, cut_off=at(date(2026, 3, 3)))
    with django_capture_on_commit_callbacks(execute=True):
        agenda_issue(actor=chair_actor, meeting=march)
    document = MeetingDocument.objects.get(meeting=march, kind="agenda_pack")
    assert document.status == "ready", document.error
    assert bucket_keys(bucket) == [f"ecam/{document.file.name}"]
    stored = bucket.get_object(Bucket=BUCKET, Key=f"ecam/{document.file.name}")["Body"].read()
    assert stored.startswith(b"%PDF")
    client.force_login(housing_caseworker)
    response = client.get(reverse("meeting_pack", args=[march.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == stored
