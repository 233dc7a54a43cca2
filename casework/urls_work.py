"""Pages for the work done on a case: interventions, actions and notes."""

from django.urls import path

from casework.views import actions, interventions, notes

urlpatterns = [
    path("cases/<str:reference>/interventions/", interventions.case_interventions, name="case_interventions"),
    path("cases/<str:reference>/interventions/new/", interventions.case_intervention_add, name="case_intervention_add"),
    path("cases/<str:reference>/interventions/<int:pk>/", interventions.case_intervention_detail, name="case_intervention_detail"),
    path("cases/<str:reference>/interventions/<int:pk>/breaches/", interventions.case_intervention_breach, name="case_intervention_breach"),
    path("cases/<str:reference>/actions/", actions.case_actions, name="case_actions"),
    path("cases/<str:reference>/actions/<int:pk>/", actions.case_action_edit, name="case_action_edit"),
    path("cases/<str:reference>/actions/<int:pk>/done/", actions.case_action_done, name="case_action_done"),
    path("cases/<str:reference>/actions/<int:pk>/reopen/", actions.case_action_reopen, name="case_action_reopen"),
    path("cases/<str:reference>/notes/", notes.case_notes, name="case_notes"),
]
