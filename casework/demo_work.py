"""Interventions, actions and notes on the twelve demo cases of casework/demo.py, through the services.

Runs after the demo cases (and, when present, the demo people) exist. A case that already has interventions, actions
or notes is left alone, so running it again adds nothing. Where a demo item breaks a legal rule for the people the
people demo linked (for example a warning to someone under 16), it is skipped with a line saying why.
"""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.services import Actor
from casework.demo import DEMO_CASES
from casework.models import Case, CasePerson, Intervention, InterventionType, SecurityMarking
from casework.services.actions import action_create, action_mark_done
from casework.services.interventions import intervention_breach_record, intervention_create
from casework.services.notes import note_write

# The caseworker who writes for each agency in the demo (agencies/demo.py USERS).
AGENCY_WRITERS = {
    "cambs-police": "police-caseworker",
    "ecdc": "council-caseworker",
    "sanctuary": "housing-caseworker",
    "cambs-fire": "fire-caseworker",
    "cambs-yos": "yos-caseworker",
}

S = Intervention.Status

# Per case (by its summary in casework/demo.py). Days are counted back from today (negative: in the future).
# Interventions: type, delivering agency, for the perpetrator?, start, review, end (days ago), status, notes, breaches.
# Actions: description, owner ("user" = the lead agency's caseworker, "agency" = the lead agency), due, done (days ago).
# Notes: days ago, marking, text.
PLAN = {
    "Loud music and shouting from flat at all hours": {
        "interventions": [
            (InterventionType.WARNING_LETTER, "sanctuary", True, 35, None, 35, S.COMPLETED,
             "First warning letter under the tenancy agreement: noise after 11pm.", []),
            (InterventionType.MEDIATION, "sanctuary", True, 21, 7, None, S.ACTIVE,
             "Both households agreed to mediation through Cambridgeshire Mediation Service.", []),
        ],
        "actions": [
            ("Give the complainant noise diary sheets and explain how to fill them in", "user", 36, 37),
            ("Ask ECDC environmental health about noise monitoring equipment", "agency", 20, 18),
            ("Review diary sheets with the complainant after the first mediation session", "user", -7, None),
        ],
        "notes": [
            (37, SecurityMarking.OFFICIAL, "Visited the complainant at her flat. Music heard from the flat above during the "
             "visit at 10.40pm. Diary sheets left with her; she will return them in two weeks."),
            (21, SecurityMarking.OFFICIAL, "Tenant of the flat above accepts the music has been too loud and agreed to "
             "mediation. He says the shouting is from visitors and he will ask them to leave by 11pm."),
        ],
    },
    "Repeated intimidation of elderly neighbour": {
        "interventions": [
            (InterventionType.CPW, "cambs-police", True, 60, 46, None, S.ACTIVE,
             "Written warning: stop shouting at and filming the neighbour, keep away from her front garden.",
             [(41, "Shouted abuse at the neighbour over the garden fence; seen by a PCSO on patrol.")]),
            (InterventionType.CPN, "cambs-police", True, 30, -14, None, S.ACTIVE,
             "Notice served in person after the warning was breached. Requirements: no contact with the neighbour, "
             "no filming of her property.", []),
        ],
        "actions": [
            ("Take a statement from the neighbour's daughter about the incident on the 14th", "user", 5, None),
            ("Check compliance with the Community Protection Notice with the neighbour each week", "user", -3, None),
            ("Fit a video doorbell at the neighbour's home (Safer Homes scheme)", "agency", 50, 52),
        ],
        "notes": [
            (60, SecurityMarking.OFFICIAL, "Community Protection Warning handed to the subject at the address by PC Barrios. "
             "He read it and said he understood it."),
            (30, SecurityMarking.OFFICIAL, "Community Protection Notice served in person. The neighbour has been told "
             "to call 999 if he approaches her."),
            (26, SecurityMarking.OFFICIAL_SENSITIVE, "Intelligence report: the subject is believed to be associating with "
             "people under investigation for supplying drugs in Soham. Not to be disclosed to the subject, the neighbour "
             "or partner agencies without reference to the intelligence unit."),
        ],
    },
    "Racist abuse shouted at shop owner": {
        "interventions": [],
        "actions": [
            ("Refer the shop owner to Victim Support's hate crime service", "user", 2, None),
            ("Ask the shop for its CCTV for the evening of the incident", "user", 10, 11),
        ],
        "notes": [
            (12, SecurityMarking.OFFICIAL, "Recorded as a hate incident. The shop owner is shaken but wants to keep the shop "
             "open; patrols asked to pass the shop at closing time for the next month."),
        ],
    },
    "Group of young people damaging bus shelter": {
        "interventions": [
            (InterventionType.ABC, "cambs-yos", True, 40, -10, -140, S.ACTIVE,
             "Six-month Acceptable Behaviour Contract signed with the young person and his mother: no damage, stay away "
             "from the bus shelter after 8pm, attend the youth club on Thursdays.", []),
        ],
        "actions": [
            ("Hold the ABC review meeting with the young person and his mother", "user", -10, None),
            ("Check school attendance with Ely College", "user", 20, 25),
        ],
        "notes": [
            (40, SecurityMarking.OFFICIAL, "ABC signed at home with his mother present. Terms explained in plain words; he "
             "said he would stick to them because he wants to keep his place on the football team."),
        ],
    },
    "Street drinking in the market square": {
        "interventions": [
            (InterventionType.PSPO, "ecdc", False, 100, -80, -995, S.ACTIVE,
             "Public Spaces Protection Order covering the market square, Cloisters and the riverside: alcohol must be "
             "surrendered when asked by an officer.", []),
            (InterventionType.DISPERSAL, "cambs-police", False, 20, None, 18, S.COMPLETED,
             "Dispersal direction for the market square over the bank holiday weekend (48 hours).", []),
        ],
        "actions": [
            ("Put up PSPO signs at the market square and the Cloisters", "agency", 90, 92),
            ("Arrange outreach with the Drug and Alcohol Action Team for the known drinkers", "agency", 14, None),
            ("Report the number of alcohol surrenders to the next ASB group meeting", "user", -21, None),
        ],
        "notes": [
            (95, SecurityMarking.OFFICIAL, "PSPO in force. Market traders have been told how to report drinking in the square."),
        ],
    },
    "Deliberate fires in bins behind the leisure centre": {
        "interventions": [],
        "actions": [
            ("Ask the leisure centre to keep its bins in the locked compound overnight", "user", -5, None),
            ("Share the times of the fires with the police for patrol planning", "agency", 25, 27),
        ],
        "notes": [
            (28, SecurityMarking.OFFICIAL, "Three bin fires in ten days, all between 9pm and midnight. Crews found lighter "
             "fluid near the second one."),
        ],
    },
    "Fly tipping on the drove road": {
        "interventions": [],
        "actions": [
            ("Check the drove road camera for vehicles on the nights the waste was dumped", "user", 60, 58),
            ("Clear the waste and recharge the landowner", "agency", 7, None),
        ],
        "notes": [
            (58, SecurityMarking.OFFICIAL, "Camera shows a white flatbed van on two of the three nights; registration partly "
             "readable. Passed to the enforcement team."),
        ],
    },
    "Dog fouling on the primary school path": {
        "interventions": [
            (InterventionType.WARNING_LETTER, "ecdc", False, 150, None, 150, S.COMPLETED,
             "Letters to the households along the path reminding owners of the fixed penalty for dog fouling.", []),
        ],
        "actions": [
            ("Run enforcement patrols at school drop-off and pick-up for two weeks", "agency", 160, 155),
        ],
        "notes": [],
    },
    "Drug dealing from a house on the estate": {
        "interventions": [
            (InterventionType.TENANCY_ENFORCEMENT, "sanctuary", True, 10, -18, None, S.ACTIVE,
             "Notice of seeking possession served for breach of the tenancy's anti-social behaviour clause.", []),
            (InterventionType.CLOSURE_NOTICE, "cambs-police", False, None, None, None, S.PROPOSED,
             "Closure notice being considered with the police if visitors keep coming to the house.", []),
        ],
        "actions": [
            ("Collect neighbours' logs of visitors to the house", "user", 3, None),
            ("Agree with the police whether to apply for a closure notice", "agency", -4, None),
        ],
        "notes": [
            (18, SecurityMarking.OFFICIAL, "Neighbours report cars stopping for a few minutes at a time, day and night. "
             "Two neighbours will keep logs."),
        ],
    },
    "Off-road bikes on council open space": {
        "interventions": [],
        "actions": [
            ("Fit kissing gates at the two entrances to the open space", "agency", 12, None),
            ("Leaflet the houses around the open space about reporting bikes", "user", 45, 47),
        ],
        "notes": [],
    },
    "Family in dispute with neighbours over parking and threats": {
        "interventions": [
            (InterventionType.WARNING_LETTER, "cambs-police", True, 120, None, 120, S.COMPLETED,
             "Warning letter about threats made over parking.", []),
            (InterventionType.GOOD_NEIGHBOUR_CHARTER, "ecdc", False, 90, 30, None, S.ACTIVE,
             "Both families signed the Good Neighbour Charter at a meeting at the council offices.", []),
        ],
        "actions": [
            ("Ask highways about marked bays outside numbers 12 to 18", "agency", 100, 95),
            ("Visit both families to review the charter", "user", 1, None),
        ],
        "notes": [
            (90, SecurityMarking.OFFICIAL, "Meeting held with both families. Tension over one parking space outside no. 14; "
             "both agreed to the charter."),
        ],
    },
    "Graffiti on the railway underpass": {
        "interventions": [
            (InterventionType.REFERRAL_ORDER, "cambs-yos", True, 250, 160, 70, S.COMPLETED,
             "Referral order after conviction for criminal damage; reparation included cleaning the underpass.", []),
        ],
        "actions": [
            ("Ask Network Rail to remove the graffiti and paint the underpass with anti-graffiti coating", "agency", 280, 270),
        ],
        "notes": [],
    },
}


