"""Repeated failed sign-ins lock that username from that address for 15 minutes (django-axes)."""

from datetime import timedelta

from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AuditEvent
from tests.agencies.factories_security import make_totp_device, totp_code

LOCKED = "Too many failed attempts. Try again in 15 minutes or ask your agency administrator."


def _attempt(client, password, address="10.0.0.1", username="police-cw"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_the_account_from_that_address_for_15_minutes(client, police_caseworker, settings):
    assert settings.AXES_FAILURE_LIMIT == 5 and settings.AXES_COOLOFF_TIME == timedelta(minutes=15)
    for _ in range(4):
        response = _attempt(client, "wrong")
        assert response.status_code == 200 and "Enter a correct username and password" in response.content.decode()
    locked = _attempt(client, "wrong")
    assert locked.status_code == 429 and locked["Retry-After"] == "900"
    page = locked.content.decode()
    assert LOCKED in page and "There is a problem" in page
    assert 'value="police-cw"' in page, "the username is kept"

    # Even the right password is refused while locked, and no session starts.
    refused = _attempt(client, "correct-horse-battery")
    assert refused.status_code == 429 and LOCKED in refused.content.decode()
    assert client.get(reverse("dashboard")).status_code == 302

    # Every attempt is in the audit trail, the refused ones included.
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN_FAILED, object_repr="police-cw").count() == 6


def test_the_lock_is_for_that_account_from_that_address_only(client, police_caseworker, council_caseworker):
    for _ in range(5):
        _attempt(client, "wrong")
    assert _attempt(client, "correct-horse-battery").status_code == 429
    other_address = _attempt(client, "correct-horse-battery", address="10.9.9.9")
    assert other_address.status_code == 302, "the same person at their desk elsewhere can still sign in"
    client.post(reverse("logout"))
    other_account = _attempt(client, "correct-horse-battery", username="council-cw")
    assert other_account.status_code == 302


def test_after_the_cool_off_the_user_can_sign_in_again_and_success_clears_the_count(client, police_caseworker):
    make_totp_device(police_caseworker)
    for _ in range(5):
        _attempt(client, "wrong")
    assert _attempt(client, "correct-horse-battery").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = _attempt(client, "correct-horse-battery")
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor_verify"))
    assert not AccessAttempt.objects.exists()


def test_the_token_endpoint_answers_429_with_retry_after_when_locked(police_caseworker):
    api = APIClient()
    device = make_totp_device(police_caseworker)
    statuses = [api.post("/api/v1/auth/token/", {"username": "police-cw", "password": "nope"}).status_code for _ in range(5)]
    assert statuses == [400, 400, 400, 400, 429]
    response = api.post("/api/v1/auth/token/", {"username": "police-cw", "password": "correct-horse-battery", "otp": totp_code(device)})
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert response.json()["detail"] == LOCKED


def test_web_and_api_attempts_count_together(client, police_caseworker):
    api = APIClient(REMOTE_ADDR="10.0.0.1")
    for _ in range(3):
        api.post("/api/v1/auth/token/", {"username": "police-cw", "password": "nope"}, REMOTE_ADDR="10.0.0.1")
    _attempt(client, "wrong")
    assert _attempt(client, "wrong").status_code == 429
