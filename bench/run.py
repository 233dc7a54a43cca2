"""The county-scale benchmark (`make bench`): ASB Casework under gunicorn against a seeded database, measured from
this separate process over loopback.

Assumes `python manage.py seed_scale` has filled DATABASE_URL. It:
1. finds what to ask for (a caseworker of the largest agency and of a small one, a busy case, a repeat victim,
   search terms, the next meeting of the busiest casework group, the largest partnership) and, in this process,
   times the naive django-guardian query against ours for the same case list, the import of 10,000 rows, building a
   60-case agenda and the quarterly report, each through the application's own services and rolled back;
2. starts gunicorn (config.settings.bench: production behaviour plus a Server-Timing header) and a private Redis for
   the cache when REDIS_URL is not set and redis-server is installed; signs the two caseworkers in over HTTP with
   their password and a two-factor code (django-otp's TOTP, from the device seed_scale gave them) and asks for an
   API token each, as a script would;
3. requests each page in turn, round after round (so background noise falls on every page alike), and reads the
   server's own time from `Server-Timing: app;dur=` (Django's time for the request, not the network's);
4. runs a mixed caseworker load from several connections at once for the throughput, then the floor page alone under
   the same load (what the machine allows at all), with the CPU a request cost the web workers, PostgreSQL (when it
   runs on this machine) and the load generator in each; carries on to 10,000 requests in all, and reads each
   gunicorn worker's resident memory;
5. prints p50, p95 and the ratio to the floor (the lightest signed-in page) per item, and writes bench/results.json
   (the issue's format) and bench/results-detail.json (samples, client times, the small agency's pages, machine load).

Every phase is bounded in requests and in seconds. Only the processes this script starts are stopped.
"""

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")

ITEMS = [
    "floor", "dashboard", "case_list_large_agency", "case_list_small_agency", "case_list_filtered", "search_surname",
    "search_postcode", "search_reference", "case_page", "person_page", "referrals_inbox", "api_case_list",
    "agenda_build", "quarterly_report", "import_10k",
]
SERVER_TIMING = re.compile(r"app;dur=([0-9.]+)")
SERVER_CPU = re.compile(r"cpu;dur=([0-9.]+)")


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return None
    index = min(len(ordered) - 1, max(0, int(round(fraction * len(ordered) + 0.5)) - 1))
    return ordered[index]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing listening on port {port} after {seconds} s")


# -- what to ask for, and the measurements made in this process


