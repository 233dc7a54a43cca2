"""The East Cambridgeshire rules send each kind of case where the working agreement says, in the right precedence."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import Actor
from casework.models import AsbKind, Incident
from referrals.models import RoutingRule
from referrals.selectors.routing import routing_facts_for_draft, routing_suggest_for_case, routing_suggest_for_facts
from referrals.services.routing import routing_rule_move, routing_rule_set_active, routing_rules_seed_east_cambridgeshire
from tests.agencies.factories import PartnershipFactory
from tests.casework.factories import make_case
from tests.referrals.factories_routing import coordinator, ecam_agencies, ecam_rules, make_rule  # noqa: F401


def draft(kind=None, **facts):
    return routing_facts_for_draft(kind=AsbKind.objects.get(slug=kind) if kind else None, **facts)


ADULT = {"subject_age_band": "adult"}

# One representative case for each rule of the agreement: facts, the agency that should lead, by which rule,
# and the agencies that support it.
REPRESENTATIVE_CASES = [
    ("young fire setter", dict(kind="deliberate-fire-setting", subject_age_band="10_15"), "fire_rescue", 1, {"police", "youth_offending"}),
    ("adult fire setter", dict(kind="deliberate-fire-setting", **ADULT), "fire_rescue", 2, {"police"}),
    ("young person", dict(kind="youth-asb", subject_age_band="16_17", subject_tenure="council"), "youth_offending", 3, {"locality_team"}),
    ("housing association tenant", dict(kind="tenancy-related", subject_tenure="housing_association", **ADULT), "housing", 4, set()),
    ("complex case", dict(kind="vehicle-nuisance", is_complex=True, subject_tenure="owner_occupier", **ADULT), "police", 5, set()),
    ("hate-motivated kind", dict(kind="hate-motivated", subject_tenure="private", **ADULT), "police", 6, set()),
    ("harassment", dict(kind="intimidation-harassment", subject_tenure="council", **ADULT), "police", 7, set()),
    ("street drinking", dict(kind="street-drinking", is_drug_alcohol_related=True, **ADULT), "district_council", 8, {"police", "drug_alcohol"}),
    ("drug dealing", dict(kind="drug-alcohol", is_drug_alcohol_related=True, subject_tenure="private", **ADULT), "drug_alcohol", 9, {"police"}),
    ("neighbour noise", dict(kind="neighbour-noise", subject_tenure="owner_occupier", **ADULT), "district_council", 10, set()),
    ("dog fouling", dict(kind="dog-fouling"), "district_council", 11, set()),
    ("fly tipping", dict(kind="fly-tipping"), "district_council", 11, set()),
    ("abandoned vehicle", dict(kind="abandoned-vehicle"), "district_council", 11, set()),
    ("littering", dict(kind="littering"), "district_council", 11, set()),
    ("council open space", dict(kind="council-open-space", **ADULT), "district_council", 12, set()),
    ("general enquiry", dict(kind="other", subject_tenure="private", **ADULT), "district_council", 13, set()),
]


@pytest.mark.parametrize("label, facts, lead_role, rule_number, supporting_roles", REPRESENTATIVE_CASES, ids=[c[0] for c in REPRESENTATIVE_CASES])
def test_each_rule_sends_its_representative_case_to_the_right_agency(partnership, ecam_agencies, ecam_rules, label, facts, lead_role, rule_number, supporting_roles):
    suggestion = routing_suggest_for_facts(partnership, draft(**facts))
    assert suggestion.matched
    assert suggestion.lead_agency == ecam_agencies[lead_role]
    assert suggestion.rule_number == rule_number
    assert {a.pk for a in suggestion.supporting_agencies} == {ecam_agencies[role].pk for role in supporting_roles}
    assert suggestion.explanation.startswith(f"This case would go to {ecam_agencies[lead_role].name}, by rule {rule_number} (")


def test_the_explanation_names_the_rule_and_says_why(partnership, ecam_rules):
    suggestion = routing_suggest_for_facts(partnership, draft(kind="neighbour-noise", subject_tenure="housing_association", **ADULT))
    assert suggestion.explanation == (
        "This case would go to Sanctuary Housing, by rule 4 (ASB by a housing association tenant), "
        "because the subject is a housing association tenant."
    )
    assert [label for _, label in suggestion.suggested_interventions][:2] == ["Acceptable Behaviour Contract", "Civil injunction"]
    assert "exception to the police lead" in suggestion.rule_why


def test_a_housing_association_tenant_in_a_complex_harassment_case_goes_to_sanctuary(partnership, housing, ecam_rules):
    facts = draft(kind="intimidation-harassment", subject_tenure="housing_association", is_complex=True, **ADULT)
    suggestion = routing_suggest_for_facts(partnership, facts)
    assert suggestion.lead_agency == housing
    assert suggestion.rule.name == "ASB by a housing association tenant"


@pytest.mark.parametrize("tenure", ["council", "private", "owner_occupier", "unknown"])
def test_anyone_else_in_a_complex_harassment_case_goes_to_the_police(partnership, police, ecam_rules, tenure):
    suggestion = routing_suggest_for_facts(partnership, draft(kind="intimidation-harassment", subject_tenure=tenure, is_complex=True, **ADULT))
    assert suggestion.lead_agency == police
    assert suggestion.rule.name == "Complex, persistent or criminal ASB"
    assert "because the case is flagged as complex, persistent or criminal ASB" in suggestion.explanation


def test_a_young_fire_setter_goes_to_fire_and_rescue_with_the_youth_offending_service_supporting(partnership, fire, police, ecam_agencies, ecam_rules):
    """Decided: deliberate fire setting is a danger to life that needs the specialist, so the fire rules come before
    the under-18 rule; the Youth Offending Service supports. It holds for a young housing association tenant too."""
    for tenure in ("unknown", "housing_association"):
        suggestion = routing_suggest_for_facts(partnership, draft(kind="deliberate-fire-setting", subject_age_band="16_17", subject_tenure=tenure))
        assert suggestion.lead_agency == fire
        assert set(suggestion.supporting_agencies) == {police, ecam_agencies["youth_offending"]}
        assert suggestion.explanation == (
            "This case would go to Cambridgeshire Fire and Rescue, by rule 1 (Deliberate fire setting by a young person), "
            "because the kind of ASB is deliberate fire setting and the subject is under 18 (16 or 17)."
        )
        assert "Before the under-18 rule" in suggestion.rule_why


def test_a_general_enquiry_is_investigated_first_by_the_council(partnership, council, ecam_rules):
    suggestion = routing_suggest_for_facts(partnership, draft())
    assert suggestion.lead_agency == council
    assert suggestion.explanation == (
        "This case would go to East Cambridgeshire District Council, by rule 13 (General ASB enquiry), "
        "because no earlier rule applies and this rule takes every case that reaches it."
    )
    assert "handed on to the police" in suggestion.rule_why


def test_street_drinking_stays_with_the_council_though_alcohol_related(partnership, council, ecam_rules):
    suggestion = routing_suggest_for_facts(partnership, draft(kind="street-drinking", is_drug_alcohol_related=True))
    assert suggestion.lead_agency == council


def test_an_unknown_age_is_not_taken_for_under_18(partnership, police, ecam_rules):
    suggestion = routing_suggest_for_facts(partnership, draft(kind="intimidation-harassment", subject_age_band="unknown"))
    assert suggestion.lead_agency == police and suggestion.rule_number == 7


def test_a_saved_case_with_a_hate_motivated_incident_goes_to_the_police(partnership, council, police, ecam_rules):
    case = make_case(partnership=partnership, lead_agency=council, kind_slug="other", subject_age_band="adult")
    assert routing_suggest_for_case(case).lead_agency == council
    Incident.objects.create(case=case, occurred_at=timezone.now(), reported_on=timezone.localdate(), channel="phone",
                            description="Racist graffiti on the front door", is_hate_motivated=True)
    suggestion = routing_suggest_for_case(case)
    assert suggestion.lead_agency == police
    assert suggestion.explanation.endswith("by rule 6 (Hate-motivated ASB), because the ASB is hate-motivated.")


def test_a_persistence_threshold_counts_only_recent_incidents(partnership, council, police):
    make_rule(partnership=partnership, lead_agency=police, name="Persistent ASB", complex_or_persistent=True,
              persistent_incidents=3, persistent_period_days=30)
    make_rule(partnership=partnership, lead_agency=council, name="Everything else")
    case = make_case(partnership=partnership, lead_agency=council)
    now = timezone.now()
    for days_ago in (2, 10, 45, 60):
        Incident.objects.create(case=case, occurred_at=now - timedelta(days=days_ago), reported_on=timezone.localdate(),
                                channel="phone", description="Shouting in the stairwell")
    assert routing_suggest_for_case(case).lead_agency == council
    Incident.objects.create(case=case, occurred_at=now - timedelta(days=20), reported_on=timezone.localdate(), channel="phone", description="Again")
    suggestion = routing_suggest_for_case(case)
    assert suggestion.lead_agency == police
    assert "3 incidents were reported in the last 30 days" in suggestion.explanation
    # A draft gives the count it knows: over a longer period than the rule's, it cannot show persistence.
    assert routing_suggest_for_facts(partnership, routing_facts_for_draft(recent_incidents=5, recent_period_days=14)).lead_agency == police
    assert routing_suggest_for_facts(partnership, routing_facts_for_draft(recent_incidents=5, recent_period_days=90)).lead_agency == council


def test_no_match_says_so_plainly(partnership, police):
    assert routing_suggest_for_facts(partnership, draft()).explanation == (
        "East Cambridgeshire CSP has no routing rules in use, so no lead agency is suggested: choose the lead yourself."
    )
    make_rule(partnership=partnership, lead_agency=police, name="Harassment", kinds=[AsbKind.objects.get(slug="intimidation-harassment")])
    suggestion = routing_suggest_for_facts(partnership, draft(kind="dog-fouling"))
    assert not suggestion.matched
    assert suggestion.lead_agency is None and suggestion.supporting_agencies == [] and suggestion.suggested_interventions == []
    assert suggestion.explanation == (
        "No routing rule of East Cambridgeshire CSP matches this case, so no lead agency is suggested: choose the lead yourself."
    )


def test_a_rule_out_of_use_is_passed_over(partnership, housing, police, ecam_rules):
    facts = draft(kind="intimidation-harassment", subject_tenure="housing_association", is_complex=True, **ADULT)
    routing_rule_set_active(actor=Actor.system(), rule=ecam_rules[3], is_active=False)
    assert routing_suggest_for_facts(partnership, facts).lead_agency == police


def test_reordering_changes_the_outcome(partnership, housing, police, ecam_rules):
    facts = draft(kind="intimidation-harassment", subject_tenure="housing_association", is_complex=True, **ADULT)
    assert routing_suggest_for_facts(partnership, facts).lead_agency == housing
    routing_rule_move(actor=Actor.system(), rule=ecam_rules[3], direction="down")
    suggestion = routing_suggest_for_facts(partnership, facts)
    assert suggestion.lead_agency == police
    assert suggestion.rule_number == 4 and suggestion.rule.name == "Complex, persistent or criminal ASB"
    assert RoutingRule.objects.get(name="ASB by a housing association tenant", partnership=partnership).priority == 5


def test_rules_belong_to_their_partnership(partnership, other_partnership, police, ecam_rules):
    assert not routing_suggest_for_facts(other_partnership, draft(kind="dog-fouling")).matched


def test_seeding_is_idempotent_and_audited(partnership, ecam_agencies, ecam_rules):
    assert len(ecam_rules) == 13
    assert [rule.priority for rule in ecam_rules] == list(range(1, 14))
    again = routing_rules_seed_east_cambridgeshire(partnership=partnership, agencies=ecam_agencies)
    assert [rule.pk for rule in again] == [rule.pk for rule in ecam_rules]
    assert RoutingRule.objects.filter(partnership=partnership).count() == 13
    assert AuditEvent.objects.filter(object_type="routingrule", action="create").count() == 13


def test_seeding_needs_an_agency_for_every_role(db):
    elsewhere = PartnershipFactory()
    with pytest.raises(ValidationError, match="missing"):
        routing_rules_seed_east_cambridgeshire(partnership=elsewhere, agencies={})
    assert not RoutingRule.objects.filter(partnership=elsewhere).exists()
