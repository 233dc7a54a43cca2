"""Beyond one machine: the read-replica router for reports, and the benchmark's timing header and floor page."""

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from casework.models import Case
from config import db_router
from config.db_router import ReportsReplicaRouter, replica_reads

ROOT = Path(__file__).resolve().parent.parent.parent
REPORT_MODEL = SimpleNamespace(_meta=SimpleNamespace(app_label="reports", model_name="reportrun"))


@pytest.fixture
def with_replica(monkeypatch):
    monkeypatch.setattr(db_router, "replica_configured", lambda: True)


def test_without_a_replica_the_router_leaves_everything_to_the_primary():
    router = ReportsReplicaRouter()
    assert router.db_for_read(REPORT_MODEL) is None
    assert router.db_for_write(REPORT_MODEL) is None
    with replica_reads():
        assert router.db_for_read(Case) is None


def test_with_a_replica_only_the_reports_apps_reads_go_to_it(with_replica):
    router = ReportsReplicaRouter()
    assert router.db_for_read(REPORT_MODEL) == "replica"
    assert router.db_for_read(Case) is None, "caseworkers' reads stay on the primary"
    assert router.db_for_write(REPORT_MODEL) == "default"
    assert router.db_for_write(Case) == "default"


@pytest.mark.django_db
def test_reads_inside_a_transaction_stay_on_the_primary(with_replica):
    """A service that reads in order to write must not act on a replica that is a moment behind."""
    router = ReportsReplicaRouter()
    with transaction.atomic():
        assert router.db_for_read(REPORT_MODEL) is None


def test_statistics_computed_inside_replica_reads_read_casework_from_the_replica(with_replica):
    router = ReportsReplicaRouter()
    with replica_reads():
        assert router.db_for_read(Case) == "replica"
    assert router.db_for_read(Case) is None, "only inside the block"


@pytest.fixture
def replica_connection(with_replica):
    """A second connection, named as the replica, to the test database: a stand-in for a streaming replica, which
    holds the same rows. Its data must be committed to be seen there (transactional_db)."""
    from django.db import connections

    made = []

    def replica(**settings):
        primary = connections["default"]
        made.append(type(primary)({**primary.settings_dict, **settings}, alias=db_router.REPLICA))
        connections[db_router.REPLICA] = made[-1]  # made here, not in settings: Django's tests allow such a connection
        return made[-1]

    yield replica
    for connection in made:
        connection.close()
    if made:
        del connections[db_router.REPLICA]


def _postgresql_or_skip():
    from django.db import connection

    if connection.vendor != "postgresql":
        message = "a replica's snapshot is PostgreSQL's REPEATABLE READ"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"REQUIRE_SERVICES=1 but {message}")
        pytest.skip(message)


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_quarterly_report_reads_its_figures_from_the_replica_in_one_snapshot(replica_connection, partnership, other_partnership, police, council):
    """With a replica, the report's whole snapshot (casework figures, priorities, measures) is read there, none of it
    from the primary; inside a transaction on the primary it stays on the primary."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from reports import document
    from reports.quarters import Quarter
    from tests.reports import known_data

    _postgresql_or_skip()
    known_data.load(partnership=partnership, other_partnership=other_partnership)
    replica = replica_connection()
    before = timezone.now()
    with CaptureQueriesContext(connection) as on_primary, CaptureQueriesContext(replica) as on_replica:
        content = document.report_content(partnership=partnership, quarter=Quarter(2010, 1))
    assert content.group_stats.new_total == 8 and content.group_stats.cumulative_total == 52  # the same figures
    assert len(on_primary) == 0, [query["sql"][:80] for query in on_primary]
    sql = [query["sql"] for query in on_replica]
    assert sql[0] == "BEGIN" and sql[1].startswith("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY") and len(sql) > 10
    # Not a standby here, so no replayed commit to date the figures by: the moment the snapshot was taken.
    assert before <= content.data_cutoff <= timezone.now()

    with transaction.atomic(), CaptureQueriesContext(connection) as on_primary, CaptureQueriesContext(replica) as on_replica:
        document.report_content(partnership=partnership, quarter=Quarter(2010, 1))
    assert len(on_replica) == 0 and len(on_primary) > 10


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_replica_that_cannot_answer_does_not_cost_the_report(replica_connection, partnership, other_partnership, police, council, monkeypatch):
    """Down, or cancelling the snapshot to replay the primary's changes: the figures come from the primary instead."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports import document
    from reports.quarters import Quarter
    from tests.reports import known_data

    _postgresql_or_skip()
    known_data.load(partnership=partnership, other_partnership=other_partnership)
    replica_connection(NAME="asb_no_such_replica")
    warnings = []
    monkeypatch.setattr(document.logger, "warning", lambda message, *args, **kwargs: warnings.append(message))
    with CaptureQueriesContext(connection) as on_primary:
        content = document.report_content(partnership=partnership, quarter=Quarter(2010, 1))
    assert content.group_stats.new_total == 8 and content.group_stats.cumulative_total == 52
    assert len(on_primary) > 10
    assert warnings == ["The read replica could not give the report's figures; reading them from the primary"]


