"""Writing to and checking the audit trail."""

import hashlib
import json
from dataclasses import dataclass

from django.db import connections, router, transaction
from django.utils import timezone

from audit.models import AuditChainCheck, AuditChainHead, AuditEvent

GENESIS_HASH = "0" * 64
HASHED_FIELDS = (
    "at", "user_id", "username", "agency_id", "agency_name", "action", "object_type", "object_id",
    "object_repr", "case_id", "person_id", "changes", "detail", "ip_address",
)


@dataclass(frozen=True)
class Actor:
    """Who did something, from where: built once per request (or task) and passed down."""

    user: object = None
    agency: object = None
    ip_address: str | None = None

    @classmethod
    def system(cls):
        return cls()

    @classmethod
    def from_request(cls, request):
        """The signed-in user, the agency they act for (set by ActingMembershipMiddleware) and their address."""
        return cls(
            user=request.user,
            agency=getattr(request, "agency", None),
            ip_address=request.META.get("REMOTE_ADDR") or None,
        )


def _canonical(event: AuditEvent) -> str:
    values = {}
    for name in HASHED_FIELDS:
        value = getattr(event, name)
        if name == "at":
            value = value.isoformat(timespec="microseconds")
        values[name] = value
    return json.dumps(values, sort_keys=True, default=str, separators=(",", ":"))


def event_hash(event: AuditEvent, previous_hash: str) -> str:
    return hashlib.sha256((previous_hash + _canonical(event)).encode()).hexdigest()


def _json_safe(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value)
    return str(value)


