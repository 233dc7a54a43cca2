from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = "Partnerships and agencies"

    def ready(self):
        from agencies import signals  # noqa: F401
