"""Demo incidents, victim risk assessments and an ASB Case Review request on the East Cambridgeshire demo cases.

Runs after casework/demo.py (the cases) and casework/demo_people.py (the people on them). Reports are made by the
case's victims (or, failing those, its witnesses) where there are any; otherwise the reporter is left empty, and such
incidents are not complaints towards the ASB Case Review threshold. With a victim on "Repeated intimidation of elderly
neighbour", that case is over the threshold (three complaints within six months) and has a review request.
"""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from audit.services import Actor
from casework.models import Case, CasePerson, Incident, RiskAssessment
from casework.services.case_review import case_review_request_record
from casework.services.incidents import incident_log
from casework.services.risk import risk_assessment_record, risk_questions_ensure

THRESHOLD_CASE = "Repeated intimidation of elderly neighbour"

# The demo caseworker of each lead agency, who logs the incidents and assesses the risk.
CASEWORKERS = {
    "cambs-police": "police-caseworker",
    "ecdc": "council-caseworker",
    "sanctuary": "housing-caseworker",
    "cambs-fire": "fire-caseworker",
    "cambs-yos": "yos-caseworker",
}

# By case summary: (days ago it happened, time, days later reported, channel, reported by the victim?, hate, references,
# what happened). Only the intimidation case has three complaints within six months.
INCIDENTS = {
    "Loud music and shouting from flat at all hours": [
        (44, time(23, 40), 1, "phone", True, False, "", "Music with heavy bass from the flat above until about 2am, with shouting and doors slamming. The neighbour below could not sleep and has work at 6am."),
        (30, time(1, 15), 0, "online", True, False, "", "Party in the flat: several people on the communal stairs shouting and smoking. The neighbour recorded it on the Noise App."),
        (12, time(22, 30), 3, "other_agency", False, False, "ECDC EH NS/2026/0193", "Environmental health officer heard amplified music from the street during an out-of-hours visit."),
    ],
    THRESHOLD_CASE: [
        (80, time(16, 20), 1, "phone", True, False, "CC-INC-0412", "The neighbour stood at the fence shouting at her about the hedge and called her a nosy old witch. She went indoors and did not go out again that day."),
        (62, time(19, 5), 0, "police", True, False, "CC-INC-0977", "Eggs thrown at her front window in the evening. She saw the neighbour's son walking away towards the recreation ground."),
        (41, time(8, 45), 2, "phone", True, False, "", "The neighbour parked his van across her driveway and refused to move it, so she missed a hospital appointment in Ely."),
        (19, time(21, 30), 1, "police", True, False, "CC-INC-1530", "Banging on her front door after dark; she did not answer. Footprints in the flower bed the next morning."),
        (6, time(14, 10), 0, "in_person", True, False, "", "She told the PCSO at the surgery that the neighbour followed her along the High Street in Soham, making remarks about her late husband."),
    ],
    "Racist abuse shouted at shop owner": [
        (14, time(17, 50), 0, "police", True, True, "CC-INC-2210; hate crime HC/2026/031", "Two men shouted racist abuse at the owner of the convenience store on Main Street and kicked the door. The shop has kept its CCTV."),
        (5, time(18, 20), 0, "in_person", True, True, "", "One of the same men came into the shop, made a racist remark to the owner's son and left without buying anything."),
    ],
    "Group of young people damaging bus shelter": [
        (58, time(20, 10), 1, "online", True, False, "", "A glass panel of the bus shelter on Downham Road smashed; a group of about six teenagers seen running towards the recreation ground."),
        (34, time(21, 0), 0, "police", False, False, "CC-INC-1188", "Young people climbing on the shelter roof and spraying tags; PCSOs dispersed them and took two names."),
    ],
    "Street drinking in the market square": [
        (118, time(13, 30), 1, "phone", True, False, "", "Four people drinking on the benches by the market cross, shouting at shoppers; empty cans left behind."),
        (70, time(15, 0), 6, "other_agency", False, False, "", "The market traders' association reports drinking in the square every day this week."),
        (25, time(12, 45), 0, "police", False, False, "CC-INC-1655", "PCSO patrol asked three people to stop drinking in the controlled drinking zone; cans poured away."),
    ],
    "Deliberate fires in bins behind the leisure centre": [
        (33, time(22, 15), 0, "other_agency", False, False, "CFRS 2026/004512", "A wheelie bin set alight behind the leisure centre; the crew put it out in minutes."),
        (21, time(23, 5), 0, "other_agency", False, False, "CFRS 2026/004790", "A second bin fire in the same place; scorch marks on the fence panel."),
        (9, time(21, 40), 1, "phone", True, False, "", "A resident saw three teenagers with a lighter by the bins shortly before smoke was seen."),
    ],
    "Fly tipping on the drove road": [
        (95, time(7, 30), 0, "online", True, False, "ECDC FT-2026-118", "Mattresses, a sofa and builders' rubble dumped across the drove, blocking access to the fields."),
        (47, time(6, 50), 2, "online", True, False, "ECDC FT-2026-164", "A fresh pile of garden waste and paint tins at the same field gateway."),
    ],
    "Dog fouling on the primary school path": [
        (150, time(8, 40), 0, "online", True, False, "", "Parents report dog mess along the footpath to the school gate most mornings."),
    ],
    "Drug dealing from a house on the estate": [
        (24, time(23, 50), 2, "phone", True, False, "", "Cars pulling up outside the house late at night for a few minutes at a time; exchanges through car windows."),
        (11, time(0, 30), 0, "police", False, False, "CC-INC-2004", "Police stopped a visitor leaving the house and found cannabis; intelligence submitted."),
    ],
    "Off-road bikes on council open space": [
        (66, time(18, 0), 1, "online", True, False, "", "Two off-road motorbikes riding across the playing field while children were playing football."),
        (38, time(17, 30), 0, "police", False, False, "CC-INC-1402", "Bikes on the field again, riders without helmets; one rider given a section 59 warning."),
    ],
    "Family in dispute with neighbours over parking and threats": [
        # Reported six weeks later: more than a month after the behaviour, so not a complaint.
        (160, time(19, 0), 42, "phone", True, False, "", "He says the neighbour threatened to 'sort him out' over the parking space; he reported it only after the next argument."),
        (120, time(8, 15), 0, "police", False, False, "CC-INC-0233", "An argument over the parking space turned to pushing; officers spoke to both families."),
        (90, time(7, 0), 1, "phone", True, False, "", "Two tyres of the family's car let down overnight."),
    ],
    "Graffiti on the railway underpass": [
        (290, time(10, 0), 3, "online", True, False, "ECDC GR-2025-077", "New graffiti tags on both walls of the underpass, some of them offensive."),
    ],
}