def test_the_replica_is_never_migrated_and_relations_across_the_two_are_allowed():
    router = ReportsReplicaRouter()
    assert router.allow_migrate("replica", "casework") is False
    assert router.allow_migrate("default", "casework") is None
    primary, copy = SimpleNamespace(_state=SimpleNamespace(db="default")), SimpleNamespace(_state=SimpleNamespace(db="replica"))
    assert router.allow_relation(primary, copy) is True


def test_database_replica_url_adds_a_replica_that_tests_mirror_to_the_primary():
    code = (
        "import django; django.setup(); from django.conf import settings; r = settings.DATABASES['replica']; "
        "print(r['HOST'], r['NAME'], r['TEST']['MIRROR'], settings.DATABASE_ROUTERS[0])"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.test", DATABASE_REPLICA_URL="postgres://reader@replica.internal:5432/asb")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["replica.internal", "asb", "default", "config.db_router.ReportsReplicaRouter"]


def test_server_timing_only_when_benchmark_timing_is_on(client, police_caseworker):
    client.force_login(police_caseworker)
    assert "Server-Timing" not in client.get(reverse("ping"))
    with override_settings(BENCHMARK_TIMING=True):
        timed = Client()
        timed.force_login(police_caseworker)
        response = timed.get(reverse("ping"))
    timings = dict(part.strip().split(";dur=") for part in response["Server-Timing"].split(","))
    assert set(timings) == {"app", "cpu"}
    assert float(timings["app"]) > 0 and float(timings["cpu"]) > 0


def test_the_floor_page_is_for_signed_in_users(client, police_caseworker, police):
    response = client.get(reverse("ping"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    client.force_login(police_caseworker)
    page = client.get(reverse("ping")).content.decode()
    assert "Signed in" in page and police.name in page


def test_the_applications_connections_carry_planner_settings_for_short_indexed_reads(monkeypatch, tmp_path):
    """No parallel workers and random_page_cost 1.1 (data in memory or on SSD) unless DATABASE_PLANNER_SETTINGS
    says otherwise; empty leaves the server's own settings."""
    from config.settings.env import ConfigurationError, database_from_env

    monkeypatch.setenv("DATABASE_URL", "postgres://app@db.internal:5432/asb")
    monkeypatch.delenv("DATABASE_PLANNER_SETTINGS", raising=False)
    assert database_from_env(tmp_path / "x.sqlite3")["OPTIONS"]["options"] == (
        "-c max_parallel_workers_per_gather=0 -c random_page_cost=1.1"
    )
    monkeypatch.setenv("DATABASE_PLANNER_SETTINGS", "max_parallel_workers_per_gather=2")
    assert database_from_env(tmp_path / "x.sqlite3")["OPTIONS"]["options"] == "-c max_parallel_workers_per_gather=2"
    monkeypatch.setenv("DATABASE_PLANNER_SETTINGS", "")
    assert "options" not in database_from_env(tmp_path / "x.sqlite3").get("OPTIONS", {}), "the server's own settings"
    for malformed in ("random_page_cost", "work_mem=4MB; DROP TABLE x", "-c x=1"):
        monkeypatch.setenv("DATABASE_PLANNER_SETTINGS", malformed)
        with pytest.raises(ConfigurationError, match="DATABASE_PLANNER_SETTINGS"):
            database_from_env(tmp_path / "x.sqlite3")
    monkeypatch.delenv("DATABASE_PLANNER_SETTINGS")
    monkeypatch.setenv("DATABASE_URL", "")
    assert "options" not in database_from_env(tmp_path / "x.sqlite3")["OPTIONS"], "SQLite has no such settings"


@pytest.mark.django_db
def test_the_applications_postgresql_connections_use_them():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL settings")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('max_parallel_workers_per_gather'), current_setting('random_page_cost')")
        assert cursor.fetchone() == ("0", "1.1")
