"""Notifications and e-mails: to the right people, carrying the case reference and a link, never personal details."""

import re
from datetime import date

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from agencies.models import Membership, Notification
from agencies.notifications import notification_send
from audit.services import Actor
from casework.models import CasePerson, Person
from referrals.services.referrals import (
    group_referral_send,
    referral_accept,
    referral_decline,
    referral_message_write,
    referral_withdraw,
    referrals_overdue_escalate,
)
from tests.agencies.factories import make_member
from tests.casework.factories import make_case
from tests.referrals.factories_referrals import make_group, make_referral

SECRETS = {
    "summary": "Shouting at Mrs Okonjo through the letterbox",
    "address": "14 Prickwillow Road",
    "postcode": "CB7 4QX",
    "person": "Okonjo",
    "perpetrator": "Darren",
    "reason": "Tenant at number 14 has a history of threats",
    "question": "Does the victim have a support worker?",
    "answer": "Yes, from Victim Support since March",
    "decline": "Our tenancy officer already knows the family",
}


@pytest.fixture
def sensitive_case(partnership, council):
    case = make_case(
        partnership=partnership, lead_agency=council, summary=SECRETS["summary"], address=SECRETS["address"], postcode=SECRETS["postcode"]
    )
    victim = Person.objects.create(first_name="Grace", last_name=SECRETS["person"], address=SECRETS["address"])
    subject = Person.objects.create(first_name=SECRETS["perpetrator"], last_name="Holt")
    CasePerson.objects.create(case=case, person=victim, role=CasePerson.Role.VICTIM)
    CasePerson.objects.create(case=case, person=subject, role=CasePerson.Role.PERPETRATOR)
    return case


def _everything_sent():
    texts = list(Notification.objects.values_list("text", flat=True))
    texts += [message.subject for message in mail.outbox] + [message.body for message in mail.outbox]
    return texts


def test_notifications_and_emails_carry_the_reference_and_a_link_but_no_names_addresses_or_descriptions(
    partnership, council, housing, police, fire, sensitive_case, council_caseworker, housing_caseworker, housing_supervisor,
    police_caseworker, coordinator, django_capture_on_commit_callbacks, today,
):
    case = sensitive_case
    users = [council_caseworker, housing_caseworker, housing_supervisor, police_caseworker, coordinator]
    personal = list(SECRETS.values()) + [name for user in users for name in (user.first_name, user.last_name)]
    group = make_group(partnership=partnership, member_agencies=[police, council, housing], chair=police_caseworker)
    today(date(2026, 4, 2))
    with django_capture_on_commit_callbacks(execute=True):
        declined = make_referral(case=case, from_agency=council, to_agency=housing, by=council_caseworker, reason=SECRETS["reason"])
        referral_message_write(actor=Actor(user=housing_caseworker, agency=housing), referral=declined, text=SECRETS["question"])
        referral_message_write(actor=Actor(user=council_caseworker, agency=council), referral=declined, text=SECRETS["answer"])
        referral_decline(actor=Actor(user=housing_caseworker, agency=housing), referral=declined, reason=SECRETS["decline"])
        accepted = make_referral(case=case, from_agency=council, to_agency=police, by=council_caseworker, reason=SECRETS["reason"])
        referral_accept(actor=Actor(user=police_caseworker, agency=police), referral=accepted)
        withdrawn = make_referral(case=case, from_agency=council, to_agency=housing, by=council_caseworker, reason=SECRETS["reason"])
        referral_withdraw(actor=Actor(user=council_caseworker, agency=council), referral=withdrawn)
        make_referral(case=case, from_agency=council, to_agency=fire, by=council_caseworker, reason=SECRETS["reason"])
        referrals_overdue_escalate(today=date(2026, 5, 1))
        group_referral_send(actor=Actor(user=council_caseworker, agency=council), case=case, group=group, reason=SECRETS["reason"])

    sent = _everything_sent()
    assert Notification.objects.count() >= 9 and len(mail.outbox) >= 9
    for text in sent:
        for secret in personal:
            assert not re.search(rf"\b{re.escape(secret)}\b", text), f"{secret!r} leaked into {text!r}"
    for notification in Notification.objects.all():
        assert case.reference in notification.text
        assert notification.url.startswith("/")
    for message in mail.outbox:
        assert case.reference in message.subject and case.reference in message.body
        assert settings.SITE_URL + "/" in message.body
        assert len(message.to) == 1, "one message per recipient, so that addresses are not shared"