def diff(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields whose values differ."""
    return {
        key: [_json_safe(before.get(key)), _json_safe(after.get(key))]
        for key in after
        if _json_safe(before.get(key)) != _json_safe(after.get(key))
    }


def audit_record(
    *,
    actor: Actor,
    action: str,
    obj=None,
    object_type: str = "",
    object_id="",
    object_repr: str = "",
    case_id: int | None = None,
    person_id: int | None = None,
    changes: dict | None = None,
    detail: str = "",
) -> AuditEvent:
    """Append one event to the chain. Call inside the transaction of the change it records."""
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = object_id or obj.pk
        object_repr = object_repr or str(obj)
    user = actor.user if actor.user is not None and actor.user.is_authenticated else None
    event = AuditEvent(
        at=timezone.now(),
        user=user,
        username=user.get_username() if user else "",
        agency_id=actor.agency.pk if actor.agency else None,
        agency_name=actor.agency.name if actor.agency else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        object_repr=str(object_repr)[:200],
        case_id=case_id,
        person_id=person_id,
        changes=changes or {},
        detail=detail[:500],
        ip_address=actor.ip_address,
    )
    _chain_append(event)
    return event


def _chain_append(event: AuditEvent) -> None:
    """Link the event to the chain's head and write it, the head row locked from its read to the commit so that
    writers queue and the chain never forks.

    On PostgreSQL in one statement, which is its own transaction when no other is open: it locks the head, hashes
    the event onto it (sha256 of the previous hash and the event's canonical text, exactly as event_hash() does, which
    audit_chain_verify checks), inserts the event and moves the head on to it. Every page that shows a case or a
    person writes an event: one round trip instead of four (BEGIN, the head's read, the write, COMMIT), and the head
    is held for that statement alone rather than across two round trips and the hashing in Python. Elsewhere
    (SQLite) through the models, in a transaction."""
    connection = connections[router.db_for_write(AuditEvent)]
    if connection.vendor != "postgresql":
        with transaction.atomic(using=connection.alias):
            head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
            _link(event, head.last_hash)
            event.save()
            head.last_hash = event.hash
            head.save(update_fields=["last_hash"])
        return
    quote = connection.ops.quote_name
    head_table = quote(AuditChainHead._meta.db_table)
    meta = AuditEvent._meta
    linked_columns = [quote(meta.get_field(name).column) for name in ("previous_hash", "hash")]  # computed in SQL
    fields = [field for field in meta.concrete_fields if not field.primary_key and field.name not in ("previous_hash", "hash")]
    values = [field.get_db_prep_save(field.pre_save(event, True), connection) for field in fields]
    columns = [quote(field.column) for field in fields] + linked_columns
    statement = (
        f"WITH head AS (SELECT COALESCE(NULLIF(last_hash, ''), %s) AS previous FROM {head_table} WHERE id = 1 FOR UPDATE),"
        f" linked AS (SELECT previous, encode(sha256(convert_to(previous || %s, 'UTF8')), 'hex') AS hash FROM head),"
        f" moved AS (UPDATE {head_table} SET last_hash = linked.hash FROM linked WHERE {head_table}.id = 1)"
        f" INSERT INTO {quote(meta.db_table)} ({', '.join(columns)})"
        f" SELECT {', '.join(['%s'] * len(fields))}, linked.previous, linked.hash FROM linked"
        f" RETURNING {quote(meta.pk.column)}, {', '.join(linked_columns)}"
    )
    params = [GENESIS_HASH, _canonical(event), *values]
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        row = cursor.fetchone()
        if row is None:  # the very first event: no head yet, so nothing was written; make the head and write it
            AuditChainHead.objects.get_or_create(pk=1)
            cursor.execute(statement, params)
            row = cursor.fetchone()
    event.pk, event.previous_hash, event.hash = row
    event._state.adding, event._state.db = False, connection.alias


def _link(event: AuditEvent, last_hash: str) -> None:
    event.previous_hash = last_hash or GENESIS_HASH
    event.hash = event_hash(event, event.previous_hash)


@transaction.atomic
def audit_record_many(*, actor: Actor, events: list[dict]) -> int:
    """Append many events at once (bulk imports), chained exactly as audit_record would chain them one by one.

    Each dict holds audit_record's keyword arguments other than `actor`."""
    if not events:
        return 0
    user = actor.user if actor.user is not None and actor.user.is_authenticated else None
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    previous = head.last_hash or GENESIS_HASH
    rows = []
    for spec in events:
        obj = spec.get("obj")
        event = AuditEvent(
            at=timezone.now(),
            user=user,
            username=user.get_username() if user else "",
            agency_id=actor.agency.pk if actor.agency else None,
            agency_name=actor.agency.name if actor.agency else "",
            action=spec["action"],
            object_type=spec.get("object_type") or (obj._meta.model_name if obj is not None else ""),
            object_id=str(spec.get("object_id") or (obj.pk if obj is not None else "")),
            object_repr=str(spec.get("object_repr") or (obj if obj is not None else ""))[:200],
            case_id=spec.get("case_id"),
            person_id=spec.get("person_id"),
            changes=spec.get("changes") or {},
            detail=spec.get("detail", "")[:500],
            ip_address=actor.ip_address,
        )
        event.previous_hash = previous
        event.hash = event_hash(event, previous)
        previous = event.hash
        rows.append(event)
    AuditEvent.objects.bulk_create(rows, batch_size=1000)
    head.last_hash = previous
    head.save(update_fields=["last_hash"])
    return len(rows)


def audit_chain_verify(*, batch_size: int = 5000) -> AuditChainCheck:
    """Walk the chain oldest first; record and return the first row whose hash does not hold."""
    previous = GENESIS_HASH
    checked = 0
    broken_id, reason = None, ""
    last_id = 0
    while broken_id is None:
        batch = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            break
        for event in batch:
            checked += 1
            if event.previous_hash != previous:
                broken_id, reason = event.id, "its link to the previous row does not match (a row was removed or re-ordered)"
                break
            if event_hash(event, previous) != event.hash:
                broken_id, reason = event.id, "its content does not match its hash (the row was edited)"
                break
            previous = event.hash
        last_id = batch[-1].id
    if broken_id is None:
        head = AuditChainHead.objects.filter(pk=1).first()
        if head and head.last_hash and head.last_hash != previous:
            reason = "the newest rows are missing (the chain head does not match the last row)"
            broken_id = last_id
    return AuditChainCheck.objects.create(rows_checked=checked, first_broken_id=broken_id, reason=reason)
