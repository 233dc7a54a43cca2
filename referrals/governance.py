"""When casework anonymises a case, the referrals' free text about it goes too, in the same transaction."""

from django.dispatch import receiver

from casework.signals import case_anonymised
from referrals.models import CaseRoutingDecision, GroupReferral, Referral, ReferralMessage


@receiver(case_anonymised)
def _clear_referral_text(sender, case, actor, **kwargs):
    Referral.objects.filter(case=case).update(reason="", decline_reason="")
    ReferralMessage.objects.filter(referral__case=case).update(text="")
    GroupReferral.objects.filter(case=case).update(reason="")
    CaseRoutingDecision.objects.filter(case=case).update(override_reason="")
