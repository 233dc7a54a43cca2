from celery import shared_task

from referrals.services.referrals import referrals_overdue_escalate


@shared_task(acks_late=True)
def referral_deadlines_check_task() -> int:
    """Periodic: flag unanswered referrals past their reply date and escalate each once. Safe to repeat."""
    return referrals_overdue_escalate()
