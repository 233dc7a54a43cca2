"""Analysts make the partnership's reports: the cases their agency works on are not theirs to open or list."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework.test import APIClient

from agencies.models import Membership
from agencies.services import membership_add
from casework.permissions import case_permissions, cases_permitted
from tests.agencies.factories import make_member
from tests.casework.factories import make_case


@pytest.fixture
def analyst(council, partnership):
    return make_member(agency=council, partnership=partnership, role=Membership.Role.ANALYST, username="analyst")


def test_an_analyst_cannot_list_or_open_their_agencys_cases(client, analyst, council, council_caseworker, partnership):
    case = make_case(partnership=partnership, lead_agency=council, summary="Music from flat 7 every night")
    assert case_permissions(user=council_caseworker, agency=council, case=case), "the agency leads the case"

    assert case_permissions(user=analyst, agency=council, case=case) == set()
    assert not cases_permitted(user=analyst, agency=council).exists()
    client.force_login(analyst)
    assert client.get(reverse("case_detail", args=[case.reference])).status_code == 404
    listing = client.get(reverse("case_list"))
    assert listing.status_code == 200 and case.reference not in listing.content.decode()
    assert client.get(reverse("report_list")).status_code == 200, "their reports are theirs"

    api = APIClient()
    api.force_authenticate(analyst)
    assert api.get(f"/api/v1/cases/{case.reference}/").status_code == 404
    assert api.get("/api/v1/cases/").json()["count"] == 0


def test_a_caseworker_who_is_also_an_analyst_elsewhere_keeps_their_casework(analyst, council, police, partnership):
    membership_add(user=analyst, agency=police, partnership=partnership, role=Membership.Role.CASEWORKER)
    user = get_user_model().objects.get(pk=analyst.pk)  # a fresh user object, as each request has
    assert "view_case" in case_permissions(user=user, agency=police, case=make_case(partnership=partnership, lead_agency=police))
    assert case_permissions(user=user, agency=council, case=make_case(partnership=partnership, lead_agency=council)) == set()



def test_an_analysts_menu_offers_no_case_lists(client, partnership, police):
    analyst = make_member(agency=police, partnership=partnership, role=Membership.Role.ANALYST, username="analyst-menu")
    client.force_login(analyst)
    menu = client.get(reverse("report_list")).content.decode()
    menu = menu[menu.index('id="navigation"'):menu.index("</nav>")]
    assert reverse("report_list") in menu and reverse("dashboard") in menu
    for page in ("case_list", "referral_inbox", "meeting_list"):
        assert reverse(page) not in menu
