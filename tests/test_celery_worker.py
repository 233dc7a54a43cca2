"""A real Celery worker process takes a task from Redis and completes it against the test database."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from audit.models import AuditChainCheck
from audit.services import Actor, audit_record
from audit.tasks import audit_chain_verify_task
from config.celery import app

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = os.environ.get("REQUIRE_SERVICES") == "1"


def _services_or_skip():
    problems = []
    if not settings.REDIS_URL:
        problems.append("REDIS_URL is not set")
    if connection.vendor != "postgresql":
        problems.append("the test database is not PostgreSQL (a worker process cannot share SQLite's test database)")
    if problems:
        message = "; ".join(problems)
        if REQUIRED:
            pytest.fail(f"REQUIRE_SERVICES=1 but {message}")
        pytest.skip(message)


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_takes_a_task_from_redis_and_completes_it():
    _services_or_skip()
    for n in range(3):
        audit_record(actor=Actor.system(), action="view", object_type="case", object_id=n)
    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue, "--pool", "solo", "--loglevel", "INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        audit_chain_verify_task.apply_async(queue=queue)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not AuditChainCheck.objects.exists():
            assert worker.poll() is None, worker.stdout.read()
            time.sleep(0.2)
        check = AuditChainCheck.objects.first()
        assert check is not None, "the worker did not complete the task within 60 seconds"
        assert check.ok and check.rows_checked == 3
    finally:
        app.conf.task_always_eager = eager
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
