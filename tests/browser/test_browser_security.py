"""Security in a real browser: the Content Security Policy enforced, setting up two-factor sign-in, and the warning
before an idle session ends."""

import re
import time

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from agencies.models import UserSession
from tests.agencies.factories import make_member
from tests.agencies.factories_security import make_totp_device, totp_code
from tests.browser.conftest import PASSWORD, VIEWPORT
from tests.casework.factories import make_case

pytestmark = pytest.mark.browser


@pytest.fixture
def priya(police, partnership):
    return make_member(agency=police, partnership=partnership, username="priya.hughes", first_name="Priya", last_name="Hughes")


def test_pages_work_under_the_content_security_policy_without_a_single_violation(browser, live_server, priya, police, partnership):
    """Every other journey bypasses the policy so that axe-core can be injected; this one enforces it."""
    case = make_case(partnership=partnership, lead_agency=police, kind_slug="youth-asb", summary="Stones thrown at windows on Fordham Road, Soham")
    device = make_totp_device(priya)
    context = browser.new_context(base_url=live_server.url, bypass_csp=False, viewport=VIEWPORT, locale="en-GB")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    problems = []
    tab.on("console", lambda message: problems.append(message.text) if message.type in ("error", "warning") else None)
    tab.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    try:
        response = tab.goto(reverse("login"))
        assert "script-src 'self'" in response.headers["content-security-policy"]
        tab.get_by_label("Username").fill("priya.hughes")
        tab.get_by_label("Password").fill(PASSWORD)
        tab.get_by_role("button", name="Sign in").click()
        tab.get_by_label("Code").fill(totp_code(device))
        tab.get_by_role("button", name="Continue").click()
        expect(tab.get_by_role("heading", level=1)).to_have_text("Your dashboard")
        # GOV.UK Frontend's module ran (it marks the body), so scripts from our own origin are allowed.
        expect(tab.locator("body")).to_have_class(re.compile("govuk-frontend-supported"))

        tab.goto(reverse("case_detail", args=[case.reference]))
        expect(tab.get_by_role("heading", level=1)).to_contain_text(case.reference)
        # The open-a-case page asks htmx for the routing suggestion as it loads: htmx works under the policy too.
        tab.goto(reverse("case_open"))
        expect(tab.get_by_role("heading", level=1)).to_be_visible()
        tab.wait_for_load_state("networkidle")
        assert tab.evaluate("() => document.querySelectorAll('style').length") == 0, "htmx added no <style> element"
        tab.goto(reverse("profile"))
        expect(tab.get_by_role("heading", name="Two-factor sign-in")).to_be_visible()
    finally:
        context.close()
    violations = [text for text in problems if "Content Security Policy" in text or "Refused to" in text]
    assert not violations, "\n".join(violations)
    assert not problems, "\n".join(problems)


def test_a_new_user_sets_up_two_factor_sign_in_and_keeps_the_backup_codes(page, step, priya):
    page.goto(reverse("case_list"))
    step(page, "sign-in page")
    page.get_by_label("Username").fill("priya.hughes")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(page.get_by_test_id("acting-for")).to_have_count(0)
    step(page, "set up two-factor")
    secret = page.get_by_test_id("totp-secret").inner_text()
    assert re.fullmatch(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", secret)

    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Confirm and continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("That code is not right")
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    step(page, "wrong code")

    device = TOTPDevice.objects.get(user=priya, confirmed=False)
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)  # a minute later
    page.get_by_label("Code").fill(totp_code(device))
    page.get_by_role("button", name="Confirm and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor sign-in is set up")
    expect(page.get_by_test_id("backup-codes").get_by_role("listitem")).to_have_count(10)
    step(page, "backup codes")

    page.get_by_role("link", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cases")
    expect(page.get_by_test_id("acting-for")).to_contain_text("Priya Hughes")
    step(page, "case list after setting up")
    page.get_by_role("link", name="Your profile and API tokens").click()
    expect(page.get_by_test_id("two-factor-status")).to_contain_text("You have 10 backup codes left")
    expect(page.locator("body")).not_to_contain_text(secret)
    step(page, "profile")


def test_an_idle_session_warns_first_and_the_user_stays_signed_in(page, sign_in, step, priya, settings):
    sign_in(page, "priya.hughes")
    # A session 2 minutes and 3 seconds long: the warning (2 minutes before the end) comes 3 seconds after the page.
    settings.SESSION_COOKIE_AGE = 123
    page.goto(reverse("case_list"))
    step(page, "case list")
    dialog = page.get_by_role("dialog", name="You will be signed out soon")
    expect(dialog).to_be_visible(timeout=8_000)
    expect(dialog).to_contain_text("we will sign you out in 2 minutes")
    expect(dialog.get_by_role("button", name="Stay signed in")).to_be_focused()
    step(page, "warning before the session ends")

    settings.SESSION_COOKIE_AGE = 30 * 60
    before = timezone.now()
    dialog.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_be_hidden()
    assert Session.objects.get().expire_date > before + timezone.timedelta(minutes=29)
    step(page, "stayed signed in")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cases")


def test_an_idle_session_ends_with_a_message_on_the_sign_in_page(page, sign_in, step, priya, settings):
    sign_in(page, "priya.hughes")
    settings.SESSION_COOKIE_AGE = 4
    settings.SESSION_TIMEOUT_WARNING_SECONDS = 2
    page.goto(reverse("case_list"))
    started = time.monotonic()
    step(page, "case list")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to ASB Casework", timeout=10_000)
    assert time.monotonic() - started >= 2
    expect(page.locator("main")).to_contain_text("You were signed out because you had not used ASB Casework")
    expect(page).to_have_url(re.compile(r"/sign-in/\?timed_out=1&next=%2Fcases%2F$"))
    step(page, "signed out after the time")
    # Signed out on the server too: the session is gone or past its time, so the browser's cookie opens nothing.
    keys = UserSession.objects.filter(user=priya).values("session_key")
    assert not Session.objects.filter(session_key__in=keys, expire_date__gt=timezone.now()).exists()
    page.goto(reverse("case_list"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to ASB Casework")
    step(page, "cases ask for sign-in")
