"""Two-factor sign-in with django-otp: an authenticator app's time-based code, or one of ten single-use backup codes.

Writes here follow the house rule (keyword-only, atomic, audited). A failed code is kept, with its audit event and
django-otp's throttling, rather than rolled back: a wrong code must count even though the sign-in goes no further.
"""

from base64 import b32encode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.user_sessions import user_sessions_delete, user_sessions_for_user
from audit.models import AuditEvent
from audit.services import Actor, audit_record

TOTP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"


def two_factor_required() -> bool:
    """Everyone needs a second factor, unless a development server (DEBUG on) has switched it off."""
    return bool(settings.OTP_REQUIRED or not settings.DEBUG)


def totp_device_for_user(*, user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def user_has_two_factor(*, user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def backup_codes_remaining(*, user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def totp_secret_for_display(device: TOTPDevice) -> str:
    """The secret as authenticator apps want it typed: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _user_repr(user) -> str:
    return user.get_full_name() or user.get_username()


@transaction.atomic
def totp_enrolment_start(*, user) -> TOTPDevice:
    """The unconfirmed device the user is setting up: a new secret, or the one already waiting (a reload shows it again)."""
    if user_has_two_factor(user=user):
        raise ValidationError("Two-factor sign-in is already set up for this account.")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def _backup_codes_replace(*, user) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes: set[str] = set()
    while len(codes) < settings.BACKUP_CODE_COUNT:
        codes.add(StaticToken.random_token())
    ordered = sorted(codes)
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in ordered])
    return ordered


def totp_enrolment_confirm(*, actor: Actor, user, code: str) -> tuple[TOTPDevice, list[str]] | None:
    """Confirm the waiting device with a code from the app; returns it with ten new backup codes, or None if wrong."""
    code = "".join(code.split())
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-id").first()
        if device is None:
            raise ValidationError("Start setting up two-factor sign-in again.")
        accepted = device.verify_token(code)
    if not accepted:
        return None
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        codes = _backup_codes_replace(user=user)
        audit_record(
            actor=actor, action=AuditEvent.Action.UPDATE, obj=user, object_repr=_user_repr(user),
            detail="Two-factor sign-in set up: authenticator app and 10 backup codes",
        )
    return device, codes


@transaction.atomic
def backup_codes_regenerate(*, actor: Actor, user) -> list[str]:
    """Ten new single-use codes; the old ones stop working."""
    if not user_has_two_factor(user=user):
        raise ValidationError("Set up two-factor sign-in before making backup codes.")
    codes = _backup_codes_replace(user=user)
    audit_record(
        actor=actor, action=AuditEvent.Action.UPDATE, obj=user, object_repr=_user_repr(user),
        detail="Backup codes replaced: the old ones no longer work",
    )
    return codes


def two_factor_verify(*, actor: Actor, user, code: str):
    """Check a code from the authenticator app or a backup code. Returns the device that accepted it, or None.

    Either way the attempt is audited; django-otp slows down repeated wrong codes on each device."""
    code = "".join(code.split()).lower()
    # Ask only the device the code's shape belongs to: a wrong guess counts against that device's throttle alone,
    # so that everyday app codes never slow down the backup codes (or the other way round).
    model = TOTPDevice if code.isdigit() else StaticDevice
    device = None
    with transaction.atomic():
        if code:
            for candidate in model.objects.devices_for_user(user, confirmed=True).select_for_update():
                if candidate.verify_token(code):
                    device = candidate
                    break
    with transaction.atomic():
        if device is None:
            audit_record(
                actor=actor, action=AuditEvent.Action.SIGN_IN_FAILED, obj=user, object_repr=user.get_username(),
                detail="Wrong two-factor code",
            )
        else:
            kind = "backup code" if isinstance(device, StaticDevice) else "authenticator app"
            audit_record(
                actor=actor, action=AuditEvent.Action.SIGN_IN, obj=user, object_repr=user.get_username(),
                detail=f"Second factor accepted ({kind})",
            )
    return device


def two_factor_throttled(*, user) -> bool:
    """True while django-otp refuses codes after repeated wrong ones."""
    device = totp_device_for_user(user=user)
    return device is not None and not device.verify_is_allowed()[0]


@transaction.atomic
def two_factor_reset(*, actor: Actor, user) -> int:
    """An administrator's reset (a lost phone): remove every device and end every session, so that the user sets
    up two-factor sign-in again the next time they sign in. Returns how many devices were removed."""
    sessions = user_sessions_for_user(user=user).count()
    removed = 0
    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()
        removed += 1
    user_sessions_delete(user_id=user.pk)
    audit_record(
        actor=actor, action=AuditEvent.Action.UPDATE, obj=user, object_repr=_user_repr(user),
        detail=f"Two-factor sign-in reset by an administrator ({removed} device(s) removed, {sessions} session(s) ended)",
    )
    return removed
