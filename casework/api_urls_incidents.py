"""API routes for a case's incidents, ASB Case Review requests and victim risk assessments."""

from django.urls import path

from casework.apis import incidents, risk

urlpatterns = [
    path("cases/<str:reference>/incidents/", incidents.IncidentListCreateApi.as_view(), name="api_case_incidents"),
    path(
        "cases/<str:reference>/case-review-requests/",
        incidents.CaseReviewRequestListCreateApi.as_view(),
        name="api_case_review_requests",
    ),
    path(
        "cases/<str:reference>/case-review-requests/<int:pk>/",
        incidents.CaseReviewRequestDetailApi.as_view(),
        name="api_case_review_request_detail",
    ),
    path("cases/<str:reference>/risk-questions/", risk.RiskQuestionListApi.as_view(), name="api_case_risk_questions"),
    path("cases/<str:reference>/risk-assessments/", risk.RiskAssessmentListCreateApi.as_view(), name="api_case_risk_assessments"),
]
