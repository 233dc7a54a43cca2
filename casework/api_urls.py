from django.urls import path

from casework import apis

urlpatterns = [
    path("cases/", apis.CaseListCreateApi.as_view(), name="api_case_list"),
    path("cases/<str:reference>/", apis.CaseDetailApi.as_view(), name="api_case_detail"),
    path("cases/<str:reference>/close/", apis.CaseCloseApi.as_view(), name="api_case_close"),
]
