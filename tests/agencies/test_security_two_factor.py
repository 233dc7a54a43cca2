"""Two-factor sign-in: the code step, setting it up, backup codes, an administrator's reset, and the API."""

import re

import pytest
from django.contrib.admin.sites import site as admin_site
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from audit.models import AuditEvent
from tests.agencies.factories import make_member
from tests.agencies.factories_security import make_totp_device, password_only_login, totp_code

PASSWORD = "correct-horse-battery"


def _sign_in_with_password(client, username="police-cw"):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def test_after_the_password_the_code_is_asked_for_and_nothing_else_opens_until_it_is_given(client, police_caseworker):
    device = make_totp_device(police_caseworker)
    response = _sign_in_with_password(client)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_verify"))

    page = client.get(response["Location"]).content.decode()
    assert "Enter your code" in page and 'data-testid="acting-for"' not in page, "no menu before the second step"
    for name in ("dashboard", "case_list", "profile"):
        blocked = client.get(reverse(name))
        assert blocked.status_code == 302 and blocked["Location"].startswith(reverse("two_factor_verify")), name
    assert client.get("/api/v1/cases/").status_code == 403

    response = client.post(reverse("two_factor_verify") + "?next=/cases/", {"code": totp_code(device)})
    assert response.status_code == 302 and response["Location"] == "/cases/"
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.get("/api/v1/cases/").status_code == 200
    accepted = AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN, user=None, detail__startswith="Second factor accepted")
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN, detail="Second factor accepted (authenticator app)").exists()
    assert not accepted.exists(), "the event names the user"


def test_a_wrong_code_is_refused_with_a_message_and_audited(client, police_caseworker):
    make_totp_device(police_caseworker)
    _sign_in_with_password(client)
    response = client.post(reverse("two_factor_verify"), {"code": "000000"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "That code is not right" in page
    assert client.get(reverse("dashboard")).status_code == 302
    failed = AuditEvent.objects.get(action=AuditEvent.Action.SIGN_IN_FAILED, detail="Wrong two-factor code")
    assert failed.object_repr == "police-cw"

    empty = client.post(reverse("two_factor_verify"), {"code": ""}).content.decode()
    assert "Enter the 6-digit code from your authenticator app, or a backup code." in empty


def test_repeated_wrong_codes_are_slowed_down(client, police_caseworker):
    device = make_totp_device(police_caseworker)
    _sign_in_with_password(client)
    first = client.post(reverse("two_factor_verify"), {"code": "000000"}).content.decode()
    assert "That code is not right" in first
    for _ in range(2):
        client.post(reverse("two_factor_verify"), {"code": "000000"})
    page = client.post(reverse("two_factor_verify"), {"code": totp_code(device)}).content.decode()
    assert "Too many wrong codes" in page, "even the right code waits while django-otp throttles the device"
    assert client.get(reverse("dashboard")).status_code == 302


def test_a_code_cannot_be_used_twice(client, police_caseworker):
    device = make_totp_device(police_caseworker)
    code = totp_code(device)
    _sign_in_with_password(client)
    assert client.post(reverse("two_factor_verify"), {"code": code}).status_code == 302
    other = type(client)()
    _sign_in_with_password(other)
    assert "That code is not right" in other.post(reverse("two_factor_verify"), {"code": code}).content.decode()


def test_a_user_without_a_device_sets_one_up_before_reaching_any_page(client, police_caseworker, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the right code straight after a wrong one (django-otp waits a second)
    response = _sign_in_with_password(client)
    assert client.get(response["Location"])["Location"].startswith(reverse("two_factor_setup"))
    assert client.get(reverse("case_list"))["Location"].startswith(reverse("two_factor_setup"))

    page = client.get(reverse("two_factor_setup") + "?next=/cases/").content.decode()
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', page).group(1)
    assert len(secret.replace(" ", "")) == 32
    assert "otpauth://totp/ASB%20Casework%3Apolice-cw?secret=" in page
    device = TOTPDevice.objects.get(user=police_caseworker)
    assert not device.confirmed
    assert client.get(reverse("two_factor_setup")).content.decode().count(secret) == 1, "a reload shows the same key"

    wrong = client.post(reverse("two_factor_setup"), {"code": "123456"}).content.decode()
    assert "That code is not right" in wrong

    done = client.post(reverse("two_factor_setup") + "?next=/cases/", {"code": totp_code(device)})
    page = done.content.decode()
    assert "Two-factor sign-in is set up" in page
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert 'href="/cases/"' in page
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("case_list")).status_code == 200
    assert AuditEvent.objects.filter(object_type="user", detail__startswith="Two-factor sign-in set up").count() == 1

    again = client.get(reverse("two_factor_setup"))
    assert again.status_code == 302 and secret not in client.get(reverse("profile")).content.decode(), "the key is never shown again"


def test_a_backup_code_signs_in_once(client, police_caseworker):
    make_totp_device(police_caseworker)
    client.force_login(police_caseworker)
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", client.post(reverse("backup_codes_regenerate")).content.decode())
    assert len(codes) == 10
    client.post(reverse("logout"))

    _sign_in_with_password(client)
    assert client.post(reverse("two_factor_verify"), {"code": codes[0].upper()}).status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200
    assert AuditEvent.objects.filter(detail="Second factor accepted (backup code)").exists()
    client.post(reverse("logout"))

    _sign_in_with_password(client)
    assert "That code is not right" in client.post(reverse("two_factor_verify"), {"code": codes[0]}).content.decode()
    assert StaticToken.objects.filter(device__user=police_caseworker).count() == 9


def test_new_backup_codes_from_the_profile_replace_the_old_ones(client, police_caseworker):
    client.force_login(police_caseworker)
    profile = client.get(reverse("profile")).content.decode()
    assert "Make new backup codes" in profile and "Sign out everywhere" in profile
    first = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", client.post(reverse("backup_codes_regenerate")).content.decode())
    second = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", client.post(reverse("backup_codes_regenerate")).content.decode())
    assert len(second) == 10 and not set(first) & set(second)
    assert set(StaticToken.objects.filter(device__user=police_caseworker).values_list("token", flat=True)) == set(second)
    assert "<strong>10</strong> backup codes left" in client.get(reverse("profile")).content.decode()
    assert AuditEvent.objects.filter(user=police_caseworker, detail__startswith="Backup codes replaced").count() == 2
    assert client.get(reverse("backup_codes_regenerate")).status_code == 405


def test_an_administrator_resets_two_factor_and_the_user_sets_it_up_again(client, police_caseworker):
    admin_user = get_user_model().objects.create_superuser("it-admin", "it@example.org", "admin-password-long")
    make_totp_device(police_caseworker)
    user_client = type(client)()
    user_client.force_login(police_caseworker)
    assert user_client.get(reverse("dashboard")).status_code == 200

    client.force_login(admin_user)
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [police_caseworker.pk]},
        follow=True,
    )
    assert "Two-factor sign-in reset for 1 user" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=police_caseworker).exists()
    event = AuditEvent.objects.get(detail__startswith="Two-factor sign-in reset by an administrator")
    assert event.user == admin_user and event.object_id == str(police_caseworker.pk)

    assert user_client.get(reverse("dashboard"))["Location"].startswith(reverse("login")), "their session has ended"
    _sign_in_with_password(user_client)
    assert user_client.get(reverse("dashboard"))["Location"].startswith(reverse("two_factor_setup"))


