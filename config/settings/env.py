"""Reading configuration from the environment, with one-line errors that name the variable.

Settings modules call these helpers; a bad value raises ConfigurationError, which the
entry points (manage.py, wsgi.py, the Celery app) turn into a single line on stderr.
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A local .env file is optional; real deployments set the environment.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


# What production refuses to start without (read by prod.py and by the docker-compose test).
PRODUCTION_REQUIRED = ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL")


class ConfigurationError(ImproperlyConfigured):
    """A setting is missing or malformed. The message names the variable."""


DATABASE_SCHEMES = {"postgres", "postgresql", "pgsql", "postgis", "sqlite"}


# PostgreSQL planner settings for the application's own connections (DATABASE_PLANNER_SETTINGS; empty: the server's).
# Pages read a few dozen rows by index from a database that is in memory or on SSD:
# - no parallel workers: for a page of a police force's cases the planner chose a Gather of two workers, which cost
#   more to start than they saved and, on a small server, took cores from other requests;
# - random_page_cost 1.1 rather than 4 (PostgreSQL's guide for SSD or cached data): at 4, a search for a common
#   surname read all 500,000 case-person links in order to avoid 1,400 index lookups (100 ms against 23 ms).
DEFAULT_PLANNER_SETTINGS = "max_parallel_workers_per_gather=0,random_page_cost=1.1"
_PLANNER_SETTING = re.compile(r"^([a-z_]+)=([A-Za-z0-9_.]+)$")


def planner_settings_from_env() -> dict[str, str]:
    raw = env.str("DATABASE_PLANNER_SETTINGS", default=DEFAULT_PLANNER_SETTINGS)
    settings = {}
    for item in filter(None, (part.strip() for part in raw.split(","))):
        match = _PLANNER_SETTING.match(item)
        if match is None:
            raise ConfigurationError(f"DATABASE_PLANNER_SETTINGS is malformed: expected name=value, comma-separated, got {item!r}")
        settings[match.group(1)] = match.group(2)
    return settings


def database_from_env(default_sqlite_path: Path) -> dict:
    """DATABASE_URL, or an SQLite file for the embedded quick start."""
    raw = env.str("DATABASE_URL", default="")
    if not raw:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(default_sqlite_path),
            # One web process and one worker share the file: take the write lock at BEGIN
            # and use WAL, so that concurrent writes wait instead of failing "database is locked".
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    parts = urlsplit(raw)
    if parts.scheme not in DATABASE_SCHEMES:
        raise ConfigurationError(
            f"DATABASE_URL is malformed: expected postgres://user@host:port/name or sqlite:///path, got scheme {parts.scheme!r}"
        )
    if parts.scheme != "sqlite" and not parts.path.strip("/"):
        raise ConfigurationError("DATABASE_URL is malformed: it names no database (postgres://user@host:port/NAME)")
    try:
        config = env.db_url_config(raw)
        if parts.port is not None:
            int(parts.port)
    except (ValueError, KeyError) as exc:
        raise ConfigurationError(f"DATABASE_URL is malformed: {exc}") from None
    config.setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    config["CONN_HEALTH_CHECKS"] = True
    if config["ENGINE"].endswith("postgresql"):
        settings = planner_settings_from_env()
        if settings:
            options = config.setdefault("OPTIONS", {})
            flags = " ".join(f"-c {name}={value}" for name, value in settings.items())
            options["options"] = f"{options.get('options', '')} {flags}".strip()
    return config


def redis_url_from_env() -> str:
    raw = env.str("REDIS_URL", default="")
    if raw and urlsplit(raw).scheme not in {"redis", "rediss", "unix"}:
        raise ConfigurationError(f"REDIS_URL is malformed: expected redis://host:port/db, got {raw!r}")
    return raw


def required(name: str) -> str:
    value = env.str(name, default="")
    if not value:
        raise ConfigurationError(f"{name} must be set in the environment for production")
    return value


def file_storage_from_env(media_root) -> dict:
    """Where uploaded documents and generated PDFs are kept: the file system under MEDIA_ROOT (one machine, or a
    shared network folder), or, when STORAGE_S3_BUCKET is set, a private bucket of an S3-compatible object store
    (AWS S3, MinIO, Ceph...) through django-storages, which every web and worker machine reaches. Either way the
    files are never served directly: the application reads them and checks access first."""
    bucket = env.str("STORAGE_S3_BUCKET", default="")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": media_root}}
    endpoint = env.str("STORAGE_S3_ENDPOINT_URL", default="")
    if endpoint and urlsplit(endpoint).scheme not in {"http", "https"}:
        raise ConfigurationError(f"STORAGE_S3_ENDPOINT_URL is malformed: expected https://host[:port], got {endpoint!r}")
    options = {
        "bucket_name": bucket,
        "location": env.str("STORAGE_S3_PREFIX", default="").strip("/"),
        "default_acl": "private",
        "querystring_auth": True,
        # A name already taken gets a new one, as on the file system: one case's document never replaces another's.
        "file_overwrite": False,
    }
    for option, name in (("endpoint_url", "STORAGE_S3_ENDPOINT_URL"), ("region_name", "STORAGE_S3_REGION"),
                         ("access_key", "STORAGE_S3_ACCESS_KEY_ID"), ("secret_key", "STORAGE_S3_SECRET_ACCESS_KEY")):
        value = env.str(name, default="")
        if value:  # otherwise boto3 finds them as it does (its environment variables, an instance role)
            options[option] = value
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
