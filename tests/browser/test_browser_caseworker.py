"""The caseworker journey: a council caseworker opens a case for a housing association tenant's noise nuisance, sees
where the partnership's rules would route it and why, logs three complaints from the same victim, sees the ASB Case
Review flag appear, and refers the case to Sanctuary Housing; the housing caseworker accepts it and becomes the lead."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from casework.models import Case
from tests.referrals.factories_routing import ecam_agencies, ecam_rules  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


def _log_complaint(page, step, *, days_ago: int, what: str, number: int):
    day = timezone.localdate() - timedelta(days=days_ago)
    for prefix in ("occurred", "reported"):
        page.locator(f"[name={prefix}_day]").fill(str(day.day))
        page.locator(f"[name={prefix}_month]").fill(str(day.month))
        page.locator(f"[name={prefix}_year]").fill(str(day.year))
    page.locator("[name=occurred_time]").fill("23:15")
    page.get_by_label("Who reported it").select_option(label="Doreen Whitmore (Victim or complainant)")
    page.get_by_label("Phone").check()
    page.get_by_label("What happened").fill(what)
    page.get_by_role("button", name="Log incident").click()
    step(page, f"complaint {number} logged")


def test_council_opens_routes_flags_and_hands_a_case_to_housing_who_accept_it(
    page, sign_in, step, ecam_rules, council_caseworker, housing_caseworker, housing, council
):
    sign_in(page, "council-cw")
    step(page, "dashboard")

    page.goto(reverse("case_open"))
    step(page, "open a case")
    page.get_by_label("Summary").fill("Loud music and banging from the flat above, most nights")
    page.get_by_label("Kind of ASB").select_option(label="Neighbour noise")
    page.get_by_label("Housing association tenant").check()
    page.get_by_label("18 or over").check()
    suggestion = page.get_by_test_id("routing-suggestion")
    expect(suggestion).to_contain_text("Suggested lead: Sanctuary Housing")
    expect(suggestion).to_contain_text("because the subject is a housing association tenant")
    step(page, "routing suggestion")

    page.get_by_label("If you choose a lead other than the one suggested, say why").fill(
        "Reported to the council's front office: we investigate first, then hand to the landlord"
    )
    page.get_by_role("button", name="Open case").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Loud music and banging")
    case = Case.objects.get(summary__startswith="Loud music and banging")
    assert case.lead_agency == council
    expect(page.get_by_test_id("case-routing-summary")).to_contain_text("Suggestion overridden")
    step(page, "case opened")

    page.get_by_role("navigation", name="Case sections").get_by_role("link", name="People").click()
    step(page, "people tab")
    page.get_by_role("link", name="Add a person").click()
    page.get_by_label("First name").fill("Doreen")
    page.get_by_label("Last name").fill("Whitmore")
    page.get_by_label("Victim or complainant").check()
    step(page, "add the victim")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("main")).to_contain_text("Doreen Whitmore")
    step(page, "victim added")

    page.get_by_role("navigation", name="Case sections").get_by_role("link", name="Incidents").click()
    step(page, "incidents tab")
    _log_complaint(page, step, days_ago=40, what="Music until 2am, banging on the ceiling", number=1)
    expect(page.locator("main")).not_to_contain_text("Over the ASB Case Review threshold")
    _log_complaint(page, step, days_ago=20, what="Shouting and loud music after midnight", number=2)
    _log_complaint(page, step, days_ago=3, what="Bass music through the floor all night", number=3)
    expect(page.locator("main")).to_contain_text("Over the ASB Case Review threshold")
    case.refresh_from_db()
    assert case.case_review_flagged_at is not None and "3 complaints" in case.case_review_rule

    tabs = page.get_by_role("navigation", name="Case sections")
    tabs.get_by_role("link", name="Referrals").click()
    step(page, "referrals tab")
    page.get_by_label("Refer the case to").select_option(label="Sanctuary Housing")
    page.get_by_label("Take the lead").check()
    page.get_by_label("Why are you referring the case?").fill("Tenancy matter for the landlord: three complaints in six weeks")
    page.get_by_role("button", name="Send referral").click()
    expect(page.locator("main")).to_contain_text("Sanctuary Housing")
    step(page, "referral sent")

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "housing-cw")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Referrals").click()
    step(page, "housing referrals inbox")
    page.get_by_role("link", name=case.reference).first.click()
    step(page, "referral page")
    page.get_by_role("button", name="Accept the referral").click()
    step(page, "referral accepted")

    page.goto(reverse("case_detail", args=[case.reference]))
    expect(page.locator("main")).to_contain_text("Sanctuary Housing")
    step(page, "case now led by housing")
    case.refresh_from_db()
    assert case.lead_agency == housing
