"""The people on the twelve demo cases (casework/demo.py): victims, perpetrators, witnesses, a parent on the youth
case and a household on the family case. One victim is on three cases led by two different agencies, and one
perpetrator on two, so that a new user sees how repeat victims and persistent perpetrators stand out."""

from datetime import date

from audit.services import Actor
from casework.demo import DEMO_CASES
from casework.models import Case, Household, Person
from casework.services.people import case_person_add, household_create

V, P, W, G, O = "victim", "perpetrator", "witness", "parent_guardian", "other"

# Each person once: key -> details. Dates of birth are fixed so that running the seed again finds the same people.
PEOPLE = {
    "doreen": dict(first_name="Doreen", last_name="Whitmore", date_of_birth=date(1947, 2, 11), gender="female",
                   address="Flat 3, Cromwell Court, Silver Street, Ely", postcode="CB7 4AB", phone="01353 660 418",
                   vulnerability_notes="Lives alone. Registered partially sighted; anxious about going out after dark."),
    "kyle": dict(first_name="Kyle", last_name="Barker", aliases="Kyle Baker", date_of_birth=date(1998, 7, 30), gender="male",
                 address="Flat 7, Cromwell Court, Silver Street, Ely", postcode="CB7 4AB", phone="07700 900 214"),
    "edna": dict(first_name="Edna", last_name="Potts", date_of_birth=date(1941, 10, 3), gender="female",
                 address="22 Churchgate Street, Soham", postcode="CB7 5QT", phone="01353 720 115",
                 vulnerability_notes="Early dementia and hard of hearing. Daughter (Susan Potts, 07700 900 388) holds lasting power of attorney."),
    "dean": dict(first_name="Dean", last_name="Cartwright", aliases="Deano", date_of_birth=date(1991, 4, 19), gender="male",
                 address="17 Churchgate Street, Soham", postcode="CB7 5QT"),
    "mohammed": dict(first_name="Mohammed", last_name="Rahman", date_of_birth=date(1974, 12, 2), gender="male",
                     address="Littleport Convenience Store, 41 Main Street, Littleport", postcode="CB6 1BN", phone="01353 861 907"),
    "claire": dict(first_name="Claire", last_name="Bishop", date_of_birth=date(1985, 5, 23), gender="female",
                   address="39 Main Street, Littleport", postcode="CB6 1BN"),
    "tyler": dict(first_name="Tyler", last_name="Mason", date_of_birth=date(2012, 1, 14), gender="male",
                  address="8 Barton Road, Ely", postcode="CB7 4DL"),
    "joanne": dict(first_name="Joanne", last_name="Mason", date_of_birth=date(1984, 6, 8), gender="female",
                   address="8 Barton Road, Ely", postcode="CB7 4DL", phone="07700 900 561"),
    "liam": dict(first_name="Liam", last_name="Hart", date_of_birth=date(2011, 9, 27), gender="male",
                 address="15 Barton Road, Ely", postcode="CB7 4DL"),
    "jordan": dict(first_name="Jordan", last_name="Pike", date_of_birth=date(2009, 11, 5), gender="male",
                   address="4 Mereside, Soham", postcode="CB7 5EX"),
    "graham": dict(first_name="Graham", last_name="Lowe", date_of_birth=date(1962, 3, 17), gender="male",
                   address="Lode Farm, Mill Drove, Sutton", postcode="CB6 2EG", phone="01353 778 230"),
    "susan": dict(first_name="Susan", last_name="Clarke", date_of_birth=date(1970, 8, 12), gender="female",
                  address="Soham Primary School, Station Road, Soham", postcode="CB7 5AA", email="head@soham-primary.example.org"),
    "janet": dict(first_name="Janet", last_name="Ellis", date_of_birth=date(1958, 1, 29), gender="female",
                  address="6 Wisbech Road, Littleport", postcode="CB6 1JZ", phone="01353 862 004",
                  vulnerability_notes="Recovering from a stroke; walks with a frame. Afraid of reprisals for reporting."),
    "wayne": dict(first_name="Wayne", last_name="Tilley", date_of_birth=date(1988, 12, 14), gender="male",
                  address="8 Wisbech Road, Littleport", postcode="CB6 1JZ"),
    "ryan": dict(first_name="Ryan", last_name="Fisher", date_of_birth=date(2009, 2, 2), gender="male",
                 address="31 Lynn Road, Ely", postcode="CB7 4TR"),
    "gary": dict(first_name="Gary", last_name="Reeve", date_of_birth=date(1979, 9, 9), gender="male",
                 address="14 Station Road, Haddenham", postcode="CB6 3NL", phone="07700 900 732"),
    "sharon": dict(first_name="Sharon", last_name="Reeve", date_of_birth=date(1981, 2, 20), gender="female",
                   address="14 Station Road, Haddenham", postcode="CB6 3NL"),
    "connor": dict(first_name="Connor", last_name="Reeve", date_of_birth=date(2010, 6, 1), gender="male",
                   address="14 Station Road, Haddenham", postcode="CB6 3NL"),
    "anil": dict(first_name="Anil", last_name="Desai", date_of_birth=date(1966, 11, 30), gender="male",
                 address="12 Station Road, Haddenham", postcode="CB6 3NL", phone="01353 740 661"),
    "peter": dict(first_name="Peter", last_name="Hollis", date_of_birth=date(1953, 4, 4), gender="male",
                  address="2 Back Hill, Ely", postcode="CB7 4DA"),
}

