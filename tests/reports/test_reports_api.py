"""The reports API: ask, follow, download, retry; only analysts and coordinators of the partnership."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from agencies.models import Membership
from audit.models import AuditEvent
from audit.services import Actor
from reports.models import ReportRun
from reports.quarters import Quarter
from reports.services import runs
from tests.agencies.factories import make_member
from tests.reports import known_data

Q1 = Quarter(2010, 1)


@pytest.fixture
def ecam(partnership, police, council, pdf_storage):
    known_data.load(partnership=partnership)
    return partnership


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_ask_follow_and_download_through_the_api(ecam, coordinator, django_capture_on_commit_callbacks):
    api = _api(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(reverse("api_report_runs"), {"financial_year": "2010-11", "quarter": 1}, format="json")
    assert response.status_code == 202
    body = response.json()
    assert body["label"] == "Q1 – 2010-11" and body["financial_year"] == "2010-11" and body["version"] == 1
    assert body["requested_by"] == "coordinator" and body["requested_via"] == "api" and body["partnership"] == "east-cambridgeshire"

    status = api.get(reverse("api_report_run", args=[body["id"]])).json()
    assert status["status"] == "done" and status["progress"] == 100 and status["step"] == "Ready to download"
    assert status["download_url"].endswith(reverse("api_report_run_download", args=[body["id"]])) and status["data_cutoff"]

    download = api.get(reverse("api_report_run_download", args=[body["id"]]), HTTP_ACCEPT="application/pdf")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert AuditEvent.objects.filter(action="download", user=coordinator, object_type="reportrun", object_id=str(body["id"])).exists()

    archive = api.get(reverse("api_report_runs")).json()
    assert archive["count"] == 1 and archive["results"][0]["id"] == body["id"]


def test_bad_input_gets_a_message_per_field(ecam, analyst):
    response = _api(analyst).post(reverse("api_report_runs"), {"financial_year": "2010-12", "quarter": 7}, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert errors["financial_year"] == ["“2010-12” is not a financial year: the year after 2010 is 2010-11."]
    assert "quarter" in errors
    future = _api(analyst).post(reverse("api_report_runs"), {"financial_year": "2999-00", "quarter": 1}, format="json")
    assert future.status_code == 400 and "has not started yet" in future.json()["quarter"][0]
    assert not ReportRun.objects.exists()


def test_a_run_in_progress_and_a_failed_run_through_the_api(ecam, analyst, django_capture_on_commit_callbacks):
    api = _api(analyst)
    run = runs.report_run_request(actor=Actor.system(), partnership=ecam, quarter=Q1, enqueue=False)
    runs.report_run_claim(run_id=run.pk)
    runs.report_run_progress(run_id=run.pk, progress=40, step="Counting")
    body = api.get(reverse("api_report_run", args=[run.pk])).json()
    assert (body["status"], body["progress"], body["step"], body["download_url"]) == ("running", 40, "Counting", None)
    not_ready = api.get(reverse("api_report_run_download", args=[run.pk]))
    assert not_ready.status_code == 409 and "not ready" in not_ready.json()["detail"]
    assert api.post(reverse("api_report_run_retry", args=[run.pk])).status_code == 409

    runs.report_run_fail(run_id=run.pk, reason="The printer caught fire")
    assert api.get(reverse("api_report_run", args=[run.pk])).json()["error"] == "The printer caught fire"
    with django_capture_on_commit_callbacks(execute=True):
        retried = api.post(reverse("api_report_run_retry", args=[run.pk]))
    assert retried.status_code == 202
    assert api.get(reverse("api_report_run", args=[run.pk])).json()["status"] == "done"


@pytest.mark.parametrize("role", [Membership.Role.CASEWORKER, Membership.Role.SUPERVISOR, Membership.Role.CHAIR])
def test_other_roles_are_refused(ecam, council, role):
    run = runs.report_run_request(actor=Actor.system(), partnership=ecam, quarter=Q1, enqueue=False)
    runs.report_run_build(run_id=run.pk)
    api = _api(make_member(agency=council, partnership=ecam, role=role, username=f"api-{role}"))
    assert api.post(reverse("api_report_runs"), {"financial_year": "2010-11", "quarter": 1}, format="json").status_code == 403
    assert api.get(reverse("api_report_runs")).status_code == 403
    assert api.get(reverse("api_report_run", args=[run.pk])).status_code == 403
    assert api.get(reverse("api_report_run_download", args=[run.pk])).status_code == 403
    assert ReportRun.objects.count() == 1


def test_another_partnerships_runs_are_404(ecam, other_partnership, police):
    theirs = runs.report_run_request(actor=Actor.system(), partnership=other_partnership, quarter=Q1, enqueue=False)
    api = _api(make_member(agency=police, partnership=ecam, role=Membership.Role.ANALYST, username="ecam-analyst"))
    for name in ("api_report_run", "api_report_run_download"):
        assert api.get(reverse(name, args=[theirs.pk])).status_code == 404
    assert api.post(reverse("api_report_run_retry", args=[theirs.pk])).status_code == 404
    assert api.get(reverse("api_report_runs")).json()["count"] == 0


def test_without_credentials_the_api_asks_for_them(ecam):
    assert APIClient().get(reverse("api_report_runs")).status_code == 401
