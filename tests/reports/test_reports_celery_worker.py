"""A real Celery worker takes a report task from Redis and makes the PDF against the test database."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from audit.services import Actor
from casework.catalogue import ASB_KINDS
from casework.models import AsbKind
from config.celery import app
from reports.models import ReportRun
from reports.quarters import Quarter
from reports.services.runs import report_run_request
from reports.tasks import report_run_build_task
from tests.reports import known_data
from tests.reports.factories_reports import pdf_text, says

ROOT = Path(__file__).resolve().parent.parent.parent
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


def _asb_kinds_again():
    """A transactional test before this one empties every table, the data migration's ASB kinds too: put them back."""
    for order, (slug, name, category) in enumerate(ASB_KINDS):
        AsbKind.objects.get_or_create(slug=slug, defaults={"name": name, "category": category, "sort_order": order * 10})


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_worker_takes_a_report_task_from_redis_and_makes_the_pdf(partnership, police, council):
    _services_or_skip()
    _asb_kinds_again()
    known_data.load(partnership=partnership)
    run = report_run_request(actor=Actor.system(), partnership=partnership, quarter=Quarter(2010, 1), enqueue=False)
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
        report_run_build_task.apply_async(args=[run.pk], queue=queue)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            run.refresh_from_db()
            if run.is_finished:
                break
            assert worker.poll() is None, worker.stdout.read()
            time.sleep(0.2)
        assert run.status == ReportRun.Status.DONE, run.error or "the worker did not finish the report within 90 seconds"
        assert run.progress == 100 and run.attempts == 1 and run.data_cutoff
        with run.file.open("rb") as pdf:
            text = pdf_text(pdf.read())
        assert says(text, "8 New Cases referred to group this quarter")
    finally:
        app.conf.task_always_eager = eager
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        if run.file:
            run.file.storage.delete(run.file.name)
