from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agencies.models import Partnership
from audit.services import Actor
from casework.services.imports import cases_import


class Command(BaseCommand):
    help = "Import cases from a CSV file into a partnership: all rows or none. Re-importing updates by reference."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--partnership", required=True, help="The partnership's slug, for example east-cambridgeshire")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and say what would change; write nothing")

    def handle(self, *args, file: Path, partnership: str, dry_run: bool, **options):
        try:
            target = Partnership.objects.get(slug=partnership)
        except Partnership.DoesNotExist:
            raise CommandError(f"No partnership with slug “{partnership}”.") from None
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}.") from None
        result = cases_import(actor=Actor.system(), partnership=target, data=data, source_name=file.name, dry_run=dry_run)
        for error in result.errors:
            self.stderr.write(str(error))
        if not result.ok:
            raise CommandError(result.summary())
        self.stdout.write(self.style.SUCCESS(result.summary()))
