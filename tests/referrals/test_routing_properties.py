"""Properties of lead-agency routing (referrals/routing.py, its selectors and case_open_routed), by Hypothesis.

For any rules a coordinator could make (any conditions, any order, some out of use, edited and moved about) and any
facts of a case:
- routing never raises, and always answers with a rule of the partnership whose lead serves the partnership, or
  says plainly that no rule matches; either way with a sentence saying why;
- the rule it picks is the first in use, in the order shown, whose every condition holds (checked against a plain
  reading of the conditions written here, not the engine's code), and it gives one reason per condition;
- the same facts give the same answer, whatever order the rules are handed over in;
- opening a case records the rule the draft facts fall under, and the saved case falls under the same rule.
"""

import random
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from audit.services import Actor
from casework.models import AsbKind, Case, InterventionType
from referrals.models import CaseRoutingDecision, RoutingRule
from referrals.routing import RoutingFacts, routing_suggest
from referrals.selectors.routing import routing_facts_for_draft, routing_rules_for_partnership, routing_suggest_for_case, routing_suggest_for_facts
from referrals.services.routing import case_open_routed, routing_rule_create, routing_rule_move, routing_rule_set_active, routing_rule_update
from tests.properties import db_writes, rolled_back
from tests.referrals.factories_routing import ecam_agencies  # noqa: F401

TRISTATE = st.sampled_from([None, True, False])


@dataclass
class Catalogue:
    agencies: list
    kinds: list


def catalogue(partnership) -> Catalogue:
    return Catalogue(agencies=list(partnership.agencies.order_by("pk")), kinds=list(AsbKind.objects.order_by("pk")))


@st.composite
def rule_values(draw, cat: Catalogue) -> dict:
    """A rule a coordinator could save: any conditions, a lead serving the partnership, other agencies supporting."""
    lead = draw(st.sampled_from(cat.agencies))
    complex_or_persistent = draw(TRISTATE)
    persistent = draw(st.none() | st.tuples(st.integers(1, 50), st.integers(1, 730))) if complex_or_persistent is not None else None
    return {
        "name": draw(st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), min_size=1, max_size=60).filter(str.strip)),
        "lead_agency": lead,
        "kinds": draw(st.lists(st.sampled_from(cat.kinds), max_size=3, unique_by=lambda k: k.pk)),
        "supporting_agencies": draw(st.lists(st.sampled_from([a for a in cat.agencies if a != lead]), max_size=3, unique_by=lambda a: a.pk)),
        "subject_tenure": draw(st.sampled_from(["", *Case.Tenure.values])),
        "subject_under_18": draw(TRISTATE),
        "hate_motivated": draw(TRISTATE),
        "drug_alcohol_related": draw(TRISTATE),
        "complex_or_persistent": complex_or_persistent,
        "persistent_incidents": persistent[0] if persistent else None,
        "persistent_period_days": persistent[1] if persistent else None,
        "suggested_interventions": draw(st.lists(st.sampled_from(InterventionType.values), max_size=3)),
        "explanation": draw(st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=80)),
    }


@st.composite
def facts(draw, cat: Catalogue) -> RoutingFacts:
    """The facts of a draft (at most one incident count) or of a saved case (a count for several periods)."""
    kind = draw(st.none() | st.sampled_from(cat.kinds))
    fields = {
        "kind": kind,
        "subject_tenure": draw(st.sampled_from(Case.Tenure.values)),
        "subject_age_band": draw(st.sampled_from(Case.AgeBand.values)),
        "hate_motivated": draw(st.booleans()),
        "drug_alcohol_related": draw(st.booleans()),
        "is_complex": draw(st.booleans()),
    }
    counts = draw(st.dictionaries(st.integers(1, 3650), st.integers(0, 999), max_size=3))
    return RoutingFacts(**fields, incident_counts=counts)


