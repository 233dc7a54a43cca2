"""Changing the rules is audited with old and new values; a routing decision that overrides the rules needs a reason."""

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template

from audit.models import AuditEvent
from audit.services import Actor
from casework.models import AsbKind
from referrals.models import CaseRoutingDecision, RoutingRule
from referrals.selectors.routing import case_routing_latest, routing_facts_for_draft, routing_suggest_for_case, routing_suggest_for_facts
from referrals.services.routing import (
    case_routing_record,
    routing_rule_create,
    routing_rule_move,
    routing_rule_set_active,
    routing_rule_update,
)
from tests.agencies.factories import make_agency
from tests.casework.factories import make_case
from tests.referrals.factories_routing import coordinator, ecam_agencies, ecam_rules, make_rule  # noqa: F401


def test_creating_a_rule_is_audited_with_its_values(partnership, police, council, coordinator):
    actor = Actor(user=coordinator, agency=council)
    rule = routing_rule_create(
        actor=actor, partnership=partnership, name="Harassment", lead_agency=police, supporting_agencies=[council],
        kinds=[AsbKind.objects.get(slug="intimidation-harassment")], suggested_interventions=["cbo", "civil_injunction"],
        explanation="Criminal ASB: the police lead.",
    )
    event = AuditEvent.objects.get(object_type="routingrule", object_id=str(rule.pk))
    assert event.action == "create" and event.user == coordinator and event.agency_name == council.name
    assert event.changes["name"] == [None, "Harassment"]
    assert event.changes["lead_agency"] == [None, "Cambridgeshire Constabulary"]
    assert event.changes["kinds"] == [None, "Intimidation or harassment"]
    assert event.changes["supporting_agencies"] == [None, "East Cambridgeshire District Council"]
    assert event.changes["priority"] == [None, 1]


def test_editing_a_rule_records_old_and_new_values(partnership, council, housing, police, ecam_rules):
    rule = ecam_rules[3]
    routing_rule_update(actor=Actor.system(), rule=rule, lead_agency=police, supporting_agencies=[housing], complex_or_persistent=False)
    event = AuditEvent.objects.filter(object_type="routingrule", action="update").get()
    assert event.changes["lead_agency"] == ["Sanctuary Housing", "Cambridgeshire Constabulary"]
    assert event.changes["supporting_agencies"] == ["", "Sanctuary Housing"]
    assert event.changes["complex_or_persistent"] == [None, False]
    assert "name" not in event.changes
    rule.refresh_from_db()
    assert rule.lead_agency == police and list(rule.supporting_agencies.all()) == [housing]


def test_an_edit_that_changes_nothing_writes_no_audit_event(ecam_rules):
    routing_rule_update(actor=Actor.system(), rule=ecam_rules[0], name=ecam_rules[0].name)
    assert not AuditEvent.objects.filter(object_type="routingrule", action="update").exists()


def test_moving_a_rule_swaps_it_with_its_neighbour_and_audits_both(partnership, ecam_rules):
    routing_rule_move(actor=Actor.system(), rule=ecam_rules[4], direction="up")
    order = list(RoutingRule.objects.filter(partnership=partnership).order_by("priority").values_list("name", flat=True))
    assert order[3:5] == ["Complex, persistent or criminal ASB", "ASB by a housing association tenant"]
    events = AuditEvent.objects.filter(object_type="routingrule", action="update").order_by("id")
    assert [e.changes["priority"] for e in events] == [[5, 4], [4, 5]]
    # At the top, moving up changes nothing.
    routing_rule_move(actor=Actor.system(), rule=ecam_rules[0], direction="up")
    assert RoutingRule.objects.get(pk=ecam_rules[0].pk).priority == 1
    assert AuditEvent.objects.filter(object_type="routingrule", action="update").count() == 2


def test_a_new_rule_can_be_placed_before_others(partnership, police, council, ecam_rules):
    rule = routing_rule_create(actor=Actor.system(), partnership=partnership, name="Closure of a drug den", lead_agency=police,
                               drug_alcohol_related=True, position=4)
    assert rule.priority == 4
    assert RoutingRule.objects.get(name="ASB by a housing association tenant").priority == 5
    assert sorted(RoutingRule.objects.filter(partnership=partnership).values_list("priority", flat=True)) == list(range(1, 15))
    assert "rules 4 to 13 each moved down one" in AuditEvent.objects.get(object_type="routingrule", object_id=str(rule.pk)).detail


def test_taking_a_rule_out_of_use_is_audited(ecam_rules):
    routing_rule_set_active(actor=Actor.system(), rule=ecam_rules[2], is_active=False)
    event = AuditEvent.objects.get(object_type="routingrule", action="update")
    assert event.changes == {"is_active": [True, False]} and event.detail == "Taken out of use"


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"name": "  "}, "name"),
        ({"persistent_incidents": 3}, "persistent_period_days"),
        ({"persistent_incidents": 3, "persistent_period_days": 30}, "complex_or_persistent"),
        ({"suggested_interventions": ["stern_look"]}, "suggested_interventions"),
        ({"subject_tenure": "castle"}, "subject_tenure"),
        ({"explanation": "x" * 301}, "explanation"),
    ],
)
def test_bad_rule_values_are_refused_field_by_field(partnership, police, fields, field):
    values = {"name": "A rule", **fields}
    with pytest.raises(ValidationError) as error:
        routing_rule_create(actor=Actor.system(), partnership=partnership, lead_agency=police, **values)
    assert field in error.value.message_dict
    assert not RoutingRule.objects.exists()


