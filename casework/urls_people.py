from django.urls import path

from casework.views import people

urlpatterns = [
    path("cases/<str:reference>/people/", people.case_people, name="case_people"),
    path("cases/<str:reference>/people/add/", people.case_person_add, name="case_person_add"),
    path("cases/<str:reference>/people/<int:link_id>/remove/", people.case_person_remove, name="case_person_remove"),
    path("people/<int:person_id>/", people.person_detail, name="person_detail"),
    path("people/<int:person_id>/edit/", people.person_edit, name="person_edit"),
    path("people/<int:person_id>/household/new/", people.household_create, name="household_create"),
    path("households/<int:household_id>/", people.household_detail, name="household_detail"),
    path("households/<int:household_id>/members/", people.household_member_add, name="household_member_add"),
    path("households/<int:household_id>/members/<int:person_id>/remove/", people.household_member_remove, name="household_member_remove"),
]
