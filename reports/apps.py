import logging

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self):
        # WeasyPrint logs every layout step at INFO: noise in the worker's log for each report.
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