# The questionnaire's topics answered yes, by risk level: totals 5 (standard), 10 (medium) and 20 (high) on the
# default weights; the hate case scores 16.
YES_TOPICS = {
    "standard": {"Repeat targeting", "Impact on daily life"},
    "medium": {"Repeat targeting", "Fear of reprisal", "Impact on health", "Impact on daily life"},
    "high": {
        "Repeat targeting", "Escalation", "Vulnerability: age", "Vulnerability: mental health", "Impact on health",
        "Impact on daily life", "Fear of reprisal", "Isolation",
    },
}
HATE_HIGH_TOPICS = {"Repeat targeting", "Hate motivation", "Escalation", "Fear of reprisal", "Impact on daily life", "Impact on health"}


def _actor_for(case: Case) -> Actor:
    username = CASEWORKERS.get(case.lead_agency.slug)
    user = get_user_model().objects.filter(username=username).first() if username else None
    return Actor(user=user, agency=case.lead_agency)


def _reporter(case: Case):
    """The case's first victim, else its first witness, else nobody."""
    for role in (CasePerson.Role.VICTIM, CasePerson.Role.WITNESS):
        link = CasePerson.objects.filter(case=case, role=role).select_related("person").order_by("person__last_name", "id").first()
        if link:
            return link.person
    return None


