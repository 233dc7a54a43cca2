"""The county-scale benchmark (`make bench`): ASB Casework under gunicorn against a seeded database, measured from
this separate process over loopback.

Assumes `python manage.py seed_scale` has filled DATABASE_URL. It:
1. finds what to ask for (a caseworker of the largest agency and of a small one, a busy case, a repeat victim,
   search terms) and, in this process, times the naive django-guardian query against ours for the same case list,
   the import of 10,000 rows, and (once those apps exist) a 60-case agenda and a quarterly report;
2. starts gunicorn (config.settings.bench: production behaviour plus a Server-Timing header) and a private Redis for
   the cache when redis-server is installed, signs the two caseworkers in over HTTP;
3. requests each page in turn, round after round (so background noise falls on every page alike), and reads the
   server's own time from `Server-Timing: app;dur=` (Django's time for the request, not the network's);
4. runs a mixed caseworker load from several connections at once for the throughput, carries on to 10,000 requests
   in all, and reads each gunicorn worker's resident memory;
5. prints p50, p95 and the ratio to the floor (the lightest signed-in page) per item, and writes bench/results.json.

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
    """Users, a busy case, a repeat victim and search terms, straight from the database."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from agencies.models import Agency, Membership
    from casework import permissions
    from casework.models import Case, CasePerson, VisibleCaseCount

    counts = dict(VisibleCaseCount.objects.values_list("group_id", "cases"))
    agencies = sorted(Agency.objects.all(), key=lambda a: counts.get(a.group_id, 0), reverse=True)
    large = agencies[0]
    total = Case.objects.count()
    # "A small one": the agency whose share of the county's cases is nearest `small_share` (1% by default).
    small = min(agencies[1:], key=lambda a: abs(counts.get(a.group_id, 0) - small_share * total))

    def caseworker(agency):
        membership = (
            Membership.objects.filter(agency=agency, role=Membership.Role.CASEWORKER, is_active=True)
            .select_related("user", "partnership").order_by("id").first()
        )
        return membership

    large_member, small_member = caseworker(large), caseworker(small)
    user = large_member.user
    visible = permissions.cases_permitted(user=user, agency=large)
    busy = (
        visible.exclude(status=Case.Status.CLOSED).annotate(n=Count("incidents")).order_by("-n", "-id").values_list("reference", flat=True)[:1]
    )
    case_refs = list(visible.exclude(status=Case.Status.CLOSED).order_by(*permissions.NEWEST_FIRST).values_list("reference", flat=True)[:200])
    victim = (
        CasePerson.objects.filter(role=CasePerson.Role.VICTIM, case__in=visible.values("pk"))
        .values("person_id").annotate(n=Count("case_id", distinct=True)).order_by("-n", "person_id").first()
    )
    people = list(
        CasePerson.objects.filter(case__reference__in=case_refs[:60]).values_list("person_id", flat=True).distinct()[:60]
    )
    sample_case = Case.objects.filter(reference=busy[0]).values("reference", "postcode").first()
    surname = (
        CasePerson.objects.filter(case__reference=sample_case["reference"]).values_list("person__last_name", flat=True).first() or "Smith"
    )
    return {
        "large": {"agency": large.name, "visible": counts.get(large.group_id, 0), "username": user.username, "membership": large_member.pk},
        "small": {"agency": small.name, "visible": counts.get(small.group_id, 0), "username": small_member.user.username,
                  "membership": small_member.pk},
        "case": sample_case["reference"],
        "case_refs": case_refs,
        "person": victim["person_id"],
        "person_cases": victim["n"],
        "people": people,
        "surname": surname,
        "postcode": sample_case["postcode"][:-1],  # a partial postcode, as typed: "CB7 4A"
        "reference_prefix": sample_case["reference"][:-1],
        "cases_in_county": total,
    }


