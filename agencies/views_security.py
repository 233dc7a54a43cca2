"""Sign-in's second step (a code), setting up two-factor sign-in, backup codes, sessions, and the lockout page."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from agencies.forms import SignInForm
from agencies.forms_security import TwoFactorCodeForm
from agencies.two_factor import (
    backup_codes_regenerate,
    backup_codes_remaining,
    totp_device_for_user,
    totp_enrolment_confirm,
    totp_enrolment_start,
    totp_secret_for_display,
    two_factor_throttled,
    two_factor_verify,
)
from agencies.user_sessions import session_renew, session_seconds, user_sessions_end_all, user_sessions_for_user
from audit.services import Actor


def locked_out_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return f"Too many failed attempts. Try again in {minutes} minutes or ask your agency administrator."


WRONG_CODE_MESSAGE = "That code is not right. Check the time on your phone is correct and enter the newest code."
THROTTLED_MESSAGE = "Too many wrong codes. Wait a minute, then enter the newest code from your app."


def _next_url(request) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return wanted
    return reverse(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def two_factor_verify_page(request):
    """The second sign-in step: a code from the authenticator app, or a backup code."""
    next_url = _next_url(request)
    user = request.user
    if user.is_verified():
        return redirect(next_url)
    if totp_device_for_user(user=user) is None:
        return redirect(_with_next("two_factor_setup", next_url))
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Throttled before this attempt: django-otp refuses even the right code until the wait is over.
        throttled = two_factor_throttled(user=user)
        device = two_factor_verify(actor=Actor.from_request(request), user=user, code=form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect(next_url)
        form.add_error("code", THROTTLED_MESSAGE if throttled else WRONG_CODE_MESSAGE)
    return render(request, "agencies/security/two_factor_verify.html", {"form": form, "next": next_url})


def two_factor_setup_page(request):
    """Setting up two-factor sign-in: the secret for the authenticator app, then a code from it to confirm."""
    next_url = _next_url(request)
    user = request.user
    if totp_device_for_user(user=user) is not None:
        return redirect(_with_next("two_factor_verify", next_url) if not user.is_verified() else next_url)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            confirmed = totp_enrolment_confirm(actor=Actor.from_request(request), user=user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error.messages[0])
            confirmed = None
        if confirmed is not None:
            device, codes = confirmed
            otp_login(request, device)
            return render(request, "agencies/security/backup_codes.html", {"codes": codes, "next": next_url, "first_time": True})
        if not form.errors:
            form.add_error("code", WRONG_CODE_MESSAGE)
    device = totp_enrolment_start(user=user)
    return render(
        request,
        "agencies/security/two_factor_setup.html",
        {"form": form, "next": next_url, "secret": totp_secret_for_display(device), "config_url": device.config_url},
    )


@require_POST
def backup_codes_regenerate_page(request):
    try:
        codes = backup_codes_regenerate(actor=Actor.from_request(request), user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("profile")
    return render(request, "agencies/security/backup_codes.html", {"codes": codes, "next": reverse("profile"), "first_time": False})


@require_POST
def sign_out_everywhere(request):
    """End every session of this user, this one included."""
    ended = user_sessions_end_all(actor=Actor.from_request(request), user=request.user)
    request.session.flush()
    messages.success(request, f"You have been signed out everywhere ({ended} session{'s' * (ended != 1)}). Sign in again to go on.")
    return redirect("login")


@require_POST
def session_extend(request):
    """'Stay signed in': the idle time starts again now, whenever the session was last written; says how long."""
    session_renew(request.session)
    return JsonResponse({"expires_in": session_seconds()})


def security_profile_context(request) -> dict:
    """The profile page's sections on two-factor sign-in and signed-in sessions."""
    user = request.user
    device = totp_device_for_user(user=user)
    return {
        "two_factor_device": device,
        "backup_codes_left": backup_codes_remaining(user=user) if device else 0,
        "user_sessions": list(user_sessions_for_user(user=user)),
        "current_session_key": request.session.session_key,
    }


def sign_in_locked_out(request, original_response=None, credentials=None):
    """django-axes calls this when a username and address are locked out: the sign-in page says so (HTTP 429), the
    API answers 429 with Retry-After."""
    retry_after = int(settings.AXES_COOLOFF_TIME.total_seconds())
    if request.path_info.startswith("/api/"):
        response = JsonResponse({"detail": locked_out_message()}, status=429)
    else:
        # Not bound: validating it would try the password again and count one more failure.
        form = SignInForm(request, initial={"username": request.POST.get("username", "")})
        response = render(
            request,
            "registration/login.html",
            {"form": form, "next": request.POST.get("next", ""), "locked_out_message": locked_out_message()},
            status=429,
        )
    response["Retry-After"] = str(retry_after)
    return response
