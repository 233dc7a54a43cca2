"""Indexes for the case list's search at county scale.

- A name search finds people by trigram, then the cases they are on: (person, case) answers that from the index alone,
  without reading a link row for each of the thousands of people a common surname finds.
- A reference or postcode is matched from its start. The trigram indexes of 0035 answer that too, but a reference such
  as "PBRO-2026-1110" shares most of its trigrams with every case of its partnership, so the GIN index intersects
  tens of thousands of entries (about 5 ms); a btree on the same upper-cased expression (text_pattern_ops, so that
  LIKE 'prefix%' is a range) reads the few that start so. PostgreSQL only, outside the models' state, as in 0035.
"""

from django.contrib.postgres.indexes import OpClass
from django.db import migrations, models
from django.db.migrations.operations.base import Operation
from django.db.models import Value
from django.db.models.functions import Replace, Upper


class PostgresIndex(Operation):
    """Create (and on reversal drop) an index on PostgreSQL only, outside the models' state (as in 0035)."""

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


def prefix(expression, name):
    return models.Index(OpClass(expression, name="text_pattern_ops"), name=name)


class Migration(migrations.Migration):
    dependencies = [("casework", "0036_scale_current_risk_index")]

    operations = [
        migrations.AddIndex(model_name="caseperson", index=models.Index(fields=["person", "case"], name="case_person_cases_idx")),
        PostgresIndex("case", prefix(Upper("reference"), "case_reference_prefix_idx")),
        PostgresIndex("case", prefix(Replace(Upper("postcode"), Value(" "), Value("")), "case_postcode_prefix_idx")),
    ]
