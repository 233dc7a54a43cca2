from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"

    def ready(self):
        from meetings import governance  # noqa: F401  (clears agenda and minutes text when a case is anonymised)
