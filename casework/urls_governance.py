from django.urls import path

from casework.views import audit_search, retention, subject_access

urlpatterns = [
    path("audit/", audit_search.audit_search, name="audit_search"),
    path("audit/export.csv", audit_search.audit_export, name="audit_export"),
    path("audit/chain/", audit_search.audit_chain, name="audit_chain"),
    path("subject-access/", subject_access.subject_access_list, name="subject_access_list"),
    path("subject-access/people/<int:person_id>/new/", subject_access.subject_access_new, name="subject_access_new"),
    path("subject-access/<int:request_id>/", subject_access.subject_access_detail, name="subject_access_detail"),
    path("subject-access/<int:request_id>/progress/", subject_access.subject_access_progress, name="subject_access_progress"),
    path("subject-access/<int:request_id>/retry/", subject_access.subject_access_retry, name="subject_access_retry"),
    path("subject-access/<int:request_id>/download/<str:kind>/", subject_access.subject_access_download, name="subject_access_download"),
    path("retention/", retention.retention_list, name="retention_list"),
    path("retention/<int:review_id>/", retention.retention_review, name="retention_review"),
]
