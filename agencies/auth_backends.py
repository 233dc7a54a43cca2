"""The authentication backend for passwords and for each signed-in request's user (settings.AUTHENTICATION_BACKENDS)."""

from django.contrib.auth import backends, get_user_model
from django.core.exceptions import ValidationError
from django.db import connections, router

from config.model_rows import model_columns, models_from_row


class ModelBackend(backends.ModelBackend):
    """Django's, except that get_user(), which every signed-in request calls with the id its session holds, reads the
    user by SQL written once per process (config.model_rows) instead of a query the ORM compiles every time."""

    def get_user(self, user_id):
        user_model = get_user_model()
        pk = user_model._meta.pk
        try:
            value = pk.to_python(user_id)
        except ValidationError:
            return None
        alias = router.db_for_read(user_model)
        columns = model_columns(alias, (user_model,))
        connection = connections[alias]
        quote = connection.ops.quote_name
        table = quote(user_model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {columns.select} FROM {table} WHERE {table}.{quote(pk.column)} = %s",
                [pk.get_db_prep_value(value, connection)],
            )
            row = cursor.fetchone()
        if row is None:
            return None
        (user,) = models_from_row(alias, columns, row)
        return user if self.user_can_authenticate(user) else None