def test_the_admin_itself_needs_the_second_factor(client, db):
    admin_user = get_user_model().objects.create_superuser("it-admin", "it@example.org", "admin-password-long")
    make_totp_device(admin_user)
    password_only_login(client, admin_user)
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("two_factor_verify"))
    assert "reset_two_factor" in str(admin_site._registry[get_user_model()].actions)


def test_removing_a_device_ends_the_sessions_it_verified(client, police_caseworker):
    client.force_login(police_caseworker)
    assert client.get(reverse("dashboard")).status_code == 200
    TOTPDevice.objects.filter(user=police_caseworker).delete()
    assert client.get(reverse("dashboard")).status_code == 302
    assert not Session.objects.exists()


def test_api_tokens_need_the_code_for_users_with_two_factor(police_caseworker, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the right code straight after a wrong one (django-otp waits a second)
    api = APIClient()
    missing = api.post("/api/v1/auth/token/", {"username": "police-cw", "password": PASSWORD})
    assert missing.status_code == 400
    assert "Set up two-factor sign-in" in missing.data["otp"][0]

    device = make_totp_device(police_caseworker)
    missing = api.post("/api/v1/auth/token/", {"username": "police-cw", "password": PASSWORD})
    assert missing.status_code == 400 and missing.data["otp"] == ["Give the 6-digit code from your authenticator app."]
    wrong = api.post("/api/v1/auth/token/", {"username": "police-cw", "password": PASSWORD, "otp": "000000"})
    assert wrong.status_code == 400 and "not right" in wrong.data["otp"][0]
    right = api.post("/api/v1/auth/token/", {"username": "police-cw", "password": PASSWORD, "otp": totp_code(device)})
    assert right.status_code == 201

    api.credentials(HTTP_AUTHORIZATION=f"Token {right.data['token']}")
    assert api.get("/api/v1/cases/").status_code == 200, "a token works without a code on each call"


def test_the_api_schema_documents_the_code_field(client, police_caseworker):
    client.force_login(police_caseworker)
    schema = client.get(reverse("api_schema")).content.decode()
    assert "otp:" in schema and "authenticator app" in schema


@pytest.mark.parametrize(("debug", "required", "asked"), [(True, False, False), (False, False, True), (True, True, True)])
def test_only_a_development_server_may_switch_two_factor_off(client, police_caseworker, settings, debug, required, asked):
    settings.DEBUG = debug
    settings.OTP_REQUIRED = required
    page = client.get(reverse("login")).content.decode()
    assert ("Development mode: two-factor sign-in is switched off" in page) is not asked
    response = _sign_in_with_password(client)
    assert response["Location"].startswith(reverse("two_factor_verify")) is asked
    assert (client.get(reverse("dashboard")).status_code == 200) is not asked


def test_a_second_agency_user_is_unaffected_by_anothers_devices(client, police, council, partnership):
    one = make_member(agency=police, partnership=partnership, username="one")
    two = make_member(agency=council, partnership=partnership, username="two")
    make_totp_device(one)
    _sign_in_with_password(client, "two")
    assert client.get(reverse("dashboard"))["Location"].startswith(reverse("two_factor_setup"))
    assert not TOTPDevice.objects.filter(user=two, confirmed=True).exists()