def test_agencies_must_serve_the_partnership(partnership, other_partnership, police, council):
    fenland_council = make_agency(partnerships=[other_partnership], name="Fenland District Council", slug="fdc")
    with pytest.raises(ValidationError) as error:
        routing_rule_create(actor=Actor.system(), partnership=partnership, name="x", lead_agency=fenland_council)
    assert "does not serve East Cambridgeshire CSP" in error.value.message_dict["lead_agency"][0]
    with pytest.raises(ValidationError) as error:
        routing_rule_create(actor=Actor.system(), partnership=partnership, name="x", lead_agency=police, supporting_agencies=[police])
    assert "supporting_agencies" in error.value.message_dict
    assert not RoutingRule.objects.exists()


def test_following_the_suggestion_needs_no_reason(partnership, housing, ecam_rules):
    case = make_case(partnership=partnership, lead_agency=housing, subject_tenure="housing_association")
    decision = case_routing_record(actor=Actor.system(), case=case, suggestion=routing_suggest_for_case(case), chosen_lead=housing, override_reason="")
    assert not decision.was_overridden
    assert decision.rule_description == "Rule 4: ASB by a housing association tenant"
    event = AuditEvent.objects.get(object_type="caseroutingdecision")
    assert event.case_id == case.pk and event.detail == "Routing suggestion followed (Rule 4: ASB by a housing association tenant)"


@pytest.mark.parametrize("reason", ["", "   "])
def test_overriding_the_suggestion_needs_a_reason(partnership, housing, police, ecam_rules, reason):
    case = make_case(partnership=partnership, lead_agency=police, subject_tenure="housing_association", kind_slug="intimidation-harassment")
    with pytest.raises(ValidationError) as error:
        case_routing_record(actor=Actor.system(), case=case, suggestion=routing_suggest_for_case(case), chosen_lead=police, override_reason=reason)
    assert error.value.message_dict["override_reason"] == [
        "Say why Cambridgeshire Constabulary should lead rather than Sanctuary Housing, which rule 4 (ASB by a housing association tenant) suggests."
    ]
    assert not CaseRoutingDecision.objects.exists()
    assert not AuditEvent.objects.filter(object_type="caseroutingdecision").exists()


def test_an_override_with_a_reason_is_recorded_audited_and_shown_on_the_case(partnership, housing, police, council, council_caseworker, ecam_rules):
    case = make_case(partnership=partnership, lead_agency=police, subject_tenure="housing_association", kind_slug="intimidation-harassment")
    reason = "Threats with a knife: a police matter whatever the tenancy."
    decision = case_routing_record(actor=Actor(user=council_caseworker, agency=council), case=case,
                                   suggestion=routing_suggest_for_case(case), chosen_lead=police, override_reason=reason)
    assert decision.was_overridden and decision.suggested_lead == housing and decision.override_reason == reason
    event = AuditEvent.objects.get(object_type="caseroutingdecision")
    assert event.changes["override_reason"] == [None, reason]
    assert event.changes["chosen_lead"] == [None, "Cambridgeshire Constabulary"]
    assert case_routing_latest(case) == decision
    html = Template("{% load routing %}{% case_routing_summary case %}").render(Context({"case": case}))
    assert "Suggestion overridden" in html and reason in html and "Rule 4: ASB by a housing association tenant" in html


def test_with_no_rule_matching_any_lead_may_be_chosen(partnership, council):
    case = make_case(partnership=partnership, lead_agency=council)
    suggestion = routing_suggest_for_facts(partnership, routing_facts_for_draft())
    decision = case_routing_record(actor=Actor.system(), case=case, suggestion=suggestion, chosen_lead=council)
    assert decision.rule is None and not decision.was_overridden
    html = Template("{% load routing %}{% case_routing_summary case %}").render(Context({"case": case}))
    assert "No rule matched" in html


def test_the_chosen_lead_must_serve_the_partnership(partnership, other_partnership, council):
    case = make_case(partnership=partnership, lead_agency=council)
    stranger = make_agency(partnerships=[other_partnership], slug="fdc")
    with pytest.raises(ValidationError) as error:
        case_routing_record(actor=Actor.system(), case=case, suggestion=None, chosen_lead=stranger)
    assert "chosen_lead" in error.value.message_dict


def test_the_latest_decision_is_the_one_shown(partnership, housing, police, ecam_rules):
    case = make_case(partnership=partnership, lead_agency=housing, subject_tenure="housing_association")
    assert case_routing_latest(case) is None
    case_routing_record(actor=Actor.system(), case=case, suggestion=routing_suggest_for_case(case), chosen_lead=housing)
    later = case_routing_record(actor=Actor.system(), case=case, suggestion=routing_suggest_for_case(case), chosen_lead=police,
                                override_reason="Handed to the police after threats")
    assert case_routing_latest(case) == later
