"""Everything under /api/v1/: each app contributes its own api_urls."""

from django.urls import include, path

from agencies.apis import TokenObtainApi

urlpatterns = [
    path("auth/token/", TokenObtainApi.as_view(), name="api_token_obtain"),
    path("", include("casework.api_urls")),
    path("", include("casework.api_urls_work")),
    path("", include("referrals.api_urls_referrals")),
    path("", include("casework.api_urls_documents")),
    path("", include("referrals.api_urls_routing")),
    path("", include("casework.api_urls_people")),
    path("", include("casework.api_urls_incidents")),
    path("", include("meetings.api_urls_meetings")),
    path("", include("reports.api_urls_reports")),
]
