"""Asking for a quarterly report and making it: the life of a ReportRun (queued, running, done or failed).

The state users see lives in the ReportRun row, never only in Celery: the page polls it for the progress bar, a failure
keeps its reason, and a run whose worker vanished is found by its old heartbeat and marked failed, so that no run stays
"in progress" for ever.
"""

import logging
from datetime import date, timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from agencies.models import Partnership
from audit.models import AuditEvent
from audit.services import Actor, audit_record
from reports import document
from reports.models import ReportRun
from reports.quarters import Quarter, quarter_last_completed

logger = logging.getLogger(__name__)

# The report task's limits. A run whose heartbeat is older than the hard limit cannot still be working: Celery has
# killed it (or its worker died), so it is marked failed.
REPORT_SOFT_TIME_LIMIT = 4 * 60
REPORT_TIME_LIMIT = 5 * 60
# A queued run that no worker has started within this time is marked failed, so that it can be retried.
QUEUE_TIMEOUT = timedelta(minutes=30)
EARLIEST_FINANCIAL_YEAR = 1998  # the Crime and Disorder Act 1998 set up the partnerships

STALE_REASON = (
    "The report stopped without finishing: nothing was heard from the worker making it for more than {minutes} minutes, "
    "so it was probably stopped or restarted. Nothing was lost: try again."
)
QUEUE_REASON = (
    "No worker started this report within {minutes} minutes of it being asked for. Check that the Celery worker is "
    "running, then try again."
)
TIME_LIMIT_REASON = "The report took longer than the {minutes}-minute limit and was stopped. Try again; if it fails again, tell your administrator."


class RunAbandoned(Exception):
    """The run was marked failed (as stale) while this worker was still on it: stop without touching it."""


def _check_quarter(quarter: Quarter, today: date) -> None:
    if quarter.year < EARLIEST_FINANCIAL_YEAR:
        raise ValidationError({"financial_year": f"Partnerships report from {EARLIEST_FINANCIAL_YEAR}-99 onwards."})
    if quarter.start > today:
        raise ValidationError({"quarter": f"{quarter.label} has not started yet: choose a quarter up to the current one."})


def _enqueue(run_id: int) -> None:
    from reports.tasks import report_run_build_task

    try:
        report_run_build_task.delay(run_id)
    except Exception as exc:  # the broker is down or misconfigured: say so on the run rather than leave it queued
        logger.exception("Could not queue report run %s", run_id)
        report_run_fail(run_id=run_id, reason=f"The report could not be put in the queue for a worker ({exc}). Try again later.")


@transaction.atomic
def report_run_request(*, actor: Actor, partnership: Partnership, quarter: Quarter, via: str = ReportRun.Via.BROWSER, enqueue: bool = True) -> ReportRun:
    """Ask for the quarter's report: a new version in the archive, made by a worker once this transaction commits."""
    _check_quarter(quarter, timezone.localdate())
    # One version number per report: lock the partnership while taking the next.
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    latest = ReportRun.objects.filter(partnership=partnership, financial_year=quarter.year, quarter=quarter.number).aggregate(v=Max("version"))["v"]
    user = actor.user if actor.user is not None and actor.user.is_authenticated else None
    run = ReportRun.objects.create(
        partnership=partnership, financial_year=quarter.year, quarter=quarter.number, version=(latest or 0) + 1,
        requested_by=user, requested_via=via, requested_at=timezone.now(), step="Waiting for a worker to start",
    )
    audit_record(
        actor=actor, action=AuditEvent.Action.CREATE, obj=run,
        changes={"quarter": [None, quarter.label], "version": [None, run.version], "status": [None, run.status]},
        detail=f"Asked for the {quarter.label} report ({run.get_requested_via_display().lower()})",
    )
    if enqueue:
        transaction.on_commit(lambda: _enqueue(run.pk))
    return run


