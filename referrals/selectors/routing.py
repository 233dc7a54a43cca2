"""Reads for lead-agency routing: a partnership's rules, suggestions for a case or a draft, and routing decisions."""

from collections import defaultdict
from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from agencies.models import Agency
from casework.models import Case, Incident
from config.compiled_queries import compiled_query
from referrals.models import CaseRoutingDecision, RoutingRule
from referrals.routing import HATE_MOTIVATED_KIND, RoutingFacts, RoutingSuggestion, routing_suggest


def routing_rules_for_partnership(*, partnership, active_only: bool = False):
    """The partnership's rules in priority order, with everything a list row or the engine needs, in a fixed number
    of queries however many rules there are.

    active_only: the rules routing uses, as a list. Those in use whose lead still serves the partnership (an agency can
    leave it after a rule naming it was written: the rule is passed over rather than suggest an agency from outside),
    with the ids of their kinds, which the engine matches on, read in one query of plain pairs (a prefetch of the
    kinds cost twice as much, on every case page). A suggestion reads its one rule's supporting agencies when it
    shows them (RoutingSuggestion.supporting_agencies)."""
    if active_only:
        return _rules_in_use(partnership_id=partnership.pk)
    rules = RoutingRule.objects.filter(partnership=partnership).select_related("lead_agency").order_by("priority", "id")
    # lead_serves: whether routing can use the rule at all (the rules page says when it cannot).
    lead_serves = Agency.partnerships.through.objects.filter(agency_id=OuterRef("lead_agency_id"), partnership_id=partnership.pk)
    return rules.annotate(lead_serves=Exists(lead_serves)).prefetch_related(
        "kinds", Prefetch("supporting_agencies", queryset=Agency.objects.order_by("name"))
    )


def _rules_in_use(*, partnership_id) -> list[RoutingRule]:
    """routing_rules_for_partnership(active_only=True): every case page asks, so both reads are compiled once
    (config.compiled_queries)."""
    active = _active_rules(partnership_id=partnership_id)
    kind_ids = defaultdict(set)
    for rule_id, kind_id in _active_rule_kinds(partnership_id=partnership_id) if active else ():
        kind_ids[rule_id].add(kind_id)
    for rule in active:
        rule.kind_ids = frozenset(kind_ids[rule.pk])
    return active


@compiled_query
def _active_rules(*, partnership_id):
    # A join to the lead's partnerships (one row each, so no rule twice) rather than a subquery of serving agencies:
    # the same rules, for less work on every case page.
    return (
        RoutingRule.objects.filter(partnership_id=partnership_id, is_active=True, lead_agency__partnerships=partnership_id)
        .select_related("lead_agency")
        .order_by("priority", "id")
    )


@compiled_query
def _active_rule_kinds(*, partnership_id):
    """(rule id, kind id) of the partnership's rules in use: those whose lead has left the partnership too, which no
    one asks about."""
    return RoutingRule.kinds.through.objects.filter(
        routingrule__partnership_id=partnership_id, routingrule__is_active=True
    ).values_list("routingrule_id", "asbkind_id")


def routing_rule_get(*, partnership, pk) -> RoutingRule:
    """One of the partnership's rules; another partnership's rule is a 404."""
    try:
        return routing_rules_for_partnership(partnership=partnership).get(pk=pk)
    except RoutingRule.DoesNotExist:
        raise Http404("No such routing rule") from None


def routing_suggest_for_facts(partnership, facts: RoutingFacts) -> RoutingSuggestion:
    """Which of the partnership's active rules these facts (a draft case, or a saved one) fall under, and why."""
    rules = routing_rules_for_partnership(partnership=partnership, active_only=True)
    return routing_suggest(rules=rules, facts=facts, partnership_name=partnership.name)


