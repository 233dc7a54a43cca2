"""The session engine (settings.SESSION_ENGINE): Django's sessions in the database, each request's read by a query
compiled once per process (config.compiled_queries) instead of one the ORM compiles every time. Writing, ending and
clearing sessions are Django's own."""

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.utils import timezone

from config.compiled_queries import compiled_query


class SessionStore(db.SessionStore):
    def _validate_session_key(self, key):
        """Only a key of the characters Django makes keys of: any other cookie is no session, without asking the
        database (a NUL byte in one, which a quoted cookie can carry, made PostgreSQL's driver raise: a 500)."""
        return super()._validate_session_key(key) and all(character in _KEY_CHARACTERS for character in key)

    def _get_session_from_db(self):
        """The session of this key that has not expired, as Django's finds it; None (and no key) when there is none."""
        found = self.session_key is not None and _live_session(self.model, session_key=self.session_key, now=timezone.now())
        if not found:  # no key (none given, or not a valid one), or no live session of it
            self._session_key = None
            return None
        return found[0]


@compiled_query
def _live_session(model, *, session_key, now):
    return model.objects.filter(session_key=session_key, expire_date__gt=now)


_KEY_CHARACTERS = frozenset(VALID_KEY_CHARS)
