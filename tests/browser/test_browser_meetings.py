"""The chair runs the monthly meeting from their screen: each item saves on its own, and every page passes axe-core."""

from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from audit.services import Actor
from meetings.models import AgendaItem
from meetings.services.agenda import agenda_build, agenda_issue
from tests.meetings.factories_meetings import at, case_with_group, make_chair, make_group, make_meeting

pytestmark = pytest.mark.browser


def test_the_chair_records_the_meeting_item_by_item_and_members_read_the_agenda(
    page, sign_in, step, partnership, police, council, housing, council_caseworker, housing_caseworker
):
    chair = make_chair(police=police, partnership=partnership)
    group = make_group(partnership=partnership, member_agencies=[police, council, housing], chair=chair)
    meeting = make_meeting(group, date(2026, 3, 10))
    case = case_with_group(partnership=partnership, lead_agency=council, group=group, referred_on=date(2026, 2, 20), summary="Loud music from the flat above the shop")
    agenda_build(actor=Actor(user=chair, agency=police), meeting=meeting, cut_off=at(date(2026, 3, 3)))
    agenda_issue(actor=Actor(user=chair, agency=police), meeting=meeting)

    sign_in(page, "police-chair")
    page.goto(reverse("meeting_list"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Meetings")
    step(page, "meetings")
    page.goto(reverse("meeting_agenda", args=[meeting.pk]))
    step(page, "agenda editor")
    page.goto(reverse("meeting_run", args=[meeting.pk]))
    step(page, "the chair's screen")

    item = meeting.items.get(case=case)
    block = page.locator(f"#item-{item.pk}")
    block.get_by_label("Minutes").fill("Lyn Hesse reported two incidents since the referral.")
    block.get_by_label("Keep open with the group").check()
    url_before = page.url
    block.get_by_role("button", name="Save minute").click()
    expect(page.locator(f"#item-{item.pk}")).to_contain_text("Saved.")
    assert page.url == url_before, "saved in place, without reloading the page"
    step(page, "minute saved in place")
    item.refresh_from_db()
    assert item.minute_text == "Lyn Hesse reported two incidents since the referral." and item.decision == AgendaItem.Decision.KEEP_OPEN

    page.goto(reverse("meeting_minutes", args=[meeting.pk]))
    expect(page.get_by_role("main")).to_contain_text("Lyn Hesse reported two incidents since the referral.")
    step(page, "draft minutes")

    page.context.clear_cookies()
    sign_in(page, "housing-cw")
    page.goto(reverse("meeting_detail", args=[meeting.pk]))
    expect(page.get_by_test_id("agenda")).to_contain_text(case.reference)
    page.get_by_text(f"4.1 {case.reference}").click()
    expect(page.get_by_test_id("agenda")).to_contain_text("Loud music from the flat above the shop")
    step(page, "a member reads the agenda")
