"""The chair runs the monthly meeting of the East Cambridgeshire ASB casework group from their screen, end to end:
opens the next meeting, builds and issues the agenda, downloads the pack, records attendance and apologies, minutes
a case with a decision and an action for Sanctuary Housing, and publishes the minutes; Sanctuary Housing's caseworker
then finds the action on the case. Every page passes axe-core.

The packs are made by the Celery task the app queues when a transaction commits; the test settings run Celery
eagerly, so the task runs in the server's thread before the response is sent, and the pack is ready at once."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from casework.models import Action, Case
from meetings.models import AgendaItem, Attendance, Meeting, MeetingDocument
from meetings.services.common import day
from tests.meetings.factories_meetings import GROUP_NAME, case_with_group, make_chair, make_group, make_meeting
from tests.reports.factories_reports import pdf_text, says

pytestmark = pytest.mark.browser

SUMMARY = "Loud music from the flat above the shop, most nights"
MINUTE = "Lyn Hesse reported two incidents since the referral. The tenant is a Sanctuary Housing tenant: the landlord leads from here."
ACTION = "Visit the tenant and serve a tenancy warning letter"
OTHER_BUSINESS = "Fireworks night: joint patrols on the Lisle Lane estate"


def _download(page, link) -> bytes:
    with page.expect_download() as download:
        link.click()
    assert download.value.failure() is None
    with open(download.value.path(), "rb") as pdf:
        return pdf.read()


def _record_attendance(page, step, *, agency: str, status: str, person: str = "", name: str = "", role: str = ""):
    attendance = page.locator("#attendance")
    if person:
        attendance.get_by_label("Person").select_option(label=person)
    else:
        attendance.get_by_label("Name", exact=True).fill(name)
    attendance.get_by_label("On behalf of").select_option(label=agency)
    attendance.get_by_label("Role at the meeting").fill(role)
    attendance.get_by_label(status, exact=True).check()
    attendance.get_by_role("button", name="Record").click()
    # Saved in place: the attendance section comes back with the new row.
    expect(page.locator("#attendance table")).to_contain_text(person or name)
    step(page, f"{status.lower()} recorded: {person or name}")


def test_the_chair_runs_the_next_meeting_from_agenda_to_published_minutes_and_housing_finds_its_action(
    page, sign_in, step, partnership, police, council, housing, council_caseworker, housing_caseworker
):
    today = timezone.localdate()
    chair = make_chair(police=police, partnership=partnership)
    group = make_group(partnership=partnership, member_agencies=[police, council, housing], chair=chair)
    meeting = make_meeting(group, today)  # this morning's meeting: its minutes can be published today
    following = make_meeting(group, today + timedelta(days=28))
    case = case_with_group(
        partnership=partnership, lead_agency=council, group=group, referred_on=today - timedelta(days=10),
        opened_on=today - timedelta(days=40), summary=SUMMARY,
    )

    # The chair opens the next meeting from the list of their group's meetings.
    sign_in(page, "police-chair")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Meetings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meetings")
    step(page, "meetings")
    next_row = page.get_by_test_id("meeting-row").first
    expect(next_row).to_contain_text(GROUP_NAME)
    next_row.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{today:%A} {day(today)}")
    step(page, "the next meeting")

    # Builds the agenda at the usual cut-off, adds an item of other business and issues it.
    page.get_by_role("link", name="Build the agenda").click()
    step(page, "agenda editor")
    page.get_by_role("button", name="Build the agenda").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Agenda built")
    new_referrals = page.locator("section", has=page.get_by_role("heading", name="4. New referrals"))
    expect(new_referrals).to_contain_text(case.reference)
    step(page, "agenda built")
    add_form = page.locator(f"form[action='{reverse('meeting_agenda_add', args=[meeting.pk])}']")
    add_form.get_by_label("Title").fill(OTHER_BUSINESS)
    add_form.get_by_label("Text").fill("Sanctuary Housing and the police to agree dates for the week of 2 November.")
    add_form.get_by_role("button", name="Add the item").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"Added to any other business: {OTHER_BUSINESS}")
    step(page, "other business added")
    page.get_by_role("button", name="Issue the agenda and make the pack").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Agenda issued")
    expect(page.get_by_test_id("agenda")).to_contain_text(case.reference)
    step(page, "agenda issued")

    # The pack: a real PDF, made by the Celery task, OFFICIAL-SENSITIVE, holding the agenda.
    pack = pdf_text(_download(page, page.get_by_role("link", name="Download the agenda pack (PDF, OFFICIAL-SENSITIVE)")))
    assert "OFFICIAL-SENSITIVE" in pack
    for words in (GROUP_NAME, day(today), "New referrals", case.reference, "Any other business", OTHER_BUSINESS, day(following.held_on)):
        assert says(pack, words), f"the agenda pack does not say {words!r}:\n{pack}"
    assert MeetingDocument.objects.get(meeting=meeting, kind=MeetingDocument.Kind.AGENDA_PACK).status == MeetingDocument.Status.READY

    # In the room: attendance and apologies, then the case's minute, decision and action, each saved on its own.
    page.get_by_role("link", name="Run the meeting").click()
    step(page, "the chair's screen")
    _record_attendance(page, step, person="Chris Savage", agency="Cambridgeshire Constabulary", role="Chair", status="Present")
    _record_attendance(page, step, name="Lyn Hesse", agency="East Cambridgeshire District Council", role="ASB officer", status="Present")
    _record_attendance(page, step, name="Dawn Mitchell", agency="Sanctuary Housing", role="Housing officer", status="Apologies")

    item = meeting.items.get(case=case)
    block = page.locator(f"#item-{item.pk}")
    block.get_by_label("Minutes").fill(MINUTE)
    block.get_by_label("Change the lead agency").check()
    block.get_by_label("New lead agency").select_option(label="Sanctuary Housing")
    url_before = page.url
    block.get_by_role("button", name="Save minute").click()
    expect(page.locator(f"#item-{item.pk}")).to_contain_text("Saved.")
    assert page.url == url_before, "saved in place, without reloading the page"
    step(page, "minute and decision saved")

    block = page.locator(f"#item-{item.pk}")
    block.get_by_text("Add an action or a declaration of interest").click()
    block.get_by_label("What needs to be done").fill(ACTION)
    block.get_by_label("Owner").select_option(label="Sanctuary Housing")
    due_on = today + timedelta(days=14)
    block.get_by_label("Due date").fill(due_on.isoformat())
    block.get_by_role("button", name="Add the action").click()
    expect(page.locator(f"#item-{item.pk}")).to_contain_text(f"Action: {ACTION} – Sanctuary Housing, by {due_on:%-d %b %Y}")
    step(page, "action for Sanctuary Housing")

    # The draft minutes, then publishing them.
    page.get_by_role("link", name="Review and publish the minutes").click()
    minutes = page.get_by_role("main")
    expect(minutes).to_contain_text("Chris Savage – Chair, on behalf of Cambridgeshire Constabulary")
    expect(minutes).to_contain_text("Apologies were received from Dawn Mitchell (Sanctuary Housing)")
    expect(minutes).to_contain_text("Decision: Change the lead agency: Sanctuary Housing.")
    expect(minutes).to_contain_text(f"Action: Sanctuary Housing – {ACTION}")
    step(page, "draft minutes")
    page.get_by_role("button", name="Publish the minutes").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Minutes published")
    step(page, "minutes published")
    meeting.refresh_from_db()
    item.refresh_from_db()
    assert meeting.minutes_published_at is not None and item.minute_number is not None
    assert list(Attendance.objects.filter(meeting=meeting).order_by("name").values_list("name", "status")) == [
        ("Chris Savage", "present"), ("Dawn Mitchell", "apologies"), ("Lyn Hesse", "present"),
    ]
    minutes_pdf = pdf_text(_download(page, page.get_by_role("link", name="Download the minutes (PDF, OFFICIAL-SENSITIVE)")))
    assert "OFFICIAL-SENSITIVE" in minutes_pdf and says(minutes_pdf, ACTION)

    # The decision and the action are on the case now: Sanctuary Housing leads it and owns the action.
    case.refresh_from_db()
    assert case.lead_agency == housing
    action = Action.objects.get(case=case)
    assert (action.description, action.owner_agency, action.owner_user, action.due_on) == (ACTION, housing, None, due_on)
    source = f"{GROUP_NAME}, {day(today)}, minute {item.minute_number}"
    assert action.source == source

    # Sanctuary Housing's caseworker signs in and finds the action on the case.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "housing-cw")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Cases").click()
    step(page, "housing's cases")
    page.get_by_role("link", name=case.reference).first.click()
    expect(page.get_by_role("main")).to_contain_text("Sanctuary Housing")
    step(page, "the case")
    page.get_by_role("navigation", name="Case sections").get_by_role("link", name="Actions").click()
    row = page.get_by_test_id("action-row").filter(has_text=ACTION)
    expect(row).to_contain_text("Sanctuary Housing")
    expect(row).to_contain_text(source)
    expect(row).to_contain_text(f"{due_on:%-d %b %Y}")
    step(page, "the group's action on the case")
    assert Case.objects.get(pk=case.pk).lead_agency == housing
    assert Meeting.objects.get(pk=meeting.pk).items.filter(kind=AgendaItem.Kind.ADDED, title=OTHER_BUSINESS).exists()


def _expect_logged_failure(page, url):
    """The browser and htmx log the failed save to the console, as they should: taken off the journey's problems, which
    fail a step on any console error."""
    journey = page._journey
    logged = [problem for problem in journey.problems if url in problem]
    assert logged, f"no console record of the failed request to {url}: {journey.problems}"
    journey.problems = [problem for problem in journey.problems if url not in problem]


def test_on_the_chairs_screen_a_save_that_fails_says_so_and_keeps_what_was_typed(page, sign_in, step, partnership, police, council):
    """htmx does nothing visible with an error, and would put the sign-in page where the form was once the session had
    ended: the chair would take the minute for saved, or lose it. static/js/app.js says so beside the form instead."""
    from audit.services import Actor
    from meetings.services.agenda import agenda_build

    today = timezone.localdate()
    chair = make_chair(police=police, partnership=partnership)
    group = make_group(partnership=partnership, member_agencies=[police, council], chair=chair)
    meeting = make_meeting(group, today)
    case = case_with_group(partnership=partnership, lead_agency=council, group=group, referred_on=today - timedelta(days=10), summary=SUMMARY)
    agenda_build(actor=Actor(user=chair, agency=police), meeting=meeting)
    item = meeting.items.get(case=case)
    save_url = reverse("meeting_run_item", args=[meeting.pk, item.pk])

    sign_in(page, "police-chair")
    page.goto(reverse("meeting_run", args=[meeting.pk]))
    block = page.locator(f"#item-{item.pk}")
    block.get_by_label("Minutes").fill(MINUTE)
    page.route(f"**{save_url}", lambda route: route.fulfill(status=500, body="Server Error"))
    block.get_by_role("button", name="Save minute").click()
    expect(block.get_by_role("alert")).to_contain_text("Not saved: something went wrong on the server (error 500). What you entered is still here.")
    expect(block.get_by_label("Minutes")).to_have_value(MINUTE)
    _expect_logged_failure(page, save_url)
    step(page, "a save that failed")
    page.unroute(f"**{save_url}")
    block.get_by_role("button", name="Save minute").click()
    expect(page.locator(f"#item-{item.pk}")).to_contain_text("Saved.")
    expect(page.locator(f"#item-{item.pk}").get_by_role("alert")).to_have_count(0)
    item.refresh_from_db()
    assert item.minute_text == MINUTE

    # Opening the item's forms to add an action, when they cannot be loaded: said just before them.
    add_url = reverse("meeting_run_item_add", args=[meeting.pk, item.pk])
    page.route(f"**{add_url}", lambda route: route.fulfill(status=503, body="Service Unavailable"))
    block = page.locator(f"#item-{item.pk}")
    block.get_by_text("Add an action or a declaration of interest").click()
    expect(block.get_by_role("alert")).to_have_text("Error: This could not be loaded (error 503). Try again, or reload the page.")
    expect(block.get_by_role("link", name="Open the forms")).to_be_visible()
    _expect_logged_failure(page, add_url)
    step(page, "forms that could not be loaded")
    page.unroute(f"**{add_url}")

    # The session ends meanwhile (timed out, or signed out everywhere from another device): told so, and the new text
    # stays in the form.
    from django.contrib.sessions.models import Session

    Session.objects.all().delete()
    block = page.locator(f"#item-{item.pk}")
    block.get_by_label("Minutes").fill(MINUTE + " Next review in a month.")
    block.get_by_role("button", name="Save minute").click()
    expect(block.get_by_role("alert").filter(has_text="Not saved")).to_contain_text("Not saved: you have been signed out. Sign in again in a new tab, then try again here.")
    expect(block.get_by_label("Minutes")).to_have_value(MINUTE + " Next review in a month.")
    _expect_logged_failure(page, save_url)
    step(page, "a save after signing out")
    item.refresh_from_db()
    assert item.minute_text == MINUTE
