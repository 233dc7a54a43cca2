"""Writes for lead-agency routing: the partnership's rules (each change audited) and the routing decision on a case."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction

from agencies.models import Partnership
from audit.models import AuditEvent
from audit.services import Actor, audit_record, diff
from casework.models import AsbKind, Case, InterventionType
from referrals.models import CaseRoutingDecision, RoutingRule

# Fields a coordinator sets on a rule; the priority changes only by placing or moving the rule.
RULE_FIELDS = (
    "name", "subject_tenure", "subject_under_18", "hate_motivated", "drug_alcohol_related", "complex_or_persistent",
    "persistent_incidents", "persistent_period_days", "lead_agency", "suggested_interventions", "explanation", "is_active",
)
RULE_RELATIONS = ("kinds", "supporting_agencies")


def _snapshot(rule: RoutingRule) -> dict:
    """The rule as the audit trail records it: names rather than ids, so that the trail reads on its own."""
    values = {name: getattr(rule, name) for name in RULE_FIELDS}
    values["priority"] = rule.priority
    values["lead_agency"] = rule.lead_agency.name if rule.lead_agency_id else None
    values["suggested_interventions"] = ", ".join(rule.suggested_interventions)
    if rule.pk:
        values["kinds"] = ", ".join(sorted(kind.name for kind in rule.kinds.all()))
        values["supporting_agencies"] = ", ".join(sorted(agency.name for agency in rule.supporting_agencies.all()))
    else:
        values["kinds"] = values["supporting_agencies"] = ""
    return values


def _locked_rules(partnership) -> list[RoutingRule]:
    """The partnership's rules in order. The partnership row is locked first, so that two coordinators adding or
    moving rules at once (even to a partnership with no rules yet) take turns rather than interleave."""
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    return list(RoutingRule.objects.select_for_update().filter(partnership=partnership).order_by("priority", "id"))


def _renumber(rules: list[RoutingRule]) -> None:
    """Number the rules 1, 2, 3 … in their current order, so that "rule 4" always means the fourth."""
    for number, rule in enumerate(rules, start=1):
        if rule.priority != number:
            RoutingRule.objects.filter(pk=rule.pk).update(priority=number)
            rule.priority = number


def _clean(*, partnership, values: dict, kinds, supporting_agencies) -> tuple[list, list]:
    """Check a rule's values; a ValidationError names each field that is wrong."""
    errors: dict[str, str] = {}
    if not (values.get("name") or "").strip():
        errors["name"] = "Give the rule a name, for example 'ASB by a housing association tenant'."
    lead = values.get("lead_agency")
    served = set(partnership.agencies.values_list("pk", flat=True))
    if lead is None:
        errors["lead_agency"] = "Choose the agency that leads cases under this rule."
    elif lead.pk not in served:
        errors["lead_agency"] = f"{lead.name} does not serve {partnership.name}."
    supporting = list(supporting_agencies or [])
    strangers = [agency.name for agency in supporting if agency.pk not in served]
    if strangers:
        errors["supporting_agencies"] = f"{', '.join(strangers)} do not serve {partnership.name}."
    elif lead is not None and any(agency.pk == lead.pk for agency in supporting):
        errors["supporting_agencies"] = f"{lead.name} leads under this rule, so it cannot also support."
    tenure = values.get("subject_tenure") or ""
    if tenure and tenure not in Case.Tenure.values:
        errors["subject_tenure"] = "Choose a tenure from the list, or any tenure."
    interventions = list(values.get("suggested_interventions") or [])
    unknown = [value for value in interventions if value not in InterventionType.values]
    if unknown:
        errors["suggested_interventions"] = f"Not a kind of intervention: {', '.join(map(str, unknown))}."
    values["suggested_interventions"] = list(dict.fromkeys(interventions))
    threshold, days = values.get("persistent_incidents"), values.get("persistent_period_days")
    if (threshold is None) != (days is None):
        field = "persistent_period_days" if days is None else "persistent_incidents"
        errors[field] = "Give both the number of incidents and the number of days, or neither."
    elif threshold is not None and (threshold < 1 or days < 1):
        errors["persistent_incidents" if threshold < 1 else "persistent_period_days"] = "Use a whole number of 1 or more."
    elif threshold is not None and values.get("complex_or_persistent") is None:
        errors["complex_or_persistent"] = "Say whether the rule is for complex or persistent cases to use an incident count."
    if len(values.get("explanation") or "") > 300:
        errors["explanation"] = "Keep the explanation to 300 characters or fewer."
    for name in ("name", "explanation"):
        if "\x00" in (values.get(name) or ""):
            errors[name] = "Remove the NUL character: it is not text (it can come from pasting out of another program)."
    if errors:
        raise ValidationError(errors)
    return list(kinds or []), supporting


