"""Cases the routing properties (test_routing_properties.py) found, each kept as a plain example."""

import pytest
from django.core.exceptions import ValidationError

from audit.services import Actor
from casework.models import AsbKind, Case
from referrals.routing import RoutingFacts, routing_suggest
from referrals.selectors.routing import routing_facts_for_draft, routing_rules_for_partnership, routing_suggest_for_case, routing_suggest_for_facts
from referrals.services.routing import case_open_routed, routing_rule_create
from tests.referrals.factories_routing import make_rule


def test_a_rule_whose_lead_no_longer_serves_the_partnership_is_passed_over(partnership, police, council, fire):
    # Fire and rescue leaves the partnership (in the admin) after a rule naming it as lead was written.
    fire_rule = make_rule(partnership=partnership, lead_agency=fire, name="Fire setting", kinds=[AsbKind.objects.get(slug="deliberate-fire-setting")])
    make_rule(partnership=partnership, lead_agency=council, name="Everything else")
    fire.partnerships.remove(partnership)
    facts = routing_facts_for_draft(kind=AsbKind.objects.get(slug="deliberate-fire-setting"))
    suggestion = routing_suggest_for_facts(partnership, facts)
    assert suggestion.rule != fire_rule and suggestion.lead_agency == council
    # A case opened with the lead the rules now suggest needs no reason, and records the rule that applied.
    case = case_open_routed(actor=Actor.system(), partnership=partnership, lead_agency=council, summary="Bin fire", category="environmental",
                            kind=AsbKind.objects.get(slug="deliberate-fire-setting"))
    assert case.routing_decisions.get().rule.name == "Everything else"


def test_a_supporting_agency_that_left_the_partnership_is_not_suggested(partnership, police, council, fire):
    make_rule(partnership=partnership, lead_agency=police, name="Any case", supporting_agencies=[council, fire])
    fire.partnerships.remove(partnership)
    suggestion = routing_suggest_for_facts(partnership, routing_facts_for_draft())
    assert suggestion.supporting_agencies == [council]
    # The same for a saved case (the case page's suggestion), whose matched rule alone has its supporting agencies read.
    case = case_open_routed(actor=Actor.system(), partnership=partnership, lead_agency=police, summary="Noise", category="nuisance")
    assert routing_suggest_for_case(case).supporting_agencies == [council]


@pytest.mark.parametrize("field", ["name", "explanation"])
def test_a_rule_with_a_nul_character_is_refused_with_a_message(partnership, police, field):
    values = {"name": "Harassment", "explanation": "Criminal ASB", field: "Harass\x00ment"}
    with pytest.raises(ValidationError) as refused:
        routing_rule_create(actor=Actor.system(), partnership=partnership, lead_agency=police, **values)
    assert field in refused.value.message_dict


@pytest.mark.parametrize("band", ["", "unknown", "teenager", "ADULT"])
def test_an_age_band_that_is_not_a_known_band_matches_no_rule_about_age(partnership, police, council, band):
    make_rule(partnership=partnership, lead_agency=police, name="Adults", subject_under_18=False)
    make_rule(partnership=partnership, lead_agency=council, name="Anyone")
    rules = routing_rules_for_partnership(partnership=partnership, active_only=True)
    suggestion = routing_suggest(rules=rules, facts=RoutingFacts(subject_age_band=band))
    assert suggestion.lead_agency == council, "an age nobody knows is not '18 or over'"


def test_a_kind_with_an_empty_name_still_gives_a_reason(partnership, police):
    kind = AsbKind.objects.create(name="", slug="unnamed", category="nuisance")
    make_rule(partnership=partnership, lead_agency=police, name="Unnamed kind", kinds=[kind])
    suggestion = routing_suggest_for_facts(partnership, routing_facts_for_draft(kind=kind))
    assert suggestion.lead_agency == police and suggestion.explanation.endswith(".")
    assert Case.objects.count() == 0
