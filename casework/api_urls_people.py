from django.urls import path

from casework.apis import people as people_apis

urlpatterns = [
    path("cases/<str:reference>/people/", people_apis.CasePeopleApi.as_view(), name="api_case_people"),
    path("cases/<str:reference>/people/<int:link_id>/", people_apis.CasePersonDetailApi.as_view(), name="api_case_person"),
    path("people/<int:person_id>/", people_apis.PersonDetailApi.as_view(), name="api_person_detail"),
]
