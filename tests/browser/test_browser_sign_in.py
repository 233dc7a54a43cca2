"""Signing in, finding a case, and what happens with a wrong password, in a real browser."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from casework.models import Case
from tests.agencies.factories import make_member
from tests.agencies.factories_security import make_totp_device, totp_code
from tests.browser.conftest import PASSWORD
from tests.casework.factories import make_case

pytestmark = pytest.mark.browser


@pytest.fixture
def priya(police, partnership):
    return make_member(agency=police, partnership=partnership, username="priya.hughes", first_name="Priya", last_name="Hughes")


def test_a_caseworker_signs_in_finds_a_case_of_their_agency_reads_every_tab_and_signs_out(
    page, sign_in, step, priya, police, council, partnership
):
    ours = make_case(
        partnership=partnership, lead_agency=police, kind_slug="youth-asb",
        summary="Groups of youths shouting and throwing stones at windows on Fordham Road, Soham",
        address="Fordham Road, Soham", postcode="CB7 5AH", ward="Soham North", risk_level=Case.RiskLevel.MEDIUM,
    )
    theirs = make_case(
        partnership=partnership, lead_agency=council, kind_slug="fly-tipping",
        summary="Fly-tipping behind the garages at Lisle Close, Ely",
    )

    sign_in(page, "priya.hughes")
    header = page.get_by_test_id("acting-for")
    expect(header).to_contain_text("Priya Hughes")
    expect(header).to_contain_text("Cambridgeshire Constabulary")
    expect(header).to_contain_text("East Cambridgeshire CSP")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")
    expect(page.get_by_role("link", name=ours.reference)).to_be_visible()

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Cases").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cases")
    step(page, "case list")
    expect(page.get_by_text("1 case", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=theirs.reference)).to_have_count(0)

    page.get_by_role("link", name=ours.reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{ours.reference}: {ours.summary}")
    step(page, "case summary")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Fordham Road, Soham CB7 5AH (Soham North)")

    # Every tab the case page offers, as other parts of the application add them.
    tabs = page.get_by_role("navigation", name="Case sections").get_by_role("link")
    labels = tabs.all_inner_texts()
    assert labels[0] == "Summary"
    for label in labels[1:]:
        tabs.get_by_text(label, exact=True).click()
        expect(tabs.get_by_text(label, exact=True)).to_have_attribute("aria-current", "page")
        step(page, f"case {label}")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to ASB Casework")
    step(page, "signed out")
    page.goto(reverse("case_detail", args=[ours.reference]))
    expect(page).to_have_url(re.compile(rf"/sign-in/\?next=/cases/{ours.reference}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to ASB Casework")
    step(page, "case asks for sign-in again")


def test_a_wrong_password_shows_the_error_summary_and_keeps_the_username(page, step, priya):
    page.goto(reverse("login"))
    step(page, "sign-in page")
    page.get_by_label("Username").fill("priya.hughes")
    page.get_by_label("Password").fill("not-my-password")
    page.get_by_role("button", name="Sign in").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Enter a correct username and password. Both are case-sensitive.")
    # GOV.UK Frontend moves focus to the summary so that screen reader users hear it first.
    expect(summary).to_be_focused()
    expect(page.get_by_label("Username")).to_have_value("priya.hughes")
    expect(page.get_by_label("Password")).to_have_value("")
    expect(page.get_by_test_id("acting-for")).to_have_count(0)
    step(page, "wrong password")


def test_a_caseworker_signs_in_with_the_keyboard_alone(page, step, priya):
    device = make_totp_device(priya)
    page.goto(reverse("login"))
    step(page, "sign-in page")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Username")).to_be_focused()
    page.keyboard.type("priya.hughes")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    step(page, "two-factor code")
    # Chromium carries the focus starting point over from the form just sent: a Tab or two reaches the code field.
    code = page.get_by_label("Code")
    for _ in range(3):
        page.keyboard.press("Tab")
        if code.evaluate("element => element === document.activeElement"):
            break
    expect(code).to_be_focused()
    page.keyboard.type(totp_code(device))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")
    expect(page.get_by_test_id("acting-for")).to_contain_text("Priya Hughes")
    step(page, "signed in")
