"""A real Celery worker takes a report task from Redis and makes the PDF against the test database."""

import pytest

from audit.services import Actor
from casework.catalogue import ASB_KINDS
from casework.models import AsbKind
from reports.models import ReportRun
from reports.quarters import Quarter
from reports.services.runs import report_run_request
from reports.tasks import report_run_build_task
from tests.celery_worker import celery_worker_process, wait_until
from tests.reports import known_data
from tests.reports.factories_reports import pdf_text, says


def _asb_kinds_again():
    """A transactional test before this one empties every table, the data migration's ASB kinds too: put them back."""
    for order, (slug, name, category) in enumerate(ASB_KINDS):
        AsbKind.objects.get_or_create(slug=slug, defaults={"name": name, "category": category, "sort_order": order * 10})


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_worker_takes_a_report_task_from_redis_and_makes_the_pdf(partnership, police, council):
    with celery_worker_process() as (queue, poll):
        _asb_kinds_again()
        known_data.load(partnership=partnership)
        run = report_run_request(actor=Actor.system(), partnership=partnership, quarter=Quarter(2010, 1), enqueue=False)
        try:
            report_run_build_task.apply_async(args=[run.pk], queue=queue)

            def finished():
                run.refresh_from_db()
                return run.is_finished

            wait_until(finished, poll=poll, seconds=90)
            assert run.status == ReportRun.Status.DONE, run.error or "the worker did not finish the report within 90 seconds"
            assert run.progress == 100 and run.attempts == 1 and run.data_cutoff
            with run.file.open("rb") as pdf:
                text = pdf_text(pdf.read())
            assert says(text, "8 New Cases referred to group this quarter")
        finally:
            if run.file:
                run.file.storage.delete(run.file.name)
