"""The session engine (settings.SESSION_ENGINE): Django's sessions in the database, each request's read by SQL written
once per process (config.model_rows) instead of a query the ORM compiles every time. Writing, ending and clearing
sessions are Django's own."""

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.db import connections, router
from django.utils import timezone

from config.model_rows import model_columns, models_from_row


class SessionStore(db.SessionStore):
    def _validate_session_key(self, key):
        """Only a key of the characters Django makes keys of: any other cookie is no session, without asking the
        database (a NUL byte in one, which a quoted cookie can carry, made PostgreSQL's driver raise: a 500)."""
        return super()._validate_session_key(key) and all(character in _KEY_CHARACTERS for character in key)

    def _get_session_from_db(self):
        """The session of this key that has not expired, as Django's finds it; None (and no key) when there is none."""
        model = self.model
        alias = router.db_for_read(model)
        connection = connections[alias]
        columns = model_columns(alias, (model,))
        quote, meta = connection.ops.quote_name, model._meta
        table = quote(meta.db_table)
        key_field, expiry_field = meta.get_field("session_key"), meta.get_field("expire_date")
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {columns.select} FROM {table}"
                f" WHERE {table}.{quote(key_field.column)} = %s AND {table}.{quote(expiry_field.column)} > %s",
                [key_field.get_db_prep_value(self.session_key, connection), expiry_field.get_db_prep_value(timezone.now(), connection)],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        (session,) = models_from_row(alias, columns, row)
        return session


_KEY_CHARACTERS = frozenset(VALID_KEY_CHARS)
