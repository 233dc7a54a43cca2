"""Trigram indexes for case search at county scale (PostgreSQL only; other databases search without them).

The case list's search matches a case's reference (starts with), address (contains), postcode ignoring spaces
(starts with) and the names of the people on it (contain): LIKE patterns on upper-cased text, which a pg_trgm GIN
index on the same expression answers instead of reading every case. The indexes are not part of the models' state:
nothing in the ORM names them, and SQLite, which has no such index, migrates past them.
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations
from django.db.migrations.operations.base import Operation
from django.db.models import Value
from django.db.models.functions import Replace, Upper


class PostgresIndex(Operation):
    """Create (and on reversal drop) an index on PostgreSQL only, outside the models' state."""

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
    return GinIndex(OpClass(expression, name="gin_trgm_ops"), name=name)


class Migration(migrations.Migration):
    dependencies = [("casework", "0034_scale_case_indexes")]

    operations = [
        TrigramExtension(),  # does nothing on other databases
        PostgresIndex("case", trigram(Upper("reference"), "case_reference_trgm_idx")),
        PostgresIndex("case", trigram(Upper("address"), "case_address_trgm_idx")),
        PostgresIndex("case", trigram(Replace(Upper("postcode"), Value(" "), Value("")), "case_postcode_trgm_idx")),
        PostgresIndex("person", trigram(Upper("first_name"), "person_first_name_trgm_idx")),
        PostgresIndex("person", trigram(Upper("last_name"), "person_last_name_trgm_idx")),
    ]
