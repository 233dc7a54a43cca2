from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AuditEvent
from audit.services import Actor
from casework.models import Case
from casework.services.cases import case_close
from tests.casework.factories import make_case
from tests.casework.factories_cases import make_action, put_person_on_case


@pytest.fixture
def api(police_caseworker):
    client = APIClient()
    client.force_authenticate(police_caseworker)
    return client


@pytest.fixture
def cases(partnership, police, council, police_caseworker):
    today = timezone.localdate()
    noise = make_case(partnership=partnership, lead_agency=police, postcode="CB7 4AB", risk_level="high",
                      next_review_on=today - timedelta(days=1), lead_officer=police_caseworker)
    tipping = make_case(partnership=partnership, lead_agency=police, kind_slug="fly-tipping", address="Drove Road, Sutton",
                        next_review_on=today + timedelta(days=20))
    case_close(actor=Actor.system(), case=tipping, outcome="resolved", reason="Cleared")
    theirs = make_case(partnership=partnership, lead_agency=council, postcode="CB7 4AB")
    person = put_person_on_case(case=noise, first_name="Jordan", last_name="Smith")
    put_person_on_case(case=theirs, first_name="", last_name="", person=person)
    make_action(case=noise, owner_user=police_caseworker)
    return {"noise": noise, "tipping": tipping, "theirs": theirs}


def found(api, **params):
    response = api.get("/api/v1/cases/", params)
    assert response.status_code == 200, response.data
    return sorted(row["reference"] for row in response.data["results"])


def test_api_filters_and_search_match_the_page(api, cases, police):
    noise, tipping = cases["noise"].reference, cases["tipping"].reference
    assert found(api, q="smith") == [noise]
    assert found(api, q="cb74ab") == [noise]
    assert found(api, q="sutton") == [tipping]
    assert found(api, q=noise) == [noise]
    assert found(api, status="current") == [noise]
    assert found(api, status="closed") == [tipping]
    assert found(api, lead_agency=police.slug) == sorted([noise, tipping])
    assert found(api, review_due="overdue") == [noise]
    assert found(api, mine="true") == [noise]
    assert found(api, overdue_actions="true") == [noise]
    assert found(api, risk_level="high", category="nuisance") == [noise]


def test_api_search_never_reaches_another_agencys_case(api, cases):
    assert cases["theirs"].reference not in found(api, q="CB7 4AB")
    assert found(api, q=cases["theirs"].reference) == []


@pytest.mark.parametrize("params, field", [({"status": "asleep"}, "status"), ({"review_due": "soon"}, "review_due"),
                                            ({"lead_agency": "no-such-agency"}, "lead_agency"), ({"q": "x" * 101}, "q")])
def test_bad_filters_are_a_400_naming_the_filter(api, cases, params, field):
    response = api.get("/api/v1/cases/", params)
    assert response.status_code == 400 and field in response.data


def test_api_searches_are_audited(api, cases, police_caseworker):
    found(api, q="smith", status="current")
    event = AuditEvent.objects.get(action="search")
    assert event.user == police_caseworker and event.detail == "Case search: q=smith; status=current"


def test_api_open_with_a_kind_only_takes_its_category_and_refuses_a_mismatch(api, police):
    created = api.post("/api/v1/cases/", {"summary": "Bins set alight", "kind": "deliberate-fire-setting", "postcode": "cb7 5ex"}, format="json")
    assert created.status_code == 201, created.data
    assert created.data["category"] == "environmental" and created.data["postcode"] == "CB7 5EX"
    refused = api.post("/api/v1/cases/", {"summary": "x", "kind": "deliberate-fire-setting", "category": "personal"}, format="json")
    assert refused.status_code == 400 and "kind" in refused.data
    neither = api.post("/api/v1/cases/", {"summary": "x"}, format="json")
    assert neither.status_code == 400 and "category" in neither.data
    bad_postcode = api.post("/api/v1/cases/", {"summary": "x", "category": "nuisance", "postcode": "nowhere"}, format="json")
    assert bad_postcode.status_code == 400 and "postcode" in bad_postcode.data
    assert Case.objects.count() == 1


def _api_list_queries(api, params) -> tuple[int, dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = api.get("/api/v1/cases/", params)
    assert response.status_code == 200, response.data
    return len(captured.captured_queries), response.data


@pytest.mark.parametrize("params", [{}, {"status": "current", "q": "smith"}, {"q": "smith"}])
def test_api_list_runs_the_same_queries_for_3_or_30_cases_and_counts_them_exactly(api, partnership, police, params):
    """A page's cases are read with their partnership and kind (no query per row); a narrowed list is counted
    exactly, a search alone too (its ids read from the grants, casework.pagination.CaseSearchPaginator)."""
    for n in range(3):
        put_person_on_case(case=make_case(partnership=partnership, lead_agency=police, kind_slug="fly-tipping"), first_name="Sam", last_name=f"Smith{n}")
    few, _ = _api_list_queries(api, params)
    for n in range(27):
        put_person_on_case(case=make_case(partnership=partnership, lead_agency=police, kind_slug="fly-tipping"), first_name="Sam", last_name=f"Smith{n}")
    many, data = _api_list_queries(api, params)
    assert few == many
    assert data["count"] == 30 and len(data["results"]) == 25 and data["results"][0]["kind"] == "fly-tipping"
    assert data["results"][0]["partnership"] == partnership.slug
    assert [row["reference"] for row in data["results"]] == list(
        Case.objects.order_by("-opened_on", "-id").values_list("reference", flat=True)[:25]
    )


def test_a_search_alone_pages_through_every_match_in_order_and_past_the_end_is_not_found(api, partnership, police, council):
    for n in range(30):
        put_person_on_case(case=make_case(partnership=partnership, lead_agency=police), first_name="Sam", last_name=f"Smith{n}")
    put_person_on_case(case=make_case(partnership=partnership, lead_agency=council), first_name="Sam", last_name="Smith-theirs")
    newest_first = list(Case.objects.filter(lead_agency=police).order_by("-opened_on", "-id").values_list("reference", flat=True))
    first = api.get("/api/v1/cases/", {"q": "smith"}).data
    second = api.get("/api/v1/cases/", {"q": "smith", "page": 2}).data
    assert first["count"] == second["count"] == 30 and first["previous"] is None and second["next"] is None
    assert [row["reference"] for row in first["results"] + second["results"]] == newest_first
    assert api.get("/api/v1/cases/", {"q": "smith", "page": 3}).status_code == 404
