from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = "Casework"

    def ready(self):
        from casework.permissions import permission_ids_forget

        # Permission rows are made (again) after migrations, and a test database flushed and filled again gets
        # new ids: the ids read before are forgotten.
        post_migrate.connect(permission_ids_forget, dispatch_uid="casework_permission_ids_forget")
