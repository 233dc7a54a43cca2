"""Production: PostgreSQL, Redis, gunicorn. Refuses to start without a secret key and allowed hosts."""

from config.settings.base import *  # noqa: F403
from config.settings.base import DATABASES, REDIS_URL, env
from config.settings.env import PRODUCTION_REQUIRED, ConfigurationError, required

DEBUG = False
for _name in PRODUCTION_REQUIRED:
    required(_name)
SECRET_KEY = required("SECRET_KEY")
if len(SECRET_KEY) < 50:
    raise ConfigurationError("SECRET_KEY must be at least 50 characters long in production")
ALLOWED_HOSTS = [host for host in required("ALLOWED_HOSTS").split(",") if host.strip()]
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    raise ConfigurationError("DATABASE_URL must be set to a PostgreSQL database in production")
if not REDIS_URL:
    raise ConfigurationError("REDIS_URL must be set in production (Celery broker and cache)")

if not env.bool("OTP_REQUIRED", default=True):
    raise ConfigurationError("OTP_REQUIRED cannot be switched off in production: two-factor sign-in is required")
OTP_REQUIRED = True

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
DEMO_PASSWORD = ""