def discover(small_share: float):
    """Users, a busy case, a repeat victim, search terms, the meeting and the partnership, straight from the database."""
    from django.db.models import Count
    from django.utils import timezone

    from agencies.models import Agency, CaseworkGroup, Membership, Partnership
    from casework import permissions
    from casework.models import Case, CasePerson, VisibleCaseCount
    from meetings.models import Meeting
    from referrals.models import GroupReferral

    counts = dict(VisibleCaseCount.objects.values_list("group_id", "cases"))
    agencies = sorted(Agency.objects.all(), key=lambda a: counts.get(a.group_id, 0), reverse=True)
    if not agencies or not counts:
        sys.exit("No county here: run `python manage.py seed_scale` against this database first.")
    large = agencies[0]
    total = Case.objects.count()
    # "A small one": the agency whose share of the county's cases is nearest `small_share` (1% by default).
    small = min(agencies[1:], key=lambda a: abs(counts.get(a.group_id, 0) - small_share * total))

    def caseworkers(agency):
        """Two caseworkers of the agency: one signs in to the pages, the other (a script of the same agency, seeing the
        same cases) uses the API with a personal token. One alone does both when the agency has no second."""
        found = list(
            Membership.objects.filter(agency=agency, role=Membership.Role.CASEWORKER, is_active=True, user__is_active=True)
            .select_related("user", "partnership").order_by("id")[:2]
        )
        return found[0], found[-1]

    (large_member, large_api), (small_member, small_api) = caseworkers(large), caseworkers(small)
    user = large_member.user
    visible = permissions.cases_permitted(user=user, agency=large)
    current = visible.exclude(status=Case.Status.CLOSED)
    case_refs = list(current.order_by(*permissions.NEWEST_FIRST).values_list("reference", flat=True)[:200])
    # The busiest of the agency's 200 newest current cases: the case page with the most on it.
    busy = (
        Case.objects.filter(reference__in=case_refs).annotate(n=Count("incidents")).order_by("-n", "-id").values("reference", "postcode").first()
    )
    victim = (
        CasePerson.objects.filter(role=CasePerson.Role.VICTIM, case__in=visible.values("pk"))
        .values("person_id").annotate(n=Count("case_id", distinct=True)).order_by("-n", "person_id").first()
    )
    people = list(
        CasePerson.objects.filter(case__reference__in=case_refs[:60]).values_list("person_id", flat=True).distinct()[:60]
    )
    surname = (
        CasePerson.objects.filter(case__reference=busy["reference"]).values_list("person__last_name", flat=True).first() or "Smith"
    )
    # The agenda: the next meeting of the group holding the most cases, built by its chair.
    group_id = (
        GroupReferral.objects.filter(status=GroupReferral.Status.WITH_GROUP).values("group_id").annotate(n=Count("id"))
        .order_by("-n", "group_id").values_list("group_id", flat=True).first()
    )
    group = CaseworkGroup.objects.select_related("chair").get(pk=group_id) if group_id else None
    meeting = (
        Meeting.objects.filter(group=group, held_on__gte=timezone.localdate(), status=Meeting.Status.SCHEDULED, minutes_published_at__isnull=True)
        .order_by("held_on").first() if group else None
    )
    chair_membership = (
        Membership.objects.filter(user=group.chair, is_active=True).select_related("agency").order_by("id").first() if group else None
    )
    biggest = Partnership.objects.annotate(n=Count("cases")).order_by("-n", "pk").first()
    return {
        "large": {"agency": large.name, "visible": counts.get(large.group_id, 0), "username": user.username,
                  "api_username": large_api.user.username},
        "small": {"agency": small.name, "visible": counts.get(small.group_id, 0), "username": small_member.user.username,
                  "api_username": small_api.user.username},
        "case": busy["reference"],
        "case_refs": case_refs,
        "person": victim["person_id"],
        "person_cases": victim["n"],
        "people": people,
        "surname": surname,
        "postcode": busy["postcode"][:-1],  # a partial postcode, as typed: "CB7 4A"
        "reference_prefix": busy["reference"][:-1],
        "cases_in_county": total,
        "meeting": meeting.pk if meeting else None,
        "group": group.name if group else None,
        "chair": group.chair_id if group else None,
        "chair_agency": chair_membership.agency_id if chair_membership else None,
        "partnership": biggest.pk,
        "partnership_name": biggest.name,
        "partnership_cases": biggest.n,
    }


def timed(function, repeat):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


class Rollback(Exception):
    """Raised to undo what a measurement wrote (an import, an agenda, a report)."""


