"""What every API operation shares (config/api.py): the X-Acting-Membership header, 405 for a method an address does not
take, and the statuses every operation may answer, declared in the schema. Each was found by the schemathesis run."""

import pytest
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from agencies.models import Membership
from tests.api.schema_check import api_schema, assert_conforms
from tests.casework.factories import make_case

HEADER_ERROR = {"X-Acting-Membership": "Give the id of one of your memberships."}


@pytest.fixture
def api(police_caseworker):
    client = APIClient()
    client.force_authenticate(police_caseworker)
    return client


@pytest.mark.parametrize("value", ["", "abc", "0", "١", "1_0", "-1"])
def test_an_acting_membership_header_that_is_not_one_of_yours_is_a_declared_400(api, value):
    # "" was taken as no header, and "١" (an Arabic-Indic one) and "1_0" were read by int() as 1 and 10.
    response = api.get("/api/v1/cases/", HTTP_X_ACTING_MEMBERSHIP=value)
    assert response.status_code == 400
    assert response.json() == HEADER_ERROR
    assert_conforms(response, "GET", "/api/v1/cases/")


def test_your_own_membership_in_the_header_or_none_acts_for_it(api, police_caseworker, partnership, police):
    case = make_case(partnership=partnership, lead_agency=police)
    mine = Membership.objects.get(user=police_caseworker)
    for headers in ({}, {"HTTP_X_ACTING_MEMBERSHIP": str(mine.pk)}):
        response = api.get("/api/v1/cases/", **headers)
        assert response.status_code == 200
        assert [row["reference"] for row in response.json()["results"]] == [case.reference]


def test_a_method_an_address_does_not_take_is_405_whatever_the_header(api, partnership, police):
    # The membership was checked before the method, so a PUT with a bad header was a 400.
    case = make_case(partnership=partnership, lead_agency=police)
    for path in ("/api/v1/cases/", f"/api/v1/cases/{case.reference}/"):
        response = api.put(path, {}, format="json", HTTP_X_ACTING_MEMBERSHIP="0")
        assert response.status_code == 405, path
        assert "PUT" not in response["Allow"]
    assert api.generic("TRACE", "/api/v1/referrals/", HTTP_X_ACTING_MEMBERSHIP="").status_code == 405


def test_every_operation_declares_the_statuses_the_shared_code_answers():
    for path, methods in api_schema()["paths"].items():
        for method, operation in methods.items():
            declared = operation["responses"]
            parameters = {(p["in"], p["name"]) for p in operation.get("parameters", [])}
            label = f"{method.upper()} {path}"
            assert "429" in declared, label  # throttled everywhere
            if path != "/api/v1/auth/token/":
                assert ("header", "X-Acting-Membership") in parameters, label
                assert {"400", "401"} <= set(declared), label
            if ("query", "page") in parameters:
                assert "404" in declared, label


@pytest.mark.parametrize("path", ["/api/v1/cases/", "/api/v1/referrals/", "/api/v1/meetings/", "/api/v1/reports/runs/"])
def test_a_paginated_list_is_declared_as_a_page_with_its_page_parameter(path):
    # Declared as a bare array, while the API sends {count, next, previous, results}.
    operation = api_schema()["paths"][path]["get"]
    assert ("query", "page") in {(p["in"], p["name"]) for p in operation["parameters"]}
    page = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert page["$ref"].startswith("#/components/schemas/Paginated")
    assert {"count", "next", "previous", "results"} <= set(api_schema()["components"]["schemas"][page["$ref"].rsplit("/", 1)[1]]["properties"])


def test_a_page_of_cases_and_a_page_past_the_last_conform(api, partnership, police):
    make_case(partnership=partnership, lead_agency=police)
    page = api.get("/api/v1/cases/")
    assert page.status_code == 200 and page.json()["count"] == 1
    assert_conforms(page, "GET", "/api/v1/cases/")
    past = api.get("/api/v1/cases/?page=9")
    assert past.status_code == 404
    assert_conforms(past, "GET", "/api/v1/cases/")


def test_no_token_and_too_many_requests_are_declared_answers(api, monkeypatch):
    unsigned = APIClient().get("/api/v1/cases/")
    assert unsigned.status_code == 401
    assert_conforms(unsigned, "GET", "/api/v1/cases/")

    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "user", "1/minute")
    assert api.get("/api/v1/routing/rules/").status_code == 200
    throttled = api.get("/api/v1/routing/rules/")
    assert throttled.status_code == 429 and "Retry-After" in throttled
    assert_conforms(throttled, "GET", "/api/v1/routing/rules/")
