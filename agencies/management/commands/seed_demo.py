"""Load the demo partnerships, agencies, users and cases. Safe to run again: it adds only what is missing."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from agencies import demo
from agencies.models import Agency, Partnership
from agencies.services import agency_create, membership_add, user_create


class Command(BaseCommand):
    help = "Load the Cambridgeshire demo partnerships, agencies, users and cases (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=None, help="Password for the demo users (default: DEMO_PASSWORD).")

    @transaction.atomic
    def handle(self, *args, **options):
        password = options["password"] or settings.DEMO_PASSWORD
        if not password:
            raise CommandError("Set DEMO_PASSWORD or pass --password: demo users need a password.")
        partnerships = {}
        for slug, name, code, counting_from, area in demo.PARTNERSHIPS:
            partnerships[slug], _ = Partnership.objects.get_or_create(
                slug=slug,
                defaults={"name": name, "short_code": code, "stats_counting_from": counting_from, "area_description": area},
            )
        agencies = {}
        for slug, name, short, kind, statutory, serves, signed in demo.AGENCIES:
            agency = Agency.objects.filter(slug=slug).first()
            if agency is None:
                agency = agency_create(
                    name=name, short_name=short, slug=slug, kind=kind, is_statutory=statutory,
                    partnerships=[partnerships[s] for s in serves], sharing_agreement_signed_on=signed,
                )
            agencies[slug] = agency
        User = get_user_model()
        home = partnerships[demo.DEMO_PARTNERSHIP]
        for username, first, last, agency_slug, role in demo.USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = user_create(
                    username=username, password=password, first_name=first, last_name=last,
                    email=f"{username}@example.org",
                )
            membership_add(user=user, agency=agencies[agency_slug], partnership=home, role=role)
        self._seed_further(partnerships=partnerships, agencies=agencies)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Users: {', '.join(u[0] for u in demo.USERS)}."))

    def _seed_further(self, **context):
        """Casework, routing, meetings and reports add their demo data through their own modules."""
        from importlib import import_module

        for module_name in demo.FURTHER_DEMO_MODULES:
            try:
                module = import_module(module_name)
            except ModuleNotFoundError as exc:
                if exc.name != module_name:
                    raise
                continue
            module.seed(stdout=self.stdout, **context)
