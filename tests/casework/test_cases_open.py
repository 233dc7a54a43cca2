from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from agencies.models import Membership
from audit.models import AuditEvent
from audit.services import Actor
from casework import permissions
from casework.models import AsbKind, Case
from casework.services.cases import case_open, postcode_normalise
from tests.agencies.factories import make_agency, make_member
from tests.casework.factories_cases import date_parts


def case_post(**overrides):
    data = {
        "summary": "Loud music from flat 3 most nights",
        "kind": str(AsbKind.objects.get(slug="neighbour-noise").pk),
        "category": "",
        "subject_type": "individual",
        "subject_tenure": "housing_association",
        "subject_age_band": "adult",
        "risk_level": "medium",
        "security_marking": "official",
        "address": "Flat 3, 12 Acre Road, Ely",
        "postcode": "cb7 4ab",
        "ward": "Ely East",
        "latitude": "52.398",
        "longitude": "0.263",
        **date_parts("opened_on", timezone.localdate()),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def police_client(client, police_caseworker):
    client.force_login(police_caseworker)
    return client


def test_open_page_offers_the_form_with_my_agency_as_lead(police_client, police, council):
    response = police_client.get(reverse("case_open"))
    page = response.content.decode()
    assert response.status_code == 200
    assert f'<option value="{police.pk}" selected>' in page
    assert council.name in page  # agencies serving the partnership are offered
    assert "<legend" in page and "Who or what is the case about?" in page
    assert 'name="opened_on_0"' in page


def test_opening_a_case_from_the_page(police_client, police, police_caseworker):
    response = police_client.post(reverse("case_open"), case_post(is_complex="on"))
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("case_detail", args=[case.reference])
    assert case.reference == f"ECAM-{timezone.localdate().year}-0001"
    assert case.category == "nuisance"  # implied by the kind
    assert case.postcode == "CB7 4AB"
    assert case.lead_agency == police and case.is_complex and case.risk_level == "medium"
    created = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, case_id=case.pk, object_type="case")
    assert created.user == police_caseworker and created.agency_id == police.pk
    assert permissions.can_manage_case(user=police_caseworker, agency=police, case=case)
    page = police_client.get(response["Location"]).content.decode()
    assert f"Case {case.reference} opened" in page


def test_references_count_on_within_the_partnership_and_year(police_client, police):
    police_client.post(reverse("case_open"), case_post())
    police_client.post(reverse("case_open"), case_post(summary="Second"))
    year = timezone.localdate().year
    assert sorted(Case.objects.values_list("reference", flat=True)) == [f"ECAM-{year}-0001", f"ECAM-{year}-0002"]


def test_a_kind_and_a_category_that_disagree_are_refused_with_a_clear_message(police_client):
    response = police_client.post(reverse("case_open"), case_post(category="environmental"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Neighbour noise is a kind of nuisance ASB: choose the Nuisance category or another kind" in page
    assert not Case.objects.exists()


def test_a_category_alone_is_enough(police_client):
    police_client.post(reverse("case_open"), case_post(kind="", category="personal"))
    case = Case.objects.get()
    assert case.category == "personal" and case.kind is None


def test_neither_kind_nor_category_asks_for_one(police_client):
    page = police_client.post(reverse("case_open"), case_post(kind="", category="")).content.decode()
    assert "Choose a category, or a kind of ASB" in page
    assert 'href="#id_category_0"' in page  # the summary links to the first radio
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"postcode": "ELY 123"}, "Enter a real UK postcode, like CB7 4AB."),
        ({"latitude": "95"}, "Latitude must be between -90 and 90"),
        ({"longitude": "east"}, "Longitude must be a number, like 0.263"),
        ({"summary": ""}, "Enter a summary of the case"),
        ({"subject_type": "robot"}, "Select a valid choice"),
        ({"opened_on_0": "31", "opened_on_1": "2", "opened_on_2": "2026"}, "Date opened must be a real date"),
        ({"opened_on_0": "3", "opened_on_1": "", "opened_on_2": "2026"}, "Date opened must include a month"),
        ({"opened_on_0": "x", "opened_on_1": "y", "opened_on_2": "z"}, "Date opened must be a real date"),
        ({"opened_on_0": "", "opened_on_1": "", "opened_on_2": ""}, "Enter date opened"),
        ({"next_review_on_0": "1", "next_review_on_1": "13", "next_review_on_2": "2026"}, "Next review date must be a real date"),
    ],
)
def test_bad_input_gives_a_clear_message_and_no_case(police_client, overrides, message):
    response = police_client.post(reverse("case_open"), case_post(**overrides))
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert "govuk-error-summary" in page
    assert not Case.objects.exists()


