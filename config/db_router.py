"""Send the reports app's reads to a read replica, when DATABASE_REPLICA_URL names one.

Quarterly reports read a great deal and change nothing; on a replica they do not compete with caseworkers for the
primary. Only reads go there, and only:
- reads of the reports app's own models made outside a transaction (a service that reads in order to write, inside
  transaction.atomic, reads the primary, so it never acts on a replica that is a moment behind), and
- every read made inside `replica_reads()`, for a caller that can read other apps' models from a replica a moment
  behind: the quarterly report, whose figures reports/document.py reads in one REPEATABLE READ snapshot on the
  replica.
Writes, and everything else, go to the primary. Without a replica configured this router does nothing.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import connections

REPLICA = "replica"
REPLICA_APPS = {"reports"}

_reading_from_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def replica_readable() -> bool:
    """A replica is configured and the caller is not inside a transaction on the primary: a service that reads in
    order to write must not act on a replica that is a moment behind."""
    return replica_configured() and not connections["default"].in_atomic_block


@contextmanager
def replica_reads():
    """Inside this block every read (of any app's models) goes to the replica, if there is one."""
    token = _reading_from_replica.set(True)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


class ReportsReplicaRouter:
    def db_for_read(self, model, **hints):
        if not replica_configured():
            return None
        if _reading_from_replica.get():
            return REPLICA
        if model._meta.app_label in REPLICA_APPS and replica_readable():
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default" if replica_configured() else None

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary: objects read from either may be related.
        if {obj1._state.db, obj2._state.db} <= {"default", REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica is a copy made by PostgreSQL replication: never migrated by Django.
        if db == REPLICA:
            return False
        return None
