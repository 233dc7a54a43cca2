"""Backup and restore as the README describes them: pg_dump -Fc, pg_restore into a new database, then verify_audit
against the restored copy. The restored database must hold the same cases, the same access, and an unbroken chain."""

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
from django.conf import settings
from django.db import connection

from audit.models import AuditEvent
from audit.services import Actor
from casework.models import CaseAccess, CaseGroupObjectPermission
from casework.services.access import case_access_grant, case_access_revoke
from casework.services.cases import case_view_record
from tests.casework.factories import make_case
from tests.casework.factories_people import put_on_case

REQUIRED = os.environ.get("REQUIRE_SERVICES") == "1"


def _postgresql_and_tools_or_skip():
    if connection.vendor != "postgresql":
        message = "backup and restore use pg_dump and pg_restore, which need PostgreSQL (this run uses SQLite)"
    elif not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        message = "pg_dump and pg_restore (the PostgreSQL client) are not installed"
    else:
        return
    if REQUIRED:
        pytest.fail(f"REQUIRE_SERVICES=1 but {message}")
    pytest.skip(message)


def _server_arguments(db: dict) -> tuple[list[str], dict]:
    arguments = []
    if db.get("HOST"):
        arguments += ["-h", db["HOST"]]
    if db.get("PORT"):
        arguments += ["-p", str(db["PORT"])]
    if db.get("USER"):
        arguments += ["-U", db["USER"]]
    environment = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    return arguments, environment


def _connect(db: dict, name: str):
    return psycopg2.connect(dbname=name, host=db.get("HOST") or None, port=db.get("PORT") or None,
                            user=db.get("USER") or None, password=db.get("PASSWORD") or None)


def _database_url(db: dict, name: str) -> str:
    credentials = quote(db.get("USER") or "", safe="") + (f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else "")
    return f"postgres://{credentials}@{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}/{name}"


def _rows(cursor, sql: str) -> list[tuple]:
    cursor.execute(sql)
    return sorted(cursor.fetchall())


@pytest.mark.services
# Committed data, so that pg_dump sees it (the root conftest.py gives every committing test the migrated reference data).
@pytest.mark.django_db(transaction=True)
def test_a_dump_restored_into_a_new_database_has_the_same_cases_access_and_an_unbroken_chain(
    tmp_path, partnership, police, council, housing, council_caseworker
):
    _postgresql_and_tools_or_skip()
    cases = [make_case(partnership=partnership, lead_agency=lead, summary=f"Case {n}") for n, lead in enumerate((council, police, council))]
    case_access_grant(actor=Actor.system(), case=cases[0], agency=police, level=CaseAccess.Level.CONTRIBUTOR, reason="Joint visit")
    case_access_grant(actor=Actor.system(), case=cases[1], agency=housing, level=CaseAccess.Level.INFORMATION)
    case_access_revoke(actor=Actor.system(), case=cases[1], agency=housing, level=CaseAccess.Level.INFORMATION, reason="No longer needed")
    put_on_case(case=cases[0])
    for case in cases:
        case_view_record(actor=Actor(user=council_caseworker, agency=council), case=case, what="Summary")

    db = connection.settings_dict
    arguments, environment = _server_arguments(db)
    dump = tmp_path / "asbcasework.dump"
    subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file", str(dump), *arguments, db["NAME"]],
                   check=True, env=environment, capture_output=True)
    restored = f"{db['NAME']}_restored_{uuid.uuid4().hex[:8]}"
    admin = _connect(db, "postgres")
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{restored}"')
        subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", "--dbname", restored, *arguments, str(dump)],
                       check=True, env=environment, capture_output=True)

        copy = _connect(db, restored)
        try:
            with copy.cursor() as cursor:
                assert _rows(cursor, "SELECT reference, lead_agency_id, summary FROM casework_case") == sorted(
                    (c.reference, c.lead_agency_id, c.summary) for c in cases)
                assert _rows(cursor, "SELECT content_object_id, group_id, permission_id FROM casework_casegroupobjectpermission") == sorted(
                    CaseGroupObjectPermission.objects.values_list("content_object_id", "group_id", "permission_id"))
                assert _rows(cursor, "SELECT case_id, agency_id, level, revoked_at IS NULL FROM casework_caseaccess") == sorted(
                    (a.case_id, a.agency_id, a.level, a.revoked_at is None) for a in CaseAccess.objects.all())
                assert _rows(cursor, "SELECT id, hash FROM audit_auditevent") == sorted(AuditEvent.objects.values_list("id", "hash"))
        finally:
            copy.close()

        # The check the README asks for after a restore, run as an operator would: the command, on the copy.
        check = subprocess.run(
            [sys.executable, "manage.py", "verify_audit"], cwd=Path(settings.BASE_DIR), capture_output=True, text=True,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": _database_url(db, restored)},
        )
        assert check.returncode == 0, check.stderr
        assert f"Audit chain intact: {AuditEvent.objects.count()} rows checked." in check.stdout
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')
        admin.close()
