"""Remove stored document files that no document refers to (left by a crash mid-upload or a failed removal)."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from audit.services import Actor
from casework.services.documents import document_orphans_remove


class Command(BaseCommand):
    help = "Remove stored document files with no document record, older than --minutes (default 60). Audited."

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=int, default=60, help="Leave files younger than this (uploads in progress).")

    def handle(self, *args, minutes, **options):
        removed = document_orphans_remove(actor=Actor.system(), older_than=timedelta(minutes=minutes))
        for name in removed:
            self.stdout.write(f"Removed {name}")
        self.stdout.write(self.style.SUCCESS(f"{len(removed)} orphan document file(s) removed."))
