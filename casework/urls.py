from django.urls import path

from casework.views import cases

urlpatterns = [
    path("", cases.dashboard, name="dashboard"),
    path("cases/", cases.case_list, name="case_list"),
    path("cases/<str:reference>/", cases.case_detail, name="case_detail"),
]
