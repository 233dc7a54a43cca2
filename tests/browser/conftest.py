"""Real-browser journeys: headless Debian Chromium driven by Playwright, against pytest-django's live_server,
with axe-core checking every page a journey visits.

Write a journey as a test function in tests/browser/test_*.py, marked ``pytestmark = pytest.mark.browser``, using:

    page                  a fresh browser context (cookies, storage) and tab per test; relative URLs go to live_server
    sign_in(page, name)   signs in through the sign-in page (types username and password, submits, then the code from
                          the user's authenticator app); password defaults to the factories' PASSWORD; checks the
                          header says who is signed in
    step(page, "name")    after each page the journey reaches: waits for it to load, screenshots it to
                          tests/browser/screenshots/<test>/NN-<name>.png and runs axe-core (WCAG 2.2 A and AA);
                          a serious or critical violation, an uncaught JavaScript error, a console error, template
                          syntax shown as text ({#, {%, {{) or an error summary entry linking to no field fails the
                          test. Returns the minor and moderate violations, if any, for the test to look at.
    celery_worker_thread  a real Celery worker for the test, in a thread of this process, on a queue of its own: the
                          tasks the server queues run after its response, as in production, while the page polls
                          (the test settings otherwise run Celery eagerly, inside the request). PostgreSQL only.

A page that loads but never gets a step() fails the test at teardown, so that no page escapes the accessibility check.
Create data in the test with the fixtures of /conftest.py and the factories; the test database is committed (the
server runs in another thread) and restored from the migrated state before each browser test.

Without Chromium or axe-core the journeys are skipped with the reason; REQUIRE_BROWSER=1 (CI) makes that a
failure instead.
"""

import json
import os
import re
import shutil
import time
import uuid
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
# How template syntax starts (closing marks left out: a page may show "}}" in data)
TEMPLATE_MARKS = ("{#", "{%", "{{")
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
REQUIRED = os.environ.get("REQUIRE_BROWSER") == "1"
SERVICES_REQUIRED = os.environ.get("REQUIRE_SERVICES") == "1"
PASSWORD = "correct-horse-battery"  # tests/agencies/factories.py UserFactory's password
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 900}

# What the accessibility checks found across the run, for the summary at the end.
_axe_summary = {"pages": 0, "seconds": 0.0, "minor": [], "unavailable": None}


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"Chromium not installed: apt-get install chromium (looked for {CHROMIUM})"
    if not AXE.exists():
        return "axe-core not installed: make node_modules/axe-core/axe.min.js (npm install --no-save axe-core@4.14.1)"
    return None


def _skip_or_fail(reason: str):
    _axe_summary["unavailable"] = reason
    if REQUIRED:
        pytest.fail(f"REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser(live_server):
    """Chromium for the whole run. It asks for live_server so that it closes (and drops its open connections to the
    server) before the server stops."""
    reason = _missing()
    if reason:
        _skip_or_fail(reason)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    database_connections = {alias: connections[alias] for alias in connections}
    playwright = sync_playwright().start()
    # Playwright's sync API leaves an event loop running in this thread, and Django (through asgiref's Local) would
    # then hand out new connection objects, without the test database's serialized snapshot and, for in-memory SQLite,
    # apart from the one the server thread shares. Keep using the same ones.
    for alias, connection in database_connections.items():
        connections[alias] = connection
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    except Exception as error:  # a broken or incompatible Chromium: say so rather than erroring in every test
        playwright.stop()
        _skip_or_fail(f"Chromium at {CHROMIUM} did not start: {str(error).splitlines()[0]}")
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture(autouse=True)
def _browser_test_database(django_db_serialized_rollback):
    """The server thread must see the test's data, so browser tests commit and the tables are flushed after each;
    serialized rollback restores the migrated data (ASB kinds, permissions) before each of them."""


class _Journey:
    """What a test's page has done: its screenshots folder, the step count, and what still needs a check."""

    def __init__(self, name: str):
        self.folder = SCREENSHOTS / re.sub(r"[^\w.-]+", "-", name).strip("-")
        shutil.rmtree(self.folder, ignore_errors=True)
        self.steps = 0
        self.unchecked_urls: list[str] = []
        self.problems: list[str] = []


@pytest.fixture
def page(browser, live_server, request):
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, viewport=VIEWPORT, locale="en-GB")
    context.set_default_timeout(10_000)
    # axe-core in every document from the start: sending its 650 KB with add_script_tag at each step took longer.
    context.add_init_script(path=str(AXE))
    tab = context.new_page()
    journey = _Journey(request.node.name)
    tab._journey = journey

    def on_console(message):
        # Chromium logs the status of every 4xx/5xx response, the page's own included; a journey checks that itself.
        own_status = message.text.startswith("Failed to load resource") and message.location.get("url") == tab.url
        if message.type == "error" and not own_status:
            journey.problems.append(f"console error: {message.text} ({message.location.get('url', '')})")

    tab.on("load", lambda loaded: journey.unchecked_urls.append(loaded.url))
    tab.on("pageerror", lambda error: journey.problems.append(f"JavaScript error: {error}"))
    tab.on("console", on_console)
    yield tab

    call = getattr(request.node, "rep_call", None)
    try:
        if call is not None and call.failed and not tab.is_closed():
            _screenshot(tab, "failure")
        elif call is not None and call.passed:
            tab.wait_for_load_state()
            if journey.unchecked_urls:
                pytest.fail(
                    "These pages were visited but never checked with step(page, name): " + ", ".join(journey.unchecked_urls),
                    pytrace=False,
                )
    finally:
        context.close()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Every test in this folder is a browser test, marked or not, so that `-m "not browser"` leaves them all out."""
    for item in items:
        if item.nodeid.startswith("tests/browser/"):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def _screenshot(page, name: str) -> Path:
    journey = page._journey
    journey.steps += 1
    journey.folder.mkdir(parents=True, exist_ok=True)
    path = journey.folder / f"{journey.steps:02d}-{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}.png"
    page.screenshot(path=path, full_page=True)
    return path


def _axe_violations(page) -> list[dict]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary || ""})),
            }));
        }""",
        AXE_TAGS,
    )


