"""Governance journeys in a real browser, every page checked by axe-core: the DPO searches the audit trail and checks
its chain; the coordinator answers a subject access request and decides on a case past its retention period."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from audit.services import Actor
from casework.models import CasePerson, RetentionReview, SubjectAccessRequest
from casework.services.retention import retention_reviews_raise
from tests.casework.factories import make_case
from tests.casework.factories_governance import coordinator, dpo, make_closed_case  # noqa: F401 (fixtures)
from tests.casework.factories_incidents import make_incident
from tests.casework.factories_people import put_on_case

pytestmark = pytest.mark.browser


def test_the_dpo_searches_the_trail_downloads_it_and_checks_the_chain(page, sign_in, step, partnership, council, dpo):
    case = make_case(partnership=partnership, lead_agency=council, summary="Loud music from the flat above")
    put_on_case(case=case, role=CasePerson.Role.VICTIM)
    sign_in(page, "dpo")
    page.get_by_role("link", name="Audit trail").click()
    step(page, "audit trail")

    page.get_by_label("Case reference").fill(case.reference)
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_test_id("audit-count")).to_contain_text(f"case {case.reference}")
    step(page, "search by case")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download these events as CSV").click()
    assert download.value.suggested_filename.startswith("audit-trail-")

    page.get_by_label("From").fill("2026-03-10")
    page.get_by_label("To").fill("2026-03-01")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("must be the same as or after")
    step(page, "wrong date range")

    page.goto(reverse("audit_chain"))
    step(page, "chain checks")
    page.get_by_role("button", name="Check the audit chain now").click()
    expect(page.get_by_role("table")).to_contain_text("Intact")
    step(page, "chain checked")


def test_the_coordinator_answers_a_subject_access_request_and_reviews_an_old_case(
    page, sign_in, step, partnership, council, coordinator
):
    case = make_case(partnership=partnership, lead_agency=council, summary="Loud music from the flat above")
    doreen = put_on_case(case=case, role=CasePerson.Role.VICTIM).person
    make_incident(case=case, on=date(2026, 3, 3), reported_by=doreen, description="Music until 3am from flat 7")
    old = make_closed_case(partnership=partnership, lead_agency=council, opened_on=date(2018, 4, 2), closed_on=date(2019, 1, 7))
    retention_reviews_raise(actor=Actor.system())

    sign_in(page, "coordinator")
    page.get_by_role("link", name="Subject access").click()
    step(page, "subject access")
    page.get_by_label("Last name").fill("Whitmore")
    page.get_by_role("button", name="Find").click()
    step(page, "person found")
    page.get_by_role("link", name="Record a request for Doreen Whitmore").click()
    step(page, "record a request")
    page.get_by_role("button", name="Produce the pack").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reference the request was given")
    step(page, "request with errors")

    page.get_by_label("Request reference").fill("SAR-2026-031")
    page.get_by_label("Date received").fill((date.today() - timedelta(days=2)).isoformat())
    page.get_by_label("About the request").fill("Letter from Mrs Whitmore; identity checked at the council office")
    page.get_by_role("button", name="Produce the pack").click()
    expect(page.get_by_role("heading", name="The pack is ready")).to_be_visible()
    step(page, "pack ready")
    assert SubjectAccessRequest.objects.get().status == "done"

    page.get_by_role("link", name="Retention").click()
    step(page, "retention reviews")
    page.get_by_role("link", name=old.reference).click()
    step(page, "retention review")
    page.get_by_role("button", name="Keep the case").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why the case should be kept")
    step(page, "keep without a reason")
    page.get_by_label("Why keep the case").fill("A civil injunction against the neighbour is still in force")
    page.get_by_label("Review again on").fill((date.today() + timedelta(days=120)).isoformat())
    page.get_by_role("button", name="Keep the case").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"{old.reference} kept until")
    step(page, "case kept")
    assert RetentionReview.objects.get(case=old).status == "deferred"
