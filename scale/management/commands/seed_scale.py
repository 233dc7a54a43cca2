"""Fill the database with a realistic county for the scale benchmark (see scale/seed.py for what it makes)."""

import time

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from agencies.models import Agency, Partnership
from casework.models import AsbKind, Case
from scale.catalogue import SCALE_PREFIX
from scale.seed import CountySeeder

# The apps whose every row seed_scale may replace when the database holds nothing but its own earlier county.
WIPED_APPS = ("audit", "agencies", "casework", "referrals", "meetings", "reports")
KEPT_MODELS = (AsbKind,)  # reference data loaded by a migration


def non_scale_data() -> list[str]:
    """What the database holds that seed_scale did not make (by the prefix it gives everything)."""
    User = get_user_model()
    found = []
    checks = [
        ("partnerships", Partnership.objects.exclude(slug__startswith=SCALE_PREFIX)),
        ("agencies", Agency.objects.exclude(slug__startswith=SCALE_PREFIX)),
        ("users", User.objects.exclude(username__startswith=SCALE_PREFIX)),
        ("cases", Case.objects.exclude(partnership__slug__startswith=SCALE_PREFIX)),
    ]
    for label, queryset in checks:
        count = queryset.count()
        if count:
            found.append(f"{count} {label}")
    return found


def wipe_scale_data() -> None:
    """Remove an earlier county. Only called when the database holds nothing else."""
    User = get_user_model()
    models = [m for name in WIPED_APPS for m in apps.get_app_config(name).get_models(include_auto_created=True) if m not in KEPT_MODELS]
    models += [User, User.groups.through, User.user_permissions.through]
    models += list(apps.get_app_config("guardian").get_models())
    models += [m for label in ("otp_totp", "otp_static") for m in apps.get_app_config(label).get_models()]
    models += [apps.get_model("sessions", "Session")]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
            # Rows written earlier in this transaction have deferred key checks queued, and PostgreSQL will not
            # truncate a table with checks pending: run them first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            # Foreign keys are checked at commit (Django creates them deferred), so the order does not matter.
            for model in models:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
    Group.objects.filter(name__startswith=f"agency:{SCALE_PREFIX}").delete()


class Command(BaseCommand):
    help = (
        "Fill the database with a county: 6 partnerships, 40 agencies, and per 200,000 cases about 2,000 users, "
        "300,000 people, a million incidents, 150,000 interventions, 600,000 notes, 80,000 referrals with the access "
        "they carry, and two million chained audit rows over five years. Refuses a database holding other data "
        "unless --force; replaces an earlier county."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=200_000)
        parser.add_argument("--password", default="county-scale-2026", help="Every seeded user's password (for the benchmark)")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed: the same seed gives the same county")
        parser.add_argument("--force", action="store_true", help="Seed even though the database holds other data")

    def handle(self, *args, cases, password, seed, force, **options):
        if cases < 1:
            raise CommandError("--cases must be at least 1.")
        others = non_scale_data()
        if others and not force:
            raise CommandError(
                f"This database already holds data that seed_scale did not make ({', '.join(others)}). "
                "Use an empty database, or --force to add the county beside it."
            )
        earlier = Partnership.objects.filter(slug__startswith=SCALE_PREFIX).exists()
        if earlier and others:
            raise CommandError("This database holds an earlier county and other data: seed a fresh database instead.")
        started = time.perf_counter()
        self.stdout.write(f"Seeding a county of {cases:,} cases into {connection.settings_dict['NAME']} ({connection.vendor})")
        with transaction.atomic():
            if earlier:
                self.stdout.write("  removing the earlier county")
                wipe_scale_data()
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit = off")
            counts = CountySeeder(cases=cases, password=password, stdout=self.stdout, seed=seed).run()
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # Statistics for the planner and the visibility map for index-only scans, as autovacuum would leave them.
            vacuum_started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE)")
            self.stdout.write(f"  vacuum and analyze: {time.perf_counter() - vacuum_started:.1f} s")
        for label, count in sorted(counts.items()):
            self.stdout.write(f"  {label}: {count:,}")
        self.stdout.write(self.style.SUCCESS(f"County seeded in {time.perf_counter() - started:.0f} s. Users' password: {password}"))
