"""Settings shared by every environment. Defaults give the embedded quick start:
SQLite and a filesystem Celery broker that needs no server. DATABASE_URL and REDIS_URL
give the real stack (PostgreSQL and Redis)."""

from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab

from config.settings.env import BASE_DIR, database_from_env, env, file_storage_from_env, redis_url_from_env

SECRET_KEY = env.str("SECRET_KEY", default="insecure-development-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",  # OpClass in index expressions (the trigram search indexes); harmless on SQLite
    "rest_framework",
    "drf_spectacular",
    "guardian",
    "django_celery_beat",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    # The project's apps, lowest first: each may use those above it in this list, never below.
    "audit",
    "agencies",
    "casework",
    "referrals",
    "meetings",
    "reports",
    "scale",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "agencies.middleware_security.IdleSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "agencies.middleware_security.OTPSessionMiddleware",
    "agencies.middleware_security.SignInRequiredMiddleware",
    "agencies.middleware_security.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "agencies.middleware.ActingMembershipMiddleware",
    # Last, as django-axes asks: it turns a sign-in refused for lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]
# The benchmark's Server-Timing header (config/timing.py): first in, last out; removes itself unless switched on.
BENCHMARK_TIMING = env.bool("BENCHMARK_TIMING", default=False)
MIDDLEWARE.insert(0, "config.timing.ServerTimingMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "agencies.context_processors.acting_membership",
                "agencies.context_processors.navigation",
                "agencies.context_processors_security.signed_in",
            ],
        },
    },
]

DATABASES = {"default": database_from_env(BASE_DIR / "db.sqlite3")}
# An optional read replica (PostgreSQL streaming replication) that takes the reports app's reads: config/db_router.py.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {**env.db_url_config(DATABASE_REPLICA_URL), "CONN_MAX_AGE": DATABASES["default"].get("CONN_MAX_AGE", 0),
                            "CONN_HEALTH_CHECKS": True, "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["config.db_router.ReportsReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username and address before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading each signed-in request's user by SQL written once per process.
    "agencies.auth_backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Direct foreign-key object permissions: the generic table casts keys to text and cannot use an index.
GUARDIAN_RAISE_404 = True
ANONYMOUS_USER_NAME = None

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
STORAGES = {
    # Uploaded documents and generated PDFs: never served directly, only through permission-checked views. On the
    # file system under MEDIA_ROOT, or in an S3-compatible bucket when STORAGE_S3_BUCKET is set (README: Deploying).
    "default": file_storage_from_env(MEDIA_ROOT),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Stored documents hold personal data: not readable by other users of the server.
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750

REDIS_URL = redis_url_from_env()

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "django_cache"}}
# Django's database sessions, each request's read by SQL written once per process (agencies/sessions.py).
SESSION_ENGINE = "agencies.sessions"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
# Idle sessions end after SESSION_COOKIE_AGE. A request renews the session only when it was last renewed this long
# ago, so most pages write nothing (agencies.user_sessions.session_renew_if_due); the server keeps a session up to
# this much longer than the page's timer, which signs the user out on time.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_SECONDS = env.int("SESSION_RENEW_SECONDS", default=60)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# The page warns this long before an idle session ends (static/js/session-timeout.js).
SESSION_TIMEOUT_WARNING_SECONDS = env.int("SESSION_TIMEOUT_WARNING_SECONDS", default=2 * 60)
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Two-factor sign-in (django-otp): a time-based code from an authenticator app, or a single-use backup code.
# Only a development server (DEBUG on) may switch it off; production refuses to start without it.
OTP_REQUIRED = env.bool("OTP_REQUIRED", default=True)
OTP_TOTP_ISSUER = "ASB Casework"
BACKUP_CODE_COUNT = 10

# Repeated failed sign-ins lock that username from that address for a while (django-axes).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "agencies.views_security.sign_in_locked_out"
# Successful sign-ins are already in the audit trail.
AXES_DISABLE_ACCESS_LOG = True
# Its start-up banner and a log line per attempt would clutter every command's output; the audit trail has the attempts.
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password", "otp", "code"]

