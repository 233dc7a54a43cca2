"""The lead-agency routing engine: which rule of a partnership's flow chart a case (saved or draft) falls under, and why.

Pure logic over plain facts and rules already loaded, each with its kind ids (RoutingRule.kind_ids, which routing's
selector fills): no queries of its own, so that the same engine serves the case-open page, the coordinators' "try a
draft case" page and the API. Only a suggestion's supporting agencies are read when first shown, for the one rule
that matched.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from casework.models import AsbKind, Case, InterventionType

HATE_MOTIVATED_KIND = "hate-motivated"

_TENURE_PHRASES = {
    Case.Tenure.HOUSING_ASSOCIATION: "the subject is a housing association tenant",
    Case.Tenure.COUNCIL: "the subject is a council tenant",
    Case.Tenure.PRIVATE: "the subject is a private tenant",
    Case.Tenure.OWNER_OCCUPIER: "the subject is an owner occupier",
    Case.Tenure.UNKNOWN: "the subject's tenure is not known",
}


@dataclass(frozen=True)
class RoutingFacts:
    """What routing looks at, for a saved case or a draft that has not been saved.

    `incident_counts` maps a number of days to the number of incidents in the last that many days. A case gives
    exact counts for every period its partnership's rules use; a draft gives the one count its user knows.
    """

    kind: AsbKind | None = None
    subject_tenure: str = Case.Tenure.UNKNOWN
    subject_age_band: str = Case.AgeBand.UNKNOWN
    hate_motivated: bool = False
    drug_alcohol_related: bool = False
    is_complex: bool = False
    incident_counts: Mapping[int, int] = field(default_factory=dict)

    @property
    def subject_under_18(self) -> bool | None:
        """None when the age band is not known (or not a band at all): a rule that asks about age then does not match."""
        if self.subject_age_band in Case.UNDER_18_BANDS:
            return True
        return False if self.subject_age_band == Case.AgeBand.ADULT else None

    def incidents_in_last(self, days: int) -> int:
        """Incidents in the last `days` days, as far as the facts tell: a count over a shorter period is a lower bound."""
        known = [count for period, count in self.incident_counts.items() if period <= days]
        return max(known, default=0)


@dataclass(frozen=True)
class RoutingSuggestion:
    """The outcome of routing: the rule that applies (or none), what it suggests, and a sentence saying why."""

    explanation: str
    rule: object = None
    reasons: tuple[str, ...] = ()

    @property
    def matched(self) -> bool:
        return self.rule is not None

    @property
    def rule_number(self) -> int | None:
        return self.rule.priority if self.rule else None

    @property
    def lead_agency(self):
        return self.rule.lead_agency if self.rule else None

    @cached_property
    def supporting_agencies(self) -> list:
        """Read when first shown (the case page's notice does not show them): one query, for the matched rule."""
        return list(self.rule.supporting_agencies_serving()) if self.rule else []

    @property
    def suggested_interventions(self) -> list[tuple[str, str]]:
        """(value, label) pairs, in the rule's order."""
        return interventions_named(self.rule.suggested_interventions) if self.rule else []

    @property
    def rule_why(self) -> str:
        """The rule's own reasoning, in the working agreement's words."""
        return self.rule.explanation if self.rule else ""

    @property
    def rule_description(self) -> str:
        return f"Rule {self.rule.priority}: {self.rule.name}" if self.rule else ""


def interventions_named(values) -> list[tuple[str, str]]:
    """(value, label) for each intervention type value; values no longer in the catalogue are left out."""
    labels = dict(InterventionType.choices)
    return [(value, labels[value]) for value in values if value in labels]


def _kind_phrase(kind: AsbKind) -> str:
    name = kind.name
    first_word = name.split(" ", 1)[0]
    # Keep acronyms ("ASB on council open space"); lower-case ordinary words ("Deliberate fire setting").
    if not first_word.isupper():
        name = name[:1].lower() + name[1:]
    return f"the kind of ASB is {name}" if name else "the kind of ASB is one the rule names"


def _join(parts: list[str], last: str = " and ") -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + last + parts[-1]


def _complex_reason(rule, facts: RoutingFacts) -> tuple[bool, str]:
    """Whether the case is complex or persistent in the rule's terms, and how to say so."""
    threshold, days = rule.persistent_incidents, rule.persistent_period_days
    count = facts.incidents_in_last(days) if threshold and days else 0
    persistent = bool(threshold and days and count >= threshold)
    if facts.is_complex:
        return True, "the case is flagged as complex, persistent or criminal ASB"
    if persistent:
        return True, f"{count} incidents were reported in the last {days} days (the rule counts {threshold} or more as persistent)"
    if threshold and days:
        return False, f"the case is not flagged complex and had fewer than {threshold} incidents in the last {days} days"
    return False, "the case is not flagged as complex, persistent or criminal ASB"


def rule_match(rule, facts: RoutingFacts) -> tuple[bool, list[str]]:
    """Whether every condition the rule sets holds for these facts, and a phrase for each condition that did."""
    reasons: list[str] = []
    kind_ids = rule.kind_ids
    if kind_ids:
        if facts.kind is None or facts.kind.pk not in kind_ids:
            return False, []
        reasons.append(_kind_phrase(facts.kind))
    if rule.subject_tenure:
        if facts.subject_tenure != rule.subject_tenure:
            return False, []
        reasons.append(_TENURE_PHRASES.get(rule.subject_tenure, f"the subject's tenure is {rule.get_subject_tenure_display()}"))
    if rule.subject_under_18 is not None:
        if facts.subject_under_18 is None or facts.subject_under_18 != rule.subject_under_18:
            return False, []
        band = dict(Case.AgeBand.choices).get(facts.subject_age_band, "")
        reasons.append(f"the subject is under 18 ({band.lower()})" if rule.subject_under_18 else "the subject is 18 or over")
    if rule.hate_motivated is not None:
        if facts.hate_motivated != rule.hate_motivated:
            return False, []
        reasons.append("the ASB is hate-motivated" if rule.hate_motivated else "the ASB is not hate-motivated")
    if rule.drug_alcohol_related is not None:
        if facts.drug_alcohol_related != rule.drug_alcohol_related:
            return False, []
        reasons.append("the ASB is drug or alcohol related" if rule.drug_alcohol_related else "the ASB is not drug or alcohol related")
    if rule.complex_or_persistent is not None:
        is_complex, phrase = _complex_reason(rule, facts)
        if is_complex != rule.complex_or_persistent:
            return False, []
        reasons.append(phrase)
    return True, reasons


def routing_suggest(*, rules: Iterable, facts: RoutingFacts, partnership_name: str = "this partnership") -> RoutingSuggestion:
    """The first active rule, in priority order, whose conditions all hold; or a plain statement that none does."""
    active = [rule for rule in rules if rule.is_active]
    for rule in sorted(active, key=lambda r: (r.priority, r.pk or 0)):
        matched, reasons = rule_match(rule, facts)
        if not matched:
            continue
        because = _join(reasons) if reasons else "no earlier rule applies and this rule takes every case that reaches it"
        explanation = f"This case would go to {rule.lead_agency.name}, by rule {rule.priority} ({rule.name}), because {because}."
        return RoutingSuggestion(explanation=explanation, rule=rule, reasons=tuple(reasons))
    if not active:
        return RoutingSuggestion(
            explanation=f"{partnership_name} has no routing rules in use, so no lead agency is suggested: choose the lead yourself."
        )
    return RoutingSuggestion(
        explanation=f"No routing rule of {partnership_name} matches this case, so no lead agency is suggested: choose the lead yourself."
    )


def rule_conditions(rule) -> list[str]:
    """The rule's conditions in words, for the rules list: an empty list means it takes any case."""
    conditions = []
    kinds = [kind.name for kind in rule.kinds.all()]
    if kinds:
        conditions.append("Kind: " + _join(kinds, last=" or "))
    if rule.subject_tenure:
        conditions.append(f"Subject: {rule.get_subject_tenure_display().lower()}")
    yes_no = {True: "yes", False: "no"}
    if rule.subject_under_18 is not None:
        conditions.append(f"Subject under 18: {yes_no[rule.subject_under_18]}")
    if rule.hate_motivated is not None:
        conditions.append(f"Hate-motivated: {yes_no[rule.hate_motivated]}")
    if rule.drug_alcohol_related is not None:
        conditions.append(f"Drug or alcohol related: {yes_no[rule.drug_alcohol_related]}")
    if rule.complex_or_persistent is not None:
        text = f"Complex or persistent: {yes_no[rule.complex_or_persistent]}"
        if rule.persistent_incidents and rule.persistent_period_days:
            text += f" (flagged, or {rule.persistent_incidents} or more incidents in {rule.persistent_period_days} days)"
        conditions.append(text)
    return conditions
