"""Demo referrals for East Cambridgeshire: one waiting for Sanctuary Housing, one accepted, one declined, and two
cases with the monthly ASB casework group, so that the inbox and the meetings have material. Idempotent."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from agencies.models import CaseworkGroup
from audit.services import Actor
from casework.models import AsbKind, Case
from casework.services.cases import case_open
from referrals.models import GroupReferral, Referral
from referrals.services.referrals import (
    group_referral_send,
    referral_accept,
    referral_decline,
    referral_message_write,
    referral_send,
)

GROUP_NAME = "East Cambridgeshire ASB Casework Group"
GROUP_VENUE = "Sanctuary Housing, AVRO House, Witchford"
GROUP_AGENCIES = ["cambs-police", "ecdc", "sanctuary", "cambs-yos", "cambs-locality", "cambs-daat", "cambs-fire"]

# A noise complaint that came to the council's environmental health team first; the household turned out to be
# Sanctuary tenants, so the working agreement puts the lead with Sanctuary.
NOISE_CASE = {
    "summary": "Late-night parties and banging from a first-floor flat",
    "kind": "neighbour-noise",
    "subject_type": "individual",
    "subject_tenure": "housing_association",
    "subject_age_band": "adult",
    "risk_level": "standard",
    "postcode": "CB7 4HF",
    "ward": "Ely North",
    "days_ago": 18,
}


def _actor(username, agency):
    return Actor(user=get_user_model().objects.get(username=username), agency=agency)


def _group(partnership, agencies):
    group = CaseworkGroup.objects.filter(partnership=partnership, name=GROUP_NAME).first()
    if group is None:
        group = CaseworkGroup.objects.create(
            partnership=partnership,
            name=GROUP_NAME,
            chair=get_user_model().objects.filter(username="police-chair").first(),
            default_venue=GROUP_VENUE,
        )
        group.member_agencies.set([agencies[slug] for slug in GROUP_AGENCIES])
    return group


def _noise_case(partnership, agencies):
    case = Case.objects.filter(partnership=partnership, summary=NOISE_CASE["summary"]).first()
    if case is not None:
        return case
    kind = AsbKind.objects.get(slug=NOISE_CASE["kind"])
    today = timezone.localdate()
    return case_open(
        actor=_actor("council-caseworker", agencies["ecdc"]),
        partnership=partnership,
        lead_agency=agencies["ecdc"],
        summary=NOISE_CASE["summary"],
        category=kind.category,
        kind=kind,
        subject_type=NOISE_CASE["subject_type"],
        subject_tenure=NOISE_CASE["subject_tenure"],
        subject_age_band=NOISE_CASE["subject_age_band"],
        risk_level=NOISE_CASE["risk_level"],
        postcode=NOISE_CASE["postcode"],
        ward=NOISE_CASE["ward"],
        opened_on=today - timedelta(days=NOISE_CASE["days_ago"]),
        status="active",
    )


def _case(partnership, summary):
    return Case.objects.filter(partnership=partnership, summary=summary).first()


def _already(case, from_agency, to_agency, purpose) -> bool:
    return Referral.objects.filter(case=case, from_agency=from_agency, to_agency=to_agency, purpose=purpose).exists()


def seed(*, partnerships, agencies, stdout, **_):
    partnership = partnerships["east-cambridgeshire"]
    ecdc, sanctuary, police, fire = agencies["ecdc"], agencies["sanctuary"], agencies["cambs-police"], agencies["cambs-fire"]
    made = 0

    # Waiting: ECDC asks Sanctuary to take the lead on the noise case, with a question and its answer.
    noise = _noise_case(partnership, agencies)
    if not _already(noise, ecdc, sanctuary, Referral.Purpose.TAKE_LEAD):
        council = _actor("council-caseworker", ecdc)
        referral = referral_send(
            actor=council,
            case=noise,
            to_agency=sanctuary,
            purpose=Referral.Purpose.TAKE_LEAD,
            reason="Environmental health has logged noise complaints from two neighbours since the start of the month "
            "and sent a warning letter. The household are Sanctuary tenants, so under the working agreement Sanctuary "
            "should lead on tenancy enforcement. We will stay on as a contributor to keep the noise monitoring going.",
            former_lead_access=Referral.FormerLeadAccess.CONTRIBUTOR,
        )
        referral_message_write(
            actor=_actor("housing-caseworker", sanctuary),
            referral=referral,
            text="Has anyone spoken to the tenant yet, and are the neighbours' diary sheets on the case?",
        )
        referral_message_write(
            actor=council,
            referral=referral,
            text="Not in person: the warning letter went out last week. Both diary sheets are on the case; you will "
            "see them once you accept.",
        )
        made += 1

    # Accepted: Fire and Rescue asks the police to contribute on the bin fires.
    fires = _case(partnership, "Deliberate fires in bins behind the leisure centre")
    if fires is not None and fires.lead_agency_id == fire.pk and not _already(fires, fire, police, Referral.Purpose.CONTRIBUTE):
        referral = referral_send(
            actor=_actor("fire-caseworker", fire),
            case=fires,
            to_agency=police,
            purpose=Referral.Purpose.CONTRIBUTE,
            reason="Three bin fires in a fortnight, with the same group of teenagers seen nearby each time. We ask the "
            "police to identify those involved and consider a dispersal direction; we will lead on fire-setter education.",
            priority=Referral.Priority.URGENT,
        )
        referral_accept(actor=_actor("police-caseworker", police), referral=referral)
        made += 1

    # Declined: ECDC asks Sanctuary to contribute on the off-road bikes; no tenancy link.
    bikes = _case(partnership, "Off-road bikes on council open space")
    if bikes is not None and bikes.lead_agency_id == ecdc.pk and not _already(bikes, ecdc, sanctuary, Referral.Purpose.CONTRIBUTE):
        referral = referral_send(
            actor=_actor("council-caseworker", ecdc),
            case=bikes,
            to_agency=sanctuary,
            purpose=Referral.Purpose.CONTRIBUTE,
            reason="Residents say some of the riders come from the Sanctuary estate off Lynn Road. Could you check "
            "whether any are your tenants' households?",
        )
        referral_decline(
            actor=_actor("housing-caseworker", sanctuary),
            referral=referral,
            reason="None of the riders identified so far live in Sanctuary properties. Please refer again if a "
            "tenancy link emerges.",
        )
        made += 1

    # Two cases with the monthly ASB casework group.
    group = _group(partnership, agencies)
    today = timezone.localdate()
    for summary, username, agency_slug, days_ago, reason in [
        ("Repeated intimidation of elderly neighbour", "police-caseworker", "cambs-police", 60,
         "Persistent intimidation despite a warning; the victim is high risk. Partners' help is needed on housing "
         "options and support for the victim."),
        ("Drug dealing from a house on the estate", "housing-caseworker", "sanctuary", 14,
         "Suspected dealing from a Sanctuary property, with visitors at all hours. Police intelligence and a joint "
         "approach to a closure order are needed."),
    ]:
        case = _case(partnership, summary)
        if case is None or case.is_closed or GroupReferral.objects.filter(case=case, group=group).exists():
            continue
        if case.lead_agency.slug != agency_slug:
            continue
        group_referral_send(
            actor=_actor(username, agencies[agency_slug]),
            case=case,
            group=group,
            reason=reason,
            referred_on=max(case.opened_on, today - timedelta(days=days_ago)),
        )
        made += 1
    if made:
        stdout.write(f"Added {made} demo referrals in {partnership}.")