# For each demo case, in the order of casework.demo.DEMO_CASES: (person, role, how they are involved).
CASE_PEOPLE = [
    [("doreen", V, "Lives below; reports music until 3am"), ("kyle", P, "Tenant of flat 7")],
    [("edna", V, "Verbal abuse and banging on her door"), ("dean", P, "Neighbour across the road")],
    [("mohammed", V, "Shop owner"), ("claire", W, "Saw the abuse from her window")],
    [("tyler", P, "Seen kicking the shelter glass"), ("joanne", G, "Tyler's mother"), ("liam", P, "With Tyler on two occasions")],
    [("dean", P, "Drinking with others by the Market Place benches"), ("doreen", V, "Shouted at when crossing the square")],
    [("jordan", P, "Caught on CCTV near the bins")],
    [("graham", W, "Farmer who reported the tipping")],
    [("susan", V, "Head teacher; complained for the school")],
    [("wayne", P, "Tenant; visitors at all hours, suspected supply"), ("janet", V, "Next-door neighbour")],
    [("ryan", P, "Rides a red scrambler on the open space"), ("doreen", V, "Nearly knocked down on the footpath")],
    [("gary", P, "Threats over the parking space"), ("sharon", P, "Joined in the threats"),
     ("connor", O, "Son; present during the disputes"), ("anil", V, "Neighbour at no. 12")],
    [("peter", W, "Reported the graffiti")],
]
HOUSEHOLDS = [
    # name, address, postcode, members
    ("The Reeve household, 14 Station Road", "14 Station Road, Haddenham", "CB6 3NL", ["gary", "sharon", "connor"]),
    ("The Mason household, 8 Barton Road", "8 Barton Road, Ely", "CB7 4DL", ["tyler", "joanne"]),
]


def _existing(details: dict) -> Person | None:
    return Person.objects.filter(
        first_name=details["first_name"], last_name=details["last_name"], date_of_birth=details["date_of_birth"]
    ).first()


def seed(*, partnerships, agencies, stdout, **_):
    partnership = partnerships["east-cambridgeshire"]
    actor = Actor.system()
    people: dict[str, Person] = {}
    added = 0
    for row, placements in zip(DEMO_CASES, CASE_PEOPLE, strict=True):
        case = Case.objects.filter(partnership=partnership, summary=row[0]).order_by("id").first()
        if case is None or case.case_people.exists():
            continue
        for key, role, notes in placements:
            person = people.get(key) or _existing(PEOPLE[key])
            if person is None:
                link = case_person_add(actor=actor, case=case, role=role, notes=notes, **PEOPLE[key])
                person = link.person
            else:
                case_person_add(actor=actor, case=case, role=role, person=person, notes=notes)
            people[key] = person
            added += 1
    for name, address, postcode, members in HOUSEHOLDS:
        if Household.objects.filter(name=name).exists():
            continue
        found = [people.get(key) or _existing(PEOPLE[key]) for key in members]
        if any(member is None for member in found):
            continue
        household_create(actor=actor, name=name, address=address, postcode=postcode, members=found)
    if added:
        stdout.write(f"Put {len(people)} people on the demo cases in {added} roles.")
