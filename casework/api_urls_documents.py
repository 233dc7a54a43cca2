from django.urls import path

from casework.apis import documents as document_apis

urlpatterns = [
    path("cases/<str:reference>/documents/", document_apis.DocumentListCreateApi.as_view(), name="api_document_list"),
    path("cases/<str:reference>/documents/<int:document_id>/", document_apis.DocumentDetailApi.as_view(), name="api_document_detail"),
    path(
        "cases/<str:reference>/documents/<int:document_id>/download/",
        document_apis.DocumentDownloadApi.as_view(),
        name="api_document_download",
    ),
]