def _audit(*, actor: Actor, action: str, rule: RoutingRule, before: dict, detail: str = "") -> None:
    changes = diff(before, _snapshot(rule))
    if changes or action != AuditEvent.Action.UPDATE:
        audit_record(actor=actor, action=action, obj=rule, changes=changes, detail=detail)


@transaction.atomic
def routing_rule_create(
    *, actor: Actor, partnership, name: str, lead_agency, kinds=(), supporting_agencies=(), position: int | None = None, **fields
) -> RoutingRule:
    """Add a rule to the partnership's flow chart, at `position` (1 is tried first) or, by default, at the end."""
    unknown = set(fields) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"routing_rule_create() got unexpected fields: {', '.join(sorted(unknown))}")
    values = {"name": name, "lead_agency": lead_agency, **fields}
    kinds, supporting = _clean(partnership=partnership, values=values, kinds=kinds, supporting_agencies=supporting_agencies)
    rules = _locked_rules(partnership)
    _renumber(rules)
    place = len(rules) + 1 if position is None else min(max(int(position), 1), len(rules) + 1)
    for later in rules[place - 1:]:
        RoutingRule.objects.filter(pk=later.pk).update(priority=later.priority + 1)
    rule = RoutingRule(partnership=partnership, priority=place, **values)
    rule.full_clean()
    rule.save()
    rule.kinds.set(kinds)
    rule.supporting_agencies.set(supporting)
    detail = f"Added as rule {place} of {len(rules) + 1}"
    if place <= len(rules):
        detail += f"; rules {place} to {len(rules)} each moved down one"
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=rule, changes=diff({}, _snapshot(rule)), detail=detail)
    return rule


@transaction.atomic
def routing_rule_update(*, actor: Actor, rule: RoutingRule, **changes) -> RoutingRule:
    """Change a rule's conditions, agencies, interventions or explanation. Audited with old and new values."""
    unknown = set(changes) - set(RULE_FIELDS) - set(RULE_RELATIONS)
    if unknown:
        raise TypeError(f"routing_rule_update() cannot change: {', '.join(sorted(unknown))}")
    current = RoutingRule.objects.select_for_update().select_related("partnership", "lead_agency").get(pk=rule.pk)
    before = _snapshot(current)
    values = {name: changes.get(name, getattr(current, name)) for name in RULE_FIELDS}
    kinds, supporting = _clean(
        partnership=current.partnership,
        values=values,
        kinds=changes["kinds"] if "kinds" in changes else current.kinds.all(),
        supporting_agencies=changes["supporting_agencies"] if "supporting_agencies" in changes else current.supporting_agencies.all(),
    )
    for name, value in values.items():
        setattr(current, name, value)
    current.full_clean()
    current.save()
    current.kinds.set(kinds)
    current.supporting_agencies.set(supporting)
    _audit(actor=actor, action=AuditEvent.Action.UPDATE, rule=current, before=before)
    return current


@transaction.atomic
def routing_rule_set_active(*, actor: Actor, rule: RoutingRule, is_active: bool) -> RoutingRule:
    """Take a rule out of use (it keeps its place, so it can be brought back) or put it back in use."""
    current = RoutingRule.objects.select_for_update().get(pk=rule.pk)
    if current.is_active == is_active:
        return current
    before = _snapshot(current)
    current.is_active = is_active
    current.save(update_fields=["is_active", "updated_at"])
    _audit(actor=actor, action=AuditEvent.Action.UPDATE, rule=current, before=before, detail="Put back in use" if is_active else "Taken out of use")
    return current


