"""The audit trail: append-only, each row chained to the one before by a hash.

The application never updates or deletes a row (the model and its queryset refuse);
a row edited behind the application's back breaks the chain, which `verify_audit` finds.
"""

from django.conf import settings
from django.db import models


class AuditError(Exception):
    pass


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditError("Audit events are never updated.")

    def delete(self):
        raise AuditError("Audit events are never deleted.")


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        CREATE = "create", "Created"
        UPDATE = "update", "Changed"
        DELETE = "delete", "Deleted"
        DOWNLOAD = "download", "Downloaded"
        EXPORT = "export", "Exported"
        SEARCH = "search", "Searched"
        GRANT = "grant", "Access granted"
        REVOKE = "revoke", "Access revoked"
        DENIED = "denied", "Access denied"
        SIGN_IN = "sign_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        SIGN_OUT = "sign_out", "Signed out"
        FLAG = "flag", "Flagged"
        IMPORT = "import", "Imported"

    at = models.DateTimeField(db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    username = models.CharField(max_length=150, blank=True)
    # The agency the user was acting for; by id so that the trail outlives any agency record.
    agency_id = models.BigIntegerField(null=True, blank=True)
    agency_name = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=50, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    case_id = models.BigIntegerField(null=True, blank=True)
    person_id = models.BigIntegerField(null=True, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["case_id", "-id"], name="audit_case_idx"),
            models.Index(fields=["person_id", "-id"], name="audit_person_idx"),
            models.Index(fields=["user", "-id"], name="audit_user_idx"),
            # The audit search's order (newest first, by time): a search by dates reads from its end of the trail.
            models.Index(fields=["-at", "-id"], name="audit_at_idx"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_type} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditError("Audit events are never updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditError("Audit events are never deleted.")


class AuditChainHead(models.Model):
    """One row: the hash of the newest event. Locking it orders writers so the chain has no forks."""

    last_hash = models.CharField(max_length=64, blank=True)


class AuditChainCheck(models.Model):
    """The result of walking the chain, by the nightly task or `verify_audit`."""

    checked_at = models.DateTimeField(auto_now_add=True)
    rows_checked = models.PositiveBigIntegerField()
    first_broken_id = models.BigIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-checked_at"]

    @property
    def ok(self) -> bool:
        return self.first_broken_id is None
