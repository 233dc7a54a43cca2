"""Two-factor sign-in is enforced here: a user who has given only a password reaches nothing but the code pages."""

import functools
from urllib.parse import urlencode

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware

from agencies.two_factor import two_factor_required, user_has_two_factor
from agencies.user_sessions import session_renew_if_due

# Pages a user between password and code may still use (besides public pages such as password reset).
ALLOWED_BEFORE_SECOND_FACTOR = {"login", "logout", "two_factor_verify", "two_factor_setup"}


class IdleSessionMiddleware:
    """Right after SessionMiddleware: each request by a signed-in user starts the idle time again, writing the session
    at most once every SESSION_RENEW_SECONDS (agencies.user_sessions.session_renew_if_due)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session_renew_if_due(request.session)
        return self.get_response(request)


class SignInRequiredMiddleware(LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware, except for a request made by htmx from a page whose session has ended (timed
    out, signed out elsewhere, ended by an administrator): it gets 401, not the sign-in page, which htmx would put in
    place of the form being saved, and what was typed there with it. static/js/app.js says so beside the form."""

    def handle_no_permission(self, request, view_func):
        if request.headers.get("HX-Request") == "true":  # before django_htmx's middleware sets request.htmx
            return HttpResponse("You have been signed out.", status=401, content_type="text/plain; charset=utf-8")
        return super().handle_no_permission(request, view_func)


class OTPSessionMiddleware(OTPMiddleware):
    """django-otp's OTPMiddleware, except that `request.user.is_verified()` trusts the device id that django_otp.login
    wrote into the (server-side) session instead of loading the device on every request: one query less on every
    page. The device itself is still there, loaded on first use, as `request.user.otp_device`.

    A session never outlives the device that verified it: deleting a confirmed device ends its owner's sessions
    (agencies.signals), and so does an administrator's reset."""

    def _verify_user_sync(self, request, user):
        self._init_user_fields(user)
        persistent_id = request.session.get(DEVICE_ID_SESSION_KEY) if user.is_authenticated else None
        if persistent_id:
            user.otp_device = SimpleLazyObject(functools.partial(self._device_from_persistent_id, persistent_id))
            user.is_verified = lambda: True
        return user


class TwoFactorRequiredMiddleware:
    """After django_otp's OTPMiddleware (which sets request.user.is_verified()) and LoginRequiredMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or not two_factor_required() or user.is_verified():
            return None
        if request.path_info.startswith("/api/"):
            # A browser session signed in with a password alone. Scripts use tokens, which are not a session user
            # here (and DRF marks its views login-not-required, so this comes before that test).
            return JsonResponse({"detail": "Finish signing in with your two-factor code first."}, status=403)
        if getattr(view_func, "login_required", True) is False:
            return None
        match = request.resolver_match
        if match is not None and match.url_name in ALLOWED_BEFORE_SECOND_FACTOR:
            return None
        target = "two_factor_verify" if user_has_two_factor(user=user) else "two_factor_setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
