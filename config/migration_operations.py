"""Migration operations shared by the apps' migrations: indexes that only PostgreSQL can have.

Kept here, below every app, so that any app's migrations may use them; migrations import them for as long as they
exist, so this module stays."""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db.migrations.operations.base import Operation


class PostgresIndex(Operation):
    """Create (and on reversal drop) an index on PostgreSQL only, outside the models' state: nothing in the ORM names
    such an index, and SQLite, which cannot have it, migrates past it."""

    reversible = True

    def __init__(self, model_name, index):
        self.model_name = model_name
        self.index = index

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.add_index(to_state.apps.get_model(app_label, self.model_name), self.index)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.remove_index(from_state.apps.get_model(app_label, self.model_name), self.index)

    def describe(self):
        return f"Create index {self.index.name} on {self.model_name} (PostgreSQL only)"

    def deconstruct(self):
        return self.__class__.__name__, [], {"model_name": self.model_name, "index": self.index}


def trigram(expression, name):
    """A pg_trgm GIN index on `expression`: it answers LIKE '%…%' on that expression (icontains on Upper(field))."""
    return GinIndex(OpClass(expression, name="gin_trgm_ops"), name=name)
