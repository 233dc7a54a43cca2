"""Benchmark: import N generated rows into a partnership and print how long it took. Leaves nothing behind."""

import random
import time
from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from agencies.models import Agency, Partnership
from audit.services import Actor
from casework.imports import COLUMNS
from casework.models import AsbKind
from casework.services.imports import cases_import


class _Rollback(Exception):
    pass


def generate_csv(*, rows: int, agencies: list[str], seed: int = 7) -> bytes:
    rng = random.Random(seed)
    kinds = list(AsbKind.objects.values_list("slug", "category"))
    lines = [",".join(COLUMNS)]
    start = date(2021, 4, 1)
    for n in range(rows):
        slug, category = rng.choice(kinds)
        opened = start + timedelta(days=rng.randrange(1500))
        closed = opened + timedelta(days=rng.randrange(20, 200)) if rng.random() < 0.6 else None
        if closed and closed > date.today():
            closed = None
        lines.append(",".join([
            "", category, slug, rng.choice(["individual", "individual", "family", "area"]), opened.isoformat(), "",
            closed.isoformat() if closed else "", rng.choice(agencies), "closed" if closed else "open",
            rng.choice(["standard", "medium", "high"]), f"Imported case {n}", f"CB{rng.randrange(1, 10)} {rng.randrange(1, 10)}AB",
        ]))
    return ("\n".join(lines) + "\n").encode()


class Command(BaseCommand):
    help = "Time the import of N generated rows (default 10,000); rolled back afterwards."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=10_000)
        parser.add_argument("--partnership", default=None, help="Slug (default: the first partnership)")
        parser.add_argument("--keep", action="store_true", help="Keep the imported cases")

    def handle(self, *args, rows, partnership, keep, **options):
        target = Partnership.objects.filter(slug=partnership).first() if partnership else Partnership.objects.first()
        if target is None:
            raise CommandError("No partnership: run seed_demo first.")
        agencies = list(Agency.objects.filter(partnerships=target).values_list("slug", flat=True))
        data = generate_csv(rows=rows, agencies=agencies)
        started = time.perf_counter()
        try:
            with transaction.atomic():
                result = cases_import(actor=Actor.system(), partnership=target, data=data, source_name="bench.csv")
                elapsed = time.perf_counter() - started
                if not keep:
                    raise _Rollback
        except _Rollback:
            pass
        if not result.ok:
            raise CommandError(f"Import failed: {result.errors[:3]}")
        self.stdout.write(f"import_{rows}_rows: {elapsed:.2f} s ({rows / elapsed:.0f} rows/s), {len(result.created)} created")
