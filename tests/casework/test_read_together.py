"""read_together: counts, single values and ordered id lists, all in one query."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.models import Case
from casework.selectors.counts import read_together
from tests.casework.factories import make_case


def test_counts_values_and_ordered_ids_come_back_from_one_query(partnership, police):
    cases = [make_case(partnership=partnership, lead_agency=police) for _ in range(5)]
    newest_first = Case.objects.order_by("-id")
    with CaptureQueriesContext(connection) as queries:
        read = read_together(
            every=Case.objects.all(),
            bounded=(Case.objects.all(), 2),
            first_reference=("value", Case.objects.order_by("id").values("reference")[:1]),
            newest=("ids", newest_first, 3),
            oldest=("ids", Case.objects.order_by("id"), 10),
            nothing=("ids", Case.objects.none(), 3),
            none_counted=Case.objects.none(),
            no_value=("value", Case.objects.none().values("reference")),
        )
    if connection.vendor == "postgresql":  # SQLite has no arrays: it reads the id lists apart
        assert len(queries.captured_queries) == 1
    assert read["every"] == 5 and read["bounded"] == 3  # up to limit + 1: "more than 2"
    assert read["first_reference"] == cases[0].reference
    assert read["newest"] == [case.pk for case in reversed(cases)][:3]
    assert read["oldest"] == [case.pk for case in cases]
    assert read["nothing"] == [] and read["none_counted"] == 0 and read["no_value"] is None
