from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = "Casework"

    def ready(self):
        from casework.permissions import forget_case_permission_names

        post_migrate.connect(forget_case_permission_names, dispatch_uid="casework.forget_case_permission_names")
