"""Demo data for the quarterly reports: East Cambridgeshire's ASB priority with its action plan, a progress report for
the last completed quarter, two measures, and about two years of earlier casework (through the case import service)
so that the first report looks like the partnership's real ones."""

import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from audit.services import Actor
from casework.imports import COLUMNS
from casework.models import AsbKind
from casework.services.imports import cases_import
from reports.models import Measure, Priority
from reports.quarters import Quarter, quarter_last_completed
from reports.services.plan import action_update_save, measure_create, measure_value_save, narrative_save, plan_action_create, priority_create

HISTORIC_SOURCE = "East Cambridgeshire ASB case log (demo history)"
HISTORIC_CASES = 240

# Which agency leads a kind of ASB, after the working agreement's flow chart (seed 000), for the demo history.
LEAD_BY_KIND = {
    "neighbour-noise": ["ecdc", "sanctuary"], "dog-fouling": ["ecdc"], "fly-tipping": ["ecdc"], "littering": ["ecdc"],
    "abandoned-vehicle": ["ecdc"], "street-drinking": ["ecdc", "cambs-police"], "deliberate-fire-setting": ["cambs-fire"],
    "youth-asb": ["cambs-yos", "cambs-police"], "drug-alcohol": ["cambs-daat", "cambs-police"], "hate-motivated": ["cambs-police"],
    "intimidation-harassment": ["cambs-police", "sanctuary"], "criminal-damage-graffiti": ["ecdc", "cambs-police"],
    "vehicle-nuisance": ["ecdc", "cambs-police"], "council-open-space": ["ecdc"], "tenancy-related": ["sanctuary"],
}
PLACES = [
    ("Ely", ["CB7 4AB", "CB7 4DL", "CB7 4LS", "CB6 1AA", "CB6 3BE"]), ("Soham", ["CB7 5AA", "CB7 5EX", "CB7 5QT"]),
    ("Littleport", ["CB6 1BN", "CB6 1JZ", "CB6 1PP"]), ("Sutton", ["CB6 2EG", "CB6 2PQ"]), ("Haddenham", ["CB6 3NL", "CB6 3TA"]),
    ("Burwell", ["CB25 0AA", "CB25 0HD"]), ("Witchford", ["CB6 2HQ"]), ("Bottisham", ["CB25 9BA"]),
]

ACTIONS = [
    ("{n}.1", "Operate a multi-agency ASB casework group, chaired by the police, to agree the lead agency and interventions for "
              "complex, persistent and high-risk cases.",
     "{n}.1a Group to meet monthly at Sanctuary Housing, AVRO House, Witchford\n"
     "{n}.1b Every case referred to the group reviewed at each meeting until it is closed or returned to its lead agency\n"
     "{n}.1c All partners to record their ASB cases in the shared casework system under the information sharing agreement",
     "Police – Insp Chris Savage", "ECDC Community Safety, Sanctuary Housing, Youth Offending Service, Locality Team, Fire and Rescue",
     "Group met three times this quarter; every referred case was reviewed and the lead agency for each was confirmed. "
     "The Locality Team attended two of the three meetings."),
    ("{n}.2", "Identify vulnerable and repeat victims early and support them.",
     "{n}.2a Risk assess every victim at first contact; review high-risk cases every 14 days and medium-risk every 28\n"
     "{n}.2b Publicise the ASB Case Review and decide requests within 20 working days",
     "ECDC – Community Safety", "Police, Victim Support, Sanctuary Housing",
     "Risk assessments recorded on all new cases with a victim. One ASB Case Review request received and decided within 12 working days."),
    ("{n}.3", "Use early intervention before enforcement, in proportion to the behaviour.",
     "{n}.3a Acceptable Behaviour Contracts offered to young people aged 10 to 17 before enforcement\n"
     "{n}.3b Community Protection Warnings and Notices issued where behaviour persists",
     "ECDC – Environmental Services", "Police, Youth Offending Service, Sanctuary Housing",
     "Four warning letters and two Acceptable Behaviour Contracts; one Community Protection Warning issued in Soham."),
    ("{n}.4", "Reduce street drinking and related ASB in Ely city centre and Soham.",
     "{n}.4a Review the Public Spaces Protection Order for Ely market square\n"
     "{n}.4b Joint patrols by PCSOs and ECDC wardens on Friday and Saturday evenings",
     "Police – Ely Safer Neighbourhood Team", "ECDC, Drug and Alcohol Action Team",
     "PSPO consultation closed with 212 responses; joint patrols held on eight weekends."),
]

NARRATIVE = {
    "key_achievements": (
        "Complex case of intimidation of an elderly resident in Soham managed through the group: a civil injunction was "
        "obtained and the resident reports feeling safe at home.\n"
        "All partner agencies now record their ASB cases in the shared casework system, ending double keying between "
        "the police and council systems.\n"
        "Fewer reports of street drinking in Ely market square since the joint weekend patrols began."
    ),
    "areas_of_concern": (
        "Repeated hate-motivated abuse of a shopkeeper in Littleport this quarter.\n"
        "The ECDC ASB caseworker post is vacant until the new officer starts; the partnership coordinator is covering "
        "the group's administration."
    ),
    "recommendations": (
        "Ask the County Council for a Locality Team representative at every monthly meeting.\n"
        "Prioritise recruitment to the ASB caseworker post."
    ),
    "publicity": "Article in the district council's spring magazine on how to report ASB and how to ask for an ASB Case Review.",
}


