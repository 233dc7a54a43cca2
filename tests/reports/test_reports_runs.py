"""The life of a report run: progress as it is made, failures kept with their reason, retries, idempotent tasks,
stale runs marked failed, the quarter-end schedule."""

from datetime import date, timedelta

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from agencies.models import Partnership
from audit.models import AuditEvent
from audit.services import Actor
from reports import document, tasks
from reports.models import ReportRun
from reports.quarters import Quarter
from reports.services import runs
from tests.reports import known_data
from tests.reports.factories_reports import pdf_text

Q1 = Quarter(2010, 1)


@pytest.fixture
def ecam(partnership, police, council, pdf_storage):
    known_data.load(partnership=partnership)
    return partnership


def _request(partnership, capture, quarter=Q1, **kwargs) -> ReportRun:
    with capture(execute=True):
        run = runs.report_run_request(actor=Actor.system(), partnership=partnership, quarter=quarter, **kwargs)
    run.refresh_from_db()
    return run


def test_a_run_reports_its_progress_step_by_step_until_done(ecam, monkeypatch, django_capture_on_commit_callbacks):
    seen = []
    real = runs.report_run_progress

    def watching(*, run_id, progress, step):
        real(run_id=run_id, progress=progress, step=step)
        run = ReportRun.objects.get(pk=run_id)
        seen.append((run.status, run.progress, run.step, run.heartbeat_at))

    monkeypatch.setattr(runs, "report_run_progress", watching)
    run = _request(ecam, django_capture_on_commit_callbacks)
    assert run.status == ReportRun.Status.DONE and run.progress == 100 and run.step == "Ready to download"
    assert [status for status, *_ in seen] == [ReportRun.Status.RUNNING] * len(seen)
    percents = [progress for _, progress, _, _ in seen]
    assert percents == sorted(percents) and percents[0] > 0 and percents[-1] < 100 and len(percents) >= 5
    steps = [step for _, _, step, _ in seen]
    assert steps[0].startswith("Reading the casework figures") and steps[-1] == "Saving the PDF in the archive"
    # Laying out and writing the file, the two longest parts, are steps of their own; the second knows the page count.
    laid_out = steps.index("Laying out the PDF")
    with run.file.open("rb") as pdf:
        pages = pdf_text(pdf.read()).count("\f")  # pdftotext ends each page with a form feed
    assert pages > 1 and steps[laid_out + 1] == f"Writing the PDF file: {pages} pages"
    assert percents[laid_out] < percents[laid_out + 1] < percents[-1]
    assert all(heartbeat is not None for *_, heartbeat in seen)
    assert run.started_at <= run.finished_at and run.data_cutoff and run.file_size > 10_000 and run.attempts == 1
    assert run.file.name.endswith(".pdf") and run.file.storage.exists(run.file.name)
    details = list(AuditEvent.objects.filter(object_type="reportrun", object_id=str(run.pk)).order_by("id").values_list("detail", flat=True))
    assert details[0].startswith("Asked for the Q1 – 2010-11 report") and details[1:] == ["Report started", "Report ready"]


def test_each_run_is_a_new_version_kept_in_the_archive(ecam, django_capture_on_commit_callbacks):
    first = _request(ecam, django_capture_on_commit_callbacks)
    second = _request(ecam, django_capture_on_commit_callbacks)
    other_quarter = _request(ecam, django_capture_on_commit_callbacks, quarter=Quarter(2010, 2))
    assert (first.version, second.version, other_quarter.version) == (1, 2, 1)
    assert first.file.name != second.file.name and first.file.storage.exists(first.file.name)
    assert second.download_name == "ECAM-Q1-2010-11-v2.pdf"


def test_a_quarter_that_has_not_started_is_refused(ecam, today):
    today(date(2010, 6, 30))
    with pytest.raises(ValidationError) as error:
        runs.report_run_request(actor=Actor.system(), partnership=ecam, quarter=Quarter(2010, 2))
    assert "has not started yet" in error.value.message_dict["quarter"][0]
    assert not ReportRun.objects.exists()


