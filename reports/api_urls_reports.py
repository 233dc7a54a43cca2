from django.urls import path

from reports import apis

urlpatterns = [
    path("reports/runs/", apis.ReportRunListApi.as_view(), name="api_report_runs"),
    path("reports/runs/<int:pk>/", apis.ReportRunDetailApi.as_view(), name="api_report_run"),
    path("reports/runs/<int:pk>/retry/", apis.ReportRunRetryApi.as_view(), name="api_report_run_retry"),
    path("reports/runs/<int:pk>/download/", apis.ReportRunDownloadApi.as_view(), name="api_report_run_download"),
]
