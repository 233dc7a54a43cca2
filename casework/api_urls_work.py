from django.urls import path

from casework.apis import work

urlpatterns = [
    path("cases/<str:reference>/interventions/", work.CaseInterventionsApi.as_view(), name="api_case_interventions"),
    path("cases/<str:reference>/interventions/<int:pk>/", work.CaseInterventionDetailApi.as_view(), name="api_case_intervention_detail"),
    path("cases/<str:reference>/interventions/<int:pk>/breaches/", work.InterventionBreachesApi.as_view(), name="api_intervention_breaches"),
    path("cases/<str:reference>/actions/", work.CaseActionsApi.as_view(), name="api_case_actions"),
    path("cases/<str:reference>/actions/<int:pk>/", work.CaseActionDetailApi.as_view(), name="api_case_action_detail"),
    path("cases/<str:reference>/notes/", work.CaseNotesApi.as_view(), name="api_case_notes"),
]
