"""The authentication backend for passwords and for each signed-in request's user (settings.AUTHENTICATION_BACKENDS)."""

from django.contrib.auth import backends, get_user_model
from django.core.exceptions import ValidationError

from config.compiled_queries import compiled_query


class ModelBackend(backends.ModelBackend):
    """Django's, except that get_user(), which every signed-in request calls with the id its session holds, reads the
    user by a query compiled once per process (config.compiled_queries) instead of one the ORM compiles every time."""

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            value = user_model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        found = _user_by_pk(user_model, pk=value)
        if not found:
            return None
        return found[0] if self.user_can_authenticate(found[0]) else None


@compiled_query
def _user_by_pk(user_model, *, pk):
    return user_model._default_manager.filter(pk=pk)
