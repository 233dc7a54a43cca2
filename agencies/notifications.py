"""In-app notifications and the e-mails that go with them.

A notification's text is written by the caller and must carry only references and links: never a person's name, an
address or a description. E-mail leaves the partnership's systems, so it repeats the same text and a link, no more.
"""

import logging

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.message import EmailMessage
from django.db import transaction
from django.utils import timezone

from agencies.models import Notification
from audit.models import AuditEvent
from audit.services import Actor, audit_record

logger = logging.getLogger(__name__)

SUBJECT_PREFIX = "ASB Casework: "


def absolute_url(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL.rstrip("/") + url


def _email_body(text: str, url: str) -> str:
    lines = [text, ""]
    if url:
        lines += ["Open it in ASB Casework:", absolute_url(url), ""]
    lines.append("Sign in to see the details. This e-mail holds only a reference, never personal information.")
    return "\n".join(lines)


def _send_emails(messages: list[EmailMessage]) -> None:
    """Runs after the commit: the in-app notification is already safe, so a mail server fault is logged, not raised."""
    try:
        get_connection().send_messages(messages)
    except Exception:  # noqa: BLE001 - any transport fault; the notification itself is stored
        logger.exception("Could not send %d notification e-mail(s)", len(messages))


@transaction.atomic
def notification_send(*, users, text: str, url: str = "", email: bool = True, actor: Actor | None = None) -> list[Notification]:
    """Notify each active user once, in the app and (after the commit) by e-mail, one message per recipient."""
    recipients = {}
    for user in users:
        if user is not None and user.is_active:
            recipients[user.pk] = user
    if not recipients:
        return []
    text = text[: Notification._meta.get_field("text").max_length]
    url = url[: Notification._meta.get_field("url").max_length]
    created = Notification.objects.bulk_create([Notification(user=user, text=text, url=url) for user in recipients.values()])
    audit_record(
        actor=actor or Actor.system(),
        action=AuditEvent.Action.CREATE,
        object_type="notification",
        object_repr=text[:200],
        detail=f"Notified {len(created)} user(s)",
    )
    if email:
        messages = [
            EmailMessage(subject=SUBJECT_PREFIX + text[:120], body=_email_body(text, url), to=[user.email])
            for user in recipients.values()
            if user.email
        ]
        if messages:
            transaction.on_commit(lambda: _send_emails(messages))
    return created


@transaction.atomic
def notification_mark_read(*, actor: Actor, user, notification_id: int | None = None) -> int:
    """Mark one of the user's notifications read (or all of them when no id is given); returns how many changed."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    changed = unread.update(read_at=timezone.now())
    if changed:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            object_type="notification",
            object_id=notification_id or "",
            detail=f"Marked {changed} notification(s) read",
        )
    return changed


def notifications_for_user(*, user):
    """The user's own notifications, newest first (a user only ever sees their own)."""
    if user is None or not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def notification_unread_count(*, user) -> int:
    return notifications_for_user(user=user).filter(read_at__isnull=True).count()