def test_a_failure_is_kept_with_its_reason_and_can_be_retried(ecam, monkeypatch, django_capture_on_commit_callbacks):
    def broken(content, **kwargs):
        raise OSError("No fonts are installed for WeasyPrint")

    monkeypatch.setattr(document, "report_pdf_render", broken)
    run = _request(ecam, django_capture_on_commit_callbacks)
    assert run.status == ReportRun.Status.FAILED and run.step == "Failed" and run.finished_at
    assert run.error == "The report could not be made: OSError: No fonts are installed for WeasyPrint"
    assert not run.file and 0 < run.progress < 100
    assert AuditEvent.objects.filter(object_type="reportrun", detail="Report failed", changes__error=["", run.error]).exists()

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        runs.report_run_retry(actor=Actor.system(), run=run)
    run.refresh_from_db()
    assert run.status == ReportRun.Status.DONE and run.error == "" and run.version == 1 and run.attempts == 2
    assert AuditEvent.objects.filter(object_type="reportrun", detail="Report tried again", changes__status=["failed", "queued"]).exists()


def test_only_a_failed_run_can_be_retried(ecam, django_capture_on_commit_callbacks):
    run = _request(ecam, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError):
        runs.report_run_retry(actor=Actor.system(), run=run)


def test_running_past_the_time_limit_fails_with_a_plain_reason(ecam, monkeypatch, django_capture_on_commit_callbacks):
    def too_slow(**kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(document, "report_content", too_slow)
    run = _request(ecam, django_capture_on_commit_callbacks)
    assert run.status == ReportRun.Status.FAILED
    assert run.error == f"The report took longer than the {runs.REPORT_SOFT_TIME_LIMIT // 60}-minute limit and was stopped. Try again; if it fails again, tell your administrator."


def test_a_broker_that_cannot_take_the_task_fails_the_run_at_once(ecam, monkeypatch, django_capture_on_commit_callbacks):
    def no_broker(*args, **kwargs):
        raise ConnectionRefusedError("Connection refused")

    monkeypatch.setattr(tasks.report_run_build_task, "delay", no_broker)
    run = _request(ecam, django_capture_on_commit_callbacks)
    assert run.status == ReportRun.Status.FAILED
    assert run.error.startswith("The report could not be put in the queue for a worker (Connection refused)")


def test_the_task_is_idempotent_a_done_run_is_not_rebuilt(ecam, django_capture_on_commit_callbacks):
    run = _request(ecam, django_capture_on_commit_callbacks)
    file_name, finished = run.file.name, run.finished_at
    assert tasks.report_run_build_task.delay(run.pk).get() == "done"
    run.refresh_from_db()
    assert (run.file.name, run.finished_at, run.attempts) == (file_name, finished, 1)
    assert tasks.report_run_build_task.delay(999_999).get() == "missing"


def test_a_run_another_worker_is_making_is_left_to_it_unless_its_heartbeat_is_stale(ecam):
    run = runs.report_run_request(actor=Actor.system(), partnership=ecam, quarter=Q1, enqueue=False)
    claimed = runs.report_run_claim(run_id=run.pk)
    assert claimed.status == ReportRun.Status.RUNNING
    assert runs.report_run_claim(run_id=run.pk) is None  # fresh heartbeat: another worker has it
    assert runs.report_run_build(run_id=run.pk).status == ReportRun.Status.RUNNING
    # The worker died: the broker hands the task out again (acks_late) and the stale run is taken over.
    ReportRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - timedelta(seconds=runs.REPORT_TIME_LIMIT + 1))
    rebuilt = runs.report_run_build(run_id=run.pk)
    assert rebuilt.status == ReportRun.Status.DONE and rebuilt.attempts == 2
    assert AuditEvent.objects.filter(object_type="reportrun", detail="Report taken over from a worker that stopped").exists()


