from django.core.management import call_command

from agencies.models import Partnership
from casework.models import Case
from referrals.models import CaseRoutingDecision, RoutingRule


def test_the_demo_has_the_agreements_rules_and_a_routing_decision_on_every_case(db):
    call_command("seed_demo", "--password", "demo-password-123")
    call_command("seed_demo", "--password", "demo-password-123")
    ecam = Partnership.objects.get(short_code="ECAM")
    rules = list(RoutingRule.objects.filter(partnership=ecam).order_by("priority"))
    assert len(rules) == 13 and rules[3].name == "ASB by a housing association tenant"
    assert rules[3].lead_agency.slug == "sanctuary"
    cases = Case.objects.filter(partnership=ecam)
    decisions = CaseRoutingDecision.objects.filter(case__partnership=ecam)
    assert decisions.count() == cases.count()
    for decision in decisions.select_related("case"):
        assert decision.chosen_lead_id == decision.case.lead_agency_id
        assert not decision.was_overridden or decision.override_reason
    overridden = {d.case.summary for d in decisions if d.was_overridden}
    assert "Off-road bikes on council open space" in overridden
    followed = {d.case.summary: d.rule_description for d in decisions if not d.was_overridden}
    assert followed["Drug dealing from a house on the estate"] == "Rule 4: ASB by a housing association tenant"
    assert followed["Deliberate fires in bins behind the leisure centre"] == "Rule 1: Deliberate fire setting by a young person"
    assert followed["Street drinking in the market square"] == "Rule 8: Street drinking"
