import csv
import io

from django.urls import reverse

from audit.models import AuditEvent
from audit.services import Actor
from casework.services.imports import cases_import
from tests.casework.factories import make_case


def _rows(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_export_is_the_current_filter_of_visible_cases_in_import_columns(client, partnership, police, council, police_caseworker):
    high = make_case(partnership=partnership, lead_agency=police, summary="Threats", risk_level="high")
    make_case(partnership=partnership, lead_agency=police, summary="Litter", risk_level="standard")
    make_case(partnership=partnership, lead_agency=council, summary="Council only", risk_level="high")
    client.force_login(police_caseworker)
    response = client.get(reverse("case_export"), {"risk_level": "high"})
    rows = _rows(response)
    assert response["Content-Type"].startswith("text/csv")
    assert rows[0][:3] == ["reference", "category", "kind"]
    assert [row[0] for row in rows[1:]] == [high.reference]
    event = AuditEvent.objects.get(action="export")
    assert "risk_level=high" in event.detail and "(1 cases)" in event.detail


def test_an_export_imports_back_unchanged(client, partnership, police, police_caseworker):
    make_case(partnership=partnership, lead_agency=police, summary="=HYPERLINK(\"x\")", postcode="CB7 4AB")
    client.force_login(police_caseworker)
    data = b"".join(client.get(reverse("case_export")).streaming_content)
    assert b"'=HYPERLINK" in data, "a formula-like cell is neutralised for spreadsheets"
    result = cases_import(actor=Actor.system(), partnership=partnership, data=data, dry_run=True)
    assert result.ok, result.errors
    assert len(result.unchanged) == 1 and not result.updated


def test_export_query_count_does_not_grow(client, partnership, police, police_caseworker, django_assert_max_num_queries):
    for n in range(3):
        make_case(partnership=partnership, lead_agency=police, summary=f"Case {n}")
    client.force_login(police_caseworker)
    with django_assert_max_num_queries(15) as few:
        b"".join(client.get(reverse("case_export")).streaming_content)
    for n in range(20):
        make_case(partnership=partnership, lead_agency=police, summary=f"More {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        b"".join(client.get(reverse("case_export")).streaming_content)
