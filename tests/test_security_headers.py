"""Content Security Policy, the other security headers and cookies, rate limits, and production's refusals."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.throttling import UserRateThrottle

ROOT = Path(__file__).resolve().parent.parent
POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def _policy(response) -> dict:
    header = response["Content-Security-Policy"]
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] for part in (p.strip() for p in header.split(";")) if part}


def test_every_page_has_the_content_security_policy_and_the_other_headers(client, police_caseworker):
    client.force_login(police_caseworker)
    for url in (reverse("login"), reverse("dashboard"), reverse("case_list"), reverse("profile")):
        response = client.get(url)
        policy = _policy(response)
        for directive, value in POLICY.items():
            assert policy[directive] == value, (url, directive)
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"


def test_only_the_api_docs_page_widens_the_policy_for_swagger_ui(client, police_caseworker):
    client.force_login(police_caseworker)
    docs = client.get(reverse("api_docs"))
    assert docs.status_code == 200
    policy = _policy(docs)
    assert "https://cdn.jsdelivr.net" in policy["script-src"] and "'unsafe-inline'" not in policy["script-src"]
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    page = docs.content.decode()
    assert not re.search(r"<script>(?!\s*</script>)", page), "Swagger UI starts from a script file, not inline script"
    script = client.get(reverse("api_docs") + "?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


def _served_to_browsers(path: Path) -> bool:
    """PDF templates (in a pdf/ folder, or named *_pdf.html) are rendered by WeasyPrint, never sent to a browser, and
    keep their print styles inline (docs/architecture.md: plain print CSS)."""
    return "pdf" not in path.relative_to(ROOT / "templates").parts and not path.name.endswith("_pdf.html")


TEMPLATE_FILES = sorted(path for path in (ROOT / "templates").rglob("*.html") if _served_to_browsers(path))


@pytest.mark.parametrize("template", TEMPLATE_FILES, ids=lambda path: str(path.relative_to(ROOT / "templates")))
def test_no_template_has_inline_script_or_style(template):
    """The policy forbids them, so a browser would silently drop them: keep them out of every template."""
    text = template.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), "inline <script>: move it to a file under static/js/"
    assert not re.search(r"<style\b", text), "<style> element: move it to static/css/app.css"
    assert not re.search(r"\sstyle\s*=", text), "style attribute: use a class in static/css/app.css"
    assert not re.search(r"\son[a-z]+\s*=", text), "on*= event handler attribute: add a listener in a static/js/ module"
    assert "javascript:" not in text


def test_htmx_is_told_not_to_add_its_own_style_element(client, db):
    page = client.get(reverse("login")).content.decode()
    assert """<meta name="htmx-config" content='{"includeIndicatorStyles":false}'>""" in page


def test_session_and_csrf_cookies_are_http_only(client, police_caseworker, settings):
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    response = client.post(reverse("login"), {"username": "police-cw", "password": "correct-horse-battery"})
    assert response.cookies["sessionid"]["httponly"]


def test_api_throttles_answer_429_with_retry_after(police_caseworker, monkeypatch, settings):
    from agencies.tokens import api_token_create
    from audit.services import Actor

    assert {"user", "anon", "token_obtain"} <= set(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"])
    monkeypatch.setattr(UserRateThrottle, "rate", "3/minute", raising=False)
    _, key = api_token_create(actor=Actor.system(), user=police_caseworker, name="Feed")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    statuses = [api.get("/api/v1/cases/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api.get("/api/v1/cases/")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0


def _run_prod(*args, **extra):
    unwanted = {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "OTP_REQUIRED"}
    env = {k: v for k, v in os.environ.items() if k not in unwanted}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        SECRET_KEY="k" * 20 + "-Zq8!vR3#pL9@wX2$mN7^bT5&hJ4*dF6",
        ALLOWED_HOSTS="casework.example.org",
        DATABASE_URL="postgres://u@127.0.0.1:5432/x",
        REDIS_URL="redis://127.0.0.1:6379/0",
        **extra,
    )
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_production_refuses_to_start_with_two_factor_switched_off():
    result = _run_prod("manage.py", "check", OTP_REQUIRED="0")
    assert result.returncode == 2
    assert result.stderr.strip() == "Configuration error: OTP_REQUIRED cannot be switched off in production: two-factor sign-in is required"


def test_production_settings_keep_hsts_secure_cookies_and_the_policy():
    script = (
        "from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.X_FRAME_OPTIONS, s.OTP_REQUIRED,"
        " s.CONTENT_SECURITY_POLICY['DIRECTIVES']['script-src'], s.SESSION_COOKIE_AGE)"
    )
    result = _run_prod("-c", f"import django; django.setup(); {script}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["31536000", "True", "True", "DENY", "True", "[\"'self'\"]", "1800"]