def test_a_run_whose_worker_went_quiet_is_marked_failed_never_left_in_progress(ecam):
    run = runs.report_run_request(actor=Actor.system(), partnership=ecam, quarter=Q1, enqueue=False)
    runs.report_run_claim(run_id=run.pk)
    now = timezone.now()
    ReportRun.objects.filter(pk=run.pk).update(heartbeat_at=now - timedelta(seconds=runs.REPORT_TIME_LIMIT))
    assert runs.report_runs_fail_stale(now=now) == 0  # exactly at the limit: still possibly working
    ReportRun.objects.filter(pk=run.pk).update(heartbeat_at=now - timedelta(seconds=runs.REPORT_TIME_LIMIT + 1))
    assert tasks.report_runs_stale_check_task.delay().get() == 1
    run.refresh_from_db()
    assert run.status == ReportRun.Status.FAILED and run.finished_at
    assert run.error == runs.STALE_REASON.format(minutes=runs.REPORT_TIME_LIMIT // 60)
    assert runs.report_runs_fail_stale() == 0  # once only


def test_a_run_no_worker_started_is_marked_failed_after_the_queue_timeout(ecam):
    run = runs.report_run_request(actor=Actor.system(), partnership=ecam, quarter=Q1, enqueue=False)
    assert runs.report_runs_fail_stale(now=run.requested_at + runs.QUEUE_TIMEOUT) == 0
    assert runs.report_runs_fail_stale(now=run.requested_at + runs.QUEUE_TIMEOUT + timedelta(seconds=1)) == 1
    run.refresh_from_db()
    assert run.status == ReportRun.Status.FAILED and "No worker started this report within 30 minutes" in run.error
    # A late worker finds it failed and leaves it for the user to retry.
    assert runs.report_run_build(run_id=run.pk).status == ReportRun.Status.FAILED


def test_a_worker_still_going_when_its_run_was_marked_failed_stops_without_touching_it(ecam, monkeypatch):
    real = document.report_content

    def overtaken(**kwargs):
        content = real(**kwargs)
        runs.report_runs_fail_stale(now=timezone.now() + timedelta(hours=1))
        return content

    monkeypatch.setattr(document, "report_content", overtaken)
    run = runs.report_run_request(actor=Actor.system(), partnership=ecam, quarter=Q1, enqueue=False)
    result = runs.report_run_build(run_id=run.pk)
    assert result.status == ReportRun.Status.FAILED and "nothing was heard from the worker" in result.error and not result.file


def test_at_quarter_end_every_partnership_gets_its_report_once(partnership, other_partnership, police, council, pdf_storage, today, django_capture_on_commit_callbacks):
    today(date(2011, 4, 1))
    with django_capture_on_commit_callbacks(execute=True):
        queued = tasks.report_runs_quarter_end_task.delay().get()
    assert queued == Partnership.objects.count() == 2
    made = ReportRun.objects.order_by("partnership__name")
    assert [(r.partnership.slug, r.period, r.requested_via, r.requested_by, r.status) for r in made] == [
        ("east-cambridgeshire", Quarter(2010, 4), "schedule", None, "done"),
        ("fenland", Quarter(2010, 4), "schedule", None, "done"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.report_runs_quarter_end_task.delay().get() == 0
    assert ReportRun.objects.count() == 2


def test_the_schedules_are_in_place():
    entries = [entry for entry in settings.CELERY_BEAT_SCHEDULE.values() if entry["task"] == "reports.tasks.report_runs_quarter_end_task"]
    assert len(entries) == 1
    schedule = entries[0]["schedule"]
    assert schedule.month_of_year == {1, 4, 7, 10} and schedule.day_of_month == {1}
    assert tasks.report_run_build_task.acks_late and tasks.report_run_build_task.time_limit == runs.REPORT_TIME_LIMIT


@pytest.mark.django_db
def test_the_stale_check_runs_every_five_minutes_through_the_database_scheduler():
    check = PeriodicTask.objects.get(task="reports.tasks.report_runs_stale_check_task")
    assert check.enabled and (check.interval.every, check.interval.period) == (5, "minutes")
    from config.celery import app

    assert "reports.tasks.report_runs_stale_check_task" in app.tasks