def routing_facts_for_case(case: Case, *, periods=None, now=None) -> RoutingFacts:
    """The routing facts of a saved case: its own fields, any hate-motivated incident, and its incident counts
    over each period in `periods` (days), counted in one query."""
    now = now or timezone.now()
    periods = tuple(sorted({int(days) for days in periods or () if days}))
    found = _incident_totals(periods, case_id=case.pk, **{f"since_{days}": now - timedelta(days=days) for days in periods})
    totals = found[0] if found else dict.fromkeys(["hate", *(f"last_{days}" for days in periods)], 0)
    kind = case.kind
    return RoutingFacts(
        kind=kind,
        subject_tenure=case.subject_tenure,
        subject_age_band=case.subject_age_band,
        hate_motivated=bool(totals["hate"]) or (kind is not None and kind.slug == HATE_MOTIVATED_KIND),
        drug_alcohol_related=case.is_drug_alcohol_related,
        is_complex=case.is_complex,
        incident_counts={days: totals[f"last_{days}"] for days in periods},
    )


@compiled_query
def _incident_totals(periods, *, case_id, **since):
    """The case's hate-motivated incidents and its incidents since each `since_{days}`: one row, none without
    incidents. The case page asks every time (config.compiled_queries)."""
    counts = {f"last_{days}": Count("id", filter=Q(occurred_at__gte=since[f"since_{days}"])) for days in periods}
    return (
        Incident.objects.filter(case_id=case_id).order_by().values("case_id")
        .annotate(hate=Count("id", filter=Q(is_hate_motivated=True)), **counts)
    )


def routing_suggest_for_case(case: Case) -> RoutingSuggestion:
    """Which rule a saved case falls under now, counting its incidents over the periods the rules use."""
    rules = routing_rules_for_partnership(partnership=case.partnership, active_only=True)
    if not rules:  # no rule to match: the case's incidents need not be counted
        return routing_suggest(rules=rules, facts=RoutingFacts(), partnership_name=case.partnership.name)
    facts = routing_facts_for_case(case, periods=[rule.persistent_period_days for rule in rules if rule.persistent_incidents])
    return routing_suggest(rules=rules, facts=facts, partnership_name=case.partnership.name)


def routing_facts_for_draft(
    *, kind=None, subject_tenure=Case.Tenure.UNKNOWN, subject_age_band=Case.AgeBand.UNKNOWN, hate_motivated=False,
    is_drug_alcohol_related=False, is_complex=False, recent_incidents=None, recent_period_days=None,
) -> RoutingFacts:
    """Facts for a case that is not saved yet: the kind "hate-motivated" counts as hate-motivated."""
    counts = {recent_period_days: recent_incidents} if recent_incidents is not None and recent_period_days else {}
    return RoutingFacts(
        kind=kind,
        subject_tenure=subject_tenure or Case.Tenure.UNKNOWN,
        subject_age_band=subject_age_band or Case.AgeBand.UNKNOWN,
        hate_motivated=bool(hate_motivated) or (kind is not None and kind.slug == HATE_MOTIVATED_KIND),
        drug_alcohol_related=bool(is_drug_alcohol_related),
        is_complex=bool(is_complex),
        incident_counts=counts,
    )


def case_routing_latest(case: Case) -> CaseRoutingDecision | None:
    """The latest routing decision on a case the caller may already see, with what the summary shows.

    The lead chosen, and mostly the lead suggested, are the case's lead still: when the case holds its lead agency
    already, that one serves for both rather than the agencies being joined again; another is read when first used."""
    found = _latest_routing_decision(case_id=case.pk)
    decision = found[0] if found else None
    if decision is not None and Case.lead_agency.is_cached(case):
        for field in ("chosen_lead", "suggested_lead"):
            if getattr(decision, f"{field}_id") == case.lead_agency_id:
                setattr(decision, field, case.lead_agency)
    return decision


@compiled_query
def _latest_routing_decision(*, case_id):
    return CaseRoutingDecision.objects.filter(case_id=case_id).select_related("decided_by").order_by("-decided_at", "-id")[:1]