def measure_naive_guardian(username: str, repeat: int) -> dict:
    """The same first page of 25 newest cases and the total, three ways, from this process: ours
    (casework.selectors.case_list through CasePaginator), django-guardian's get_objects_for_user on its direct
    foreign-key table (CaseGroupObjectPermission), and get_objects_for_user on guardian's GENERIC table
    (GroupObjectPermission, object_pk as text), which is the naive design: every grant of the county is copied into it
    for the measurement and removed afterwards."""
    import guardian.shortcuts as shortcuts
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from guardian.models import GroupObjectPermission, UserObjectPermission

    from agencies.models import Membership
    from casework import selectors
    from casework.models import Case
    from casework.pagination import CasePaginator

    user = get_user_model().objects.get(username=username)
    agency = Membership.objects.filter(user=user).select_related("agency").order_by("id").first().agency

    def ours():
        page = CasePaginator(selectors.case_list(user=user, agency=agency), 25).page(1)
        return page.paginator.count, [c.reference for c in page.object_list]

    def guardian_page():
        qs = shortcuts.get_objects_for_user(user, "casework.view_case", klass=Case, use_groups=True, with_superuser=False,
                                            accept_global_perms=False)
        qs = qs.select_related("lead_agency", "lead_officer", "kind", "partnership").order_by("-opened_on", "-id")
        return qs.count(), [c.reference for c in qs[:25]]

    expected = ours()
    result = {"ours_ms": statistics.median(timed(ours, repeat))}
    if guardian_page() != expected:
        raise RuntimeError("guardian's direct-FK query found a different first page from ours")
    result["guardian_direct_fk_ms"] = statistics.median(timed(guardian_page, max(3, repeat // 2)))

    case_type = ContentType.objects.get_for_model(Case)
    table = connection.ops.quote_name(GroupObjectPermission._meta.db_table)

    def empty_generic_table():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE content_type_id = %s", [case_type.pk])
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {table}")

    empty_generic_table()  # what an interrupted earlier run may have left
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {table} (object_pk, content_type_id, group_id, permission_id)
                SELECT g.content_object_id::text, %s, g.group_id, g.permission_id FROM casework_casegroupobjectpermission g""",
            [case_type.pk],
        )
        result["generic_rows"] = cursor.rowcount
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {table}")  # as autovacuum would leave it: statistics and visibility map
        originals = shortcuts.get_group_obj_perms_model, shortcuts.get_user_obj_perms_model
        shortcuts.get_group_obj_perms_model = lambda obj=None: GroupObjectPermission
        shortcuts.get_user_obj_perms_model = lambda obj=None: UserObjectPermission
        try:
            if guardian_page() != expected:
                raise RuntimeError("guardian's generic-table query found a different first page from ours")
            result["guardian_generic_ms"] = statistics.median(timed(guardian_page, max(3, repeat // 2)))
        finally:
            shortcuts.get_group_obj_perms_model, shortcuts.get_user_obj_perms_model = originals
    finally:
        empty_generic_table()
    result["speedup_vs_generic"] = result["guardian_generic_ms"] / result["ours_ms"]
    result["speedup_vs_direct_fk"] = result["guardian_direct_fk_ms"] / result["ours_ms"]
    result["visible_cases"] = expected[0]
    return result


def measure_import(runs: int, rows: int, partnership_id: int) -> list[float]:
    """Import `rows` generated CSV rows into the largest partnership through casework.services.imports.cases_import
    (checked, referenced, granted and audited as any import), rolled back each time."""
    from django.db import transaction

    from agencies.models import Agency, Partnership
    from audit.services import Actor
    from casework.management.commands.bench_import import generate_csv
    from casework.services.imports import cases_import

    target = Partnership.objects.get(pk=partnership_id)
    agencies = list(Agency.objects.filter(partnerships=target).order_by("slug").values_list("slug", flat=True))
    data = generate_csv(rows=rows, agencies=agencies)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        try:
            with transaction.atomic():
                result = cases_import(actor=Actor.system(), partnership=target, data=data, source_name="bench.csv")
                elapsed = (time.perf_counter() - started) * 1000
                if not result.ok or len(result.created) != rows:
                    raise RuntimeError(f"import refused: {result.errors[:3]}")
                raise Rollback
        except Rollback:
            times.append(elapsed)
    return times


AGENDA_CASES = 60


def measure_agenda(found, repeat: int) -> tuple[list[float], int] | tuple[None, str]:
    """Building the agenda of the group's next meeting through meetings.services.agenda.agenda_build, as its chair,
    rolled back each time. The cut-off is the default one (the schedule's days before the meeting) unless more than
    AGENDA_CASES cases would be on it: then the day the AGENDA_CASES-th of them was referred."""
    from datetime import datetime, time as day_time

    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from agencies.models import Agency
    from audit.services import Actor
    from meetings.models import AgendaItem, Meeting
    from meetings.services.agenda import agenda_build
    from referrals.selectors.referrals import cases_with_group

    if not found["meeting"]:
        return None, "no meeting: seed_scale makes each group's schedule"
    meeting = Meeting.objects.select_related("group").get(pk=found["meeting"])
    actor = Actor(user=get_user_model().objects.get(pk=found["chair"]), agency=Agency.objects.filter(pk=found["chair_agency"]).first())
    referred = list(cases_with_group(meeting.group).order_by("group_referred_on", "id").values_list("group_referred_on", flat=True))
    cut_off = None
    if len(referred) > AGENDA_CASES:
        cut_off = timezone.make_aware(datetime.combine(referred[AGENDA_CASES - 1], day_time(23, 59)))
    times, cases = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        try:
            with transaction.atomic():
                built = agenda_build(actor=actor, meeting=meeting, cut_off=cut_off)
                elapsed = (time.perf_counter() - started) * 1000
                cases = AgendaItem.objects.filter(meeting=built, kind=AgendaItem.Kind.CASE).count()
                raise Rollback
        except Rollback:
            times.append(elapsed)
    return times, cases


def measure_quarterly_report(found, repeat: int) -> list[float]:
    """The last completed quarter's report for the largest partnership, made as the Celery worker makes it
    (reports.services.runs: statistics, PDF, stored file, run marked done), rolled back each time (its file removed)."""
    from django.db import transaction
    from django.utils import timezone

    from agencies.models import Partnership
    from audit.services import Actor
    from reports.models import ReportRun
    from reports.quarters import quarter_last_completed
    from reports.services import runs

    target = Partnership.objects.get(pk=found["partnership"])
    quarter = quarter_last_completed(timezone.localdate())
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        try:
            with transaction.atomic():
                run = runs.report_run_request(actor=Actor.system(), partnership=target, quarter=quarter, via=ReportRun.Via.COMMAND, enqueue=False)
                run = runs.report_run_build(run_id=run.pk)
                elapsed = (time.perf_counter() - started) * 1000
                if run.status != ReportRun.Status.DONE:
                    raise RuntimeError(f"the report failed: {run.error}")
                run.file.storage.delete(run.file.name)
                raise Rollback
        except Rollback:
            times.append(elapsed)
    return times


def totp_code(username: str) -> str:
    """The code the user's authenticator app shows now, from their confirmed device (seed_scale gives every user
    one; made here for a county seeded before it did). django-otp refuses a code twice: if this time step's code has
    been used, wait for the next step."""
    from django.contrib.auth import get_user_model
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from agencies.two_factor import TOTP_DEVICE_NAME, totp_device_for_user

    user = get_user_model().objects.get(username=username)
    device = totp_device_for_user(user=user) or TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=True)
    while True:
        device.refresh_from_db()
        now = time.time()
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = now
        if totp.t() > device.last_t:
            return f"{totp.token():0{device.digits}d}"
        time.sleep(device.step - (now - device.t0) % device.step + 0.05)


# -- HTTP


class Session:
    """One signed-in user's cookies (or API token), over fresh loopback connections (gunicorn's sync workers close
    each one)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies = {}
        self.token = None
        self.last_cpu_ms = None  # the web worker's CPU for the last request (Server-Timing's cpu), when it said

    def request(self, method, path, body=None, headers=None, api=False):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        all_headers = {"Host": "127.0.0.1"}
        if api and self.token:
            all_headers["Authorization"] = f"Token {self.token}"
        elif self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        all_headers.update(headers or {})
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        content = response.read()
        client_ms = (time.perf_counter() - started) * 1000
        if not api:
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
        connection.close()
        server_timing = response.getheader("Server-Timing") or ""
        timing, cpu = SERVER_TIMING.search(server_timing), SERVER_CPU.search(server_timing)
        self.last_cpu_ms = float(cpu.group(1)) if cpu else None
        self.last_location = response.getheader("Location") or ""
        return response.status, content, client_ms, float(timing.group(1)) if timing else None

    def _post_form(self, path, fields):
        status, content, _, _ = self.request("GET", path)
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
        if status != 200 or found is None:
            raise RuntimeError(f"GET {path} answered HTTP {status} without a form")
        body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": found.group(1).decode()})
        status, _, _, _ = self.request(
            "POST", path, body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://127.0.0.1:{self.port}{path}"},
        )
        return status

    def sign_in(self, username, password, code):
        """As a person signs in: the password, then the code from their authenticator app (`code()` gives it)."""
        if self._post_form("/sign-in/", {"username": username, "password": password}) != 302:
            raise RuntimeError(f"could not sign in as {username}: the password was refused")
        code_page = urllib.parse.urlsplit(self.last_location)
        if not code_page.path.endswith("/sign-in/code/"):
            raise RuntimeError(f"signing in as {username} led to {self.last_location}, not the two-factor code")
        if self._post_form(code_page.path, {"code": code()}) != 302:
            raise RuntimeError(f"could not sign in as {username}: the two-factor code was refused")

    def obtain_api_token(self, username, password, code):
        """A personal API token, asked for as a script does: username, password and a current code."""
        body = json.dumps({"username": username, "password": password, "otp": code(), "name": "County-scale benchmark"})
        status, content, _, _ = self.request("POST", "/api/v1/auth/token/", body=body, headers={"Content-Type": "application/json"}, api=True)
        if status != 201:
            raise RuntimeError(f"no API token for {username} (HTTP {status}): {content[:200]!r}")
        self.token = json.loads(content)["token"]


def start_server(args, env):
    procs = {}
    if not env.get("REDIS_URL") and shutil.which("redis-server"):
        redis_port = free_port()
        procs["redis"] = subprocess.Popen(
            ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_for_port(redis_port, 10)
        env["REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
    procs["gunicorn"] = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--workers", str(args.workers), "--bind",
         f"127.0.0.1:{args.port}", "--preload", "--timeout", "120", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    wait_for_port(args.port, 60)
    return procs


def stop(procs):
    for name in ("gunicorn", "redis"):
        process = procs.get(name)
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def worker_rss_mb(master_pid: int) -> list[float]:
    sizes = []
    for pid in worker_pids(master_pid):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


def process_cpu_seconds(pid: int) -> float | None:
    """User and system CPU time a process has used so far (None once it has gone, or when it is not ours to read)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children_pids(pid: int) -> list[int]:
    """A process's child processes, as /proc lists them."""
    return [int(child) for task in Path(f"/proc/{pid}/task").iterdir() for child in (task / "children").read_text().split()]


def worker_pids(master_pid: int) -> list[int]:
    """The gunicorn master's workers."""
    return children_pids(master_pid)


def database_server_pid() -> int | None:
    """The PostgreSQL server (postmaster) process, when the database runs on this machine: the parent of this
    connection's backend, if that is a postgres process here (a server elsewhere has its own process numbers)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (backend,) = cursor.fetchone()
    try:
        if Path(f"/proc/{backend}/comm").read_text().strip() != "postgres":
            return None
        return int(Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def database_server_cpu_seconds(postmaster: int) -> float | None:
    """CPU the whole PostgreSQL server has used so far: the postmaster's own, its live children's (each connection's
    backend, the WAL writer, the checkpointer) and its children that have exited, which the kernel adds to the
    postmaster's when it reaps them. So a connection that closes during a measurement (CONN_MAX_AGE) keeps its share;
    reading only the live backends lost it, and once put a mix request's PostgreSQL time at 0.2 ms instead of 2.6."""
    try:
        fields = Path(f"/proc/{postmaster}/stat").read_text().rsplit(")", 1)[1].split()
        children = children_pids(postmaster)
    except (OSError, IndexError):
        return None
    ticks = int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])  # utime, stime, cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK") + sum(process_cpu_seconds(pid) or 0.0 for pid in children)


class CpuMeter:
    """CPU used between start() and per_request(n), in ms a request, by each side of the load: the web workers, the
    PostgreSQL server (when the database runs on this machine; otherwise None), and the load generator (this
    process). On a machine whose cores are all busy, the throughput is simply the cores over their sum, so these say
    what a request costs whatever the machine's speed, and where."""

    def __init__(self, gunicorn_pid: int):
        self.gunicorn_pid = gunicorn_pid
        self.postmaster = database_server_pid()

    def _read(self) -> dict:
        database = database_server_cpu_seconds(self.postmaster) if self.postmaster else None
        return {
            "web": {pid: process_cpu_seconds(pid) for pid in worker_pids(self.gunicorn_pid)},
            "database": {self.postmaster: database} if database is not None else {},
            "load_generator": {os.getpid(): time.process_time()},
        }

    def start(self):
        self.before = self._read()

    def per_request(self, requests: int) -> dict:
        after = self._read()
        figures = {}
        for side, now in after.items():
            readable = {pid: seconds for pid, seconds in now.items() if seconds is not None}
            if side == "database" and not readable:
                figures[side] = None  # a database on another machine, or one whose processes this user cannot read
                continue
            used = sum(seconds - (self.before[side].get(pid) or 0.0) for pid, seconds in readable.items())
            figures[side] = round(used * 1000 / max(requests, 1), 2)
        return figures


def item_figures(values, floor_p50, floor_p95) -> dict:
    p50, p95 = percentile(values, 0.5), percentile(values, 0.95)
    return {"p50_ms": round(p50, 2), "p95_ms": round(p95, 2), "ratio_to_floor": round(p95 / floor_p95, 2),
            "ratio_to_floor_p50": round(p50 / floor_p50, 2), "samples": len(values)}


def describe_cpu(figures: dict) -> str:
    parts = [f"{label} {figures[side]:.1f} ms" for side, label in (("web", "web workers"), ("database", "PostgreSQL"),
             ("load_generator", "load generator")) if figures.get(side) is not None]
    total = sum(value for value in figures.values() if value is not None)
    if not total:  # too few requests for the clock to see
        return ", ".join(parts)
    return ", ".join(parts) + f" (together {total:.1f} ms: {os.cpu_count()} cores allow {os.cpu_count() * 1000 / total:.0f} a second)"


def machine() -> dict:
    load = os.getloadavg()
    return {"cpus": os.cpu_count(), "load_1_5_15": [round(x, 2) for x in load]}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--workers", type=int, default=3)
    # 200 samples a page: a p95 is then the 190th, with ten slower requests above it, rather than the 57th of 60 with
    # three, which one burst of the host's other work could move by milliseconds. About 40 s for 16 pages.
    parser.add_argument("--rounds", type=int, default=200, help="Requests per page, in interleaved rounds")
    parser.add_argument("--concurrency", type=int, default=6)
    parser.add_argument("--throughput-seconds", type=float, default=30)
    parser.add_argument("--floor-throughput-seconds", type=float, default=10, help="The floor page alone under the same load")
    parser.add_argument("--total-requests", type=int, default=10_000, help="Requests served before memory is read")
    parser.add_argument("--time-limit", type=float, default=900, help="Seconds for the whole HTTP part at most")
    parser.add_argument("--import-runs", type=int, default=3)
    parser.add_argument("--import-rows", type=int, default=10_000, help="Rows per import (import_10k: 10,000)")
    parser.add_argument("--agenda-runs", type=int, default=5)
    parser.add_argument("--report-runs", type=int, default=3)
    parser.add_argument("--password", default="county-scale-2026", help="The seeded users' password (seed_scale --password)")
    parser.add_argument("--small-share", type=float, default=0.01)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.json"))
    parser.add_argument("--detail-out", default=str(ROOT / "bench" / "results-detail.json"))
    args = parser.parse_args()
    args.port = args.port or free_port()

    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    if connection.vendor != "postgresql":
        sys.exit("The benchmark needs PostgreSQL: set DATABASE_URL (and run seed_scale) first.")
    began = {"at": timezone.now().isoformat(timespec="seconds"), **machine()}
    print(f"Database {connection.settings_dict['NAME']}: finding what to ask for (load average {began['load_1_5_15']})")
    found = discover(args.small_share)
    print(f"  largest agency: {found['large']['agency']} ({found['large']['visible']:,} cases visible), "
          f"small: {found['small']['agency']} ({found['small']['visible']:,}); {found['cases_in_county']:,} cases in the county")

    print("In-process: the naive django-guardian query against ours (first page of 25 and the count of the case list)")
    naive = measure_naive_guardian(found["large"]["username"], repeat=9)
    print(f"  ours {naive['ours_ms']:.1f} ms; get_objects_for_user on guardian's direct-FK table {naive['guardian_direct_fk_ms']:.1f} ms, "
          f"on its generic table ({naive['generic_rows']:,} rows) {naive['guardian_generic_ms']:.1f} ms: "
          f"ours is {naive['speedup_vs_generic']:.0f} times faster than the generic one")
    print(f"In-process: importing {args.import_rows:,} rows into {found['partnership_name']} ({args.import_runs} runs, each rolled back)")
    import_times = measure_import(args.import_runs, args.import_rows, found["partnership"])
    print("  " + ", ".join(f"{t / 1000:.1f} s" for t in import_times))
    print(f"In-process: building the agenda of the next meeting of {found['group']} ({args.agenda_runs} runs, each rolled back)")
    agenda, agenda_cases = measure_agenda(found, args.agenda_runs)
    if agenda is None:
        print(f"  not measured: {agenda_cases}")
    else:
        print(f"  {agenda_cases} cases on the agenda: " + ", ".join(f"{t:.0f} ms" for t in agenda))
    print(f"In-process: the quarterly report for {found['partnership_name']} ({found['partnership_cases']:,} cases; "
          f"{args.report_runs} runs, each rolled back)")
    report = measure_quarterly_report(found, args.report_runs)
    print("  " + ", ".join(f"{t / 1000:.1f} s" for t in report))
    # The rolled-back runs above leave their rows dead in the tables (three imports: 30,000 cases and 120,000 grants),
    # under autovacuum's threshold for tables this size, at the ends of the indexes the pages read. A county's
    # database does not fill with rolled-back imports; clear them, as autovacuum does, before timing the pages.
    vacuum_started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    print(f"In-process: vacuum and analyze after the rolled-back runs: {time.perf_counter() - vacuum_started:.1f} s")
    connection.close()

    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.bench")
    procs = start_server(args, env)
    served = 0
    started_http = time.monotonic()
    try:
        sessions = {}
        for who in ("large", "small"):
            session = Session(args.port)
            username = found[who]["username"]
            session.sign_in(username, args.password, lambda username=username: totp_code(username))
            sessions[who] = session
        large, small = sessions["large"], sessions["small"]
        # The API with a personal token, as scripts use it.
        api_large, api_small = Session(args.port), Session(args.port)
        for who, session in (("large", api_large), ("small", api_small)):
            username = found[who]["api_username"]
            session.obtain_api_token(username, args.password, lambda username=username: totp_code(username))
        connection.close()
        served += 10
        filtered = "/cases/?" + urllib.parse.urlencode({"status": "current", "risk_level": "high"})
        pages = {
            "floor": (large, "/ping/"),
            "dashboard": (large, "/"),
            "case_list_large_agency": (large, "/cases/"),
            "case_list_small_agency": (small, "/cases/"),
            "case_list_filtered": (large, filtered),
            "search_surname": (large, "/cases/?" + urllib.parse.urlencode({"q": found["surname"]})),
            "search_postcode": (large, "/cases/?" + urllib.parse.urlencode({"q": found["postcode"]})),
            "search_reference": (large, "/cases/?" + urllib.parse.urlencode({"q": found["reference_prefix"]})),
            "case_page": (large, f"/cases/{found['case']}/"),
            "person_page": (large, f"/people/{found['person']}/"),
            "referrals_inbox": (large, "/referrals/"),
            "api_case_list": (api_large, "/api/v1/cases/"),
        }
        more_pages = {
            "dashboard_small_agency": (small, "/"),
            "case_list_filtered_small_agency": (small, filtered),
            "referrals_inbox_small_agency": (small, "/referrals/"),
            "api_case_list_small_agency": (api_small, "/api/v1/cases/"),
        }
        everything = {**pages, **more_pages}
        for name, (session, path) in everything.items():  # warm every worker's caches and plans
            for _ in range(args.workers * 2):
                status, _, _, _ = session.request("GET", path, api=session.token is not None)
                served += 1
                if status != 200:
                    raise RuntimeError(f"{name}: {path} answered HTTP {status}")
        server = {name: [] for name in everything}
        client = {name: [] for name in everything}
        server_cpu = {name: [] for name in everything}  # the web worker's CPU for the request: its Python, no waiting
        print(f"HTTP: {args.rounds} rounds of {len(everything)} pages, one at a time")
        for _ in range(args.rounds):
            if time.monotonic() - started_http > args.time_limit / 2:
                break
            for name, (session, path) in everything.items():
                status, _, client_ms, server_ms = session.request("GET", path, api=session.token is not None)
                served += 1
                if status != 200 or server_ms is None:
                    raise RuntimeError(f"{name}: {path} answered HTTP {status}")
                server[name].append(server_ms)
                client[name].append(client_ms)
                if session.last_cpu_ms is not None:
                    server_cpu[name].append(session.last_cpu_ms)

        # Throughput: a caseworker's mix, from several connections at once.
        mix = (
            [(large, "/cases/{case}/")] * 20 + [(large, "/")] * 10 + [(small, "/")] * 5 + [(large, "/cases/")] * 10
            + [(small, "/cases/")] * 5 + [(large, "/cases/?q={surname}")] * 5 + [(large, "/cases/?q={postcode}")] * 5
            + [(large, "/people/{person}/")] * 10 + [(large, "/referrals/")] * 5 + [(small, "/referrals/")] * 5
            + [(api_large, "/api/v1/cases/")] * 10 + [(large, "/ping/")] * 10
        )
        lock = threading.Lock()
        state = {"done": 0, "errors": 0, "served": served}

        def one_request(rng, mix):
            session, template = rng.choice(mix)
            path = template.format(
                case=rng.choice(found["case_refs"]), surname=urllib.parse.quote(found["surname"]),
                postcode=urllib.parse.quote(found["postcode"]), person=rng.choice(found["people"] or [found["person"]]),
            )
            status, _, _, _ = session.request("GET", path, api=session.token is not None)
            with lock:
                state["served"] += 1
                if status == 200:
                    state["done"] += 1
                else:
                    state["errors"] += 1

        def load(until, cap, seed, mix):
            rng = random.Random(seed)
            while time.monotonic() < until and state["served"] < cap:
                one_request(rng, mix)

        def run_load(seconds, cap, mix=mix):
            until = time.monotonic() + seconds
            threads = [threading.Thread(target=load, args=(until, cap, n, mix)) for n in range(args.concurrency)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()

        print(f"HTTP: mixed caseworker load from {args.concurrency} connections for {args.throughput_seconds:.0f} s")
        meter = CpuMeter(procs["gunicorn"].pid)
        before, t0 = state["done"], time.monotonic()
        meter.start()
        run_load(args.throughput_seconds, 10**9)
        elapsed = time.monotonic() - t0
        cpu = {"mix": meter.per_request(state["done"] - before)}
        throughput = (state["done"] - before) / elapsed
        print(f"  {throughput:.0f} requests a second ({state['errors']} errors); CPU a request: {describe_cpu(cpu['mix'])}")
        # What this machine allows at all: the floor page alone, from the same connections and the same client. No mix
        # of real pages can be served faster; the mix's share of it says how far the pages are above the floor under
        # load, whatever the machine.
        print(f"HTTP: the floor page alone, the same load, for {args.floor_throughput_seconds:.0f} s")
        before, t0 = state["done"], time.monotonic()
        meter.start()
        run_load(args.floor_throughput_seconds, 10**9, mix=[(large, "/ping/")])
        floor_throughput = (state["done"] - before) / (time.monotonic() - t0)
        cpu["floor"] = meter.per_request(state["done"] - before)
        print(f"  {floor_throughput:.0f} requests a second: the mix reached {throughput / floor_throughput:.0%} of it; "
              f"CPU a request: {describe_cpu(cpu['floor'])}")
        remaining = args.time_limit - (time.monotonic() - started_http)
        print(f"HTTP: on to {args.total_requests:,} requests in all before reading the workers' memory")
        run_load(max(0.0, remaining), args.total_requests)
        rss = worker_rss_mb(procs["gunicorn"].pid)
        served = state["served"]
        errors = state["errors"]
    finally:
        stop(procs)

    floor = server["floor"]
    floor_p50, floor_p95 = percentile(floor, 0.5), percentile(floor, 0.95)
    detail = {}
    for name in everything:
        entry = item_figures(server[name], floor_p50, floor_p95)
        entry["client_p50_ms"] = round(percentile(client[name], 0.5), 2)
        entry["client_p95_ms"] = round(percentile(client[name], 0.95), 2)
        if server_cpu[name]:
            entry["cpu_p50_ms"] = round(percentile(server_cpu[name], 0.5), 2)
        detail[name] = entry
    detail["import_10k"] = item_figures(import_times, floor_p50, floor_p95)
    detail["quarterly_report"] = item_figures(report, floor_p50, floor_p95)
    if agenda:
        detail["agenda_build"] = {**item_figures(agenda, floor_p50, floor_p95), "cases": agenda_cases}

    # bench/results.json: exactly the format.
    results = {
        "items": {
            name: {key: detail[name][key] for key in ("p50_ms", "p95_ms", "ratio_to_floor")} if name in detail else None
            for name in ITEMS
        },
        "naive_guardian_speedup": round(naive["speedup_vs_generic"], 1),
        "throughput_rps": round(throughput, 1),
        "worker_rss_mb": round(max(rss), 1) if rss else None,
    }
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    county = {k: v for k, v in found.items() if k not in ("case_refs", "people")}
    Path(args.detail_out).write_text(json.dumps({
        "began": began, "ended": {"at": timezone.now().isoformat(timespec="seconds"), **machine()},
        "items": {name: detail[name] for name in ITEMS if name in detail},
        "more_items": {name: detail[name] for name in more_pages},
        "naive_guardian": naive, "throughput_rps": results["throughput_rps"],
        "floor_throughput_rps": round(floor_throughput, 1), "throughput_share_of_floor": round(throughput / floor_throughput, 2),
        "worker_rss_all_mb": [round(r, 1) for r in rss],
        "cpu_ms_per_request": cpu,
        "requests_served": served, "errors_under_load": errors, "workers": args.workers, "concurrency": args.concurrency,
        "timing": "server time from the Server-Timing header (Django, first middleware in to response out); cpu_p50_ms: "
                  "the web worker's CPU time for the request from the same header (its Python, without waiting for the "
                  "database or a core); client time on loopback alongside; agenda_build, quarterly_report and import_10k "
                  "timed in the benchmark's own process",
        "ratio_to_floor": "p95 of the item over p95 of the floor (ratio_to_floor_p50: the same for p50)",
        "county": county,
    }, indent=2) + "\n")

    print()
    print(f"{'item':34} {'p50 ms':>9} {'p95 ms':>9} {'p50/floor':>10} {'p95/floor':>10} {'CPU p50':>9}")
    for name, entry in [(n, detail.get(n)) for n in ITEMS] + [(n, detail[n]) for n in more_pages]:
        if entry is None:
            print(f"{name:34} not measured")
            continue
        cpu_p50 = f"{entry['cpu_p50_ms']:9.1f}" if "cpu_p50_ms" in entry else ""
        print(f"{name:34} {entry['p50_ms']:9.1f} {entry['p95_ms']:9.1f} {entry['ratio_to_floor_p50']:10.1f} {entry['ratio_to_floor']:10.1f} {cpu_p50}")
    print(f"\nnaive django-guardian (get_objects_for_user on the generic table, {naive['generic_rows']:,} rows) against ours for the case "
          f"list: ours is {naive['speedup_vs_generic']:.0f} times faster ({naive['guardian_generic_ms']:.1f} ms against {naive['ours_ms']:.1f} ms; "
          f"guardian's direct-FK query {naive['guardian_direct_fk_ms']:.1f} ms)")
    print(f"throughput: {throughput:.0f} requests a second on the mix, {floor_throughput:.0f} on the floor page alone "
          f"({throughput / floor_throughput:.0%}); worker memory after {served:,} requests: "
          + ", ".join(f"{r:.0f} MB" for r in rss))
    print(f"CPU a request on the mix: {describe_cpu(cpu['mix'])}; on the floor page alone: {describe_cpu(cpu['floor'])}")
    print(f"load average at the start {began['load_1_5_15']}, at the end {list(os.getloadavg())}")
    print(f"written to {args.out} and {args.detail_out}")


if __name__ == "__main__":
    main()
