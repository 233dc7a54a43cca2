from django.core.management.base import BaseCommand

from audit.services import audit_chain_verify


class Command(BaseCommand):
    help = "Walk the audit trail's hash chain and name the first broken row, if any."

    def handle(self, *args, **options):
        check = audit_chain_verify()
        if check.ok:
            self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {check.rows_checked} rows checked."))
            return
        self.stderr.write(f"Audit chain broken at row {check.first_broken_id}: {check.reason}.")
        raise SystemExit(1)
