"""The demo: East Cambridgeshire's ASB priority, its plan and measures, two years of history, and a first report
that looks like the partnership's real ones."""

import io

from django.core.management import call_command

from agencies.models import Partnership
from audit.services import Actor
from casework.models import Case
from reports.models import ActionUpdate, Measure, MeasureValue, Priority, QuarterNarrative, ReportRun
from reports.quarters import quarter_last_completed
from reports.services.runs import report_run_build, report_run_request
from tests.reports.factories_reports import pdf_text, says


def test_the_demo_sets_up_the_asb_priority_and_a_history_that_reports_like_the_real_ones(db, pdf_storage):
    from django.utils import timezone

    call_command("seed_demo", "--password", "demo-password-123", stdout=io.StringIO())
    call_command("seed_demo", "--password", "demo-password-123", stdout=io.StringIO())

    ecam = Partnership.objects.get(slug="east-cambridgeshire")
    priority = Priority.objects.get()
    assert (priority.title, priority.lead_officer_name, priority.lead_officer.username) == ("Anti-social behaviour", "Insp Chris Savage", "police-chair")
    assert 3 <= priority.actions.count() <= 4 and all(action.milestone_list for action in priority.actions.all())
    quarter = quarter_last_completed(timezone.localdate())
    assert ActionUpdate.objects.filter(financial_year=quarter.year, quarter=quarter.number).count() == priority.actions.count()
    assert QuarterNarrative.objects.filter(priority=priority, financial_year=quarter.year, quarter=quarter.number).exists()
    sources = set(Measure.objects.values_list("source", flat=True))
    assert sources == {Measure.Source.CASES_REFERRED_TO_GROUP, Measure.Source.ENTERED}
    assert MeasureValue.objects.count() == 3  # this year, last year and the baseline year

    history = Case.objects.filter(partnership=ecam, opened_on__lt=quarter.start)
    assert history.count() > 150 and history.filter(referred_to_group_on__isnull=False).count() > 40
    assert history.filter(status="closed").count() > 100
    assert history.order_by("opened_on").first().opened_on <= quarter.same_quarter_in(quarter.year - 2).start  # the baseline quarter is covered

    run = report_run_request(actor=Actor.system(), partnership=ecam, quarter=quarter, enqueue=False)
    run = report_run_build(run_id=run.pk)
    assert run.status == ReportRun.Status.DONE, run.error
    with run.file.open("rb") as pdf:
        text = pdf_text(pdf.read())
    assert says(text, "Lead Officer: Insp Chris Savage") and says(text, f"ASB Task Group Stats – Q{quarter.number}")
    assert says(text, "105 offences, 13% lower than last year (120) but 15% higher than")
    referred = Case.objects.filter(partnership=ecam, referred_to_group_on__range=(quarter.start, quarter.end)).count()
    assert referred > 0 and says(text, f"{referred} New Cases referred to group this quarter")