@transaction.atomic
def routing_rule_move(*, actor: Actor, rule: RoutingRule, direction: str) -> RoutingRule:
    """Swap a rule with the one above ("up": tried earlier) or below ("down"). At the top or bottom, nothing moves."""
    if direction not in ("up", "down"):
        raise ValidationError({"direction": "Move a rule up or down."})
    rules = _locked_rules(rule.partnership)
    _renumber(rules)
    index = next(i for i, candidate in enumerate(rules) if candidate.pk == rule.pk)
    other_index = index - 1 if direction == "up" else index + 1
    if not 0 <= other_index < len(rules):
        return rules[index]
    moved, displaced = rules[index], rules[other_index]
    moved_from, displaced_from = moved.priority, displaced.priority
    RoutingRule.objects.filter(pk=moved.pk).update(priority=displaced_from)
    RoutingRule.objects.filter(pk=displaced.pk).update(priority=moved_from)
    moved.priority, displaced.priority = displaced_from, moved_from
    audit_record(
        actor=actor, action=AuditEvent.Action.UPDATE, obj=moved, changes={"priority": [moved_from, displaced_from]},
        detail=f"Moved {direction}, swapping places with '{displaced.name}'",
    )
    audit_record(
        actor=actor, action=AuditEvent.Action.UPDATE, obj=displaced, changes={"priority": [displaced_from, moved_from]},
        detail=f"Moved {'down' if direction == 'up' else 'up'} when '{moved.name}' moved {direction}",
    )
    return moved


# The East Cambridgeshire ASB working agreement (2014/15) as routing rules, in the order they are tried.
# The agreement lists who leads each broad category; where a case fits more than one, the order decides:
#  1-2  Deliberate fire setting first: a danger to life that needs the fire service's specialism, whoever the landlord
#       or however old the subject (a young fire setter: Fire and Rescue leads, the Youth Offending Service supports).
#  3    Under-18s next: youth justice (referral orders, ISS) is the Youth Offending Service's, before tenancy tools.
#  4    Housing association tenants: the agreement's one exception to the police lead on complex cases, so it comes
#       before every police rule, and before the council and drug rules (Sanctuary handles all ASB by its tenants).
#  5-7  Complex, persistent or criminal ASB (flagged complex, hate-motivated, harassment or intimidation): the police.
#  8    Street drinking before drug and alcohol: it is alcohol related, but the council leads it with the police.
#  9    Drug and alcohol related: County Council drug and alcohol services with the police.
# 10-12 Neighbour noise, environmental ASB, council open space: the district council.
# 13    Everything else: the council investigates a general enquiry first, until discharged or handed to the police.
# Agencies are named by role: police, district_council, fire_rescue, youth_offending, locality_team, drug_alcohol, housing.
EAST_CAMBRIDGESHIRE_RULES = [
    {
        "name": "Deliberate fire setting by a young person",
        "kinds": ["deliberate-fire-setting"], "subject_under_18": True,
        "lead": "fire_rescue", "supporting": ["police", "youth_offending"],
        "interventions": ["abc", "referral_order"],
        "explanation": "Fire and Rescue leads deliberate fire setting, sharing with the police, and runs its fire-setter "
                       "intervention; the Youth Offending Service supports a young fire setter. Before the under-18 rule: "
                       "fire is a danger to life and needs the specialist.",
    },
    {
        "name": "Deliberate fire setting",
        "kinds": ["deliberate-fire-setting"],
        "lead": "fire_rescue", "supporting": ["police"],
        "interventions": ["civil_injunction", "cbo"],
        "explanation": "Fire and Rescue monitors deliberate fire setting and shares it with the police. Before the tenancy "
                       "and police rules: fire is a danger to life and needs the specialist, whoever the landlord.",
    },
    {
        "name": "Young person under 18",
        "subject_under_18": True,
        "lead": "youth_offending", "supporting": ["locality_team"],
        "interventions": ["abc", "referral_order", "iss"],
        "explanation": "The Youth Offending Service leads for young people offending or at risk; the Locality Team supports "
                       "vulnerable young people. Before the tenancy and police rules: youth justice tools come first for under-18s.",
    },
    {
        "name": "ASB by a housing association tenant",
        "subject_tenure": Case.Tenure.HOUSING_ASSOCIATION,
        "lead": "housing", "supporting": [],
        "interventions": ["abc", "civil_injunction", "mediation", "good_neighbour_charter", "professional_witness",
                          "floating_support", "tenancy_enforcement"],
        "explanation": "Sanctuary deals with ASB by its tenants with tenancy tools. Before the police rules, even for complex "
                       "cases: the agreement makes a housing association tenancy matter the exception to the police lead.",
    },
    {
        "name": "Complex, persistent or criminal ASB",
        "complex_or_persistent": True,
        "lead": "police", "supporting": [],
        "interventions": ["civil_injunction", "cbo", "dispersal", "closure_notice"],
        "explanation": "The police lead complex case management, except housing association tenancy matters (rule above). "
                       "Uses the case's complex flag, with no incident count, so that much-reported noise and environmental "
                       "cases stay with the council.",
    },
    {
        "name": "Hate-motivated ASB",
        "hate_motivated": True,
        "lead": "police", "supporting": [],
        "interventions": ["civil_injunction", "cbo"],
        "explanation": "Hate-motivated ASB (the kind, or any hate-motivated incident) is criminal ASB, which the police lead. "
                       "After the tenancy rule, as the agreement's exception requires.",
    },
    {
        "name": "Intimidation or harassment",
        "kinds": ["intimidation-harassment"],
        "lead": "police", "supporting": [],
        "interventions": ["cpw", "civil_injunction", "cbo"],
        "explanation": "Harassment and intimidation are the agreement's examples of criminal ASB, which the police lead. "
                       "After the tenancy rule, as the agreement's exception requires.",
    },
    {
        "name": "Street drinking",
        "kinds": ["street-drinking"],
        "lead": "district_council", "supporting": ["police", "drug_alcohol"],
        "interventions": ["pspo", "dispersal", "treatment_referral"],
        "explanation": "The council keeps Designated Public Place Orders (now Public Spaces Protection Orders) with the police. "
                       "Before the drug and alcohol rule: street drinking is alcohol related but stays with the council.",
    },
    {
        "name": "Drug or alcohol related ASB",
        "drug_alcohol_related": True,
        "lead": "drug_alcohol", "supporting": ["police"],
        "interventions": ["treatment_referral", "closure_notice", "closure_order"],
        "explanation": "County Council drug and alcohol services lead, with police enforcement against supply. After the "
                       "tenancy, youth and police rules, which bring in the right partners for those cases.",
    },
    {
        "name": "Noise between neighbours",
        "kinds": ["neighbour-noise"],
        "lead": "district_council", "supporting": [],
        "interventions": ["warning_letter", "mediation", "cpw", "cpn"],
        "explanation": "The council's environmental health monitors noise nuisance complaints between neighbours. After the "
                       "tenancy rule (Sanctuary handles its tenants' noise) and the complex-case rule.",
    },
    {
        "name": "Dog fouling, fly tipping, abandoned vehicles and littering",
        "kinds": ["dog-fouling", "fly-tipping", "abandoned-vehicle", "littering"],
        "lead": "district_council", "supporting": [],
        "interventions": ["fixed_penalty", "cpw", "cpn"],
        "explanation": "The council handles reports of these and enforces against them, including with fixed penalty notices.",
    },
    {
        "name": "ASB on council open space",
        "kinds": ["council-open-space"],
        "lead": "district_council", "supporting": [],
        "interventions": ["cpw", "pspo"],
        "explanation": "The council handles complaints about ASB on its own green open space, as reported to its customer services.",
    },
    {
        "name": "General ASB enquiry",
        "lead": "district_council", "supporting": [],
        "interventions": ["warning_letter"],
        "explanation": "Last, for any case no rule above takes: the council investigates a general ASB enquiry first, until "
                       "it is discharged or handed on to the police as lead agency.",
    },
]
# The roles the rules name, as leads or supporting: the agencies a partnership must name to take these rules.
EAST_CAMBRIDGESHIRE_ROLES = frozenset(role for spec in EAST_CAMBRIDGESHIRE_RULES for role in [spec["lead"], *spec["supporting"]])


