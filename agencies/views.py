from django.contrib.auth import views as auth_views
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from agencies.forms import SignInForm
from agencies.middleware import SESSION_KEY


class SignInView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


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
