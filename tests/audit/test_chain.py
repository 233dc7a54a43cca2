import pytest
from django.core.management import call_command
from django.db import connection

from audit.models import AuditError, AuditEvent
from audit.services import Actor, audit_chain_verify, audit_record


def _three_events():
    return [audit_record(actor=Actor.system(), action="view", object_type="case", object_id=n) for n in range(3)]


def test_events_chain_and_an_intact_chain_verifies(db):
    events = _three_events()
    assert events[1].previous_hash == events[0].hash
    assert audit_chain_verify().ok


def test_the_application_cannot_update_or_delete_an_event(db):
    event = _three_events()[0]
    event.detail = "quietly changed"
    with pytest.raises(AuditError):
        event.save()
    with pytest.raises(AuditError):
        event.delete()
    with pytest.raises(AuditError):
        AuditEvent.objects.filter(pk=event.pk).update(detail="x")
    with pytest.raises(AuditError):
        AuditEvent.objects.all().delete()


def test_a_row_edited_directly_in_the_database_is_named(db, capsys):
    events = _three_events()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET username = %s WHERE id = %s", ["someone-else", events[1].pk])
    check = audit_chain_verify()
    assert check.first_broken_id == events[1].pk
    with pytest.raises(SystemExit):
        call_command("verify_audit")
    assert f"broken at row {events[1].pk}" in capsys.readouterr().err


def test_a_row_deleted_directly_in_the_database_is_found(db):
    events = _three_events()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    assert audit_chain_verify().first_broken_id == events[2].pk


def test_removing_the_newest_row_is_found(db):
    events = _three_events()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    assert not audit_chain_verify().ok


def test_an_event_reads_back_as_written_and_the_head_follows_it(db):
    from audit.models import AuditChainHead
    from tests.agencies.factories import UserFactory

    user = UserFactory()
    first = audit_record(actor=Actor(user=user, ip_address="192.0.2.7"), action="view", object_type="case", object_id=7,
                         object_repr="ABC-1", case_id=7, changes={"status": ["open", "closed"], "note": None}, detail="Summary")
    stored = AuditEvent.objects.get(pk=first.pk)
    for name in ("at", "user_id", "username", "action", "object_id", "object_repr", "case_id", "changes", "detail",
                 "ip_address", "previous_hash", "hash"):
        assert getattr(stored, name) == getattr(first, name), name
    assert not first._state.adding
    second = audit_record(actor=Actor.system(), action="view", object_type="person", object_id=3, person_id=3)
    assert second.previous_hash == first.hash
    assert AuditChainHead.objects.get(pk=1).last_hash == second.hash
    assert audit_chain_verify().ok


def test_the_first_event_ever_makes_the_chain_head(db):
    from audit.models import AuditChainHead

    AuditChainHead.objects.all().delete()
    event = audit_record(actor=Actor.system(), action="view", object_type="case", object_id=1)
    assert event.previous_hash == "0" * 64
    assert AuditChainHead.objects.get(pk=1).last_hash == event.hash
    assert audit_chain_verify().ok


@pytest.mark.django_db(transaction=True)
def test_writers_at_the_same_time_queue_on_the_head_and_the_chain_does_not_fork():
    import threading

    from django.db import connections

    def write(n):
        try:
            for i in range(10):
                audit_record(actor=Actor.system(), action="view", object_type="case", object_id=f"{n}-{i}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert AuditEvent.objects.count() == 40
    assert len(set(AuditEvent.objects.values_list("previous_hash", flat=True))) == 40
    assert audit_chain_verify().ok


def test_the_hash_is_the_one_the_checker_computes_whatever_the_text(db):
    """On PostgreSQL the event is hashed onto the chain in SQL: it must be event_hash() to the bit."""
    from audit.services import event_hash

    event = audit_record(actor=Actor.system(), action="view", object_type="person", object_id=9,
                         object_repr="Zoë O’Brien 🏠", detail="Ünïcode, \"quotes\", back\\slash", changes={"name": ["Zoe", "Zoë"]})
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.hash == event.hash == event_hash(stored, stored.previous_hash)
    assert audit_chain_verify().ok


def test_an_event_written_in_a_transaction_that_fails_leaves_the_chain_as_it_was(db):
    from django.db import transaction

    from audit.models import AuditChainHead

    before = audit_record(actor=Actor.system(), action="view", object_type="case", object_id=1)
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=Actor.system(), action="update", object_type="case", object_id=1)
        raise RuntimeError("the change it recorded failed")
    assert AuditChainHead.objects.get(pk=1).last_hash == before.hash
    assert not AuditEvent.objects.filter(action="update").exists()
    after = audit_record(actor=Actor.system(), action="view", object_type="case", object_id=2)
    assert after.previous_hash == before.hash and audit_chain_verify().ok