def _day(today, days_ago):
    return None if days_ago is None else today - timedelta(days=days_ago)


def seed(*, partnerships, agencies, stdout, **_):
    partnership = partnerships["east-cambridgeshire"]
    today = timezone.localdate()
    users = {u.username: u for u in get_user_model().objects.filter(username__in=AGENCY_WRITERS.values())}
    summaries = [row[0] for row in DEMO_CASES]
    cases = Case.objects.filter(partnership=partnership, summary__in=summaries).select_related("lead_agency")
    added = skipped = 0
    for case in cases:
        if case.interventions.exists() or case.actions.exists() or case.notes.exists():
            continue
        plan = PLAN.get(case.summary)
        if plan is None:
            continue
        lead = case.lead_agency
        writer = users.get(AGENCY_WRITERS.get(lead.slug, ""))
        actor = Actor(user=writer, agency=lead)
        link = CasePerson.objects.filter(case=case, role=CasePerson.Role.PERPETRATOR).select_related("person").first()
        perpetrator = link.person if link else None

        for kind, agency_slug, for_person, start, review, end, status, notes, breaches in plan["interventions"]:
            try:
                intervention = intervention_create(
                    actor=actor, case=case, type=kind, delivering_agency=agencies[agency_slug],
                    person=perpetrator if for_person else None, start_on=_day(today, start),
                    review_on=_day(today, review), end_on=_day(today, end), status=status, notes=notes,
                )
                for days_ago, what in breaches:
                    intervention_breach_record(actor=actor, intervention=intervention, occurred_on=_day(today, days_ago), notes=what)
                added += 1
            except ValidationError as refused:
                skipped += 1
                stdout.write(f"{case.reference}: {InterventionType(kind).label} not added: {' '.join(refused.messages)}")

        for description, owner, due, done in plan["actions"]:
            owner_fields = {"owner_user": writer} if owner == "user" and writer else {"owner_agency": lead}
            action = action_create(actor=actor, case=case, description=description, due_on=_day(today, due), **owner_fields)
            if done is not None:
                action_mark_done(actor=actor, action=action, done_on=_day(today, done))

        for days_ago, marking, text in plan["notes"]:
            written_at = timezone.make_aware(datetime.combine(_day(today, days_ago), time(10, 30)))
            note_write(actor=actor, case=case, text=text, marking=marking, written_at=min(written_at, timezone.now()))
    if added or skipped:
        stdout.write(f"Recorded {added} demo interventions ({skipped} skipped), with actions and notes, on the demo cases.")
