"""The reports pages: asking for a report, the progress bar, the archive, downloads, and who may do what."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.models import Membership
from audit.models import AuditEvent
from audit.services import Actor
from reports.models import ReportRun
from reports.quarters import Quarter
from reports.services import runs
from tests.agencies.factories import UserFactory, make_member
from tests.reports import known_data

Q1 = Quarter(2010, 1)


@pytest.fixture
def ecam(partnership, police, council, pdf_storage):
    known_data.load(partnership=partnership)
    return partnership


def _ask(client, django_capture_on_commit_callbacks, year="2010-11", quarter="1"):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("report_list"), {"financial_year": year, "quarter": quarter})


def test_an_analyst_asks_for_a_report_watches_it_and_downloads_it(client, ecam, analyst, django_capture_on_commit_callbacks):
    client.force_login(analyst)
    page = client.get(reverse("report_list")).content.decode()
    assert '<h1 class="govuk-heading-l">Quarterly reports</h1>' in page
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Quarter</legend>' in page
    assert "No reports have been made yet." in page

    response = _ask(client, django_capture_on_commit_callbacks)
    run = ReportRun.objects.get()
    assert response.status_code == 302 and response.url == reverse("report_run_detail", args=[run.pk])
    assert run.requested_by == analyst and run.requested_via == "browser" and run.status == "done"

    detail = client.get(response.url).content.decode()
    assert "Your report is ready" in detail and reverse("report_run_download", args=[run.pk]) in detail
    assert "hx-trigger" not in detail  # finished: no more polling

    download = client.get(reverse("report_run_download", args=[run.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert 'filename="ECAM-Q1-2010-11-v1.pdf"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    event = AuditEvent.objects.get(action=AuditEvent.Action.DOWNLOAD)
    assert event.user == analyst and event.object_id == str(run.pk) and event.detail == "Downloaded ECAM-Q1-2010-11-v1.pdf"
    assert event.agency_name == "East Cambridgeshire District Council"

    archive = client.get(reverse("report_list")).content.decode()
    assert "Q1 – 2010-11" in archive and "Priya Shah" in archive and "Ready" in archive
    assert run.data_cutoff and timezone.localtime(run.data_cutoff).strftime("%-d %b %Y, %H:%M") in archive


def test_the_progress_partial_polls_every_second_while_the_report_is_made(client, ecam, coordinator):
    client.force_login(coordinator)
    run = runs.report_run_request(actor=Actor.system(), partnership=ecam, quarter=Q1, enqueue=False)
    url = reverse("report_run_progress", args=[run.pk])
    waiting = client.get(url).content.decode()
    assert f'hx-get="{url}" hx-trigger="every 1s" hx-swap="outerHTML"' in waiting
    assert "Waiting to start:" in waiting and '<progress class="app-progress" max="100" value="0"' in waiting

    runs.report_run_claim(run_id=run.pk)
    runs.report_run_progress(run_id=run.pk, progress=40, step="Counting the monthly trends")
    running = client.get(url).content.decode()
    assert "In progress:</strong> Counting the monthly trends" in running and 'value="40"' in running and "40% done" in running

    page = client.get(reverse("report_run_detail", args=[run.pk])).content.decode()
    assert 'id="report-run-progress"' in page and "hx-trigger" in page and "css/reports.css" in page


def test_a_failed_report_shows_why_and_can_be_tried_again(client, ecam, analyst, monkeypatch, django_capture_on_commit_callbacks):
    from reports import document

    client.force_login(analyst)
    monkeypatch.setattr(document, "report_pdf_render", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("disk full")))
    response = _ask(client, django_capture_on_commit_callbacks)
    page = client.get(response.url).content.decode()
    assert "The report could not be made" in page and "RuntimeError: disk full" in page
    run = ReportRun.objects.get()
    assert client.get(reverse("report_run_download", args=[run.pk])).status_code == 404

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        retried = client.post(reverse("report_run_retry", args=[run.pk]))
    assert retried.status_code == 302
    run.refresh_from_db()
    assert run.status == "done" and "Your report is ready" in client.get(retried.url).content.decode()


def test_viewing_the_archive_marks_a_stale_run_failed(client, ecam, analyst):
    client.force_login(analyst)
    run = runs.report_run_request(actor=Actor.system(), partnership=ecam, quarter=Q1, enqueue=False)
    runs.report_run_claim(run_id=run.pk)
    ReportRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=10))
    archive = client.get(reverse("report_list")).content.decode()
    assert "Failed" in archive
    run.refresh_from_db()
    assert run.status == "failed"
    assert "nothing was heard from the worker" in client.get(reverse("report_run_detail", args=[run.pk])).content.decode()


def test_bad_quarters_are_explained_in_the_page(client, ecam, analyst, today, django_capture_on_commit_callbacks):
    today(timezone.localdate().replace(year=2010, month=8, day=1))
    client.force_login(analyst)
    response = _ask(client, django_capture_on_commit_callbacks, year="2010-12", quarter="")
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert "“2010-12” is not a financial year: the year after 2010 is 2010-11." in page
    assert "Select a valid choice" in page or "This field is required." in page
    future = _ask(client, django_capture_on_commit_callbacks, year="2010-11", quarter="3").content.decode()
    assert "Q3 – 2010-11 has not started yet" in future
    assert not ReportRun.objects.exists()


@pytest.mark.parametrize("role", [Membership.Role.CASEWORKER, Membership.Role.SUPERVISOR, Membership.Role.CHAIR, Membership.Role.AGENCY_ADMIN])
def test_only_analysts_and_coordinators_may_ask_for_or_download_reports(client, ecam, council, role, django_capture_on_commit_callbacks):
    done = runs.report_run_request(actor=Actor.system(), partnership=ecam, quarter=Q1, enqueue=False)
    runs.report_run_build(run_id=done.pk)
    client.force_login(make_member(agency=council, partnership=ecam, role=role, username=f"someone-{role}"))
    assert client.get(reverse("report_list")).status_code == 403
    assert _ask(client, django_capture_on_commit_callbacks).status_code == 403
    for name in ("report_run_detail", "report_run_progress", "report_run_download"):
        assert client.get(reverse(name, args=[done.pk])).status_code == 403
    assert client.post(reverse("report_run_retry", args=[done.pk])).status_code == 403
    assert ReportRun.objects.count() == 1 and not AuditEvent.objects.filter(action="download").exists()


def test_runs_of_another_partnership_do_not_exist_for_you(client, ecam, other_partnership, police):
    theirs = runs.report_run_request(actor=Actor.system(), partnership=other_partnership, quarter=Q1, enqueue=False)
    runs.report_run_build(run_id=theirs.pk)
    fenland_analyst = make_member(agency=police, partnership=other_partnership, role=Membership.Role.ANALYST, username="fen-analyst")
    ecam_analyst = make_member(agency=police, partnership=ecam, role=Membership.Role.ANALYST, username="ecam-analyst")
    client.force_login(ecam_analyst)
    for name in ("report_run_detail", "report_run_progress", "report_run_download"):
        assert client.get(reverse(name, args=[theirs.pk])).status_code == 404
    assert client.post(reverse("report_run_retry", args=[theirs.pk])).status_code == 404
    assert "Fenland" not in client.get(reverse("report_list")).content.decode()
    client.force_login(fenland_analyst)
    assert client.get(reverse("report_run_download", args=[theirs.pk])).status_code == 200


def test_someone_with_no_agency_is_refused(client, ecam):
    client.force_login(UserFactory(username="nobody"))
    assert client.get(reverse("report_list")).status_code == 403
    assert client.get(reverse("priority_list")).status_code == 403


def test_the_archive_query_count_does_not_grow_with_runs(client, ecam, analyst, coordinator, django_assert_max_num_queries):
    client.force_login(analyst)
    for _ in range(3):
        runs.report_run_request(actor=Actor(user=coordinator), partnership=ecam, quarter=Q1, enqueue=False)
    with django_assert_max_num_queries(12) as three:
        assert client.get(reverse("report_list")).status_code == 200
    for _ in range(20):
        runs.report_run_request(actor=Actor.system(), partnership=ecam, quarter=Quarter(2010, 2), enqueue=False)
    with django_assert_max_num_queries(len(three.captured_queries)):
        page = client.get(reverse("report_list")).content.decode()
    assert page.count('data-testid="report-run"') == 23 and "Helen Ward" in page


def test_the_navigation_leads_to_reports(client, ecam, analyst, council_caseworker):
    client.force_login(analyst)
    assert f'href="{reverse("report_list")}">Reports</a>' in client.get(reverse("priority_list")).content.decode()
    client.force_login(council_caseworker)
    assert f'href="{reverse("priority_list")}">Reports</a>' in client.get(reverse("priority_list")).content.decode()
