"""East Cambridgeshire's routing rules from the ASB working agreement, and the routing decision on each demo case."""

from audit.services import Actor
from casework.models import Case
from referrals.models import CaseRoutingDecision
from referrals.selectors.routing import routing_suggest_for_case
from referrals.services.routing import case_routing_record, routing_rules_seed_east_cambridgeshire

# The rules name agencies by role; the demo's East Cambridgeshire partners, by slug.
ROLES = {
    "police": "cambs-police",
    "district_council": "ecdc",
    "fire_rescue": "cambs-fire",
    "youth_offending": "cambs-yos",
    "locality_team": "cambs-locality",
    "drug_alcohol": "cambs-daat",
    "housing": "sanctuary",
}

# Where the demo case's lead differs from the rules' suggestion, why the caseworker chose it (by case summary).
OVERRIDE_REASONS = {
    "Off-road bikes on council open space": (
        "The riders use the council's own open space: ECDC leads as landowner with a PSPO in view, and the Youth "
        "Offending Service works with the two young riders through the monthly group."
    ),
    "Graffiti on the railway underpass": (
        "Removal and the underpass are the council's; the young person is already known to the Youth Offending "
        "Service, who support from the monthly group."
    ),
}
DEFAULT_OVERRIDE_REASON = "Lead agreed at the monthly ASB casework group, where the agencies involved already knew the case."


def seed(*, partnerships, agencies, stdout, **_):
    partnership = partnerships["east-cambridgeshire"]
    rules = routing_rules_seed_east_cambridgeshire(
        partnership=partnership, agencies={role: agencies[slug] for role, slug in ROLES.items()}
    )
    stdout.write(f"{partnership} has {len(rules)} routing rules from the ASB working agreement.")
    actor = Actor.system()
    recorded = 0
    undecided = Case.objects.filter(partnership=partnership).exclude(
        pk__in=CaseRoutingDecision.objects.values("case_id")
    ).select_related("partnership", "kind", "lead_agency")
    for case in undecided.order_by("opened_on", "id"):
        suggestion = routing_suggest_for_case(case)
        overridden = suggestion.lead_agency is not None and suggestion.lead_agency.pk != case.lead_agency_id
        case_routing_record(
            actor=actor, case=case, suggestion=suggestion, chosen_lead=case.lead_agency,
            override_reason=OVERRIDE_REASONS.get(case.summary, DEFAULT_OVERRIDE_REASON) if overridden else "",
        )
        recorded += 1
    if recorded:
        stdout.write(f"Recorded the routing decision on {recorded} demo cases.")