@transaction.atomic
def routing_rules_seed_east_cambridgeshire(*, partnership, agencies: Mapping, actor: Actor | None = None) -> list[RoutingRule]:
    """Give a partnership the East Cambridgeshire working agreement's rules, unless it already has rules.

    `agencies` maps each role the rules name (see EAST_CAMBRIDGESHIRE_RULES) to an agency serving the partnership.
    """
    existing = list(RoutingRule.objects.filter(partnership=partnership).order_by("priority", "id"))
    if existing:
        return existing
    missing = sorted(EAST_CAMBRIDGESHIRE_ROLES - set(agencies))
    if missing:
        raise ValidationError(f"Name an agency for each role the rules use: missing {', '.join(missing)}.")
    slugs = {slug for spec in EAST_CAMBRIDGESHIRE_RULES for slug in spec.get("kinds", [])}
    kinds = {kind.slug: kind for kind in AsbKind.objects.filter(slug__in=slugs)}
    if len(kinds) != len(slugs):
        raise ValidationError(f"These kinds of ASB are missing from the catalogue: {', '.join(sorted(slugs - set(kinds)))}.")
    actor = actor or Actor.system()
    rules = []
    for spec in EAST_CAMBRIDGESHIRE_RULES:
        conditions = {name: spec[name] for name in ("subject_tenure", "subject_under_18", "hate_motivated", "drug_alcohol_related", "complex_or_persistent") if name in spec}
        rules.append(
            routing_rule_create(
                actor=actor,
                partnership=partnership,
                name=spec["name"],
                lead_agency=agencies[spec["lead"]],
                supporting_agencies=[agencies[role] for role in spec["supporting"]],
                kinds=[kinds[slug] for slug in spec.get("kinds", [])],
                suggested_interventions=spec["interventions"],
                explanation=spec["explanation"],
                **conditions,
            )
        )
    return rules


