"""Helpers for the property tests (Hypothesis): the profile itself is chosen in the root conftest.py."""

from contextlib import contextmanager

from django.db import transaction
from hypothesis import HealthCheck, settings

# A property that writes to the database runs each example in a savepoint that is rolled back, inside the test's own
# transaction: the fixtures (partnership, agencies) are made once per test and every example starts from them.
# Hypothesis warns about function-scoped fixtures because they are not reset between examples; these are only read.
DB_READS = settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def db_writes(max_examples: int):
    """Settings for a property whose examples write (and roll back): few examples, so that the suite stays quick."""
    return settings(max_examples=max_examples, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])


@contextmanager
def rolled_back():
    """Run one example in a savepoint that is always undone."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
