"""Coordinators keep the routing rules in the browser; everyone else may read them; anyone opening a case gets a suggestion."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.models import Membership
from audit.models import AuditEvent
from casework.models import AsbKind, Case
from referrals.models import CaseRoutingDecision, RoutingRule
from tests.agencies.factories import PartnershipFactory, UserFactory, make_agency, make_member
from tests.referrals.factories_routing import coordinator, ecam_agencies, ecam_rules, make_rule  # noqa: F401


def test_the_rules_list_shows_the_rules_in_order_to_every_member(client, police_caseworker, ecam_rules):
    client.force_login(police_caseworker)
    response = client.get(reverse("routing_rule_list"))
    assert response.status_code == 200
    html = response.content.decode()
    positions = [html.index(rule.name) for rule in ecam_rules]
    assert positions == sorted(positions)
    assert "Only the partnership's coordinators can change these rules." in html
    assert reverse("routing_rule_create") not in html
    assert reverse("routing_rule_edit", args=[ecam_rules[0].pk]) not in html


def test_coordinators_see_the_controls(client, coordinator, ecam_rules):
    client.force_login(coordinator)
    html = client.get(reverse("routing_rule_list")).content.decode()
    assert reverse("routing_rule_create") in html and reverse("routing_try") in html
    assert reverse("routing_rule_edit", args=[ecam_rules[3].pk]) in html
    assert html.count("Move up") == 12 and html.count("Move down") == 12


def test_the_rules_list_query_count_does_not_grow_with_rules(client, coordinator, partnership, police, council, ecam_rules, django_assert_max_num_queries):
    client.force_login(coordinator)
    with django_assert_max_num_queries(9):
        assert client.get(reverse("routing_rule_list")).status_code == 200
    with CaptureQueriesContext(connection) as thirteen:
        client.get(reverse("routing_rule_list"))
    for n in range(10):
        make_rule(partnership=partnership, lead_agency=council, supporting_agencies=[police], name=f"Extra {n}",
                  kinds=[AsbKind.objects.get(slug="littering")], suggested_interventions=["fixed_penalty"])
    with CaptureQueriesContext(connection) as twenty_three:
        client.get(reverse("routing_rule_list"))
    assert len(twenty_three) == len(thirteen)


@pytest.mark.parametrize(
    "method, url_name, needs_rule",
    [
        ("get", "routing_rule_create", False),
        ("post", "routing_rule_create", False),
        ("get", "routing_rule_edit", True),
        ("post", "routing_rule_edit", True),
        ("post", "routing_rule_move", True),
        ("post", "routing_rule_active", True),
        ("get", "routing_try", False),
    ],
)
def test_caseworkers_may_not_change_the_rules(client, council_caseworker, ecam_rules, method, url_name, needs_rule):
    client.force_login(council_caseworker)
    url = reverse(url_name, args=[ecam_rules[3].pk] if needs_rule else [])
    response = getattr(client, method)(url, {"direction": "down", "is_active": "no", "name": "Changed"})
    assert response.status_code == 403
    assert "You cannot do that" in response.content.decode()
    assert RoutingRule.objects.get(pk=ecam_rules[3].pk).priority == 4
    assert RoutingRule.objects.get(pk=ecam_rules[3].pk).is_active
    assert not AuditEvent.objects.filter(object_type="routingrule").exclude(action="create").exists()


def test_a_coordinator_of_another_partnership_may_not_change_these_rules(client, partnership, police, ecam_rules):
    fenland = PartnershipFactory(name="Fenland CSP", slug="fenland", short_code="FENL")
    fenland_coordinator = make_member(agency=police, partnership=fenland, role=Membership.Role.COORDINATOR, username="fen-coord")
    client.force_login(fenland_coordinator)
    assert client.get(reverse("routing_rule_edit", args=[ecam_rules[0].pk])).status_code == 404
    assert "East Cambridgeshire" not in client.get(reverse("routing_rule_list")).content.decode()


def test_someone_with_no_agency_is_refused(client, ecam_rules):
    client.force_login(UserFactory(username="nobody"))
    assert client.get(reverse("routing_rule_list")).status_code == 403
    assert client.get(reverse("routing_suggest")).status_code == 403


def _rule_form(**overrides):
    data = {
        "name": "Persistent noise",
        "position": "10",
        "kinds": [str(AsbKind.objects.get(slug="neighbour-noise").pk)],
        "subject_tenure": "",
        "subject_under_18": "no",
        "hate_motivated": "any",
        "drug_alcohol_related": "any",
        "complex_or_persistent": "yes",
        "persistent_incidents": "5",
        "persistent_period_days": "28",
        "suggested_interventions": ["cpn", "civil_injunction"],
        "explanation": "Noise reported five times in four weeks needs the police as well as environmental health.",
    }
    data.update(overrides)
    return data


def test_a_coordinator_adds_a_rule_through_the_form(client, coordinator, police, council, ecam_rules):
    client.force_login(coordinator)
    form = client.get(reverse("routing_rule_create"))
    assert form.status_code == 200
    html = form.content.decode()
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Is the subject under 18?</legend>' in html
    assert 'type="checkbox" name="kinds"' in html and 'type="radio" name="hate_motivated"' in html
    response = client.post(reverse("routing_rule_create"), _rule_form(lead_agency=str(police.pk), supporting_agencies=[str(council.pk)]))
    assert response.status_code == 302
    rule = RoutingRule.objects.get(name="Persistent noise")
    assert rule.priority == 10 and rule.lead_agency == police and list(rule.supporting_agencies.all()) == [council]
    assert rule.subject_under_18 is False and rule.hate_motivated is None and rule.complex_or_persistent is True
    assert (rule.persistent_incidents, rule.persistent_period_days) == (5, 28)
    assert rule.suggested_interventions == ["cpn", "civil_injunction"]
    assert RoutingRule.objects.get(name="Noise between neighbours").priority == 11
    event = AuditEvent.objects.get(object_type="routingrule", object_id=str(rule.pk))
    assert event.user == coordinator and event.changes["name"] == [None, "Persistent noise"]
    assert "Rule 10 (Persistent noise) added." in client.get(reverse("routing_rule_list")).content.decode()


def test_bad_input_is_shown_in_the_page_and_nothing_is_saved(client, coordinator, police, ecam_rules):
    client.force_login(coordinator)
    response = client.post(reverse("routing_rule_create"), _rule_form(lead_agency="", persistent_period_days=""))
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and "This field is required." in html
    response = client.post(reverse("routing_rule_create"), _rule_form(lead_agency=str(police.pk), persistent_period_days=""))
    html = response.content.decode()
    assert "Give both the number of incidents and the number of days, or neither." in html
    assert 'href="#id_persistent_period_days"' in html
    response = client.post(reverse("routing_rule_create"), _rule_form(lead_agency=str(police.pk), supporting_agencies=[str(police.pk)]))
    assert "cannot also support" in response.content.decode() and 'href="#id_supporting_agencies_0"' in response.content.decode()
    assert not RoutingRule.objects.filter(name="Persistent noise").exists()


def test_a_coordinator_edits_a_rule(client, coordinator, police, housing, ecam_rules):
    rule = ecam_rules[3]
    client.force_login(coordinator)
    page = client.get(reverse("routing_rule_edit", args=[rule.pk])).content.decode()
    assert 'value="ASB by a housing association tenant"' in page
    assert 'value="housing_association" selected' in page
    data = _rule_form(name=rule.name, subject_tenure="housing_association", kinds=[], subject_under_18="any",
                      complex_or_persistent="any", persistent_incidents="", persistent_period_days="",
                      lead_agency=str(housing.pk), supporting_agencies=[str(police.pk)], is_active="yes",
                      explanation=rule.explanation, suggested_interventions=["tenancy_enforcement"])
    assert client.post(reverse("routing_rule_edit", args=[rule.pk]), data).status_code == 302
    rule.refresh_from_db()
    assert list(rule.supporting_agencies.all()) == [police] and rule.suggested_interventions == ["tenancy_enforcement"]
    event = AuditEvent.objects.get(object_type="routingrule", action="update")
    assert event.changes["supporting_agencies"] == ["", "Cambridgeshire Constabulary"]
    assert event.changes["suggested_interventions"][1] == "tenancy_enforcement"


def test_moving_and_taking_out_of_use_from_the_list(client, coordinator, ecam_rules):
    client.force_login(coordinator)
    response = client.post(reverse("routing_rule_move", args=[ecam_rules[3].pk]), {"direction": "down"}, follow=True)
    assert "&#x27;ASB by a housing association tenant&#x27; is now rule 5." in response.content.decode()
    assert RoutingRule.objects.get(pk=ecam_rules[4].pk).priority == 4
    client.post(reverse("routing_rule_active", args=[ecam_rules[0].pk]), {"is_active": "no"})
    assert not RoutingRule.objects.get(pk=ecam_rules[0].pk).is_active
    assert "Not in use" in client.get(reverse("routing_rule_list")).content.decode()
    assert client.post(reverse("routing_rule_move", args=[ecam_rules[0].pk]), {"direction": "sideways"}).status_code == 302
    assert client.get(reverse("routing_rule_move", args=[ecam_rules[0].pk])).status_code == 405


def test_trying_a_draft_case_shows_the_rule_and_saves_nothing(client, coordinator, ecam_rules):
    client.force_login(coordinator)
    blank = client.get(reverse("routing_try"))
    assert blank.status_code == 200 and "Where this case would go" not in blank.content.decode()
    kind = AsbKind.objects.get(slug="neighbour-noise")
    audit_rows = AuditEvent.objects.count()
    response = client.get(reverse("routing_try"), {"kind": kind.pk, "subject_tenure": "housing_association", "subject_age_band": "adult", "is_complex": "on"})
    html = response.content.decode()
    assert "This case would go to Sanctuary Housing, by rule 4 (ASB by a housing association tenant), because the subject is a housing association tenant." in html
    assert "Tenancy enforcement" in html
    assert not Case.objects.exists() and not CaseRoutingDecision.objects.exists()
    assert AuditEvent.objects.count() == audit_rows


def test_trying_with_half_an_incident_count_explains_the_problem(client, coordinator, ecam_rules):
    client.force_login(coordinator)
    html = client.get(reverse("routing_try"), {"recent_incidents": "4"}).content.decode()
    assert "There is a problem" in html and "Give both the number of incidents and the number of days, or neither." in html


def test_the_suggestion_partial_reads_the_case_form_fields(client, police_caseworker, ecam_rules):
    client.force_login(police_caseworker)
    kind = AsbKind.objects.get(slug="street-drinking")
    response = client.get(reverse("routing_suggest"), {"kind": kind.pk, "subject_tenure": "unknown", "subject_age_band": "adult", "is_drug_alcohol_related": "on"},
                          HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Suggested lead: East Cambridgeshire District Council" in html
    assert "by rule 8 (Street drinking)" in html
    assert "Cambridgeshire Constabulary, Cambridgeshire Drug and Alcohol Action Team" in html
    assert "Public Spaces Protection Order" in html


def test_the_suggestion_partial_copes_with_bad_input(client, police_caseworker, ecam_rules):
    client.force_login(police_caseworker)
    response = client.get(reverse("routing_suggest"), {"kind": "9999", "subject_tenure": "castle"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "No lead agency can be suggested until these are put right" in html
    assert "Kind of ASB" in html and "Subject&#x27;s tenure" in html


def test_with_no_rules_the_partial_says_choose_the_lead(client, police_caseworker):
    client.force_login(police_caseworker)
    html = client.get(reverse("routing_suggest")).content.decode()
    assert "has no routing rules in use, so no lead agency is suggested: choose the lead yourself." in html


def test_only_agencies_serving_the_partnership_are_offered_once_each(client, coordinator, partnership, other_partnership):
    probation = make_agency(partnerships=[partnership, other_partnership], name="Cambridgeshire Probation", slug="probation", kind="probation")
    fenland_only = make_agency(partnerships=[other_partnership], name="Fenland District Council", slug="fdc")
    client.force_login(coordinator)
    html = client.get(reverse("routing_rule_create")).content.decode()
    assert html.count(f'<option value="{probation.pk}">Cambridgeshire Probation</option>') == 1
    assert html.count(f'name="supporting_agencies" value="{probation.pk}"') == 1
    assert "Fenland District Council" not in html
    assert f'<option value="{fenland_only.pk}">' not in html and f'name="supporting_agencies" value="{fenland_only.pk}"' not in html


def test_a_rule_whose_lead_left_the_partnership_is_shown_as_passed_over(client, coordinator, partnership, police, council):
    kept = make_rule(partnership=partnership, lead_agency=council, name="Council leads noise")
    left = make_rule(partnership=partnership, lead_agency=police, name="Police lead hate crime")
    police.partnerships.remove(partnership)
    client.force_login(coordinator)
    html = client.get(reverse("routing_rule_list")).content.decode()
    assert html.count('data-testid="rule-passed-over"') == 1
    row = html[html.index(f'id="rule-{left.pk}"'):]
    assert "Passed over" in row[: row.index("</tr>")]
    assert f"{police.name} no longer serves {partnership.name}, so routing skips this rule" in html
    kept_row = html[html.index(f'id="rule-{kept.pk}"'):]
    assert "Passed over" not in kept_row[: kept_row.index("</tr>")]
