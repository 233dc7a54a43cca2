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
from django.db.models import Value
from django.db.models.functions import Replace, Upper

from config.migration_operations import PostgresIndex


def prefix(expression, name):
    return models.Index(OpClass(expression, name="text_pattern_ops"), name=name)


class Migration(migrations.Migration):
    dependencies = [("casework", "0036_scale_current_risk_index")]

    operations = [
        migrations.AddIndex(model_name="caseperson", index=models.Index(fields=["person", "case"], name="case_person_cases_idx")),
        PostgresIndex("case", prefix(Upper("reference"), "case_reference_prefix_idx")),
        PostgresIndex("case", prefix(Replace(Upper("postcode"), Value(" "), Value("")), "case_postcode_prefix_idx")),
    ]
