"""The analyst's journey: a partnership analyst asks for the quarterly report of the ASB Task Group, watches its
progress bar move while a real Celery worker makes it, downloads the PDF and finds the task group's statistics in it,
figures that match the cases recorded. Every page passes axe-core.

Reports are for analysts and coordinators (reports/permissions.py). The test settings run Celery eagerly, which would
make the report inside the request and leave nothing to watch, so this journey has a worker thread of its own
(celery_worker_thread): the page polls the run while the worker tells its progress, as in production."""

import threading
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from agencies.models import Membership
from reports.models import QUARTER_CHOICES, Measure, ReportRun
from reports.quarters import financial_year_label, quarter_last_completed
from tests.agencies.factories import make_member
from tests.reports.factories_reports import import_cases, make_measure, make_priority, pdf_text, referred_cases, says, side_by_side

pytestmark = pytest.mark.browser

# Everything the run's panel shows, each time it changes: what the user watched.
WATCH_PROGRESS = """
window.progressSeen = [];
document.addEventListener("DOMContentLoaded", () => {
  const record = () => {
    const panel = document.getElementById("report-run-progress");
    if (!panel) return;
    const bar = panel.querySelector("progress");
    const seen = {status: panel.dataset.status, value: bar ? Number(bar.getAttribute("value")) : null};
    const last = window.progressSeen[window.progressSeen.length - 1];
    if (!last || last.status !== seen.status || last.value !== seen.value) window.progressSeen.push(seen);
  };
  record();
  new MutationObserver(record).observe(document.body, {childList: true, subtree: true, attributes: true});
});
"""
# The bar's value once the worker is part way through; "done" if the report was finished before that was seen.
MID_WAY = """() => {
  const panel = document.getElementById("report-run-progress");
  if (panel && panel.dataset.status === "done") return "done";
  const bar = document.querySelector("#report-run-progress[data-status=running] progress");
  const value = bar ? Number(bar.getAttribute("value")) : 0;
  return value > 0 && value < 100 ? value : null;
}"""


def _cases_for(quarter):
    """This quarter: 4 individuals, 1 area, 2 families. The quarter before (the partnership counts from its start):
    2 individuals, 1 family. The same quarter last year, 5, and two years ago, 4 (before the counting start). Not
    counted anywhere: a referral the day after the quarter, one the day before the counting start, a case never
    referred."""
    before = quarter.previous()
    last_year, two_years_ago = quarter.same_quarter_in(quarter.year - 1), quarter.same_quarter_in(quarter.year - 2)
    return [
        *referred_cases(on=quarter.start, count=3),
        *referred_cases(on=quarter.end, count=1),
        *referred_cases(on=quarter.start + timedelta(days=20), subject="area"),
        *referred_cases(on=quarter.end - timedelta(days=5), subject="family", count=2),
        *referred_cases(on=before.start, count=2),
        *referred_cases(on=before.end, subject="family"),
        *referred_cases(on=last_year.start + timedelta(days=30), count=5),
        *referred_cases(on=two_years_ago.start + timedelta(days=30), count=4),
        *referred_cases(on=quarter.end + timedelta(days=1), subject="area"),
        *referred_cases(on=before.start - timedelta(days=1), subject="family"),
        {"opened_on": quarter.start + timedelta(days=3)},
    ]


def _download(page, link) -> bytes:
    with page.expect_download() as download:
        link.click()
    assert download.value.failure() is None
    with open(download.value.path(), "rb") as pdf:
        return pdf.read()


@pytest.fixture
def pdf_waits_for_the_page(monkeypatch):
    """On a quiet machine a small report can be made between two of the page's polls (one a second), leaving nothing to
    watch. The worker thread makes the figures and tells their real progress, then waits, before laying out the PDF,
    until the test has seen the page show that progress (at most 30 s); set the event to let it go on."""
    from reports import document

    seen_mid_way = threading.Event()
    render = document.report_pdf_render

    def render_once_seen(*args, **kwargs):
        seen_mid_way.wait(timeout=30)
        return render(*args, **kwargs)

    monkeypatch.setattr(document, "report_pdf_render", render_once_seen)
    return seen_mid_way


