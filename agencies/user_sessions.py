"""Each user's signed-in sessions, so that a user can sign out everywhere at once.

A row is written when a session signs in (a signal on login) and removed when it signs out. Ending them all deletes
the Session rows by key: no need to decode every session in the table to find a user's.
"""

import time

from django.conf import settings
from django.contrib import auth
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


# When the session was last written with a fresh expiry (seconds since the epoch), in the session's own data.
RENEWED_AT = "renewed_at"


def session_seconds() -> int:
    """How long a signed-in session lasts without a request (the page's timer counts it down); every request starts it
    again (session_renew_if_due)."""
    return int(settings.SESSION_COOKIE_AGE)


def session_length_text(seconds: int | None = None) -> str:
    """The idle time as a person reads it: "30 minutes", "1 hour", "1 minute 30 seconds" (not "0 minutes" for a
    session shorter than a minute, nor "1 minutes")."""
    seconds = session_seconds() if seconds is None else seconds
    hours, rest = divmod(max(int(seconds), 0), 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [f"{n} {unit}{'' if n == 1 else 's'}" for n, unit in ((hours, "hour"), (minutes, "minute"), (seconds, "second")) if n]
    return " ".join(parts) or "0 seconds"


def session_renew(session) -> None:
    """Start the session's idle time again: written at the end of this request, with an expiry of the idle time plus
    the renewal interval, so that however long ago it was last written it outlives the page's timer."""
    session[RENEWED_AT] = int(time.time())
    session.set_expiry(session_seconds() + settings.SESSION_RENEW_SECONDS)


def session_renew_if_due(session) -> bool:
    """Renew a signed-in session if it was last renewed SESSION_RENEW_SECONDS ago or more. Writing the session on
    every request (SESSION_SAVE_EVERY_REQUEST) would cost every page a transaction and a disk flush for nothing: an
    idle time measured to the minute is enough. Sessions with no one signed in are left alone."""
    if session.get(auth.SESSION_KEY) is None:
        return False
    if time.time() - session.get(RENEWED_AT, 0) < settings.SESSION_RENEW_SECONDS:
        return False
    session_renew(session)
    return True


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
