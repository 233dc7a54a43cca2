"""A dozen realistic East Cambridgeshire cases, so that a new user sees a living system."""

from datetime import timedelta

from django.utils import timezone

from audit.services import Actor
from casework.models import AsbKind, Case
from casework.services.cases import case_open

# summary, kind slug, subject type, tenure, age band, lead agency slug, risk, days ago opened, postcode, ward, extra
DEMO_CASES = [
    ("Loud music and shouting from flat at all hours", "neighbour-noise", "individual", "housing_association", "adult", "sanctuary", "medium", 40, "CB7 4AB", "Ely East", {}),
    ("Repeated intimidation of elderly neighbour", "intimidation-harassment", "individual", "owner_occupier", "adult", "cambs-police", "high", 75, "CB7 5QT", "Soham North", {"is_complex": True}),
    ("Racist abuse shouted at shop owner", "hate-motivated", "individual", "private", "adult", "cambs-police", "high", 12, "CB6 1BN", "Littleport", {}),
    ("Group of young people damaging bus shelter", "youth-asb", "family", "council", "10_15", "cambs-yos", "standard", 55, "CB7 4DL", "Ely West", {}),
    ("Street drinking in the market square", "street-drinking", "area", "unknown", "adult", "ecdc", "standard", 120, "CB7 4LS", "Ely East", {"is_drug_alcohol_related": True}),
    ("Deliberate fires in bins behind the leisure centre", "deliberate-fire-setting", "area", "unknown", "16_17", "cambs-fire", "medium", 30, "CB7 5EX", "Soham South", {}),
    ("Fly tipping on the drove road", "fly-tipping", "area", "unknown", "unknown", "ecdc", "standard", 90, "CB6 2EG", "Sutton", {}),
    ("Dog fouling on the primary school path", "dog-fouling", "area", "unknown", "unknown", "ecdc", "standard", 200, "CB7 5AA", "Soham North", {}),
    ("Drug dealing from a house on the estate", "drug-alcohol", "individual", "housing_association", "adult", "sanctuary", "high", 20, "CB6 1JZ", "Littleport", {"is_drug_alcohol_related": True}),
    ("Off-road bikes on council open space", "vehicle-nuisance", "area", "unknown", "16_17", "ecdc", "standard", 65, "CB7 4TR", "Ely North", {}),
    ("Family in dispute with neighbours over parking and threats", "intimidation-harassment", "family", "council", "adult", "cambs-police", "medium", 150, "CB6 3NL", "Haddenham", {}),
    ("Graffiti on the railway underpass", "criminal-damage-graffiti", "area", "unknown", "10_15", "ecdc", "standard", 300, "CB7 4DA", "Ely West", {}),
]

RISK_REVIEW_DAYS = {"high": 14, "medium": 28, "standard": 56}


def seed(*, partnerships, agencies, stdout, **_):
    partnership = partnerships["east-cambridgeshire"]
    if Case.objects.filter(partnership=partnership).exists():
        return
    today = timezone.localdate()
    kinds = {kind.slug: kind for kind in AsbKind.objects.all()}
    for summary, kind_slug, subject, tenure, age, lead, risk, days_ago, postcode, ward, extra in DEMO_CASES:
        kind = kinds[kind_slug]
        opened = today - timedelta(days=days_ago)
        case_open(
            actor=Actor.system(),
            partnership=partnership,
            lead_agency=agencies[lead],
            summary=summary,
            category=kind.category,
            kind=kind,
            subject_type=subject,
            subject_tenure=tenure,
            subject_age_band=age,
            risk_level=risk,
            postcode=postcode,
            ward=ward,
            opened_on=opened,
            next_review_on=today + timedelta(days=RISK_REVIEW_DAYS[risk] % 10 + 1),
            status="active",
            **extra,
        )
    stdout.write(f"Opened {len(DEMO_CASES)} demo cases in {partnership}.")
