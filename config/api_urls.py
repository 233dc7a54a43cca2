"""Everything under /api/v1/: each app contributes its own api_urls."""

from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api_token_obtain"),
    path("", include("casework.api_urls")),
    path("", include("casework.api_urls_work")),
]