@transaction.atomic
def report_run_retry(*, actor: Actor, run: ReportRun) -> ReportRun:
    """Put a failed run back in the queue. Its version and who first asked for it stay; the audit trail keeps the old error."""
    current = ReportRun.objects.select_for_update().get(pk=run.pk)
    if current.status != ReportRun.Status.FAILED:
        raise ValidationError("Only a report that failed can be tried again.")
    old_error = current.error
    current.status = ReportRun.Status.QUEUED
    current.progress = 0
    current.step = "Waiting for a worker to start"
    current.error = ""
    current.started_at = current.heartbeat_at = current.finished_at = None
    current.save()
    audit_record(
        actor=actor, action=AuditEvent.Action.UPDATE, obj=current,
        changes={"status": [ReportRun.Status.FAILED, ReportRun.Status.QUEUED], "error": [old_error, ""]},
        detail="Report tried again",
    )
    transaction.on_commit(lambda: _enqueue(current.pk))
    return current


def _is_stale(run: ReportRun, now) -> bool:
    last_sign_of_life = run.heartbeat_at or run.started_at
    return last_sign_of_life is None or now - last_sign_of_life > timedelta(seconds=REPORT_TIME_LIMIT)


@transaction.atomic
def report_run_claim(*, run_id: int) -> ReportRun | None:
    """Take a run for this worker. None if there is nothing to do: it is done (never rebuilt), failed (a retry queues it
    again), or running with a fresh heartbeat under another worker. A running run whose heartbeat is stale was left by
    a worker that died (the broker has given its task out again): it is taken over."""
    run = ReportRun.objects.select_for_update().filter(pk=run_id).first()
    if run is None or run.status in (ReportRun.Status.DONE, ReportRun.Status.FAILED):
        return None
    now = timezone.now()
    if run.status == ReportRun.Status.RUNNING and not _is_stale(run, now):
        return None
    before = run.status
    run.status = ReportRun.Status.RUNNING
    run.attempts += 1
    run.progress = 0
    run.step = "Starting"
    run.started_at = run.heartbeat_at = now
    run.save()
    audit_record(
        actor=Actor.system(), action=AuditEvent.Action.UPDATE, obj=run, changes={"status": [before, run.status], "attempts": [run.attempts - 1, run.attempts]},
        detail="Report started" if before == ReportRun.Status.QUEUED else "Report taken over from a worker that stopped",
    )
    return run


def report_run_progress(*, run_id: int, progress: int, step: str) -> None:
    """Move the progress bar and refresh the heartbeat. Raises RunAbandoned if the run is no longer this worker's.

    Not audited: it is the machine's own bookkeeping, written every few seconds, and says nothing about data."""
    updated = ReportRun.objects.filter(pk=run_id, status=ReportRun.Status.RUNNING).update(
        progress=max(0, min(99, progress)), step=step[:200], heartbeat_at=timezone.now()
    )
    if not updated:
        raise RunAbandoned(run_id)


@transaction.atomic
def report_run_finish(*, run_id: int, pdf: bytes, data_cutoff) -> ReportRun:
    run = ReportRun.objects.select_for_update().select_related("partnership").get(pk=run_id)
    if run.status != ReportRun.Status.RUNNING:
        raise RunAbandoned(run_id)
    run.file.save(run.download_name, ContentFile(pdf), save=False)
    stored = run.file.name
    run.file_size = len(pdf)
    run.status = ReportRun.Status.DONE
    run.progress = 100
    run.step = "Ready to download"
    run.data_cutoff = data_cutoff
    run.finished_at = run.heartbeat_at = timezone.now()
    try:
        run.save()
        audit_record(
            actor=Actor.system(), action=AuditEvent.Action.UPDATE, obj=run,
            changes={"status": [ReportRun.Status.RUNNING, ReportRun.Status.DONE], "file_size": [None, run.file_size]},
            detail="Report ready",
        )
    except Exception:
        run.file.storage.delete(stored)
        raise
    return run


@transaction.atomic
def report_run_fail(*, run_id: int, reason: str, actor: Actor | None = None) -> ReportRun | None:
    run = ReportRun.objects.select_for_update().filter(pk=run_id).first()
    if run is None or run.status in (ReportRun.Status.DONE, ReportRun.Status.FAILED):
        return run
    before = run.status
    run.status = ReportRun.Status.FAILED
    run.error = reason
    run.step = "Failed"
    run.finished_at = timezone.now()
    run.save()
    audit_record(
        actor=actor or Actor.system(), action=AuditEvent.Action.UPDATE, obj=run,
        changes={"status": [before, ReportRun.Status.FAILED], "error": ["", reason]}, detail="Report failed",
    )
    return run


