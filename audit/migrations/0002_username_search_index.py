"""A trigram index for searching the audit trail by part of a username, at county scale (PostgreSQL only).

The search's "user contains" is icontains: LIKE '%…%' on the upper-cased username, which without this index reads
every event (two million in a county: 0.7 to 1.2 s for a page). Writing an event costs some microseconds more.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations
from django.db.models.functions import Upper

from config.migration_operations import PostgresIndex, trigram


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        TrigramExtension(),  # already there with the case search's indexes; does nothing on other databases
        PostgresIndex("auditevent", trigram(Upper("username"), "audit_username_trgm_idx")),
    ]
