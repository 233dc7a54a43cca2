from django.urls import path

from scale import views

urlpatterns = [
    path("ping/", views.ping, name="ping"),
]
