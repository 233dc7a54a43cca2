from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = "Casework"

    def ready(self):
        from casework.permissions import forget_case_permissions

        # Permission rows are made (again) after migrations, and a test database flushed and filled again numbers
        # them anew: the map of the case permissions read before is forgotten.
        post_migrate.connect(forget_case_permissions, dispatch_uid="casework.forget_case_permissions")
