"""Reading configuration from the environment, with one-line errors that name the variable.

Settings modules call these helpers; a bad value raises ConfigurationError, which the
entry points (manage.py, wsgi.py, the Celery app) turn into a single line on stderr.
"""

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
        # Pages read a few dozen rows by index. PostgreSQL's planner may still start parallel workers for them
        # (a page of a police force's 78,000 cases was planned as a Gather of two), which costs more to start than it
        # saves and, on a small server, takes cores from other requests. DATABASE_PARALLEL_WORKERS sets the limit
        # per query (0: none; the server's own setting applies when the variable is empty).
        workers = env.str("DATABASE_PARALLEL_WORKERS", default="0").strip()
        if workers:
            if not workers.isdigit():
                raise ConfigurationError(f"DATABASE_PARALLEL_WORKERS is malformed: expected a whole number, got {workers!r}")
            options = config.setdefault("OPTIONS", {})
            options["options"] = f"{options.get('options', '')} -c max_parallel_workers_per_gather={int(workers)}".strip()
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
