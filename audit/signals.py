"""Sign-ins, failed sign-ins and sign-outs go into the audit trail."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit.models import AuditEvent
from audit.services import Actor, audit_record


def _ip(request):
    return request.META.get("REMOTE_ADDR") if request is not None else None


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    audit_record(actor=Actor(user=user, ip_address=_ip(request)), action=AuditEvent.Action.SIGN_IN, obj=user)


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=Actor(user=user, ip_address=_ip(request)), action=AuditEvent.Action.SIGN_OUT, obj=user)


@receiver(user_login_failed)
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    audit_record(
        actor=Actor(ip_address=_ip(request)),
        action=AuditEvent.Action.SIGN_IN_FAILED,
        object_type="user",
        object_repr=str(credentials.get("username", ""))[:150],
    )
