from django.contrib.auth import views as auth_views
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from agencies.forms import SignInForm
from agencies.middleware import SESSION_KEY


class SignInView(auth_views.LoginView):
    """The password step. With two-factor sign-in on, it leads to the code (or, the first time, to setting it up)."""

    template_name = "registration/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_success_url(self):
        from urllib.parse import urlencode

        from django.urls import reverse

        from agencies.two_factor import two_factor_required

        url = super().get_success_url()
        # Just signed in with a password: request.user is the plain user, not yet verified.
        if two_factor_required() and not getattr(self.request.user, "is_verified", lambda: False)():
            return f"{reverse('two_factor_verify')}?{urlencode({'next': url})}"
        return url

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, timed_out=self.request.GET.get("timed_out") == "1")


@require_POST
def acting_membership_switch(request):
    """Choose which of the user's agencies they are acting for."""
    try:
        wanted = int(request.POST.get("membership", ""))
    except ValueError:
        return HttpResponseBadRequest("Choose one of your agencies.")
    if not any(m.pk == wanted for m in request.memberships):
        return HttpResponseBadRequest("Choose one of your agencies.")
    request.session[SESSION_KEY] = wanted
    return redirect("dashboard")


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def profile(request):
    """The user's memberships and personal API tokens."""
    from django.contrib import messages
    from django.core.exceptions import ValidationError
    from django.shortcuts import get_object_or_404

    from agencies.models import ApiToken
    from agencies.tokens import api_token_create, api_token_revoke, api_tokens_for_user
    from audit.services import Actor

    new_key = None
    error = None
    if request.method == "POST":
        if "revoke" in request.POST:
            try:
                token_id = int(request.POST["revoke"])
            except ValueError:
                return HttpResponseBadRequest("Choose a token to revoke.")
            token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
            api_token_revoke(actor=Actor.from_request(request), token=token)
            messages.success(request, f"Token “{token.name}” revoked. Scripts using it will stop working.")
            return redirect("profile")
        try:
            token, new_key = api_token_create(actor=Actor.from_request(request), user=request.user, name=request.POST.get("name", ""))
        except ValidationError as exc:
            error = exc.message_dict["name"][0]
    from agencies.views_security import security_profile_context

    return render(
        request,
        "agencies/profile.html",
        {"tokens": api_tokens_for_user(user=request.user), "new_key": new_key, "error": error, "name_value": request.POST.get("name", "") if error else ""}
        | security_profile_context(request),
    )
