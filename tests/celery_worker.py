"""A real Celery worker process on a queue of its own, reading the test database: for the tests that prove
a task really travels through Redis to a worker (in the rest of the suite Celery runs tasks eagerly)."""

import os
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = os.environ.get("REQUIRE_SERVICES") == "1"


def services_or_skip():
    """Skip (or, with REQUIRE_SERVICES=1, fail) unless Redis and a PostgreSQL test database are there."""
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


@contextmanager
def celery_worker_process():
    """Start a worker on a fresh queue and stop tasks running eagerly; yields (queue, poll) where poll() fails the
    test with the worker's output if it has died. The worker is stopped and eager running restored afterwards."""
    services_or_skip()
    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue, "--pool", "solo", "--loglevel", "INFO",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )

    def poll():
        assert worker.poll() is None, worker.stdout.read()

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield queue, poll
    finally:
        app.conf.task_always_eager = eager
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


def wait_until(done, *, poll, seconds: float, interval: float = 0.2) -> bool:
    """Call done() until it is true or the time is up, checking the worker is alive in between."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if done():
            return True
        poll()
        time.sleep(interval)
    return bool(done())
