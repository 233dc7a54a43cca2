"""Information governance demo: old closed East Cambridgeshire cases past the six-year retention period (two due for
review, one kept longer for a reason, one already anonymised), a subject access request from a repeat victim (its pack is produced by the worker),
and a check of the audit chain, so that the coordinator and the data protection officer see living pages."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from agencies.models import Membership
from audit.models import AuditChainCheck
from audit.services import Actor, audit_chain_verify
from casework.models import AsbKind, Case, Person, RetentionReview, SubjectAccessRequest
from casework.services.cases import case_close, case_open
from casework.services.incidents import incident_log
from casework.services.people import case_person_add
from casework.services.retention import case_anonymise, retention_review_defer, retention_reviews_raise, years_before
from casework.services.subject_access import subject_access_request_create

# summary, kind, subject, lead, years and days before today it opened and closed, outcome, person on it, incident
HISTORIC_CASES = [
    ("Parties most weekends at a rented house on Prickwillow Road, Ely", "neighbour-noise", "individual", "ecdc",
     (7, 200), (6, 45), "resolved",
     dict(first_name="Lorraine", last_name="Gedge", address="41 Prickwillow Road, Ely", postcode="CB7 4QP", phone="01353 664 120"),
     "Music and shouting from no. 43 until 4am; guests leaving bottles in the front garden."),
    ("Young people gathering and drinking at the Soham recreation ground", "youth-asb", "area", "cambs-police",
     (7, 90), (6, 20), "no_further_action",
     dict(first_name="Brian", last_name="Talbot", address="2 Recreation Way, Soham", postcode="CB7 5HE"),
     "About ten teenagers drinking by the pavilion and throwing bottles at the fence."),
    ("Threats between neighbours over a shared driveway in Witchford", "intimidation-harassment", "family", "cambs-police",
     (8, 30), (6, 100), "escalated_to_court",
     dict(first_name="Maureen", last_name="Diggens", address="7 Main Street, Witchford", postcode="CB6 2HG", phone="07700 900 845"),
     "Neighbour blocked the driveway and shouted threats at Mrs Diggens and her son."),
    ("Abandoned vehicles on Stuntney Causeway", "vehicle-nuisance", "area", "ecdc",
     (8, 120), (6, 200), "resolved",
     dict(first_name="Alan", last_name="Pearce", address="Stuntney Hall Farm, Stuntney", postcode="CB7 5TR"),
     "Two burnt-out cars left in the lay-by; a third with no plates outside the farm gate."),
]
DEFERRED = "Threats between neighbours over a shared driveway in Witchford"
DEFER_REASON = "The county court injunction against the neighbour runs until next spring: keep the evidence until it ends."
ANONYMISED = "Abandoned vehicles on Stuntney Causeway"
SAR_REFERENCE = "SAR-ECAM-2026-003"


def _before(today, years: int, days: int):
    return years_before(today, years) - timedelta(days=days)


def _member(username: str, partnership):
    return Membership.objects.filter(user__username=username, partnership=partnership, is_active=True).select_related("agency", "partnership", "user").first()


def seed(*, partnerships, agencies, stdout, **_):
    partnership = partnerships["east-cambridgeshire"]
    today = timezone.localdate()
    kinds = {kind.slug: kind for kind in AsbKind.objects.all()}
    system = Actor.system()
    opened = 0
    # One of them is anonymised (its summary goes), so they are seeded together or not at all.
    seeded = Case.objects.filter(partnership=partnership, summary__in=[row[0] for row in HISTORIC_CASES]).exists() or \
        RetentionReview.objects.filter(case__partnership=partnership, status=RetentionReview.Status.ANONYMISED).exists()
    for summary, kind_slug, subject, lead, opened_ago, closed_ago, outcome, person, incident in HISTORIC_CASES:
        if seeded:
            break
        kind = kinds[kind_slug]
        opened_on, closed_on = _before(today, *opened_ago), _before(today, *closed_ago)
        case = case_open(
            actor=system, partnership=partnership, lead_agency=agencies[lead], summary=summary, category=kind.category,
            kind=kind, subject_type=subject, opened_on=opened_on, status="active", postcode=person["postcode"],
            address=person["address"],
        )
        link = case_person_add(actor=system, case=case, role="victim", **person)
        incident_log(
            actor=system, case=case, occurred_at=timezone.make_aware(datetime.combine(opened_on - timedelta(days=1), time(22, 30))),
            reported_on=opened_on, channel="phone", description=incident, reported_by=link.person,
        )
        case_close(actor=system, case=case, outcome=outcome, reason="Closed at the monthly ASB casework group", closed_on=closed_on)
        opened += 1
    if opened:
        stdout.write(f"Opened and closed {opened} historic cases for the retention review.")

    listed = retention_reviews_raise(actor=system, today=today)
    coordinator = _member("coordinator", partnership)
    if coordinator is not None:
        actor = Actor(user=coordinator.user, agency=coordinator.agency)
        deferred = RetentionReview.objects.filter(case__summary=DEFERRED, status=RetentionReview.Status.DUE).first()
        if deferred is not None:
            retention_review_defer(actor=actor, review=deferred, partnership=partnership, reason=DEFER_REASON,
                                   review_on=today + timedelta(days=180), today=today)
        gone = RetentionReview.objects.filter(case__summary=ANONYMISED, status=RetentionReview.Status.DUE).select_related("case").first()
        if gone is not None:
            case_anonymise(actor=actor, case=gone.case)
    if listed:
        stdout.write(f"Listed {listed} closed cases past the retention period for review.")

    dpo = _member("dpo", partnership)
    doreen = Person.objects.filter(first_name="Doreen", last_name="Whitmore").first()
    if dpo is not None and doreen is not None and not SubjectAccessRequest.objects.filter(request_reference=SAR_REFERENCE).exists():
        request = subject_access_request_create(
            actor=Actor(user=dpo.user, agency=dpo.agency), membership=dpo, person=doreen, request_reference=SAR_REFERENCE,
            received_on=today - timedelta(days=9),
            reason="Letter from Mrs Whitmore's daughter with Mrs Whitmore's signed authority; identity checked against her council tax account.",
            withhold_sensitive=True,
        )
        # Produced by the worker once the seed commits, as a user's request would be.
        stdout.write(f"Recorded subject access request {SAR_REFERENCE} ({request.get_status_display().lower()}) for Doreen Whitmore.")

    if not AuditChainCheck.objects.exists():
        check = audit_chain_verify()
        stdout.write(f"Audit chain checked: {check.rows_checked} events, {'intact' if check.ok else 'broken'}.")
