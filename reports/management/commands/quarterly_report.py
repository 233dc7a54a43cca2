"""Make a quarterly report from the command line: the same service as the worker, run here and now."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agencies.models import Partnership
from audit.services import Actor
from reports.models import ReportRun
from reports.quarters import Quarter, financial_year_parse
from reports.services import runs as services


class Command(BaseCommand):
    help = "Make a partnership's quarterly report now, keep it in the archive as a new version, and write the PDF to a file."

    def add_arguments(self, parser):
        parser.add_argument("--partnership", required=True, help="The partnership's slug, for example east-cambridgeshire")
        parser.add_argument("--financial-year", required=True, help="For example 2010-11")
        parser.add_argument("--quarter", required=True, type=int, choices=[1, 2, 3, 4])
        parser.add_argument("--output", required=True, help="Where to write the PDF")

    def handle(self, *args, partnership, financial_year, quarter, output, **options):
        target = Partnership.objects.filter(slug=partnership).first()
        if target is None:
            known = ", ".join(Partnership.objects.order_by("slug").values_list("slug", flat=True)) or "none yet (run seed_demo)"
            raise CommandError(f"No partnership “{partnership}”. Known: {known}.")
        try:
            period = Quarter(financial_year_parse(financial_year), quarter)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        try:
            run = services.report_run_request(actor=Actor.system(), partnership=target, quarter=period, via=ReportRun.Via.COMMAND, enqueue=False)
        except Exception as exc:  # a ValidationError names the field; say it plainly
            messages = getattr(exc, "messages", [str(exc)])
            raise CommandError(" ".join(messages)) from None
        self.stdout.write(f"Making {target.short_code} {period.label}, version {run.version}…")
        run = services.report_run_build(run_id=run.pk)
        if run is None or run.status != ReportRun.Status.DONE:
            raise CommandError(f"The report failed: {run.error if run else 'the run disappeared'}")
        destination = Path(output)
        with run.file.open("rb") as source:
            destination.write_bytes(source.read())
        self.stdout.write(self.style.SUCCESS(f"Wrote {destination} ({run.file_size:,} bytes); figures as recorded at {run.data_cutoff:%d %B %Y %H:%M}."))