# Content Security Policy (django-csp): no inline script or style anywhere; /api/docs/ widens it for Swagger UI only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ASB Casework <no-reply@asb-casework.invalid>")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# Celery: the broker is Redis when REDIS_URL is set, otherwise kombu's filesystem transport,
# so that the quick start needs no server. Task state that users see lives in the domain.
CELERY_BROKER_FOLDER = Path(env.str("CELERY_BROKER_FOLDER", default=str(BASE_DIR / "var" / "broker")))
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # A little longer than the longest task: a task whose worker died comes back after this.
        "visibility_timeout": 20 * 60,
        "unacked_restore_throttle": 1,
    }
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_FOLDER / "queue"),
        "data_folder_out": str(CELERY_BROKER_FOLDER / "queue"),
        "processed_folder": str(CELERY_BROKER_FOLDER / "processed"),
        "control_folder": str(CELERY_BROKER_FOLDER / "control"),
        "store_processed": False,
        "polling_interval": 0.1,
    }
    # kombu's filesystem transport does not create its folders, and a web process may queue a task before any
    # worker has started.
    for _folder in ("queue", "processed", "control"):
        (CELERY_BROKER_FOLDER / _folder).mkdir(parents=True, exist_ok=True)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 10 * 60
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "verify-audit-chain-nightly": {"task": "audit.tasks.audit_chain_verify_task", "schedule": timedelta(days=1)},
    "referral-deadlines-hourly": {"task": "referrals.tasks.referral_deadlines_check_task", "schedule": timedelta(hours=1)},
    "retention-review-monthly": {"task": "casework.tasks.retention_review_task", "schedule": crontab(minute=30, hour=2, day_of_month=1)},
    "meetings-schedule-daily": {"task": "meetings.tasks.meetings_schedule_task", "schedule": timedelta(days=1)},
    "quarterly-reports-at-quarter-end": {"task": "reports.tasks.report_runs_quarter_end_task", "schedule": crontab(minute=0, hour=6, day_of_month=1, month_of_year="1,4,7,10")},
}

REST_FRAMEWORK = {
    # Token first, so that an unauthenticated call gets 401 with WWW-Authenticate rather than 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "agencies.tokens.PersonalTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle", "rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "user": env.str("API_THROTTLE_USER", default="1200/minute"),
        "anon": env.str("API_THROTTLE_ANON", default="60/minute"),
        "token_obtain": env.str("API_THROTTLE_TOKEN", default="10/minute"),
    },
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.api_exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ASB Casework API",
    "DESCRIPTION": "Multi-agency anti-social behaviour case management for Community Safety Partnerships.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "ENUM_NAME_OVERRIDES": {"CaseOutcomeEnum": "casework.models.cases.Case.Outcome", "SecurityMarkingEnum": "casework.models.base.SecurityMarking"},
    # Input and output serializers are separate classes here, so a required text field in a request can say that it
    # may not be blank (minLength 1) without saying so of any response.
    "ENFORCE_NON_BLANK_FIELDS": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "config.api.api_schema_shared_responses"],
}
# The schema and its docs page are for signed-in users and scripts with a token, like the rest of the API.
SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"] = ["rest_framework.permissions.IsAuthenticated"]
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(CasePersonRoleEnum="casework.models.people.CasePerson.Role", PersonGenderEnum="casework.models.people.Person.Gender")
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(InterventionStatusEnum="casework.models.work.Intervention.Status")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint and fontTools report every font and CSS property they skip at INFO: noise in the worker's log.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Partnership defaults (each partnership may override in its own record).
CASE_REVIEW_DEFAULT_COMPLAINTS = 3
CASE_REVIEW_DEFAULT_MONTHS = 6
# Seen in the pages; a demo password is never shown in production.
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="")