def test_the_analyst_asks_for_the_quarterly_report_watches_it_made_and_reads_the_task_group_figures(
    page, sign_in, step, celery_worker_thread, pdf_waits_for_the_page, partnership, police, council
):
    quarter = quarter_last_completed(timezone.localdate())
    partnership.stats_counting_from = quarter.previous().start
    partnership.save(update_fields=["stats_counting_from"])
    import_cases(partnership=partnership, rows=_cases_for(quarter))
    priority = make_priority(partnership=partnership, number=4, title="Anti-social behaviour", task_group="ASB Task Group")
    make_measure(
        priority=priority, name="New ASB cases referred to the group", unit="cases", source=Measure.Source.CASES_REFERRED_TO_GROUP,
        direction=Measure.Direction.HIGHER_IS_BETTER, tolerance_percent=10, baseline_year=quarter.year - 2,
    )
    make_member(agency=council, partnership=partnership, role=Membership.Role.ANALYST, username="analyst", first_name="Priya", last_name="Shah")

    sign_in(page, "analyst")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quarterly reports")
    step(page, "quarterly reports")

    page.get_by_label("Financial year").fill(quarter.year_label)
    page.get_by_label(dict(QUARTER_CHOICES)[quarter.number]).check()
    page.context.add_init_script(WATCH_PROGRESS)
    page.get_by_role("button", name="Make the report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Performance report {quarter.label}, version 1")
    step(page, "report asked for")

    # The worker tells its progress step by step; the page polls every second and shows it.
    mid_way = page.wait_for_function(MID_WAY, polling=100, timeout=60_000).json_value()
    assert mid_way != "done", f"the report was ready before the page showed it part way: {page.evaluate('window.progressSeen')}"
    step(page, f"progress at {mid_way}%")
    pdf_waits_for_the_page.set()
    panel = page.get_by_test_id("run-progress")
    expect(panel).to_have_attribute("data-status", "done", timeout=60_000)
    expect(panel).to_contain_text("Your report is ready")
    step(page, "report ready")
    seen = page.evaluate("window.progressSeen")
    assert seen[-1] == {"status": "done", "value": None}, seen
    values = [s["value"] for s in seen if s["status"] in ("queued", "running")]
    # Seen mid-way, and moving: at least two different values shown before the report was ready, never going back.
    assert any(0 < value < 100 for value in values) and len(set(values)) >= 2 and values == sorted(values), f"the bar did not move: {seen}"
    run = ReportRun.objects.get()
    assert (run.status, run.requested_by.username, run.attempts) == (ReportRun.Status.DONE, "analyst", 1)

    data = _download(page, page.get_by_role("link", name="Download the report"))
    assert data.startswith(b"%PDF-")
    text, layout = pdf_text(data), pdf_text(data, layout=True)
    assert says(text, "Performance Report") and says(text, quarter.label) and says(text, "Priority 4: Anti-social behaviour")
    assert says(text, f"ASB Task Group Stats – Q{quarter.number}")
    assert says(text, f"ASB Task Group Stats – Cumulative YTD from {quarter.previous().start:%B %Y}")
    this_quarter, cumulative = side_by_side(layout, "New Cases referred to group this quarter", "New Cases referred to group YTD")
    assert says(this_quarter, "7 New Cases referred to group this quarter"), this_quarter
    assert says(this_quarter, "4 Individuals") and says(this_quarter, "1 Areas") and says(this_quarter, "2 Families"), this_quarter
    assert says(cumulative, "10 New Cases referred to group YTD"), cumulative
    assert says(cumulative, "6 Individuals") and says(cumulative, "1 Areas") and says(cumulative, "3 Families"), cumulative
    baseline = financial_year_label(quarter.year - 2)
    assert says(text, f"7 cases, 40% higher than last year (5) and 75% higher than {baseline} (4)."), text


# Every message about a failed htmx request that is put into the page, counted as it is added.
COUNT_PROBLEMS_SHOWN = """
window.problemsShown = 0;
document.addEventListener("DOMContentLoaded", () => {
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.nodeType === 1 && node.classList.contains("app-htmx-problem")) window.problemsShown += 1;
      }
    }
  }).observe(document.body, {childList: true, subtree: true});
});
"""


def test_a_progress_poll_that_keeps_failing_says_so_once_and_the_message_goes_when_it_answers_again(
    page, sign_in, step, partnership, council
):
    """The page polls a report's progress every second. When the server fails, each failed poll used to take the
    message away and put it back: a new alert every second, read out again and again by a screen reader."""
    from audit.services import Actor
    from reports.services.runs import report_run_request

    analyst = make_member(agency=council, partnership=partnership, role=Membership.Role.ANALYST, username="analyst")
    quarter = quarter_last_completed(timezone.localdate())
    run = report_run_request(actor=Actor(user=analyst, agency=council), partnership=partnership, quarter=quarter, enqueue=False)
    progress_url = reverse("report_run_progress", args=[run.pk])

    sign_in(page, "analyst")
    page.context.add_init_script(COUNT_PROBLEMS_SHOWN)
    polls = []
    page.route(f"**{progress_url}", lambda route: (polls.append(1), route.fulfill(status=503, body="Service Unavailable")))
    page.goto(reverse("report_run_detail", args=[run.pk]))
    alert = page.get_by_role("alert")
    expect(alert).to_have_text("Error: This could not be loaded (error 503). Try again, or reload the page.")
    page.wait_for_timeout(3500)  # three more polls, each failing
    assert len(polls) >= 3, polls
    assert page.evaluate("window.problemsShown") == 1, "the message was put into the page again at a later failed poll"
    expect(alert).to_have_count(1)
    # The browser and htmx log each failed poll to the console, as they should; the journey fails a step on any
    # console error, so these are set aside (a failed poll's may come in after the next has answered).
    journey = page._journey
    journey.problems = _IgnoringProblemsAbout(progress_url, journey.problems)
    step(page, "a progress poll that keeps failing")

    page.unroute(f"**{progress_url}")
    expect(page.get_by_role("alert")).to_have_count(0, timeout=5_000)
    expect(page.get_by_test_id("run-progress")).to_have_attribute("data-status", "queued")
    step(page, "the poll answering again")


class _IgnoringProblemsAbout(list):
    def __init__(self, url, problems):
        super().__init__(problem for problem in problems if url not in problem)
        self.url = url

    def append(self, problem):
        if self.url not in problem:
            super().append(problem)
