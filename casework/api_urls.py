from django.urls import path

from casework.apis import cases as case_apis

urlpatterns = [
    path("cases/", case_apis.CaseListCreateApi.as_view(), name="api_case_list"),
    path("cases/<str:reference>/", case_apis.CaseDetailApi.as_view(), name="api_case_detail"),
    path("cases/<str:reference>/close/", case_apis.CaseCloseApi.as_view(), name="api_case_close"),
]
