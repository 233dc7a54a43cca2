"""Every signed-in request's session and user are read by hand-written SQL (agencies.sessions,
agencies.auth_backends): each must find exactly what Django's own read finds."""

from datetime import timedelta

import pytest
from django.contrib.auth import backends as django_backends
from django.contrib.sessions.backends import db as django_sessions
from django.urls import reverse
from django.utils import timezone

from agencies.auth_backends import ModelBackend
from agencies.sessions import SessionStore
from tests.agencies.factories import every_field, make_member


def test_the_backend_finds_the_user_django_finds(partnership, police):
    user = make_member(agency=police, partnership=partnership, username="reader", first_name="Rea", last_name="Der")
    ours, theirs = ModelBackend().get_user(str(user.pk)), django_backends.ModelBackend().get_user(str(user.pk))
    assert ours == theirs and every_field(ours) == every_field(theirs)
    assert not ours._state.adding and ours._state.db == theirs._state.db
    assert ours.check_password("wrong") is False and ours.get_session_auth_hash() == theirs.get_session_auth_hash()


def test_the_backend_finds_no_one_for_an_inactive_user_a_missing_id_or_a_malformed_one(partnership, police):
    user = make_member(agency=police, partnership=partnership, username="gone")
    user.is_active = False
    user.save()
    for user_id in (str(user.pk), "999999"):
        assert ModelBackend().get_user(user_id) is None and django_backends.ModelBackend().get_user(user_id) is None
    # Django's raises ValueError for an id that is not a number (a session only holds ids it wrote itself).
    assert ModelBackend().get_user("not-a-number") is None and ModelBackend().get_user("") is None


def test_the_store_loads_what_django_saved(db):
    saved = django_sessions.SessionStore()
    saved["acting_membership_id"] = 7
    saved.save()
    ours = SessionStore(session_key=saved.session_key)
    assert ours["acting_membership_id"] == 7
    assert ours.session_key == saved.session_key
    assert every_field(ours._get_session_from_db()) == every_field(django_sessions.SessionStore(saved.session_key)._get_session_from_db())


def test_the_store_finds_nothing_for_an_expired_or_unknown_key(db):
    saved = SessionStore()
    saved["x"] = 1
    saved.set_expiry(timezone.now() - timedelta(seconds=1))
    saved.save()
    for key in (saved.session_key, "no-such-session-key-at-all"):
        store = SessionStore(session_key=key)
        assert store.load() == {}
        assert store.session_key is None  # a new key is made when it is next saved, as Django's store does
        assert django_sessions.SessionStore(session_key=key).load() == {}


def test_signing_in_and_out_goes_through_both(client, partnership, police):
    user = make_member(agency=police, partnership=partnership, username="round-trip")
    client.force_login(user)
    assert client.session.__class__.__module__ == "agencies.sessions"
    assert client.session["_auth_user_backend"] == "agencies.auth_backends.ModelBackend"
    response = client.get(reverse("profile"))
    assert response.status_code == 200 and response.context["user"] == user
    client.post(reverse("logout"))
    assert client.get(reverse("profile")).status_code == 302


@pytest.mark.parametrize("value", ["abc\x00defghijk", '"abc\\000defghijk"', "x" * 5000, "ünïcödé-session-key", "'; DROP TABLE x; --", "short"])
def test_an_odd_session_cookie_is_no_session_and_no_error(db, client, value):
    client.cookies["sessionid"] = value
    assert client.get(reverse("ping")).status_code == 302
    assert client.get(reverse("login")).status_code == 200