def timed(function, repeat):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def measure_naive_guardian(username: str, repeat: int) -> dict:
    """The same first page and count, three ways, from this process: ours (casework.selectors.case_list through
    CasePaginator), guardian's get_objects_for_user on its direct foreign-key table, and get_objects_for_user on
    guardian's GENERIC table (object_pk as text), filled for this agency in a scratch step and emptied afterwards."""
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
    agency = Membership.objects.filter(user=user).select_related("agency").first().agency

    def ours():
        page = CasePaginator(selectors.case_list(user=user, agency=agency), 25).page(1)
        return page.paginator.count, list(page.object_list)

    def guardian_page():
        qs = shortcuts.get_objects_for_user(user, "casework.view_case", klass=Case, use_groups=True, with_superuser=False,
                                            accept_global_perms=False)
        qs = qs.select_related("lead_agency", "lead_officer", "kind", "partnership").order_by("-opened_on", "-id")
        return qs.count(), list(qs[:25])

    ours()
    result = {"ours_ms": statistics.median(timed(ours, repeat))}
    guardian_page()
    result["guardian_direct_fk_ms"] = statistics.median(timed(guardian_page, max(3, repeat // 2)))
    case_type = ContentType.objects.get_for_model(Case)
    table = GroupObjectPermission._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {table} (object_pk, content_type_id, group_id, permission_id)
                SELECT g.content_object_id::text, %s, g.group_id, g.permission_id
                FROM casework_casegroupobjectpermission g WHERE g.group_id = %s""",
            [case_type.pk, agency.group_id],
        )
        scratch_rows = cursor.rowcount
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")
    originals = shortcuts.get_group_obj_perms_model, shortcuts.get_user_obj_perms_model
    try:
        shortcuts.get_group_obj_perms_model = lambda obj=None: GroupObjectPermission
        shortcuts.get_user_obj_perms_model = lambda obj=None: UserObjectPermission
        count, rows = guardian_page()
        expected, _ = ours()
        if count != expected:
            raise RuntimeError(f"the generic guardian query found {count} cases, ours {expected}")
        result["guardian_generic_ms"] = statistics.median(timed(guardian_page, max(3, repeat // 2)))
    finally:
        shortcuts.get_group_obj_perms_model, shortcuts.get_user_obj_perms_model = originals
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE content_type_id = %s AND group_id = %s", [case_type.pk, agency.group_id])
    result["generic_rows"] = scratch_rows
    result["speedup_vs_generic"] = result["guardian_generic_ms"] / result["ours_ms"]
    result["speedup_vs_direct_fk"] = result["guardian_direct_fk_ms"] / result["ours_ms"]
    return result


def measure_import(runs: int, rows: int) -> list[float] | None:
    """Import `rows` generated CSV rows into the largest partnership, rolled back each time."""
    from django.db import transaction
    from django.db.models import Count

    from agencies.models import Agency, Partnership
    from audit.services import Actor
    from casework.management.commands.bench_import import generate_csv
    from casework.services.imports import cases_import

    target = Partnership.objects.annotate(n=Count("cases")).order_by("-n", "pk").first()
    agencies = list(Agency.objects.filter(partnerships=target).values_list("slug", flat=True))
    data = generate_csv(rows=rows, agencies=agencies)

    class Rollback(Exception):
        pass

    times = []
    for _ in range(runs):
        started = time.perf_counter()
        try:
            with transaction.atomic():
                result = cases_import(actor=Actor.system(), partnership=target, data=data, source_name="bench.csv")
                elapsed = (time.perf_counter() - started) * 1000
                if not result.ok:
                    raise RuntimeError(f"import refused: {result.errors[:3]}")
                raise Rollback
        except Rollback:
            times.append(elapsed)
    return times


def measure_agenda(repeat: int):
    """Building the agenda of a 60-case meeting, once the meetings app provides it."""
    try:
        from meetings import services as meeting_services  # noqa: F401
    except ImportError:
        return None
    build = getattr(meeting_services, "agenda_build", None)
    if build is None:
        return None
    return None  # the meetings app exists but its agenda service's signature is not known to this script yet


def measure_quarterly_report(repeat: int):
    """A quarterly report for the largest partnership, once the reports app provides it."""
    try:
        from reports import services as report_services  # noqa: F401
    except ImportError:
        return None
    return None


# -- HTTP


class Session:
    """One signed-in user's cookies, over fresh loopback connections (gunicorn's sync workers close each one)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        all_headers = {"Host": "127.0.0.1", "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        all_headers.update(headers or {})
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        content = response.read()
        client_ms = (time.perf_counter() - started) * 1000
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        connection.close()
        timing = SERVER_TIMING.search(response.getheader("Server-Timing") or "")
        return response.status, content, client_ms, float(timing.group(1)) if timing else None

    def sign_in(self, username, password):
        status, content, _, _ = self.request("GET", "/sign-in/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content).group(1).decode()
        body = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
        status, _, _, _ = self.request(
            "POST", "/sign-in/", body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://127.0.0.1:{self.port}/sign-in/"},
        )
        if status != 302:
            raise RuntimeError(f"could not sign in as {username} (HTTP {status})")


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
    children = []
    for task in Path(f"/proc/{master_pid}/task").iterdir():
        children += [int(pid) for pid in (task / "children").read_text().split()]
    sizes = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=60, help="Requests per page, in interleaved rounds")
    parser.add_argument("--concurrency", type=int, default=6)
    parser.add_argument("--throughput-seconds", type=float, default=30)
    parser.add_argument("--total-requests", type=int, default=10_000, help="Requests served before memory is read")
    parser.add_argument("--time-limit", type=float, default=900, help="Seconds for the whole HTTP part at most")
    parser.add_argument("--import-runs", type=int, default=3)
    parser.add_argument("--password", default="county-scale-2026")
    parser.add_argument("--small-share", type=float, default=0.01)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.json"))
    args = parser.parse_args()
    args.port = args.port or free_port()

    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("The benchmark needs PostgreSQL: set DATABASE_URL (and run seed_scale) first.")
    print(f"Database {connection.settings_dict['NAME']}: finding what to ask for")
    found = discover(args.small_share)
    print(f"  largest agency: {found['large']['agency']} ({found['large']['visible']:,} cases visible), "
          f"small: {found['small']['agency']} ({found['small']['visible']:,}); {found['cases_in_county']:,} cases in the county")

    print("In-process: the naive django-guardian query against ours (first page and count of the case list)")
    naive = measure_naive_guardian(found["large"]["username"], repeat=9)
    print(f"  ours {naive['ours_ms']:.1f} ms, get_objects_for_user on guardian's direct FK table {naive['guardian_direct_fk_ms']:.1f} ms, "
          f"on its generic table ({naive['generic_rows']:,} rows) {naive['guardian_generic_ms']:.1f} ms: "
          f"ours is {naive['speedup_vs_generic']:.0f} times faster than the generic one")
    print(f"In-process: importing 10,000 rows ({args.import_runs} runs, each rolled back)")
    import_times = measure_import(args.import_runs, 10_000)
    print("  " + ", ".join(f"{t / 1000:.1f} s" for t in import_times))
    agenda, report = measure_agenda(5), measure_quarterly_report(3)
    connection.close()

    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.bench")
    procs = start_server(args, env)
    served = 0
    started_http = time.monotonic()
    try:
        sessions = {}
        for who in ("large", "small"):
            session = Session(args.port)
            session.sign_in(found[who]["username"], args.password)
            sessions[who] = session
        served += 4
        large, small = sessions["large"], sessions["small"]
        filtered = "/cases/?" + urllib.parse.urlencode({"status": "current", "risk_level": "high"})
        pages = {
            "floor": (large, "GET", "/ping/"),
            "dashboard": (large, "GET", "/"),
            "case_list_large_agency": (large, "GET", "/cases/"),
            "case_list_small_agency": (small, "GET", "/cases/"),
            "case_list_filtered": (large, "GET", filtered),
            "search_surname": (large, "GET", "/cases/?" + urllib.parse.urlencode({"q": found["surname"]})),
            "search_postcode": (large, "GET", "/cases/?" + urllib.parse.urlencode({"q": found["postcode"]})),
            "search_reference": (large, "GET", "/cases/?" + urllib.parse.urlencode({"q": found["reference_prefix"]})),
            "case_page": (large, "GET", f"/cases/{found['case']}/"),
            "person_page": (large, "GET", f"/people/{found['person']}/"),
            "referrals_inbox": (large, "GET", "/referrals/"),
            "api_case_list": (large, "GET", "/api/v1/cases/"),
        }
        more_pages = {
            "dashboard_small_agency": (small, "GET", "/"),
            "case_list_filtered_small_agency": (small, "GET", filtered),
            "referrals_inbox_small_agency": (small, "GET", "/referrals/"),
            "api_case_list_small_agency": (small, "GET", "/api/v1/cases/"),
        }
        everything = {**pages, **more_pages}
        for name, (session, method, path) in everything.items():  # warm every worker's caches and plans
            for _ in range(args.workers * 2):
                status, _, _, _ = session.request(method, path)
                served += 1
                if status != 200:
                    raise RuntimeError(f"{name}: {path} answered HTTP {status}")
        server = {name: [] for name in everything}
        client = {name: [] for name in everything}
        print(f"HTTP: {args.rounds} rounds of {len(everything)} pages, one at a time")
        for _ in range(args.rounds):
            if time.monotonic() - started_http > args.time_limit / 2:
                break
            for name, (session, method, path) in everything.items():
                status, _, client_ms, server_ms = session.request(method, path)
                served += 1
                server[name].append(server_ms)
                client[name].append(client_ms)

        # Throughput: a caseworker's mix, from several connections at once.
        mix = (
            [(large, "/cases/{case}/")] * 20 + [(large, "/")] * 10 + [(small, "/")] * 5 + [(large, "/cases/")] * 10
            + [(small, "/cases/")] * 5 + [(large, "/cases/?q={surname}")] * 5 + [(large, "/cases/?q={postcode}")] * 5
            + [(large, "/people/{person}/")] * 10 + [(large, "/referrals/")] * 5 + [(small, "/referrals/")] * 5
            + [(large, "/api/v1/cases/")] * 10 + [(large, "/ping/")] * 10
        )
        lock = threading.Lock()
        state = {"done": 0, "errors": 0, "served": served}

        def one_request(rng):
            session, template = rng.choice(mix)
            path = template.format(
                case=rng.choice(found["case_refs"]), surname=urllib.parse.quote(found["surname"]),
                postcode=urllib.parse.quote(found["postcode"]), person=rng.choice(found["people"] or [found["person"]]),
            )
            status, _, _, _ = session.request("GET", path)
            with lock:
                state["served"] += 1
                if status == 200:
                    state["done"] += 1
                else:
                    state["errors"] += 1

        def load(until, cap, seed):
            rng = random.Random(seed)
            while time.monotonic() < until and state["served"] < cap:
                one_request(rng)

        def run_load(seconds, cap):
            until = time.monotonic() + seconds
            threads = [threading.Thread(target=load, args=(until, cap, n)) for n in range(args.concurrency)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()

        print(f"HTTP: mixed caseworker load from {args.concurrency} connections for {args.throughput_seconds:.0f} s")
        before, t0 = state["done"], time.monotonic()
        run_load(args.throughput_seconds, 10**9)
        elapsed = time.monotonic() - t0
        throughput = (state["done"] - before) / elapsed
        print(f"  {throughput:.0f} requests a second ({state['errors']} errors)")
        remaining = args.time_limit - (time.monotonic() - started_http)
        print(f"HTTP: on to {args.total_requests:,} requests in all before reading the workers' memory")
        run_load(max(0.0, remaining), args.total_requests)
        rss = worker_rss_mb(procs["gunicorn"].pid)
        served = state["served"]
    finally:
        stop(procs)

    floor = server["floor"]
    floor_p50, floor_p95 = percentile(floor, 0.5), percentile(floor, 0.95)
    results = {"items": {}, "more_items": {}}

    def item(values):
        p50, p95 = percentile(values, 0.5), percentile(values, 0.95)
        return {"p50_ms": round(p50, 2), "p95_ms": round(p95, 2), "ratio_to_floor": round(p95 / floor_p95, 2),
                "ratio_to_floor_p50": round(p50 / floor_p50, 2), "samples": len(values)}

    for name in everything:
        entry = item([v for v in server[name] if v is not None])
        entry["client_p50_ms"] = round(percentile(client[name], 0.5), 2)
        entry["client_p95_ms"] = round(percentile(client[name], 0.95), 2)
        (results["items"] if name in pages else results["more_items"])[name] = entry
    results["items"]["import_10k"] = item(import_times)
    for name, values in (("agenda_build", agenda), ("quarterly_report", report)):
        results["items"][name] = item(values) if values else "not available"
    results["items"] = {name: results["items"][name] for name in ITEMS}
    results.update(
        naive_guardian_speedup=round(naive["speedup_vs_generic"], 1),
        naive_guardian=naive,
        throughput_rps=round(throughput, 1),
        worker_rss_mb=round(max(rss), 1) if rss else None,
        worker_rss_all_mb=[round(r, 1) for r in rss],
        requests_served=served,
        workers=args.workers,
        concurrency=args.concurrency,
        timing="server time from the Server-Timing header (Django, first middleware in to response out); client time on loopback alongside",
        county=found,
    )
    results["county"].pop("case_refs", None)
    results["county"].pop("people", None)
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n")

    print()
    print(f"{'item':34} {'p50 ms':>8} {'p95 ms':>8} {'p50/floor':>10} {'p95/floor':>10}")
    for name, entry in list(results["items"].items()) + list(results["more_items"].items()):
        if isinstance(entry, str):
            print(f"{name:34} {entry}")
            continue
        print(f"{name:34} {entry['p50_ms']:8.1f} {entry['p95_ms']:8.1f} {entry['ratio_to_floor_p50']:10.1f} {entry['ratio_to_floor']:10.1f}")
    print(f"\nnaive django-guardian (generic table) vs ours for the case list: {naive['speedup_vs_generic']:.0f} times faster "
          f"({naive['guardian_generic_ms']:.1f} ms against {naive['ours_ms']:.1f} ms; guardian's direct-FK query {naive['guardian_direct_fk_ms']:.1f} ms)")
    print(f"throughput: {throughput:.0f} requests a second; worker memory after {served:,} requests: "
          + ", ".join(f"{r:.0f} MB" for r in rss))
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
