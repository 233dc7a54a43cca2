"""The reports API: ask for a quarter's report, follow its status and progress, download the PDF, try again."""

from django.core.exceptions import ValidationError
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from audit.services import Actor
from config.api import ACTING_MEMBERSHIP_PARAMETER, AgencyScopedApi, Conflict
from reports import permissions
from reports.models import ReportRun
from reports.selectors import report_run_get, report_runs_for_partnership
from reports.serializers import ReportRunInputSerializer, ReportRunOutputSerializer
from reports.services import runs as services

BAD_INPUT = OpenApiResponse(description="Bad input: a message per field")
NOT_ALLOWED = OpenApiResponse(description="Only the partnership's analysts and coordinators may use reports")
NOT_FOUND = OpenApiResponse(description="No such report in the partnership you act in")


def _require_reports(request) -> None:
    if not permissions.can_use_reports(membership=request.membership):
        raise PermissionDenied("Only the partnership's analysts and coordinators may use reports.")


def _run(request, pk) -> ReportRun:
    _require_reports(request)
    run = report_run_get(partnership=request.partnership, pk=pk)
    if not run.is_finished and services.report_runs_fail_stale():
        run.refresh_from_db()
    return run


class ReportRunListApi(AgencyScopedApi):
    # Declared so that the schema shows the page envelope (count, next, previous, results) and the page parameter.
    pagination_class = PageNumberPagination

    @extend_schema(
        parameters=[ACTING_MEMBERSHIP_PARAMETER],
        responses={200: ReportRunOutputSerializer(many=True), 403: NOT_ALLOWED},
        description="The archive: every report run of the partnership you act in, newest first (paginated).",
    )
    def get(self, request):
        _require_reports(request)
        services.report_runs_fail_stale()
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(report_runs_for_partnership(partnership=request.partnership), request, view=self)
        return paginator.get_paginated_response(ReportRunOutputSerializer(page, many=True, context={"request": request}).data)

    @extend_schema(
        parameters=[ACTING_MEMBERSHIP_PARAMETER],
        request=ReportRunInputSerializer,
        responses={202: ReportRunOutputSerializer, 400: BAD_INPUT, 403: NOT_ALLOWED},
        description="Ask for a quarter's report. It is made in the background: follow it at its URL until the status is "
                    "done (then download it) or failed (the error says why; POST to retry/ to try again).",
    )
    def post(self, request):
        _require_reports(request)
        data = ReportRunInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        run = services.report_run_request(actor=Actor.from_request(request), partnership=request.partnership, quarter=data.validated_data["period"], via=ReportRun.Via.API)
        run.refresh_from_db()  # made already if tasks run eagerly
        return Response(ReportRunOutputSerializer(run, context={"request": request}).data, status=status.HTTP_202_ACCEPTED)


class ReportRunDetailApi(AgencyScopedApi):
    @extend_schema(
        parameters=[ACTING_MEMBERSHIP_PARAMETER],
        responses={200: ReportRunOutputSerializer, 403: NOT_ALLOWED, 404: NOT_FOUND},
        description="A report run's status (queued, running, done, failed), progress (0–100), the step being done and, if it failed, why.",
    )
    def get(self, request, pk):
        return Response(ReportRunOutputSerializer(_run(request, pk), context={"request": request}).data)


class ReportRunRetryApi(AgencyScopedApi):
    @extend_schema(
        parameters=[ACTING_MEMBERSHIP_PARAMETER],
        request=None,
        responses={202: ReportRunOutputSerializer, 403: NOT_ALLOWED, 404: NOT_FOUND, 409: OpenApiResponse(description="The run has not failed")},
        description="Put a failed run back in the queue.",
    )
    def post(self, request, pk):
        run = _run(request, pk)
        try:
            run = services.report_run_retry(actor=Actor.from_request(request), run=run)
        except ValidationError as error:
            raise Conflict(" ".join(error.messages)) from None
        run.refresh_from_db()
        return Response(ReportRunOutputSerializer(run, context={"request": request}).data, status=status.HTTP_202_ACCEPTED)


class PdfRenderer(BaseRenderer):
    """Lets a client that asks for application/pdf get the file instead of a 406. Errors are still JSON."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return JSONRenderer().render(data, renderer_context=renderer_context)


class ReportRunDownloadApi(AgencyScopedApi):
    renderer_classes = [JSONRenderer, PdfRenderer]

    @extend_schema(
        parameters=[ACTING_MEMBERSHIP_PARAMETER],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, 403: NOT_ALLOWED, 404: NOT_FOUND, 409: OpenApiResponse(description="The report is not ready")},
        description="The report as a PDF. Every download is recorded in the audit trail.",
    )
    def get(self, request, pk):
        run = _run(request, pk)
        if not permissions.can_download_report(membership=request.membership, run=run):
            raise PermissionDenied("Only the partnership's analysts and coordinators may download its reports.")
        if run.status != ReportRun.Status.DONE or not run.file:
            raise Conflict(f"The report is not ready: it is {run.get_status_display().lower()}.")
        services.report_run_download_record(actor=Actor.from_request(request), run=run)
        return FileResponse(run.file.open("rb"), as_attachment=True, filename=run.download_name, content_type="application/pdf")
