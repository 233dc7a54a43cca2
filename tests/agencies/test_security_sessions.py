"""Sessions end after 30 minutes idle, with a warning first; a user can sign out of every session."""

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from agencies.models import UserSession
from audit.models import AuditEvent


def test_idle_sessions_end_after_30_minutes_and_every_request_starts_the_time_again(client, police_caseworker, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    client.force_login(police_caseworker)
    client.get(reverse("dashboard"))
    session = Session.objects.get()
    assert timedelta(minutes=29) < session.expire_date - timezone.now() <= timedelta(minutes=30)

    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("case_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_pages_carry_the_session_time_and_the_warning_for_the_script(client, police_caseworker):
    client.force_login(police_caseworker)
    page = client.get(reverse("dashboard")).content.decode()
    assert 'data-session-seconds="1800"' in page and 'data-session-warning-seconds="120"' in page
    assert f'data-session-extend-url="{reverse("session_extend")}"' in page
    assert "js/session-timeout.js" in page and 'type="module"' in page
    assert 'id="session-timeout-dialog"' in page and "Stay signed in" in page
    assert '<meta name="csrf-token" content="' in page

    client.post(reverse("logout"))
    signed_out = client.get(reverse("login")).content.decode()
    assert "session-timeout.js" not in signed_out and "data-session-seconds" not in signed_out


def test_stay_signed_in_extends_the_session(client, police_caseworker):
    client.force_login(police_caseworker)
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=1))
    response = client.post(reverse("session_extend"))
    assert response.status_code == 200 and response.json() == {"expires_in": 1800}
    assert Session.objects.get().expire_date - timezone.now() > timedelta(minutes=29)
    assert client.get(reverse("session_extend")).status_code == 405


def test_after_a_time_out_the_sign_in_page_says_why(client, db):
    page = client.get(reverse("login") + "?timed_out=1").content.decode()
    assert "You were signed out because you had not used ASB Casework for 30 minutes" in page


def test_sign_out_everywhere_ends_every_session_of_the_user_only(client, police_caseworker, council_caseworker):
    laptop, phone, colleague = client, type(client)(), type(client)()
    laptop.force_login(police_caseworker)
    phone.force_login(police_caseworker)
    colleague.force_login(council_caseworker)
    assert UserSession.objects.filter(user=police_caseworker).count() == 2

    profile = laptop.get(reverse("profile")).content.decode()
    assert "Where you are signed in" in profile and profile.count("This session") == 1

    response = laptop.post(reverse("sign_out_everywhere"), follow=True)
    assert "You have been signed out everywhere (2 sessions)" in response.content.decode()
    for signed_out in (laptop, phone):
        assert signed_out.get(reverse("dashboard")).status_code == 302
    assert colleague.get(reverse("dashboard")).status_code == 200
    assert not UserSession.objects.filter(user=police_caseworker).exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.SIGN_OUT, detail__startswith="Signed out of every session")
    assert event.user == police_caseworker and event.detail == "Signed out of every session (2)"
    assert laptop.get(reverse("sign_out_everywhere")).status_code in (302, 405)


def test_signing_out_forgets_the_session_and_expired_ones_are_tidied_at_the_next_sign_in(client, police_caseworker):
    client.force_login(police_caseworker)
    client.post(reverse("logout"))
    assert not UserSession.objects.exists()

    other = type(client)()
    other.force_login(police_caseworker)
    Session.objects.update(expire_date=timezone.now() - timedelta(minutes=1))
    client.force_login(police_caseworker)
    assert UserSession.objects.count() == 1
