from django.urls import path

from casework.views import documents

urlpatterns = [
    path("cases/<str:reference>/documents/", documents.case_documents, name="case_documents"),
    path("cases/<str:reference>/documents/<int:document_id>/download/", documents.document_download, name="document_download"),
    path("cases/<str:reference>/documents/<int:document_id>/withdraw/", documents.document_withdraw_page, name="document_withdraw"),
]