def report_runs_fail_stale(*, now=None) -> int:
    """Mark failed, with the reason, every run whose worker has gone quiet for longer than the task's time limit and
    every run that no worker has started within QUEUE_TIMEOUT. Returns how many. Safe to run at any time, repeatedly."""
    now = now or timezone.now()
    quiet_since = now - timedelta(seconds=REPORT_TIME_LIMIT)
    running_stale = Q(status=ReportRun.Status.RUNNING) & (
        Q(heartbeat_at__lt=quiet_since) | Q(heartbeat_at__isnull=True, started_at__lt=quiet_since) | Q(heartbeat_at__isnull=True, started_at__isnull=True)
    )
    queued_stale = Q(status=ReportRun.Status.QUEUED, requested_at__lt=now - QUEUE_TIMEOUT)
    failed = 0
    for run_id, status in ReportRun.objects.filter(running_stale | queued_stale).values_list("id", "status"):
        with transaction.atomic():
            run = ReportRun.objects.select_for_update().get(pk=run_id)
            # Looked at again under the lock: the worker may have finished or sent a heartbeat meanwhile.
            if run.status == ReportRun.Status.RUNNING and _is_stale(run, now):
                reason = STALE_REASON.format(minutes=REPORT_TIME_LIMIT // 60)
            elif run.status == ReportRun.Status.QUEUED and run.requested_at < now - QUEUE_TIMEOUT:
                reason = QUEUE_REASON.format(minutes=int(QUEUE_TIMEOUT.total_seconds() // 60))
            else:
                continue
            report_run_fail(run_id=run.pk, reason=reason)
            failed += 1
    return failed


def report_run_build(*, run_id: int) -> ReportRun | None:
    """Make the run's PDF, telling progress as it goes; the body of the Celery task and of the command.

    Idempotent: a run that is done is never rebuilt, and one another worker is making is left to it. Any failure is
    written on the run with its reason; nothing leaves a run "in progress"."""
    run = report_run_claim(run_id=run_id)
    if run is None:
        return ReportRun.objects.filter(pk=run_id).first()

    def progress(percent: int, step: str) -> None:
        report_run_progress(run_id=run.pk, progress=percent, step=step)

    try:
        content = document.report_content(partnership=run.partnership, quarter=run.period, progress=progress)
        pdf = document.report_pdf_render(content, version=run.version, progress=progress)
        progress(95, "Saving the PDF in the archive")
        return report_run_finish(run_id=run.pk, pdf=pdf, data_cutoff=content.data_cutoff)
    except RunAbandoned:
        logger.warning("Report run %s was marked failed while being made; leaving it as it is", run.pk)
        return ReportRun.objects.get(pk=run.pk)
    except SoftTimeLimitExceeded:
        return report_run_fail(run_id=run.pk, reason=TIME_LIMIT_REASON.format(minutes=REPORT_SOFT_TIME_LIMIT // 60))
    except Exception as exc:
        logger.exception("Report run %s failed", run.pk)
        return report_run_fail(run_id=run.pk, reason=f"The report could not be made: {type(exc).__name__}: {exc}")


def report_runs_queue_quarter_end(*, today: date | None = None) -> list[ReportRun]:
    """At the end of a quarter: queue its report for every partnership that has none yet (waiting, in progress or
    ready). Safe to run twice: the second time queues nothing."""
    today = today or timezone.localdate()
    quarter = quarter_last_completed(today)
    report_runs_fail_stale()
    queued = []
    for partnership in Partnership.objects.order_by("name"):
        has_one = ReportRun.objects.filter(
            partnership=partnership, financial_year=quarter.year, quarter=quarter.number,
            status__in=(ReportRun.Status.QUEUED, ReportRun.Status.RUNNING, ReportRun.Status.DONE),
        ).exists()
        if not has_one:
            queued.append(report_run_request(actor=Actor.system(), partnership=partnership, quarter=quarter, via=ReportRun.Via.SCHEDULE))
    return queued


@transaction.atomic
def report_run_download_record(*, actor: Actor, run: ReportRun) -> None:
    """Every download of a report goes into the audit trail."""
    audit_record(actor=actor, action=AuditEvent.Action.DOWNLOAD, obj=run, detail=f"Downloaded {run.download_name}")
