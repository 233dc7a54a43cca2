"""Trigram indexes for case search at county scale (PostgreSQL only; other databases search without them).

The case list's search matches a case's reference (starts with), address (contains), postcode ignoring spaces
(starts with) and the names of the people on it (contain): LIKE patterns on upper-cased text, which a pg_trgm GIN
index on the same expression answers instead of reading every case. The indexes are not part of the models' state:
nothing in the ORM names them, and SQLite, which has no such index, migrates past them.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Replace, Upper

from config.migration_operations import PostgresIndex, trigram


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