def test_a_new_referral_tells_the_receiving_agencys_active_members_only(
    partnership, council, housing, council_caseworker, housing_caseworker, housing_supervisor, django_capture_on_commit_callbacks
):
    analyst = make_member(agency=housing, partnership=partnership, role=Membership.Role.ANALYST, username="housing-analyst")
    left = make_member(agency=housing, partnership=partnership, username="housing-left")
    Membership.objects.filter(user=left).update(is_active=False)
    case = make_case(partnership=partnership, lead_agency=council)
    with django_capture_on_commit_callbacks(execute=True):
        referral = make_referral(case=case, from_agency=council, to_agency=housing, by=council_caseworker)

    told = set(Notification.objects.values_list("user__username", flat=True))
    assert told == {housing_caseworker.username, housing_supervisor.username}
    assert analyst.username not in told and left.username not in told
    assert sorted(m.to[0] for m in mail.outbox) == sorted([housing_caseworker.email, housing_supervisor.email])
    body = mail.outbox[0].body
    assert f"{settings.SITE_URL}/referrals/{referral.pk}/" in body
    assert "Reply by" in Notification.objects.first().text


def test_nothing_is_sent_if_the_change_is_rolled_back(partnership, council, housing, council_caseworker, housing_caseworker, django_capture_on_commit_callbacks):
    from django.db import transaction

    case = make_case(partnership=partnership, lead_agency=council)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            make_referral(case=case, from_agency=council, to_agency=housing, by=council_caseworker)
            raise RuntimeError("something later failed")
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_notifications_page_lists_mine_and_marks_them_read(client, partnership, council_caseworker, housing_caseworker, django_assert_max_num_queries):
    for n in range(3):
        notification_send(users=[council_caseworker], text=f"New referral for case ECAM-2026-000{n}", url=f"/referrals/{n}/", email=False)
    notification_send(users=[housing_caseworker], text="For someone else: ECAM-2026-0099", url="/referrals/99/", email=False)
    client.force_login(council_caseworker)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("notification_list")).content.decode()
    assert "3 unread" in page and "ECAM-2026-0002" in page and "ECAM-2026-0099" not in page

    mine = Notification.objects.filter(user=council_caseworker).first()
    theirs = Notification.objects.get(user=housing_caseworker)
    client.post(reverse("notification_read", args=[mine.pk]))
    client.post(reverse("notification_read", args=[theirs.pk]))
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None
    assert theirs.read_at is None, "a user cannot mark someone else's notification"
    assert "2 unread" in client.get(reverse("notification_list")).content.decode()

    client.post(reverse("notification_read_all"))
    assert not Notification.objects.filter(user=council_caseworker, read_at__isnull=True).exists()
    assert "0 unread" in client.get(reverse("notification_list")).content.decode()


def test_notification_list_query_count_does_not_grow_with_rows(client, council_caseworker, django_assert_max_num_queries):
    client.force_login(council_caseworker)
    notification_send(users=[council_caseworker], text="New referral for case ECAM-2026-0100", url="/referrals/1/", email=False)
    client.get(reverse("notification_list"))  # the session's first save is not part of the comparison
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("notification_list"))
    for n in range(30):
        notification_send(users=[council_caseworker], text=f"New referral for case ECAM-2026-{n:04d}", url="/referrals/1/", email=False)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("notification_list"))
