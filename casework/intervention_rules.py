"""The limits the law sets on interventions (Anti-social Behaviour, Crime and Policing Act 2014).

One module, so that the hint on the form, the service that refuses and the API's 400 all say the same words.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from casework.models import Intervention, InterventionType

# The youngest a person may be, on the intervention's start date.
MINIMUM_AGE = {
    InterventionType.CIVIL_INJUNCTION: 10,
    InterventionType.CPW: 16,
    InterventionType.CPN: 16,
}

AGE_RULES = {
    InterventionType.CIVIL_INJUNCTION: "A civil injunction can only be made against a person aged 10 or over (2014 Act, Part 1).",
    InterventionType.CPW: "A Community Protection Warning can only be given to a person aged 16 or over (2014 Act, Part 4).",
    InterventionType.CPN: "A Community Protection Notice can only be issued to a person aged 16 or over (2014 Act, Part 4).",
}

CPN_NEEDS_WARNING = (
    "A Community Protection Notice can only follow a Community Protection Warning given to the same person on this "
    "case before the notice's start date: record the warning first."
)

# Orders that cover a place rather than a person: the person they apply to may be left empty.
AREA_WIDE = frozenset(
    {InterventionType.PSPO, InterventionType.DISPERSAL, InterventionType.CLOSURE_NOTICE, InterventionType.CLOSURE_ORDER}
)

# A warning that is only proposed has not been given.
GIVEN_STATUSES = (
    Intervention.Status.ACTIVE,
    Intervention.Status.BREACHED,
    Intervention.Status.COMPLETED,
    Intervention.Status.DISCHARGED,
)


def rules_for(intervention_type: str) -> list[str]:
    """The legal limits on one type of intervention, in the words the form, the service and the API use."""
    rules = []
    if intervention_type in AGE_RULES:
        rules.append(AGE_RULES[intervention_type])
    if intervention_type == InterventionType.CPN:
        rules.append(CPN_NEEDS_WARNING)
    return rules


def all_rules() -> list[tuple[str, list[str]]]:
    """(type label, rules) for every type the law limits: the hint beside the type on the form."""
    return [(InterventionType(value).label, rules_for(value)) for value in InterventionType.values if rules_for(value)]


@dataclass
class RuleCheck:
    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def refuse(self, field_name: str, message: str) -> None:
        self.errors.setdefault(field_name, []).append(message)


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _check_age(result: RuleCheck, *, intervention_type: str, person, on: date) -> None:
    minimum = MINIMUM_AGE.get(intervention_type)
    if minimum is None:
        return
    rule = AGE_RULES[intervention_type]
    if person is None:
        result.warnings.append(f"No person is recorded, so the age limit could not be checked. {rule}")
    elif person.date_of_birth is None:
        result.warnings.append(f"{person}'s date of birth is not recorded, so their age could not be checked. {rule}")
    else:
        age = person.age_on(on)
        if age < minimum:
            result.refuse("person", f"{rule} {person} is {age} on {_long_date(on)}.")


def check(*, case, intervention_type: str, person, start_on: date | None, today: date) -> RuleCheck:
    """Errors (refuse) and warnings (allow, but say so) for an intervention of this type, to this person, from this
    date. Without a start date, age is taken on `today`."""
    result = RuleCheck()
    _check_age(result, intervention_type=intervention_type, person=person, on=start_on or today)
    if intervention_type == InterventionType.CPN and not _warning_given_before(case=case, person=person, start_on=start_on):
        result.refuse("type", CPN_NEEDS_WARNING)
    return result


def _warning_given_before(*, case, person, start_on: date | None) -> bool:
    warnings = Intervention.objects.filter(case=case, type=InterventionType.CPW, status__in=GIVEN_STATUSES)
    warnings = warnings.filter(person=person) if person is not None else warnings.filter(person__isnull=True)
    if start_on is not None:
        # A warning with no date recorded is taken as given; one dated the same day or later is not "before".
        warnings = warnings.filter(Q(start_on__isnull=True) | Q(start_on__lt=start_on))
    return warnings.exists()


def warnings_for(intervention: Intervention, *, today: date) -> list[str]:
    """What to point out on a saved intervention (an unknown date of birth, no person recorded). No queries:
    safe to call for every row of a list whose person is loaded with it."""
    result = RuleCheck()
    _check_age(result, intervention_type=intervention.type, person=intervention.person, on=intervention.start_on or today)
    return result.warnings
