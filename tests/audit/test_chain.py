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