@transaction.atomic
def _override_needs_reason(suggestion, chosen_lead) -> str:
    rule = suggestion.rule
    return (
        f"Say why {chosen_lead.name} should lead rather than {suggestion.lead_agency.name}, "
        f"which rule {rule.priority} ({rule.name}) suggests."
    )


def case_routing_record(*, actor: Actor, case: Case, suggestion, chosen_lead, override_reason: str = "") -> CaseRoutingDecision:
    """Record which lead the routing rules suggested for a case and which was chosen. Choosing another lead than the
    one suggested needs a reason."""
    suggested_lead = suggestion.lead_agency if suggestion is not None else None
    rule = suggestion.rule if suggestion is not None else None
    reason = (override_reason or "").strip()
    if chosen_lead is None:
        raise ValidationError({"chosen_lead": "Choose the lead agency."})
    if not chosen_lead.partnerships.filter(pk=case.partnership_id).exists():
        raise ValidationError({"chosen_lead": f"{chosen_lead.name} does not serve {case.partnership.name}."})
    overridden = suggested_lead is not None and suggested_lead.pk != chosen_lead.pk
    if overridden and not reason:
        raise ValidationError({"override_reason": _override_needs_reason(suggestion, chosen_lead)})
    decision = CaseRoutingDecision(
        case=case,
        rule=rule,
        rule_description=suggestion.rule_description[:300] if rule else "",
        suggested_lead=suggested_lead,
        chosen_lead=chosen_lead,
        override_reason=reason if overridden else "",
        decided_by=actor.user if actor.user is not None and actor.user.is_authenticated else None,
    )
    decision.full_clean()
    decision.save()
    after = {
        "rule": decision.rule_description or "No rule matched",
        "suggested_lead": suggested_lead.name if suggested_lead else None,
        "chosen_lead": chosen_lead.name,
        "override_reason": decision.override_reason,
    }
    if overridden:
        detail = f"Routing suggestion overridden: {chosen_lead.name} rather than {suggested_lead.name}"
    elif rule:
        detail = f"Routing suggestion followed ({decision.rule_description})"
    else:
        detail = "No routing rule matched; lead chosen by hand"
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=decision, case_id=case.pk, changes=diff({}, after), detail=detail)
    return decision


@transaction.atomic
def case_open_routed(*, actor: Actor, partnership, lead_agency, routing_override_reason: str = "", **fields) -> Case:
    """Open a case and record how its lead was chosen: by the partnership's routing rules, or against them with a
    reason. The reason is checked before anything is written; the case and its routing decision are one transaction."""
    from casework.services.cases import case_open
    from referrals.selectors.routing import routing_facts_for_draft, routing_suggest_for_facts

    facts = routing_facts_for_draft(
        kind=fields.get("kind"),
        subject_tenure=fields.get("subject_tenure"),
        subject_age_band=fields.get("subject_age_band"),
        is_drug_alcohol_related=fields.get("is_drug_alcohol_related", False),
        is_complex=fields.get("is_complex", False),
    )
    suggestion = routing_suggest_for_facts(partnership, facts)
    suggested = suggestion.lead_agency if suggestion is not None else None
    reason = (routing_override_reason or "").strip()
    if suggested is not None and lead_agency is not None and suggested.pk != lead_agency.pk and not reason:
        raise ValidationError({"routing_override_reason": _override_needs_reason(suggestion, lead_agency)})
    case = case_open(actor=actor, partnership=partnership, lead_agency=lead_agency, **fields)
    case_routing_record(actor=actor, case=case, suggestion=suggestion, chosen_lead=lead_agency, override_reason=reason)
    return case
