"""Each user's signed-in sessions, so that a user can sign out everywhere at once.

A row is written when a session signs in (a signal on login) and removed when it signs out. Ending them all deletes
the Session rows by key: no need to decode every session in the table to find a user's.
"""

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from agencies.models import UserSession
from audit.models import AuditEvent
from audit.services import Actor, audit_record


@transaction.atomic
def user_session_record(*, user, session_key: str, ip_address: str | None, user_agent: str) -> UserSession:
    """Remember a session that has just signed in; forget this user's sessions that have since expired."""
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    UserSession.objects.filter(user=user).exclude(session_key__in=live).delete()
    row, _ = UserSession.objects.update_or_create(
        session_key=session_key, defaults={"user": user, "ip_address": ip_address, "user_agent": user_agent[:200]}
    )
    return row


def user_session_forget(*, session_key: str | None) -> None:
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def user_sessions_for_user(*, user):
    """The user's sessions that have not yet expired, newest first, with when each expires if left idle."""
    expires = Session.objects.filter(session_key=OuterRef("session_key")).values("expire_date")[:1]
    return (
        UserSession.objects.filter(user=user)
        .annotate(expires_at=Subquery(expires))
        .filter(expires_at__gt=timezone.now())
        .order_by("-created_at", "-id")
    )


def session_seconds() -> int:
    """How long a session lasts without a request; every request starts it again (SESSION_SAVE_EVERY_REQUEST)."""
    return int(settings.SESSION_COOKIE_AGE)


def user_sessions_delete(*, user_id) -> int:
    """Delete every session of a user (no audit: callers record why). Returns how many were live."""
    keys = list(UserSession.objects.filter(user_id=user_id).values_list("session_key", flat=True))
    ended, _ = Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user_id=user_id).delete()
    return ended


@transaction.atomic
def user_sessions_end_all(*, actor: Actor, user) -> int:
    """Sign the user out of every session, on every device, this one included. Returns how many ended."""
    ended = user_sessions_delete(user_id=user.pk)
    audit_record(
        actor=actor, action=AuditEvent.Action.SIGN_OUT, obj=user, object_repr=user.get_username(),
        detail=f"Signed out of every session ({ended})",
    )
    return ended
