"""Personal API tokens: created, used by scripts with `Authorization: Token <key>`, revoked by their owner."""

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import connections, router, transaction
from django.utils import timezone
from rest_framework import authentication, exceptions

from agencies.models import ApiToken
from audit.models import AuditEvent
from audit.services import Actor, audit_record
from config.model_rows import model_columns, models_from_row

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
    """The unrevoked token of this hash, with its user. Every API request reads it, so by SQL written once per process
    (config.model_rows), as each signed-in page reads its session and user (tests/agencies/test_api_tokens.py holds it
    to what the ORM's query finds)."""
    alias = router.db_for_read(ApiToken)
    models = (ApiToken, get_user_model())
    connection = connections[alias]
    quote = connection.ops.quote_name
    token_table, user_table = (quote(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {model_columns(alias, models).select} FROM {token_table}"
            f" INNER JOIN {user_table} ON ({token_table}.{quote('user_id')} = {user_table}.{quote(models[1]._meta.pk.column)})"
            f" WHERE {token_table}.{quote('key_hash')} = %s AND {token_table}.{quote('revoked_at')} IS NULL",
            [key_hash],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    token, user = models_from_row(alias, model_columns(alias, models), row)
    ApiToken.user.field.set_cached_value(token, user)
    return token
