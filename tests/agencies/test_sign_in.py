import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from audit.models import AuditEvent
from tests.agencies.factories import make_member
from tests.agencies.factories_security import sign_in_with_code


def test_every_page_but_sign_in_needs_a_signed_in_user(client, db):
    response = client.get(reverse("case_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.get(reverse("login")).status_code == 200


def test_signed_in_user_sees_name_agency_and_partnership_then_signs_out(client, police_caseworker):
    response = sign_in_with_code(client, "police-cw", "correct-horse-battery")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Cambridgeshire Constabulary" in page
    assert "East Cambridgeshire CSP" in page
    assert escape(police_caseworker.get_full_name()) in page

    response = client.post(reverse("logout"), follow=True)
    assert "Sign in to ASB Casework" in response.content.decode()
    assert client.get(reverse("dashboard")).status_code == 302


def test_wrong_password_gets_a_clear_message_and_is_audited(client, police_caseworker):
    response = client.post(reverse("login"), {"username": "police-cw", "password": "wrong"})
    assert response.status_code == 200
    # The summary's message links to the first field, as every GOV.UK error summary entry must.
    assert '<a href="#id_username">Enter a correct username and password. Both are case-sensitive.</a>' in response.content.decode()
    failed = AuditEvent.objects.get(action=AuditEvent.Action.SIGN_IN_FAILED)
    assert failed.object_repr == "police-cw"


def test_sign_in_is_audited_with_the_address(client, police_caseworker):
    client.post(reverse("login"), {"username": "police-cw", "password": "correct-horse-battery"}, REMOTE_ADDR="10.1.2.3")
    event = AuditEvent.objects.get(action=AuditEvent.Action.SIGN_IN)
    assert event.user == police_caseworker
    assert event.ip_address == "10.1.2.3"


def test_password_reset_sends_a_link_by_email(client, police_caseworker):
    response = client.post(reverse("password_reset"), {"email": police_caseworker.email}, follow=True)
    assert response.status_code == 200
    assert len(mail.outbox) == 1
    assert "/password-reset/" in mail.outbox[0].body


def test_a_user_of_two_agencies_chooses_which_one_they_act_for(client, police, council, partnership):
    user = make_member(agency=police, partnership=partnership, username="dual")
    from agencies.services import membership_add

    second = membership_add(user=user, agency=council, partnership=partnership, role="supervisor")
    client.force_login(user)
    assert "Cambridgeshire Constabulary" in client.get(reverse("dashboard")).content.decode()
    client.post(reverse("acting_membership_switch"), {"membership": second.pk})
    page = client.get(reverse("dashboard")).content.decode()
    assert "Supervisor, <strong>East Cambridgeshire District Council</strong>" in page


def test_switching_to_someone_elses_membership_is_refused(client, police_caseworker, council_caseworker):
    client.force_login(police_caseworker)
    other = council_caseworker.memberships.get()
    response = client.post(reverse("acting_membership_switch"), {"membership": other.pk})
    assert response.status_code == 400


@pytest.mark.parametrize("bad", ["", "abc"])
def test_switching_with_nonsense_is_a_400_not_a_500(client, police_caseworker, bad):
    client.force_login(police_caseworker)
    assert client.post(reverse("acting_membership_switch"), {"membership": bad}).status_code == 400