def _seed_incidents(cases: dict, today, stdout) -> None:
    for summary, rows in INCIDENTS.items():
        case = cases.get(summary)
        if case is None:
            continue
        actor = _actor_for(case)
        reporter = _reporter(case)
        for days_ago, at, report_delay, channel, by_victim, hate, references, description in rows:
            happened = today - timedelta(days=days_ago)
            incident_log(
                actor=actor,
                case=case,
                occurred_at=timezone.make_aware(datetime.combine(happened, at)),
                reported_on=happened + timedelta(days=min(report_delay, days_ago)),
                reported_by=reporter if by_victim else None,
                channel=channel,
                description=description,
                is_hate_motivated=hate,
                other_references=references,
            )
    threshold_case = cases.get(THRESHOLD_CASE)
    if threshold_case is None:
        return
    threshold_case.refresh_from_db()
    if threshold_case.is_over_case_review_threshold:
        reporter = _reporter(threshold_case)
        case_review_request_record(
            actor=_actor_for(threshold_case),
            case=threshold_case,
            requested_on=today - timedelta(days=3),
            requested_by=reporter,
            requested_by_description="" if reporter else "Her daughter, on her behalf",
            notes="Asked for a case review after the incident in the High Street; feels nothing has changed.",
        )
        stdout.write(f"{threshold_case.reference} is over the ASB Case Review threshold: {threshold_case.case_review_rule}.")
    else:
        stdout.write(f"{threshold_case.reference} has no victim on the case, so its incidents are not complaints and it is not flagged.")


def _answers(questions, yes_topics) -> dict[int, bool]:
    return {question.pk: question.topic in yes_topics for question in questions}


def _seed_risk(cases: list[Case], partnership) -> None:
    questions = risk_questions_ensure(partnership=partnership)
    days = {"high": partnership.review_days_high, "medium": partnership.review_days_medium, "standard": partnership.review_days_standard}
    for case in cases:
        level = case.risk_level
        if level not in days:
            continue
        actor = _actor_for(case)
        # Dated so that the next review falls when casework/demo.py scheduled it.
        assessed_on = case.opened_on
        if case.next_review_on:
            assessed_on = max(case.next_review_on - timedelta(days=days[level]), case.opened_on)
        if case.summary == THRESHOLD_CASE and assessed_on > case.opened_on:
            risk_assessment_record(
                actor=actor, case=case, assessed_on=case.opened_on, answers=_answers(questions, YES_TOPICS["medium"]),
                notes="First assessment when the case was opened: worried, still going out.",
            )
        yes = HATE_HIGH_TOPICS if case.summary == "Racist abuse shouted at shop owner" else YES_TOPICS[level]
        risk_assessment_record(actor=actor, case=case, assessed_on=assessed_on, answers=_answers(questions, yes))


def seed(*, partnerships, agencies, stdout, **_):
    partnership = partnerships["east-cambridgeshire"]
    today = timezone.localdate()
    cases = {case.summary: case for case in Case.objects.filter(partnership=partnership).select_related("lead_agency", "partnership")}
    if not cases:
        return
    if not Incident.objects.filter(case__partnership=partnership).exists():
        _seed_incidents(cases, today, stdout)
        stdout.write(f"Logged {sum(len(rows) for s, rows in INCIDENTS.items() if s in cases)} demo incidents.")
    if not RiskAssessment.objects.filter(case__partnership=partnership).exists():
        _seed_risk(list(Case.objects.filter(partnership=partnership).select_related("lead_agency", "partnership")), partnership)
        stdout.write("Recorded demo victim risk assessments.")
