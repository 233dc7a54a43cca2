"""The embedded quick start: `make run`."""

from config.settings.base import *  # noqa: F403
from config.settings.base import env

DEBUG = env.bool("DEBUG", default=True)
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="casework-demo-2026")

# Serve static files from the source folders: no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The demo users sign in with their password alone (the README says so, and so does the sign-in page);
# OTP_REQUIRED=1 tries two-factor sign-in locally. Production refuses to start with it off.
OTP_REQUIRED = env.bool("OTP_REQUIRED", default=False)
