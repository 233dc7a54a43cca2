"""Personal API tokens: created, used by scripts with `Authorization: Token <key>`, revoked by their owner."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from rest_framework import authentication, exceptions

from agencies.models import ApiToken
from audit.models import AuditEvent
from audit.services import Actor, audit_record
from config.compiled_queries import compiled_query

# Writing last_used_at on every request would turn every API read into a write; once a minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, actor: Actor, user, name: str) -> tuple[ApiToken, str]:
    """Create a token; returns it with its secret key, which is shown once and never stored."""
    name = name.strip()
    if not name:
        from django.core.exceptions import ValidationError

        raise ValidationError({"name": "Give the token a name, so you can tell it apart later."})
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name[:100], prefix=key[:8], key_hash=_hash(key))
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=token, object_repr=str(token), detail="API token created")
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=token, object_repr=str(token), detail="API token revoked")
    return token


def api_tokens_for_user(*, user):
    return ApiToken.objects.filter(user=user)


class PersonalTokenAuthentication(authentication.TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key):
        token = _live_token_with_user(key_hash=_hash(key))
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid or revoked token.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("This account has been disabled.")
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token


def _live_token_with_user(*, key_hash: str) -> ApiToken | None:
    """The unrevoked token of this hash, with its user. Every API request reads it, so by a query compiled once per
    process (config.compiled_queries), as each signed-in page reads its session and user."""
    found = _live_tokens(key_hash=key_hash)
    return found[0] if found else None


@compiled_query
def _live_tokens(*, key_hash):
    return ApiToken.objects.filter(key_hash=key_hash, revoked_at__isnull=True).select_related("user")
