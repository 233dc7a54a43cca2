from audit.services import Actor
from agencies.models import CaseworkGroup
from referrals.models import Referral
from referrals.services.referrals import referral_send


def make_referral(*, case, from_agency, to_agency, by, purpose=Referral.Purpose.CONTRIBUTE, reason="Needs your help with the tenancy", **fields) -> Referral:
    """A referral sent through the service, as the lead agency (by `by`, a member of it)."""
    return referral_send(
        actor=Actor(user=by, agency=from_agency), case=case, to_agency=to_agency, purpose=purpose, reason=reason, **fields
    )


def make_group(*, partnership, member_agencies, name="East Cambridgeshire ASB Casework Group", chair=None, **fields) -> CaseworkGroup:
    group = CaseworkGroup.objects.create(partnership=partnership, name=name, chair=chair, **fields)
    group.member_agencies.set(member_agencies)
    return group
