"""Keep the list of each user's signed-in sessions (agencies.user_sessions) as sessions sign in and out, and end
them when a device that verified them is removed."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.user_sessions import session_renew, user_session_forget, user_session_record, user_sessions_delete


@receiver(user_logged_in)
def _remember_session(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is None:
        return
    session_renew(session)  # signing in starts the idle time
    if session.session_key is None:
        session.save()
    user_session_record(
        user=user,
        session_key=session.session_key,
        ip_address=request.META.get("REMOTE_ADDR") or None,
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )


@receiver(user_logged_out)
def _forget_session(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is not None:
        user_session_forget(session_key=session.session_key)


@receiver(post_delete, sender=TOTPDevice)
@receiver(post_delete, sender=StaticDevice)
def _device_removed(sender, instance, **kwargs):
    """A session verified by a device must not outlive it (agencies.middleware_security.OTPSessionMiddleware)."""
    if instance.confirmed:
        user_sessions_delete(user_id=instance.user_id)
