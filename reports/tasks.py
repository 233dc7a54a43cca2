from celery import shared_task

from reports.services.runs import REPORT_SOFT_TIME_LIMIT, REPORT_TIME_LIMIT, report_run_build, report_runs_fail_stale, report_runs_queue_quarter_end


@shared_task(acks_late=True, soft_time_limit=REPORT_SOFT_TIME_LIMIT, time_limit=REPORT_TIME_LIMIT)
def report_run_build_task(run_id: int) -> str:
    """Make a report run's PDF. Idempotent: a run that is done is not rebuilt; a worker killed mid-way leaves the task
    to be given out again (acks_late), and the run is taken over once its heartbeat is stale."""
    run = report_run_build(run_id=run_id)
    return run.status if run else "missing"


@shared_task(acks_late=True)
def report_runs_quarter_end_task() -> int:
    """Celery beat, on the first day of each quarter: queue the quarter just ended for every partnership."""
    return len(report_runs_queue_quarter_end())


@shared_task(acks_late=True)
def report_runs_stale_check_task() -> int:
    """Periodic: mark failed, with the reason, any run whose worker went quiet or that no worker started."""
    return report_runs_fail_stale()