def _historic_csv(*, agencies, first_day: date, last_day: date, count: int) -> bytes:
    rng = random.Random(2009)
    kinds = {kind.slug: kind for kind in AsbKind.objects.filter(slug__in=LEAD_BY_KIND)}
    slugs = sorted(kinds)
    span = (last_day - first_day).days
    rows = [",".join(COLUMNS)]
    for n in range(count):
        slug = rng.choice(slugs)
        kind = kinds[slug]
        lead = rng.choice([s for s in LEAD_BY_KIND[slug] if s in agencies] or ["cambs-police"])
        town, postcodes = rng.choice(PLACES)
        opened = first_day + timedelta(days=rng.randrange(span))
        subject = rng.choices(["individual", "family", "area"], weights=[62, 22, 16])[0]
        referred = opened + timedelta(days=rng.randrange(7, 50)) if rng.random() < 0.3 else None
        closed = opened + timedelta(days=rng.randrange(30, 300)) if rng.random() < 0.85 else None
        if referred and closed and referred > closed:
            closed = referred + timedelta(days=rng.randrange(30, 120))
        if referred and referred > last_day:
            referred = None
        if closed and closed > last_day:
            closed = None
        status = "closed" if closed else rng.choice(["active", "monitoring"])
        risk = rng.choices(["standard", "medium", "high"], weights=[60, 28, 12])[0]
        rows.append(",".join([
            "", kind.category, slug, subject, opened.isoformat(), referred.isoformat() if referred else "",
            closed.isoformat() if closed else "", lead, status, risk, f"{kind.name} in {town}", rng.choice(postcodes),
        ]))
    return ("\n".join(rows) + "\n").encode()


def seed(*, partnerships, agencies, stdout, **_):
    partnership = partnerships["east-cambridgeshire"]
    if Priority.objects.filter(partnership=partnership).exists():
        return
    actor = Actor.system()
    today = timezone.localdate()
    quarter = quarter_last_completed(today)
    baseline_year = quarter.year - 2

    # Two years and more of earlier casework, from the start of the baseline year to a month ago.
    history = _historic_csv(agencies=agencies, first_day=Quarter(baseline_year, 1).start, last_day=today - timedelta(days=30), count=HISTORIC_CASES)
    result = cases_import(actor=actor, partnership=partnership, data=history, source_name=HISTORIC_SOURCE)
    if not result.ok:
        raise RuntimeError(f"Demo history did not import: {result.errors[:3]}")
    stdout.write(f"Imported {len(result.created)} earlier cases into {partnership} for the quarterly reports.")

    chair = get_user_model().objects.filter(username="police-chair").first()
    priority = priority_create(
        actor=actor, partnership=partnership, number=1, title="Anti-social behaviour", task_group="ASB Task Group",
        lead_officer_name="Insp Chris Savage", lead_officer=chair, shows_group_stats=True,
        aims="Every complex or persistent case managed jointly through the monthly ASB casework group\nFewer repeat victims of ASB",
    )
    for number, text, milestones, lead, partners, update in ACTIONS:
        action = plan_action_create(
            actor=actor, priority=priority, number=number.format(n=priority.number), text=text,
            milestones=milestones.format(n=priority.number), lead_agency=lead, other_partners=partners,
            sort_order=int(number.split(".")[1]) * 10,
        )
        action_update_save(actor=actor, action=action, quarter=quarter, text=update, updated_on=min(quarter.end, today))
    narrative_save(actor=actor, priority=priority, quarter=quarter, **NARRATIVE)

    measure_create(
        actor=actor, priority=priority, name="New ASB cases referred to the group", unit="cases",
        target="Every complex or persistent case brought to the monthly ASB casework group",
        source=Measure.Source.CASES_REFERRED_TO_GROUP, direction=Measure.Direction.HIGHER_IS_BETTER,
        baseline_year=baseline_year, tolerance_percent=10, sort_order=10,
    )
    burglary = measure_create(
        actor=actor, priority=priority, name="Dwelling burglary", unit="offences",
        target=f"Reduction in dwelling burglary below {Quarter(baseline_year, 1).year_label} level",
        source=Measure.Source.ENTERED, direction=Measure.Direction.LOWER_IS_BETTER,
        baseline_year=baseline_year, tolerance_percent=5, sort_order=20,
    )
    # Police-recorded figures for the same quarter this year, last year and in the baseline year.
    for year, value in ((quarter.year, 105), (quarter.year - 1, 120), (baseline_year, 91)):
        measure_value_save(actor=actor, measure=burglary, quarter=quarter.same_quarter_in(year), value=value, note="Police recorded crime")
    stdout.write(f"Set up {partnership}'s ASB priority, its action plan and measures, and the {quarter.label} progress report.")
