from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from agencies import views as agency_views
from config.api_docs import api_docs_view

urlpatterns = [
    path("", include("agencies.urls_security")),
    path("", include("casework.urls_work")),
    path("reports/", include("reports.urls")),
    path("", include("casework.urls_imports")),
    path("", include("casework.urls_governance")),
    path("", include("scale.urls")),
    path("", include("referrals.urls")),
    path("notifications/", include("agencies.urls_notifications")),
    path("meetings/", include("meetings.urls")),
    path("", include("casework.urls_documents")),
    path("", include("casework.urls_people")),
    path("", include("casework.urls_incidents")),
    path("", include("casework.urls_cases")),
    path("", include("casework.urls")),
    path("agency/", include("agencies.urls")),
    path("routing/", include("referrals.urls_routing")),
    path("sign-in/", agency_views.SignInView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        login_not_required(
            auth_views.PasswordResetView.as_view(
                template_name="registration/password_reset_form.html",
                email_template_name="registration/password_reset_email.txt",
                subject_template_name="registration/password_reset_subject.txt",
            )
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        login_not_required(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        login_not_required(auth_views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        login_not_required(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", api_docs_view, name="api_docs"),
    path("admin/", admin.site.urls),
]

handler404 = "agencies.views.not_found"