def test_a_case_cannot_be_opened_in_the_future_and_typed_values_stay(police_client):
    tomorrow = timezone.localdate() + timedelta(days=1)
    page = police_client.post(reverse("case_open"), case_post(**date_parts("opened_on", tomorrow))).content.decode()
    assert "Date opened must be today or in the past" in page
    assert f'value="{tomorrow.day}"' in page and "Loud music from flat 3 most nights" in page
    assert not Case.objects.exists()


def test_review_date_before_opening_is_refused(police_client):
    today = timezone.localdate()
    page = police_client.post(reverse("case_open"), case_post(**date_parts("next_review_on", today - timedelta(days=3)))).content.decode()
    assert "Next review date must be on or after the date opened" in page


def test_lead_agency_must_serve_the_partnership(police_client, other_partnership):
    elsewhere = make_agency(partnerships=[other_partnership], slug="fenland-dc")
    page = police_client.post(reverse("case_open"), case_post(lead_agency=str(elsewhere.pk))).content.decode()
    assert "Choose an agency that serves the partnership" in page
    assert not Case.objects.exists()


def test_another_agency_can_be_chosen_to_lead(police_client, council, police_caseworker, police):
    police_client.post(reverse("case_open"), case_post(lead_agency=str(council.pk)))
    case = Case.objects.get()
    assert case.lead_agency == council
    # the opener's agency is not given access by opening a case for another agency
    assert not permissions.can_view_case(user=police_caseworker, agency=police, case=case)


def test_lead_officer_must_belong_to_the_lead_agency(police_client, police, council, council_caseworker, partnership):
    officer = make_member(agency=police, partnership=partnership, username="pc-barrios", first_name="Tony", last_name="Barrios")
    page = police_client.post(reverse("case_open"), case_post(lead_officer=str(council_caseworker.pk))).content.decode()
    assert "is not in Cambridgeshire Constabulary: choose someone in the lead agency" in page
    assert not Case.objects.exists()
    police_client.post(reverse("case_open"), case_post(lead_officer=str(officer.pk)))
    assert Case.objects.get().lead_officer == officer


@pytest.mark.parametrize("role", [Membership.Role.ANALYST])
def test_roles_that_may_not_open_cases_are_refused(client, police, partnership, role):
    analyst = make_member(agency=police, partnership=partnership, role=role, username="analyst")
    client.force_login(analyst)
    assert client.get(reverse("case_open")).status_code == 403
    assert client.post(reverse("case_open"), case_post()).status_code == 403
    assert not Case.objects.exists()


def test_service_derives_category_from_kind_and_refuses_disagreement(partnership, police):
    kind = AsbKind.objects.get(slug="fly-tipping")
    case = case_open(actor=Actor.system(), partnership=partnership, lead_agency=police, summary="Tipping", kind=kind)
    assert case.category == "environmental"
    with pytest.raises(ValidationError) as error:
        case_open(actor=Actor.system(), partnership=partnership, lead_agency=police, summary="x", kind=kind, category="personal")
    assert "kind" in error.value.message_dict
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    "typed, stored",
    [("cb74ab", "CB7 4AB"), ("  Cb7   4aB ", "CB7 4AB"), ("sw1a1aa", "SW1A 1AA"), ("pe1 1aa", "PE1 1AA"), ("", ""), ("GIR0AA", "GIR 0AA")],
)
def test_postcodes_are_stored_in_one_form(typed, stored):
    assert postcode_normalise(typed) == stored


@pytest.mark.parametrize("typed", ["CB7", "12345", "CB7 4A", "CB7 4ABC", "C#7 4AB"])
def test_things_that_are_not_postcodes_are_refused(typed):
    with pytest.raises(ValidationError):
        postcode_normalise(typed)


def test_service_refuses_out_of_range_coordinates_and_a_stranger_as_lead_officer(partnership, police, council_caseworker):
    with pytest.raises(ValidationError) as error:
        case_open(actor=Actor.system(), partnership=partnership, lead_agency=police, summary="x", category="nuisance", latitude=91)
    assert "latitude" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        case_open(actor=Actor.system(), partnership=partnership, lead_agency=police, summary="x", category="nuisance", lead_officer=council_caseworker)
    assert "lead_officer" in error.value.message_dict
    assert not Case.objects.exists()


def test_opened_on_in_the_past_is_kept(police_client):
    police_client.post(reverse("case_open"), case_post(**date_parts("opened_on", date(2025, 12, 30))))
    case = Case.objects.get()
    assert case.opened_on == date(2025, 12, 30) and case.reference == "ECAM-2025-0001"
