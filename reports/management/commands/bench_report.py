"""Benchmark: a partnership's worth of cases (through the bulk import), then time its quarterly report. Leaves nothing."""

import random
import time
from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from agencies.models import Agency, Partnership
from audit.services import Actor
from casework.imports import COLUMNS
from casework.models import AsbKind
from casework.services.imports import cases_import
from reports import document
from reports.models import ReportRun
from reports.quarters import quarter_last_completed
from reports.services import runs


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Import N generated cases (default 50,000) into a partnership, time its quarterly report, then roll it all back."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=50_000)
        parser.add_argument("--partnership", default=None, help="Slug (default: the first partnership)")

    def handle(self, *args, cases, partnership, **options):
        target = Partnership.objects.filter(slug=partnership).first() if partnership else Partnership.objects.first()
        if target is None:
            raise CommandError("No partnership: run seed_demo first.")
        agencies = list(Agency.objects.filter(partnerships=target).values_list("slug", flat=True))
        today = timezone.localdate()
        data = generate_cases_csv(rows=cases, agencies=agencies, today=today)
        quarter = quarter_last_completed(today)
        timings = {}
        try:
            with transaction.atomic():
                started = time.perf_counter()
                result = cases_import(actor=Actor.system(), partnership=target, data=data, source_name="bench_report.csv")
                if not result.ok:
                    raise CommandError(f"Import failed: {result.errors[:3]}")
                timings["import"] = time.perf_counter() - started
                # The whole report, as the worker makes it: statistics, PDF, stored file, run marked done.
                started = time.perf_counter()
                run = runs.report_run_request(actor=Actor.system(), partnership=target, quarter=quarter, via=ReportRun.Via.COMMAND, enqueue=False)
                run = runs.report_run_build(run_id=run.pk)
                timings["report"] = time.perf_counter() - started
                if run.status != ReportRun.Status.DONE:
                    raise CommandError(f"The report failed: {run.error}")
                size = run.file_size
                run.file.storage.delete(run.file.name)
                # The statistics alone, read again, to show where the time goes.
                started = time.perf_counter()
                content = document.report_content(partnership=target, quarter=quarter)
                timings["statistics"] = time.perf_counter() - started
                raise _Rollback
        except _Rollback:
            pass
        self.stdout.write(
            f"report_{cases}_cases ({target.short_code} {quarter.label}): {timings['report']:.2f} s for the whole report "
            f"(statistics alone {timings['statistics']:.2f} s; PDF {size:,} bytes); import of the cases took {timings['import']:.1f} s; "
            f"{content.totals.opened} cases opened and {content.group_stats.new_total} referred to the group in the quarter."
        )


def generate_cases_csv(*, rows: int, agencies: list[str], today: date, seed: int = 11) -> bytes:
    """Five years of cases up to today: about six in ten closed, one in five referred to the group."""
    rng = random.Random(seed)
    kinds = list(AsbKind.objects.values_list("slug", "category"))
    lines = [",".join(COLUMNS)]
    for n in range(rows):
        slug, category = rng.choice(kinds)
        opened = today - timedelta(days=rng.randrange(5 * 365))
        closed = opened + timedelta(days=rng.randrange(20, 200)) if rng.random() < 0.6 else None
        if closed and closed > today:
            closed = None
        referred = opened + timedelta(days=rng.randrange(7, 60)) if rng.random() < 0.2 else None
        if referred and (referred > today or (closed and referred > closed)):
            referred = None
        status = "closed" if closed else rng.choice(["open", "active", "monitoring"])
        lines.append(",".join([
            "", category, slug, rng.choice(["individual", "individual", "family", "area"]), opened.isoformat(),
            referred.isoformat() if referred else "", closed.isoformat() if closed else "", rng.choice(agencies), status,
            rng.choice(["standard", "standard", "medium", "high"]), f"Benchmark case {n}", f"CB{rng.randrange(1, 10)} {rng.randrange(1, 10)}AB",
        ]))
    return ("\n".join(lines) + "\n").encode()
