"""Configuration: docker-compose.yml against the settings, and one-line errors for bad configuration."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from config.settings.env import PRODUCTION_REQUIRED

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_the_production_stack(compose):
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(compose["services"])


def _module_exists(dotted: str) -> bool:
    return importlib.util.find_spec(dotted) is not None


def test_compose_commands_name_modules_that_exist(compose):
    services = compose["services"]
    web = " ".join(services["web"]["command"])
    assert "gunicorn config.wsgi:application" in web
    assert _module_exists("config.wsgi")
    for name in ("worker", "beat"):
        command = services[name]["command"]
        app = command[command.index("-A") + 1]
        assert _module_exists(app) and _module_exists(f"{app}.celery"), f"{name}: Celery app {app} not found"
        assert ("worker" if name == "worker" else "beat") in command
    beat = services["beat"]["command"]
    scheduler = beat[beat.index("--scheduler") + 1].split(":")[0]
    assert _module_exists(scheduler)


def test_every_variable_production_requires_is_set_for_web_worker_and_beat(compose):
    for name in ("web", "worker", "beat"):
        environment = compose["services"][name]["environment"]
        assert environment["DJANGO_SETTINGS_MODULE"] == "config.settings.prod"
        assert _module_exists(environment["DJANGO_SETTINGS_MODULE"])
        for variable in PRODUCTION_REQUIRED:
            assert environment.get(variable), f"{name} lacks {variable}"


def test_compose_database_and_redis_point_at_the_compose_services(compose):
    environment = compose["services"]["web"]["environment"]
    assert "@postgres:5432/" in environment["DATABASE_URL"]
    assert environment["REDIS_URL"].startswith("redis://redis:6379")


def _run(args, **env):
    unwanted = {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in unwanted}
    clean.update(env)
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120)


def test_malformed_database_url_stops_with_one_line_naming_it():
    result = _run(["manage.py", "check"], DATABASE_URL="not a url", DJANGO_SETTINGS_MODULE="config.settings.dev")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert "DATABASE_URL" in result.stderr and "Traceback" not in result.stderr


def test_production_without_secret_key_stops_with_one_line_naming_it():
    result = _run(
        ["manage.py", "check"],
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        ALLOWED_HOSTS="casework.example.org",
        DATABASE_URL="postgres://u@127.0.0.1:5432/x",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 2
    assert result.stderr.strip() == "Configuration error: SECRET_KEY must be set in the environment for production"


def test_production_wsgi_without_allowed_hosts_stops_with_one_line():
    result = _run(
        ["-c", "import config.wsgi"],
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        SECRET_KEY="x" * 60,
        DATABASE_URL="postgres://u@127.0.0.1:5432/x",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 2
    assert "ALLOWED_HOSTS" in result.stderr and "Traceback" not in result.stderr


def test_production_settings_with_everything_set_pass_the_deploy_checks():
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        SECRET_KEY="k" * 20 + "-Zq8!vR3#pL9@wX2$mN7^bT5&hJ4*dF6",
        ALLOWED_HOSTS="casework.example.org",
        DATABASE_URL="postgres://u@127.0.0.1:5432/x",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stdout + result.stderr