def _describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"  {v['id']} ({v['impact']}): {v['help']} [{v['helpUrl']}]")
        for node in v["nodes"][:5]:
            summary = " ".join(node["summary"].split())[:300]
            lines.append(f"    at {node['target']}: {summary}")
        if len(v["nodes"]) > 5:
            lines.append(f"    and {len(v['nodes']) - 5} more elements")
    return "\n".join(lines)


@pytest.fixture
def step():
    def step(page, name: str) -> list[dict]:
        """Screenshot the page the journey has reached and check its accessibility (see the module docstring)."""
        page.wait_for_load_state()
        journey = page._journey
        shot = _screenshot(page, name)
        started = time.perf_counter()
        violations = _axe_violations(page)
        _axe_summary["seconds"] += time.perf_counter() - started
        _axe_summary["pages"] += 1
        journey.unchecked_urls.clear()
        where = f"{page.url} (step {shot.name})"
        blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        others = [v for v in violations if v["impact"] not in BLOCKING_IMPACTS]
        _axe_summary["minor"].extend(f"{where}\n{_describe([v])}" for v in others)
        # The template language shows what it cannot parse (a comment over two lines, an unclosed tag) as text.
        shown = page.locator("body").inner_text()
        journey.problems += [f"template syntax shown as text: {mark}" for mark in TEMPLATE_MARKS if mark in shown]
        # GOV.UK: every entry in an error summary links to its field on the page.
        unlinked = page.evaluate(
            """() => [...document.querySelectorAll('.govuk-error-summary a[href^="#"]')]
                .map((link) => link.getAttribute("href").slice(1)).filter((id) => !document.getElementById(id))"""
        )
        journey.problems += [f"error summary links to #{target}, which is not on the page" for target in unlinked]
        problems, journey.problems = journey.problems, []
        if blocking:
            pytest.fail(f"axe-core: serious or critical accessibility violations on {where}:\n{_describe(blocking)}", pytrace=False)
        if problems:
            pytest.fail(f"Browser problems on {where}:\n  " + "\n  ".join(problems), pytrace=False)
        return others

    return step


@pytest.fixture
def celery_worker_thread(live_server):
    """A Celery worker thread for one test. Tasks the server queues go through the broker (Redis in CI, the filesystem
    transport otherwise) to this worker, which runs them against the test database on its own connection, so a
    page can watch a task's progress as a user would. In-memory SQLite cannot be shared with another connection,
    so this needs PostgreSQL (DATABASE_URL); REQUIRE_SERVICES=1 makes its absence a failure."""
    from celery.contrib.testing.worker import start_worker
    from django.db import connection

    from config.celery import app

    if connection.vendor != "postgresql":
        reason = "a Celery worker thread needs the test database on PostgreSQL (set DATABASE_URL)"
        if SERVICES_REQUIRED:
            pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    # A queue of this test's own: nothing left in the broker by another run reaches this worker.
    queue = f"browser-{uuid.uuid4().hex[:8]}"
    saved = {name: app.conf[name] for name in ("task_always_eager", "task_default_queue", "worker_hijack_root_logger")}
    app.conf.update(task_always_eager=False, task_default_queue=queue, worker_hijack_root_logger=False)
    try:
        # No result backend is configured, so no ping task: start_worker returns once the worker consumes.
        with start_worker(app, queues=[queue], perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30) as worker:
            yield worker
    finally:
        app.conf.update(saved)


@pytest.fixture
def sign_in(step):
    from playwright.sync_api import expect

    def sign_in(page, username: str, password: str = PASSWORD):
        """Sign in through the sign-in page as a user would, then give the code from their authenticator app (a
        confirmed device is made for them if they have none), and check the header names them."""
        from django.contrib.auth import get_user_model

        from tests.agencies.factories_security import make_totp_device, totp_code

        device = make_totp_device(get_user_model().objects.get(username=username))
        page.goto(reverse("login"))
        step(page, "sign-in page")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
        step(page, "two-factor code")
        page.get_by_label("Code").fill(totp_code(device))
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_test_id("acting-for")).to_contain_text("Signed in as")
        step(page, f"signed in as {username}")

    return sign_in


def _axe_version() -> str:
    return json.loads((AXE.parent / "package.json").read_text())["version"]


def pytest_terminal_summary(terminalreporter):
    if _axe_summary["unavailable"]:
        outcome = "error" if REQUIRED else "skipped"
        count = sum(1 for report in terminalreporter.stats.get(outcome, []) if "tests/browser/" in report.nodeid)
        verb = "FAILED" if REQUIRED else "SKIPPED"
        terminalreporter.write_sep(
            "-", f"{count} browser tests {verb}: {_axe_summary['unavailable']}", yellow=not REQUIRED, red=REQUIRED, bold=True
        )
        return
    if not _axe_summary["pages"]:
        return
    pages, findings = _axe_summary["pages"], len(_axe_summary["minor"])
    terminalreporter.write_sep(
        "-",
        f"axe-core {_axe_version()}: {pages} page{'s' * (pages != 1)} checked in {_axe_summary['seconds']:.1f} s, "
        f"{findings} minor or moderate finding{'s' * (findings != 1)}",
    )
    for finding in _axe_summary["minor"]:
        terminalreporter.write_line(finding)
