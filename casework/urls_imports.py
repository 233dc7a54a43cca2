from django.urls import path

from casework.views import imports

urlpatterns = [
    path("cases/import/", imports.case_import, name="case_import"),
]
