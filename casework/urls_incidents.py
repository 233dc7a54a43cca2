"""Pages of the Incidents and Risk tabs of a case."""

from django.urls import path

from casework.views import incidents, risk

urlpatterns = [
    path("cases/<str:reference>/incidents/", incidents.case_incidents, name="case_incidents"),
    path("cases/<str:reference>/incidents/case-review-requests/new/", incidents.case_review_request_create, name="case_review_request_create"),
    path(
        "cases/<str:reference>/incidents/case-review-requests/<int:pk>/decision/",
        incidents.case_review_request_decision,
        name="case_review_request_decision",
    ),
    path("cases/<str:reference>/risk/", risk.case_risk, name="case_risk"),
]
