from django.urls import path

from agencies import views

urlpatterns = [
    path("switch/", views.acting_membership_switch, name="acting_membership_switch"),
    path("profile/", views.profile, name="profile"),
]
