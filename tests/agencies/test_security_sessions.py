"""Sessions end after 30 minutes idle, with a warning first; a user can sign out of every session."""

import time
from datetime import timedelta

from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agencies.models import UserSession
from agencies.user_sessions import RENEWED_AT, session_length_text
from audit.models import AuditEvent


def test_idle_sessions_end_after_30_minutes_and_every_request_starts_the_time_again(client, police_caseworker, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_RENEW_SECONDS == 60
    client.force_login(police_caseworker)
    client.get(reverse("dashboard"))
    session = Session.objects.get()
    # The page's timer signs out after 30 minutes; the server keeps the session up to a minute longer (it is written
    # at most once a minute), so that no request leaves less than 30 minutes.
    assert timedelta(minutes=30) < session.expire_date - timezone.now() <= timedelta(minutes=31)

    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("case_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def _renewed_seconds_ago(seconds):
    """Make the only session look as if it was last renewed `seconds` ago."""
    row = Session.objects.get()
    store = SessionStore(session_key=row.session_key)
    store[RENEWED_AT] = int(time.time()) - seconds
    store.save()


def test_a_page_writes_the_session_only_when_it_was_last_renewed_a_minute_ago_or_more(client, police_caseworker):
    client.force_login(police_caseworker)
    client.get(reverse("dashboard"))

    def session_writes():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("case_list")).status_code == 200
        return [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE \"django_session\"")]

    assert session_writes() == []
    # Renewed under a minute ago: 50 seconds, not 59, so that a busy machine taking a second or more to the request's
    # own check does not make it a minute (CI once did).
    _renewed_seconds_ago(50)
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=5))
    assert session_writes() == []
    assert Session.objects.get().expire_date - timezone.now() < timedelta(minutes=6)

    _renewed_seconds_ago(60)
    assert len(session_writes()) == 1
    assert Session.objects.get().expire_date - timezone.now() > timedelta(minutes=30)


def test_sessions_with_no_one_signed_in_are_not_written(client, db):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("login")).status_code == 200
    assert not [q for q in queries.captured_queries if "django_session" in q["sql"]]
    assert not Session.objects.exists()


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


def test_stay_signed_in_extends_the_session_even_within_the_minute(client, police_caseworker):
    client.force_login(police_caseworker)
    client.get(reverse("dashboard"))
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=1))
    response = client.post(reverse("session_extend"))
    assert response.status_code == 200 and response.json() == {"expires_in": 1800}
    assert Session.objects.get().expire_date - timezone.now() > timedelta(minutes=29)
    assert client.get(reverse("session_extend")).status_code == 405


def test_after_a_time_out_the_sign_in_page_says_why(client, db):
    page = client.get(reverse("login") + "?timed_out=1").content.decode()
    assert "You were signed out because you had not used ASB Casework for 30 minutes" in page


def test_a_short_or_odd_idle_time_is_said_as_a_person_would_say_it(client, db, settings):
    settings.SESSION_COOKIE_AGE = 45  # a deployment's choice: not "0 minutes"
    page = client.get(reverse("login") + "?timed_out=1").content.decode()
    assert "had not used ASB Casework for 45 seconds." in page
    assert [session_length_text(n) for n in (60, 90, 3600, 5400, 7260)] == [
        "1 minute", "1 minute 30 seconds", "1 hour", "1 hour 30 minutes", "2 hours 1 minute",
    ]


def test_a_page_saving_with_htmx_after_its_session_ended_is_told_so_not_given_the_sign_in_page(client, police_caseworker):
    """htmx would put the sign-in page where the form was, and lose what was typed: a 401 instead, which
    static/js/app.js turns into a message beside the form (tests/browser/test_browser_meetings.py)."""
    url = reverse("dashboard")
    response = client.post(url, {}, HTTP_HX_REQUEST="true")
    assert response.status_code == 401 and response.content.decode() == "You have been signed out."
    assert client.get(url, HTTP_HX_REQUEST="true").status_code == 401
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login")), "a page still goes to sign in"
    client.force_login(police_caseworker)
    assert client.get(url, HTTP_HX_REQUEST="true").status_code == 200


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
