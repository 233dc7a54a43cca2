"""Pages for opening, changing, closing and reopening cases, and a case's history.

Included before casework.urls so that /cases/new/ is not taken for a case reference.
"""

from django.urls import path

from casework.views import cases

urlpatterns = [
    path("cases/new/", cases.case_open_page, name="case_open"),
    path("cases/export.csv", cases.case_export, name="case_export"),
    path("cases/<str:reference>/edit/", cases.case_edit, name="case_edit"),
    path("cases/<str:reference>/close/", cases.case_close_page, name="case_close"),
    path("cases/<str:reference>/reopen/", cases.case_reopen_page, name="case_reopen"),
    path("cases/<str:reference>/history/", cases.case_history_page, name="case_history"),
]
