"""Reply dates count English working days; unanswered referrals are flagged overdue and escalated once."""

from datetime import date

import pytest
from django.conf import settings
from django.core import mail

from agencies.models import Notification
from audit.services import Actor
from referrals.models import Referral
from referrals.services.referrals import referral_accept
from referrals.tasks import referral_deadlines_check_task
from casework.workdays import add_working_days, is_working_day, working_days_between
from tests.casework.factories import make_case
from tests.referrals.factories_referrals import make_referral


def test_working_days_skip_weekends_and_english_bank_holidays():
    assert not is_working_day(date(2026, 4, 3))  # Good Friday
    assert not is_working_day(date(2026, 4, 6))  # Easter Monday
    assert not is_working_day(date(2026, 4, 4))  # Saturday
    assert is_working_day(date(2026, 4, 7))
    assert add_working_days(date(2026, 4, 2), 5) == date(2026, 4, 13)
    assert add_working_days(date(2026, 12, 23), 3) == date(2026, 12, 30)  # Christmas, Boxing Day (observed on the 28th)
    assert add_working_days(date(2026, 3, 2), 5) == date(2026, 3, 9)
    assert add_working_days(date(2026, 3, 2), 0) == date(2026, 3, 2)
    assert working_days_between(date(2026, 4, 2), date(2026, 4, 13)) == 5


def test_celery_beat_runs_the_deadline_check():
    entries = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "referrals.tasks.referral_deadlines_check_task" in entries


@pytest.fixture
def late_referral(partnership, council, housing, council_caseworker, housing_caseworker, coordinator, today, django_capture_on_commit_callbacks):
    """Sent on the Thursday before Easter 2026 with the default reply date."""
    today(date(2026, 4, 2))
    case = make_case(partnership=partnership, lead_agency=council, opened_on=date(2026, 3, 2))
    with django_capture_on_commit_callbacks(execute=True):
        referral = make_referral(case=case, from_agency=council, to_agency=housing, by=council_caseworker)
    mail.outbox.clear()
    return referral


def test_overdue_referrals_escalate_after_five_working_days_across_the_bank_holiday_and_only_once(
    late_referral, coordinator, today, django_capture_on_commit_callbacks
):
    assert late_referral.respond_by == date(2026, 4, 13)

    # Seven calendar days on, but only three working days: not overdue.
    today(date(2026, 4, 9))
    assert referral_deadlines_check_task.delay().get() == 0
    # The reply date itself is still in time.
    today(date(2026, 4, 13))
    assert referral_deadlines_check_task.delay().get() == 0
    late_referral.refresh_from_db()
    assert late_referral.overdue_since is None and late_referral.escalated_at is None
    assert not Notification.objects.filter(user=coordinator).exists()

    today(date(2026, 4, 14))
    with django_capture_on_commit_callbacks(execute=True):
        assert referral_deadlines_check_task.delay().get() == 1
    late_referral.refresh_from_db()
    assert late_referral.overdue_since == date(2026, 4, 14)
    assert late_referral.escalated_at is not None
    escalation = Notification.objects.get(user=coordinator)
    assert late_referral.case.reference in escalation.text and "Overdue" in escalation.text
    assert escalation.url == f"/referrals/{late_referral.pk}/"
    assert [m.to for m in mail.outbox] == [[coordinator.email]]

    # Running again (or a redelivered task) escalates nothing more.
    today(date(2026, 4, 15))
    with django_capture_on_commit_callbacks(execute=True):
        assert referral_deadlines_check_task.delay().get() == 0
    assert Notification.objects.filter(user=coordinator).count() == 1
    assert len(mail.outbox) == 1


def test_answered_referrals_are_never_flagged(late_referral, housing, housing_caseworker, coordinator, today):
    referral_accept(actor=Actor(user=housing_caseworker, agency=housing), referral=late_referral)
    today(date(2026, 5, 1))
    assert referral_deadlines_check_task.delay().get() == 0
    late_referral.refresh_from_db()
    assert late_referral.status == Referral.Status.ACCEPTED and late_referral.overdue_since is None
    assert not Notification.objects.filter(user=coordinator, text__startswith="Overdue").exists()


def test_without_a_coordinator_it_is_flagged_now_and_escalated_once_one_is_appointed(
    partnership, council, housing, council_caseworker, today
):
    from agencies.models import Membership
    from tests.agencies.factories import make_member

    today(date(2026, 4, 2))
    case = make_case(partnership=partnership, lead_agency=council)
    referral = make_referral(case=case, from_agency=council, to_agency=housing, by=council_caseworker)
    today(date(2026, 4, 20))
    assert referral_deadlines_check_task.delay().get() == 1
    referral.refresh_from_db()
    assert referral.overdue_since == date(2026, 4, 14) and referral.escalated_at is None

    coordinator = make_member(agency=council, partnership=partnership, role=Membership.Role.COORDINATOR, username="coord-2")
    assert referral_deadlines_check_task.delay().get() == 1
    referral.refresh_from_db()
    assert referral.overdue_since == date(2026, 4, 14) and referral.escalated_at is not None
    assert Notification.objects.filter(user=coordinator).count() == 1
    assert referral_deadlines_check_task.delay().get() == 0
