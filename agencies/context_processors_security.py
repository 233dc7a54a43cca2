from django.conf import settings

from agencies.two_factor import two_factor_required
from agencies.user_sessions import session_length_text, session_seconds


def signed_in(request):
    """`signed_in`: past both sign-in steps, so the page may show the menu and the session timer."""
    user = getattr(request, "user", None)
    authenticated = user is not None and user.is_authenticated
    required = two_factor_required()
    verified = authenticated and (not required or (hasattr(user, "is_verified") and user.is_verified()))
    return {
        "signed_in": verified,
        "two_factor_required": required,
        "session_seconds": session_seconds(),
        "session_length": session_length_text(),
        "session_warning_seconds": settings.SESSION_TIMEOUT_WARNING_SECONDS,
    }
