from django.urls import path

from reports.views import plan, runs

urlpatterns = [
    path("", runs.report_list, name="report_list"),
    path("runs/<int:pk>/", runs.report_run_detail, name="report_run_detail"),
    path("runs/<int:pk>/progress/", runs.report_run_progress, name="report_run_progress"),
    path("runs/<int:pk>/retry/", runs.report_run_retry, name="report_run_retry"),
    path("runs/<int:pk>/download/", runs.report_run_download, name="report_run_download"),
    path("priorities/", plan.priority_list, name="priority_list"),
    path("priorities/new/", plan.priority_create, name="priority_create"),
    path("priorities/<int:pk>/", plan.priority_detail, name="priority_detail"),
    path("priorities/<int:pk>/edit/", plan.priority_edit, name="priority_edit"),
    path("priorities/<int:pk>/quarters/<int:year>/<int:quarter>/", plan.priority_quarter_detail, name="priority_quarter"),
    path("priorities/<int:pk>/quarters/<int:year>/<int:quarter>/narrative/", plan.narrative_edit, name="narrative_edit"),
    path("priorities/<int:pk>/actions/new/", plan.action_create, name="action_create"),
    path("priorities/<int:pk>/measures/new/", plan.measure_create, name="measure_create"),
    path("actions/<int:pk>/edit/", plan.action_edit, name="action_edit"),
    path("actions/<int:pk>/quarters/<int:year>/<int:quarter>/", plan.action_update_edit, name="action_update_edit"),
    path("measures/<int:pk>/edit/", plan.measure_edit, name="measure_edit"),
    path("measures/<int:pk>/quarters/<int:year>/<int:quarter>/", plan.measure_value_edit, name="measure_value_edit"),
]
