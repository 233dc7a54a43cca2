"""The Cambridgeshire partnerships and the East Cambridgeshire partners (seed 000), for `seed_demo`."""

from datetime import date

PARTNERSHIPS = [
    # slug, name, short code, counting from, area
    ("cambridge-city", "Cambridge City Community Safety Partnership", "CAMC", date(2009, 4, 1), "Cambridge City"),
    ("east-cambridgeshire", "East Cambridgeshire Community Safety Partnership", "ECAM", date(2009, 4, 1), "East Cambridgeshire district: Ely, Soham, Littleport and the villages"),
    ("fenland", "Fenland Community Safety Partnership", "FENL", date(2009, 4, 1), "Fenland district"),
    ("huntingdonshire", "Huntingdonshire Community Safety Partnership", "HUNT", date(2009, 4, 1), "Huntingdonshire district"),
    ("south-cambridgeshire", "South Cambridgeshire Crime and Disorder Reduction Partnership", "SCAM", date(2009, 4, 1), "South Cambridgeshire district"),
    ("peterborough", "Safer Peterborough Partnership", "PBRO", date(2009, 4, 1), "Peterborough unitary authority"),
]

CAMBS = ["cambridge-city", "east-cambridgeshire", "fenland", "huntingdonshire", "south-cambridgeshire"]
ALL = CAMBS + ["peterborough"]

AGENCIES = [
    # slug, name, short name, kind, statutory, partnerships, sharing agreement signed
    ("cambs-police", "Cambridgeshire Constabulary", "Police", "police", True, ALL, date(2013, 8, 1)),
    ("ecdc", "East Cambridgeshire District Council", "ECDC", "district_council", True, ["east-cambridgeshire"], date(2013, 8, 1)),
    ("scdc", "South Cambridgeshire District Council", "SCDC", "district_council", True, ["south-cambridgeshire"], date(2013, 8, 1)),
    ("cambs-county", "Cambridgeshire County Council", "County Council", "county_council", True, CAMBS, date(2013, 11, 1)),
    ("cambs-yos", "Cambridgeshire Youth Offending Service", "YOS", "youth_offending", True, CAMBS, date(2013, 11, 1)),
    ("cambs-locality", "Cambridgeshire County Council Locality Team", "Locality Team", "locality_team", True, CAMBS, date(2013, 11, 1)),
    ("cambs-daat", "Cambridgeshire Drug and Alcohol Action Team", "DAAT", "drug_alcohol", True, CAMBS, date(2013, 11, 1)),
    ("cambs-fire", "Cambridgeshire Fire and Rescue", "Fire and Rescue", "fire_rescue", True, ALL, date(2013, 12, 1)),
    ("sanctuary", "Sanctuary Housing", "Sanctuary", "housing", False, ["east-cambridgeshire", "south-cambridgeshire"], date(2013, 11, 1)),
]

USERS = [
    # username, first, last, agency, role
    ("police-caseworker", "Tony", "Barrios", "cambs-police", "caseworker"),
    ("council-caseworker", "Lyn", "Hesse", "ecdc", "caseworker"),
    ("housing-caseworker", "Sam", "Okafor", "sanctuary", "caseworker"),
    ("fire-caseworker", "Dev", "Patel", "cambs-fire", "caseworker"),
    ("yos-caseworker", "Rachel", "Moore", "cambs-yos", "caseworker"),
    ("police-chair", "Chris", "Savage", "cambs-police", "chair"),
    ("coordinator", "Helen", "Ward", "ecdc", "coordinator"),
    ("analyst", "Priya", "Shah", "ecdc", "analyst"),
    ("police-supervisor", "Karen", "Doyle", "cambs-police", "supervisor"),
    ("council-supervisor", "Mark", "Jennings", "ecdc", "supervisor"),
    ("dpo", "Grace", "Holloway", "ecdc", "dpo"),
]
DEMO_PARTNERSHIP = "east-cambridgeshire"

# Each app seeds its own demo data through a module with `seed(*, partnerships, agencies, stdout)`, in this order.
# A module that does not exist (yet) is passed over.
FURTHER_DEMO_MODULES = [
    "casework.demo",
    "casework.demo_people",
    "casework.demo_incidents",
    "casework.demo_work",
    "casework.demo_documents",
    # Old closed cases for the retention review, and a subject access request: before routing, which records a
    # decision on every case.
    "casework.demo_governance",
    # Opens one more case (for a hand-off), so before routing decisions are recorded for every case.
    "referrals.demo_referrals",
    "referrals.demo_routing",
    # Sets lead officers, closes and reopens some cases: after everything that adds to them.
    "casework.demo_cases",
    "meetings.demo",
    "reports.demo",
]
