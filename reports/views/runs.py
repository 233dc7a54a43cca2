"""Pages for asking for a quarterly report, following its progress, downloading it and the archive of every run."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import Actor
from reports import permissions
from reports.forms import ReportRequestForm
from reports.models import ReportRun
from reports.selectors import report_run_get, report_runs_for_partnership
from reports.services import runs as services
from reports.views.common import errors_onto_form, require

ARCHIVE_PAGE_SIZE = 25


@require_http_methods(["GET", "POST"])
def report_list(request):
    """The archive of every run, newest first, and the form to ask for a quarter."""
    require(permissions.can_use_reports(membership=request.membership))
    services.report_runs_fail_stale()  # a run whose worker vanished is shown failed, never "in progress" for ever
    form = ReportRequestForm(request.POST or None, initial=ReportRequestForm.initial_for(timezone.localdate()))
    if request.method == "POST" and form.is_valid():
        try:
            run = services.report_run_request(
                actor=Actor.from_request(request), partnership=request.partnership, quarter=form.cleaned_data["period"], via=ReportRun.Via.BROWSER
            )
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            messages.success(request, f"You asked for the {run.period.label} report (version {run.version}). It is made in the background: this page shows its progress.")
            return redirect("report_run_detail", pk=run.pk)
    page = Paginator(report_runs_for_partnership(partnership=request.partnership), ARCHIVE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reports/run_list.html", {"form": form, "page": page, "runs": page.object_list})


def _run_for(request, pk) -> ReportRun:
    require(permissions.can_use_reports(membership=request.membership))
    run = report_run_get(partnership=request.partnership, pk=pk)
    if not run.is_finished and services.report_runs_fail_stale():
        run.refresh_from_db()
    return run


@require_GET
def report_run_detail(request, pk):
    run = _run_for(request, pk)
    return render(request, "reports/run_detail.html", {"run": run})


@require_GET
def report_run_progress(request, pk):
    """The htmx partial polled every second while the run is waiting or in progress."""
    run = _run_for(request, pk)
    return render(request, "reports/includes/run_progress.html", {"run": run})


@require_POST
def report_run_retry(request, pk):
    run = _run_for(request, pk)
    try:
        services.report_run_retry(actor=Actor.from_request(request), run=run)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"You asked for the {run.period.label} report (version {run.version}) again. It is made in the background: this page shows its progress.")
    return redirect("report_run_detail", pk=run.pk)


@require_GET
def report_run_download(request, pk):
    run = _run_for(request, pk)
    if run.status != ReportRun.Status.DONE or not run.file:
        raise Http404("This report is not ready.")
    require(permissions.can_download_report(membership=request.membership, run=run))
    services.report_run_download_record(actor=Actor.from_request(request), run=run)
    return FileResponse(run.file.open("rb"), as_attachment=True, filename=run.download_name, content_type="application/pdf")
