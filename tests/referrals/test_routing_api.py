"""The routing rules and a suggestion for draft facts, through the API."""

import pytest
from rest_framework.test import APIClient

from agencies.models import Membership
from referrals.models import RoutingRule
from tests.agencies.factories import UserFactory, make_member
from tests.referrals.factories_routing import coordinator, ecam_agencies, ecam_rules, make_rule  # noqa: F401


@pytest.fixture
def api():
    return APIClient()


def test_the_rules_of_the_acting_partnership_in_order(api, partnership, other_partnership, police, police_caseworker, ecam_rules):
    make_rule(partnership=other_partnership, lead_agency=police, name="Fenland's own rule")
    api.force_authenticate(police_caseworker)
    response = api.get("/api/v1/routing/rules/")
    assert response.status_code == 200
    assert [row["number"] for row in response.data] == list(range(1, 14))
    assert "Fenland's own rule" not in [row["name"] for row in response.data]
    first = response.data[0]
    assert first["name"] == "Deliberate fire setting by a young person"
    assert first["kinds"] == ["deliberate-fire-setting"] and first["subject_under_18"] is True and first["hate_motivated"] is None
    assert first["lead_agency"] == {"slug": "cambs-fire", "name": "Cambridgeshire Fire and Rescue"}
    assert {a["slug"] for a in first["supporting_agencies"]} == {"cambs-police", "cambs-yos"}
    assert first["suggested_interventions"][0] == {"value": "abc", "label": "Acceptable Behaviour Contract"}


def test_the_acting_membership_decides_the_partnership(api, partnership, other_partnership, police, ecam_rules):
    user = UserFactory(username="county-wide")
    make_member(agency=police, partnership=partnership, username="county-wide")
    fenland = Membership.objects.create(user=user, agency=police, partnership=other_partnership, role="caseworker")
    make_rule(partnership=other_partnership, lead_agency=police, name="Fenland's own rule")
    api.force_authenticate(user)
    response = api.get("/api/v1/routing/rules/", HTTP_X_ACTING_MEMBERSHIP=str(fenland.pk))
    assert [row["name"] for row in response.data] == ["Fenland's own rule"]


def test_trying_facts_gives_the_suggestion_and_why(api, police_caseworker, ecam_rules):
    api.force_authenticate(police_caseworker)
    response = api.post("/api/v1/routing/try/", {"kind": "intimidation-harassment", "subject_tenure": "housing_association",
                                                 "subject_age_band": "adult", "is_complex": True}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["matched"] is True
    assert response.data["lead_agency"]["slug"] == "sanctuary"
    assert response.data["rule"]["number"] == 4 and response.data["rule"]["name"] == "ASB by a housing association tenant"
    assert response.data["explanation"] == (
        "This case would go to Sanctuary Housing, by rule 4 (ASB by a housing association tenant), "
        "because the subject is a housing association tenant."
    )
    assert {"value": "tenancy_enforcement", "label": "Tenancy enforcement"} in response.data["suggested_interventions"]
    assert RoutingRule.objects.count() == 13


def test_trying_facts_no_rule_takes(api, police_caseworker, partnership, police):
    api.force_authenticate(police_caseworker)
    response = api.post("/api/v1/routing/try/", {}, format="json")
    assert response.status_code == 200
    assert response.data["matched"] is False and response.data["lead_agency"] is None and response.data["rule"] is None
    assert "no lead agency is suggested" in response.data["explanation"]


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"kind": "no-such-kind"}, "kind"),
        ({"subject_tenure": "castle"}, "subject_tenure"),
        ({"subject_age_band": "ancient"}, "subject_age_band"),
        ({"is_complex": "perhaps"}, "is_complex"),
        ({"recent_incidents": 4}, "recent_period_days"),
        ({"recent_period_days": 30}, "recent_incidents"),
        ({"recent_incidents": -1, "recent_period_days": 30}, "recent_incidents"),
        ({"recent_incidents": 3, "recent_period_days": 0}, "recent_period_days"),
    ],
)
def test_bad_facts_are_a_400_naming_the_field(api, police_caseworker, ecam_rules, payload, field):
    api.force_authenticate(police_caseworker)
    response = api.post("/api/v1/routing/try/", payload, format="json")
    assert response.status_code == 400
    assert field in response.data


def test_without_an_agency_the_api_refuses(api, ecam_rules):
    api.force_authenticate(UserFactory(username="nobody"))
    assert api.get("/api/v1/routing/rules/").status_code == 403
    assert api.post("/api/v1/routing/try/", {}, format="json").status_code == 403


def test_signed_out_callers_are_refused(api, ecam_rules):
    assert api.get("/api/v1/routing/rules/").status_code in (401, 403)