@st.composite
def facts_meeting(draw, rule, cat: Catalogue) -> RoutingFacts:
    """Facts that satisfy every condition of `rule` (the rest drawn freely): routing them must find this rule or an
    earlier one, so that the properties are not only ever about cases no rule takes."""
    kinds = list(rule.kinds.all())
    if rule.subject_under_18 is None:
        band = draw(st.sampled_from(Case.AgeBand.values))
    else:
        band = draw(st.sampled_from(Case.UNDER_18_BANDS)) if rule.subject_under_18 else Case.AgeBand.ADULT
    counts = {}
    is_complex = draw(st.booleans())
    if rule.complex_or_persistent is not None:
        threshold, days = rule.persistent_incidents, rule.persistent_period_days
        is_complex = rule.complex_or_persistent and draw(st.booleans())
        if threshold and days:
            wanted = threshold if rule.complex_or_persistent and not is_complex else 0
            high = threshold - 1 if not rule.complex_or_persistent else threshold + 5
            counts = {draw(st.integers(1, days)): draw(st.integers(wanted, max(wanted, high)))}
        elif rule.complex_or_persistent:
            is_complex = True
    pick = lambda value, other: other if value is None else value  # noqa: E731
    return RoutingFacts(
        kind=draw(st.sampled_from(kinds)) if kinds else draw(st.none() | st.sampled_from(cat.kinds)),
        subject_tenure=rule.subject_tenure or draw(st.sampled_from(Case.Tenure.values)),
        subject_age_band=band,
        hate_motivated=pick(rule.hate_motivated, draw(st.booleans())),
        drug_alcohol_related=pick(rule.drug_alcohol_related, draw(st.booleans())),
        is_complex=is_complex,
        incident_counts=counts,
    )


@st.composite
def edits(draw, cat: Catalogue, rules: int):
    """What a coordinator does to the rules afterwards: moves, takes out of use, rewrites, or an agency stops serving
    the partnership (in the admin)."""
    ops = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["move", "active", "update", "agency_leaves"]))
        if kind == "agency_leaves":
            ops.append((kind, draw(st.sampled_from(cat.agencies))))
        elif rules:
            index = draw(st.integers(0, rules - 1))
            if kind == "move":
                ops.append((kind, index, draw(st.sampled_from(["up", "down"]))))
            elif kind == "active":
                ops.append((kind, index, draw(st.booleans())))
            else:
                ops.append((kind, index, draw(rule_values(cat))))
    return ops


def create(partnership, values: dict, position=None) -> RoutingRule:
    return routing_rule_create(actor=Actor.system(), partnership=partnership, position=position, **values)


def apply(partnership, ops) -> None:
    rules = list(RoutingRule.objects.filter(partnership=partnership).order_by("pk"))
    for op in ops:
        if op[0] == "agency_leaves":
            op[1].partnerships.remove(partnership)
        elif op[0] == "move":
            routing_rule_move(actor=Actor.system(), rule=rules[op[1]], direction=op[2])
        elif op[0] == "active":
            routing_rule_set_active(actor=Actor.system(), rule=rules[op[1]], is_active=op[2])
        else:
            try:
                routing_rule_update(actor=Actor.system(), rule=rules[op[1]], **op[2])
            except ValidationError:
                pass  # e.g. the new lead stopped serving the partnership in an earlier step: refused, nothing changed


# --- A plain reading of what each condition means, to check the engine against --------------------------------------

def condition_count(rule) -> int:
    return sum([
        rule.kinds.exists(), bool(rule.subject_tenure), rule.subject_under_18 is not None, rule.hate_motivated is not None,
        rule.drug_alcohol_related is not None, rule.complex_or_persistent is not None,
    ])


def holds(rule, f: RoutingFacts) -> bool:
    kinds = set(rule.kinds.values_list("pk", flat=True))
    if kinds and (f.kind is None or f.kind.pk not in kinds):
        return False
    if rule.subject_tenure and f.subject_tenure != rule.subject_tenure:
        return False
    if rule.subject_under_18 is not None:
        if f.subject_age_band not in ("under_10", "10_15", "16_17", "adult"):
            return False  # age not known: a rule about age does not apply
        if (f.subject_age_band != "adult") != rule.subject_under_18:
            return False
    if rule.hate_motivated is not None and f.hate_motivated != rule.hate_motivated:
        return False
    if rule.drug_alcohol_related is not None and f.drug_alcohol_related != rule.drug_alcohol_related:
        return False
    if rule.complex_or_persistent is not None:
        count = 0
        if rule.persistent_incidents and rule.persistent_period_days:
            count = max([n for days, n in f.incident_counts.items() if days <= rule.persistent_period_days], default=0)
        persistent = bool(rule.persistent_incidents and rule.persistent_period_days and count >= rule.persistent_incidents)
        if (f.is_complex or persistent) != rule.complex_or_persistent:
            return False
    return True


def expected_rule(partnership, f: RoutingFacts):
    serving = set(partnership.agencies.values_list("pk", flat=True))
    for rule in RoutingRule.objects.filter(partnership=partnership, is_active=True).order_by("priority", "pk"):
        if rule.lead_agency_id in serving and holds(rule, f):
            return rule
    return None


