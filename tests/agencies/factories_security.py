"""Two-factor helpers for tests: a confirmed authenticator device, its current code, and a verified login."""

import time

from django.test.client import ClientMixin
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.two_factor import TOTP_DEVICE_NAME


def make_totp_device(user) -> TOTPDevice:
    """The user's confirmed authenticator-app device (made once)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=True)


def totp_code(device: TOTPDevice) -> str:
    """The code the user's app would show now. django-otp refuses a code twice, so if this time step's code has been
    used, wait for the next step."""
    device.refresh_from_db()
    while True:
        now = time.time()
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = now
        if totp.t() > device.last_t:
            return f"{totp.token():0{device.digits}d}"
        time.sleep(device.step - (now - device.t0) % device.step + 0.05)


def mark_verified(client, user) -> None:
    """Record in the client's session that the user has passed the second factor, as the code page would."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = make_totp_device(user).persistent_id
    session.save()


def password_only_login(client, user) -> None:
    """Signed in with a password, not yet past the code: Django's own force_login, without the root conftest's patch."""
    ClientMixin.force_login(client, user)


def verified_login(client, user) -> None:
    """Signed in with both factors."""
    password_only_login(client, user)
    mark_verified(client, user)


def sign_in_with_code(client, username: str, password: str, **extra):
    """Sign in through the pages as a person would: the password, then the code from their app (the device is made if
    the user has none). Returns the page they land on."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    device = make_totp_device(get_user_model().objects.get(username=username))
    client.post(reverse("login"), {"username": username, "password": password}, **extra)
    return client.post(reverse("two_factor_verify"), {"code": totp_code(device)}, follow=True, **extra)


def token_request(user, password: str = "correct-horse-battery", **fields) -> dict:
    """What a script sends to /api/v1/auth/token/: username, password and the current code from the user's app."""
    return {"username": user.get_username(), "password": password, "otp": totp_code(make_totp_device(user)), **fields}
