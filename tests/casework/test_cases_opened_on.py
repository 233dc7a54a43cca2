"""A case opened before 1990 is a slip of the keyboard (0026 for 2026): refused on the page, through the API and in an
import, with the same words, and no case or reference is made."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from casework.imports import parse_cases_csv
from casework.models import Case, CaseReferenceCounter
from tests.casework.factories import make_case
from tests.casework.test_cases_open import case_post, date_parts

MESSAGE = "The date opened must be 1 January 1990 or later."


@pytest.fixture
def police_client(client, police_caseworker):
    client.force_login(police_caseworker)
    return client


@pytest.mark.parametrize("day, month, year", [("1", "1", "0001"), ("8", "6", "0680"), ("31", "12", "1989")])
def test_the_page_refuses_a_date_opened_before_1990_and_keeps_what_was_typed(police_client, day, month, year):
    typed = {"opened_on_0": day, "opened_on_1": month, "opened_on_2": year}
    page = police_client.post(reverse("case_open"), case_post(**typed)).content.decode()
    assert MESSAGE in page and "govuk-error-summary" in page and f'value="{year}"' in page
    assert "Loud music from flat 3 most nights" in page
    assert not Case.objects.exists() and not CaseReferenceCounter.objects.exists()


def test_the_first_day_of_1990_is_accepted(police_client):
    response = police_client.post(reverse("case_open"), case_post(**date_parts("opened_on", date(1990, 1, 1))))
    assert response.status_code == 302
    assert Case.objects.get().reference.split("-")[1] == "1990"


def test_the_api_answers_400_naming_the_date(police_caseworker, police):
    api = APIClient()
    api.force_authenticate(police_caseworker)
    refused = api.post("/api/v1/cases/", {"summary": "x", "category": "nuisance", "opened_on": "0680-06-08"}, format="json")
    assert refused.status_code == 400 and refused.data["opened_on"] == [MESSAGE]
    assert not Case.objects.exists()


def test_an_import_reports_the_row_and_column(partnership, council):
    text = (
        "category,subject_type,opened_on,lead_agency,summary\r\n"
        "nuisance,individual,2026-01-05,ecdc,Loud music\r\n"
        "nuisance,individual,0026-01-05,ecdc,Loud music\r\n"
    )
    parsed = parse_cases_csv(text.encode(), partnership=partnership, today=date(2026, 5, 1))
    assert [(error.line, error.column, error.reason) for error in parsed.errors] == [(3, "opened_on", MESSAGE)]


def test_the_service_refuses_a_case_opened_tomorrow(partnership, police):
    with pytest.raises(ValidationError) as refused:
        make_case(partnership=partnership, lead_agency=police, opened_on=timezone.localdate() + timedelta(days=1))
    assert refused.value.message_dict == {"opened_on": ["The date opened must be today or in the past."]}
    assert not Case.objects.exists()