def check_suggestion(partnership, f: RoutingFacts):
    suggestion = routing_suggest_for_facts(partnership, f)
    assert isinstance(suggestion.explanation, str) and suggestion.explanation.strip().endswith(".")
    expected = expected_rule(partnership, f)
    assert suggestion.rule == expected, f"picked {suggestion.rule_description or 'no rule'}, expected {expected or 'no rule'}"
    if suggestion.matched:
        assert suggestion.lead_agency.partnerships.filter(pk=partnership.pk).exists(), "the lead serves the partnership"
        assert suggestion.lead_agency.name in suggestion.explanation and f"rule {suggestion.rule_number} " in suggestion.explanation
        assert len(suggestion.reasons) == condition_count(suggestion.rule) and all(r.strip() for r in suggestion.reasons)
        assert all(a.partnerships.filter(pk=partnership.pk).exists() for a in suggestion.supporting_agencies)
        assert suggestion.rule_description.startswith(f"Rule {suggestion.rule_number}: ")
    else:
        assert "no lead agency is suggested" in suggestion.explanation
        assert suggestion.lead_agency is None and suggestion.reasons == ()
    again = routing_suggest_for_facts(partnership, f)
    assert (again.rule, again.explanation, again.reasons) == (suggestion.rule, suggestion.explanation, suggestion.reasons)
    return suggestion


@db_writes(40)
@given(st.data())
def test_routing_any_rules_and_facts_gives_the_first_matching_rule_and_says_why(partnership, ecam_agencies, data):  # noqa: F811
    cat = catalogue(partnership)
    specs = data.draw(st.lists(st.tuples(rule_values(cat), st.none() | st.integers(1, 8)), max_size=6), label="rules (values, position)")
    with rolled_back():
        for values, position in specs:
            create(partnership, values, position)
        apply(partnership, data.draw(edits(cat, len(specs)), label="edits"))
        numbers = list(RoutingRule.objects.filter(partnership=partnership).order_by("priority").values_list("priority", flat=True))
        assert numbers == list(range(1, len(specs) + 1)), "rules stay numbered 1, 2, 3 … whatever is done to them"
        targeted = []
        for rule in RoutingRule.objects.filter(partnership=partnership).order_by("priority"):
            targeted.append(data.draw(facts_meeting(rule, cat), label=f"facts meeting rule {rule.priority}"))
            assert holds(rule, targeted[-1]), "the generator's facts meet the rule"
        for f in [*targeted, *data.draw(st.lists(facts(cat), min_size=1, max_size=6), label="other facts")]:
            suggestion = check_suggestion(partnership, f)
            # The engine sorts the rules itself: handing them over in any order changes nothing.
            shuffled = list(routing_rules_for_partnership(partnership=partnership, active_only=True))
            random.Random(data.draw(st.integers(0, 2**32 - 1), label="shuffle")).shuffle(shuffled)
            assert routing_suggest(rules=shuffled, facts=f, partnership_name=partnership.name).rule == suggestion.rule


@db_writes(15)
@given(st.data())
def test_opening_a_case_records_the_rule_its_facts_fall_under(partnership, ecam_agencies, data):  # noqa: F811
    cat = catalogue(partnership)
    specs = data.draw(st.lists(rule_values(cat), max_size=5), label="rules")
    kind = data.draw(st.none() | st.sampled_from([k for k in cat.kinds if k.is_active]), label="kind")
    fields = {
        "kind": kind,
        "subject_tenure": data.draw(st.sampled_from(Case.Tenure.values), label="tenure"),
        "subject_age_band": data.draw(st.sampled_from(Case.AgeBand.values), label="age band"),
        "is_drug_alcohol_related": data.draw(st.booleans(), label="drug or alcohol"),
        "is_complex": data.draw(st.booleans(), label="complex"),
    }
    chosen = data.draw(st.sampled_from(cat.agencies), label="lead chosen")
    with rolled_back():
        for values in specs:
            create(partnership, values)
        suggestion = routing_suggest_for_facts(partnership, routing_facts_for_draft(**fields))
        common = {"actor": Actor.system(), "partnership": partnership, "summary": "Generated case", **fields,
                  "category": kind.category if kind else "nuisance"}
        if suggestion.matched and chosen != suggestion.lead_agency:
            try:
                with rolled_back():
                    case_open_routed(lead_agency=chosen, **common)
            except ValidationError as error:
                assert "routing_override_reason" in error.message_dict
            else:
                raise AssertionError("another lead than the rule's needs a reason")
            assert not Case.objects.exists()
        case = case_open_routed(lead_agency=chosen, routing_override_reason="The family is known to us", **common)
        decision = CaseRoutingDecision.objects.get(case=case)
        assert decision.rule == suggestion.rule and decision.suggested_lead == suggestion.lead_agency and decision.chosen_lead == chosen
        assert decision.was_overridden == (suggestion.matched and chosen != suggestion.lead_agency)
        assert routing_suggest_for_case(case).rule == suggestion.rule, "the saved case falls under the rule its draft did"
