"""Sign-in's second step, setting up two-factor sign-in, backup codes and sessions."""

from django.urls import path

from agencies import views_security

urlpatterns = [
    path("sign-in/code/", views_security.two_factor_verify_page, name="two_factor_verify"),
    path("sign-in/set-up-two-factor/", views_security.two_factor_setup_page, name="two_factor_setup"),
    path("agency/two-factor/backup-codes/", views_security.backup_codes_regenerate_page, name="backup_codes_regenerate"),
    path("agency/sessions/sign-out-everywhere/", views_security.sign_out_everywhere, name="sign_out_everywhere"),
    path("agency/session/extend/", views_security.session_extend, name="session_extend"),
]
