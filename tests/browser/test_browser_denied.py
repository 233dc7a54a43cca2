"""A caseworker who types the address of a case their agency has no part in learns nothing about it."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from audit.models import AuditEvent
from tests.casework.factories import make_case

pytestmark = pytest.mark.browser


def test_a_fire_caseworker_typing_the_address_of_a_council_case_gets_not_found_and_is_audited(
    page, sign_in, step, fire_caseworker, council, partnership
):
    case = make_case(
        partnership=partnership, lead_agency=council, kind_slug="intimidation-harassment",
        summary="Verbal abuse of a neighbour on Broad Street, Ely", address="Broad Street, Ely", postcode="CB7 4AH",
    )
    sign_in(page, "fire-cw")

    response = page.goto(reverse("case_detail", args=[case.reference]))
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.locator("main")).to_contain_text("it may belong to an agency that has not shared it with yours")
    expect(page.locator("body")).not_to_contain_text("Broad Street")
    step(page, "case not found")

    denied = AuditEvent.objects.get(action=AuditEvent.Action.DENIED, user=fire_caseworker)
    assert denied.object_repr == case.reference
    assert denied.agency_name == "Cambridgeshire Fire and Rescue"

    page.get_by_role("link", name="Go to your dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")
    expect(page.get_by_role("main")).to_contain_text("Your agency can see 0 cases.")
    step(page, "back to the dashboard")
