from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import Actor
from casework.models import Case, CasePerson
from casework.services.access import case_access_grant
from casework.services.cases import case_close
from tests.casework.factories import make_case
from tests.casework.factories_cases import make_action, put_person_on_case

# session in and out, user, memberships, the search audit (5 with savepoints), agencies to filter by, the ids of the
# matches in order (which count them), then the page's cases (casework.pagination.CasePaginator)
LIST_QUERIES = 15
# the plain list: session, user, memberships, count (the agency's counter), agencies to filter by, the page (one query)
PLAIN_LIST_QUERIES = 6


def references(response) -> list[str]:
    return [case.reference for case in response.context["page"].object_list]


@pytest.fixture
def police_client(client, police_caseworker):
    client.force_login(police_caseworker)
    return client


@pytest.fixture
def cases(partnership, police, council):
    """Police cases with people and places, and a council case with the same names and postcode."""
    today = timezone.localdate()
    noise = make_case(partnership=partnership, lead_agency=police, summary="Noise at night", postcode="CB7 4AB",
                      address="12 Acre Road, Ely", risk_level="high", next_review_on=today - timedelta(days=2))
    tipping = make_case(partnership=partnership, lead_agency=police, summary="Tipping on the drove", kind_slug="fly-tipping",
                        postcode="CB6 2EG", address="Drove Road, Sutton", next_review_on=today + timedelta(days=5))
    closed = make_case(partnership=partnership, lead_agency=police, summary="Old graffiti", kind_slug="criminal-damage-graffiti",
                       postcode="CB7 4DA", next_review_on=today + timedelta(days=30))
    case_close(actor=Actor.system(), case=closed, outcome="resolved", reason="Cleaned")
    theirs = make_case(partnership=partnership, lead_agency=council, summary="Council's own case", postcode="CB7 4AB",
                       address="12 Acre Road, Ely")
    smith = put_person_on_case(case=noise, first_name="Jordan", last_name="Smith")
    put_person_on_case(case=noise, first_name="", last_name="", person=smith, role=CasePerson.Role.WITNESS)  # twice on one case
    put_person_on_case(case=tipping, first_name="Alex", last_name="Smithers", role=CasePerson.Role.VICTIM)
    put_person_on_case(case=theirs, first_name="Jordan", last_name="Smith", person=smith)
    return {"noise": noise, "tipping": tipping, "closed": closed, "theirs": theirs}


def test_list_shows_only_the_cases_my_agency_may_see(police_client, cases):
    response = police_client.get(reverse("case_list"))
    assert set(references(response)) == {cases["noise"].reference, cases["tipping"].reference, cases["closed"].reference}
    assert "3 cases" in response.content.decode()


@pytest.mark.parametrize(
    "q, expected",
    [
        ("Jordan", ["noise"]),
        ("smith", ["noise", "tipping"]),  # Smith and Smithers; Jordan Smith once although on the case twice
        ("jordan smith", ["noise"]),
        ("cb74ab", ["noise"]),
        ("cb7 4ab", ["noise"]),
        ("CB7", ["noise", "closed"]),
        ("acre road", ["noise"]),
        ("Sutton", ["tipping"]),
        ("nobody-by-this-name", []),
    ],
)
def test_search_by_name_postcode_and_address_never_shows_another_agencys_case(police_client, cases, q, expected):
    response = police_client.get(reverse("case_list"), {"q": q})
    found = references(response)
    assert sorted(found) == sorted(cases[key].reference for key in expected)
    assert len(found) == len(set(found))
    assert cases["theirs"].reference not in found
    assert response.context["page"].paginator.count == len(expected)


def test_search_by_reference_exact_or_prefix(police_client, cases):
    noise = cases["noise"]
    assert references(police_client.get(reverse("case_list"), {"q": noise.reference})) == [noise.reference]
    assert references(police_client.get(reverse("case_list"), {"q": noise.reference.lower()})) == [noise.reference]
    prefix = noise.reference[:-1]  # ECAM-2026-000: every police case so far
    assert len(references(police_client.get(reverse("case_list"), {"q": prefix}))) == 3
    # the council's case by its exact reference: not found, not even a hint
    assert references(police_client.get(reverse("case_list"), {"q": cases["theirs"].reference})) == []


def test_the_other_agency_finds_its_own_case_by_the_same_search(client, cases, council_caseworker):
    client.force_login(council_caseworker)
    assert references(client.get(reverse("case_list"), {"q": "jordan smith"})) == [cases["theirs"].reference]


def test_filters(police_client, cases, police, council, police_caseworker):
    url = reverse("case_list")
    noise, tipping, closed = cases["noise"], cases["tipping"], cases["closed"]
    Case.objects.filter(pk=tipping.pk).update(case_review_flagged_at=timezone.now(), lead_officer=police_caseworker)
    make_action(case=noise, owner_user=police_caseworker, due_in_days=-1)
    make_action(case=tipping, owner_agency=council, due_in_days=-1)  # another agency's action
    make_action(case=closed, owner_agency=police, due_in_days=4)  # not yet due

    def found(**params):
        return sorted(references(police_client.get(url, params)))

    assert found(status="current") == sorted([noise.reference, tipping.reference])
    assert found(status="closed") == [closed.reference]
    assert found(category="environmental") == sorted([tipping.reference, closed.reference])
    assert found(risk_level="high") == [noise.reference]
    assert found(lead_agency=police.pk) == sorted([noise.reference, tipping.reference, closed.reference])
    assert found(lead_agency=council.pk) == []
    assert found(review_due="overdue") == [noise.reference]
    assert found(review_due="week") == sorted([noise.reference, tipping.reference])
    assert found(case_review="on") == [tipping.reference]
    assert found(mine="on") == [tipping.reference]
    assert found(overdue_actions="on") == [noise.reference]
    assert found(q="smith", category="environmental") == [tipping.reference]


def test_a_bad_filter_value_is_reported_not_a_crash(police_client, cases):
    response = police_client.get(reverse("case_list"), {"status": "sleeping", "lead_agency": "x", "risk_level": "high"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose a status from the list" in page and "Choose a lead agency from the list" in page
    assert references(response) == [cases["noise"].reference]  # the valid filter still applies


def test_searches_are_audited_with_the_filters_not_the_results(police_client, cases, police_caseworker):
    police_client.get(reverse("case_list"), {"q": "Smith", "status": "current"})
    event = AuditEvent.objects.get(action=AuditEvent.Action.SEARCH)
    assert event.user == police_caseworker
    assert event.detail == "Case search: q=Smith; status=current"
    assert cases["noise"].reference not in event.detail
    police_client.get(reverse("case_list"))  # a plain list is not a search
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SEARCH).count() == 1


def test_pages_of_25(police_client, partnership, police):
    for n in range(27):
        make_case(partnership=partnership, lead_agency=police, summary=f"Case {n}")
    first = police_client.get(reverse("case_list"))
    second = police_client.get(reverse("case_list"), {"page": 2})
    assert len(references(first)) == 25 and len(references(second)) == 2
    assert not set(references(first)) & set(references(second))
    assert "Page 1 of 2" in first.content.decode()
    assert police_client.get(reverse("case_list"), {"page": "lots"}).status_code == 200


def _list_queries(client, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("case_list"), params).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("params, pinned", [({}, PLAIN_LIST_QUERIES), ({"q": "smith", "status": "current", "review_due": "week"}, LIST_QUERIES)])
def test_list_runs_the_same_queries_for_3_or_30_cases(police_client, partnership, police, police_caseworker, params, pinned, django_assert_max_num_queries):
    today = timezone.localdate()
    for n in range(3):
        case = make_case(partnership=partnership, lead_agency=police, next_review_on=today, lead_officer=police_caseworker)
        put_person_on_case(case=case, first_name="Sam", last_name=f"Smith{n}")
    police_client.get(reverse("ping"))  # the session's first renewal is written once, by whichever page comes first
    few = _list_queries(police_client, params)
    for n in range(27):
        case = make_case(partnership=partnership, lead_agency=police, next_review_on=today, lead_officer=police_caseworker)
        put_person_on_case(case=case, first_name="Sam", last_name=f"Smith{n}")
    many = _list_queries(police_client, params)
    assert few == many
    with django_assert_max_num_queries(pinned):
        response = police_client.get(reverse("case_list"), params)
    assert response.context["page"].paginator.count == 30


def test_open_button_shows_for_roles_that_may_open(police_client, cases):
    assert reverse("case_open") in police_client.get(reverse("case_list")).content.decode()


def test_a_case_shared_with_my_agency_is_found_like_my_own(client, cases, council, council_caseworker):
    case_access_grant(actor=Actor.system(), case=cases["tipping"], agency=council, level="information")
    client.force_login(council_caseworker)
    assert sorted(references(client.get(reverse("case_list"), {"q": "smith"}))) == sorted(
        [cases["theirs"].reference, cases["tipping"].reference]
    )


def test_the_lead_agency_select_reads_its_choices_in_one_plain_query(police_client, cases, police, council):
    """Django's model choice fields read their choices through QuerySet.iterator(): on PostgreSQL a server-side
    cursor (DECLARE, FETCH, CLOSE) for a select of a few dozen agencies, on a third of the pages asked for."""
    with CaptureQueriesContext(connection) as captured:
        response = police_client.get(reverse("case_list"))
    assert not [query["sql"] for query in captured.captured_queries if query["sql"].startswith("DECLARE")]
    select = response.content.decode().split('name="lead_agency"', 1)[1].split("</select>", 1)[0]
    assert f'value="{police.pk}"' in select and f'value="{council.pk}"' in select


def test_the_unfiltered_lists_rows_are_its_own_slice_page_by_page(partnership, police, council, police_caseworker):
    """The plain list's rows come from a query compiled once (case_list_rows_for_slice): the same cases, in the same
    order, as the list's own queryset sliced, the other agency's case left out."""
    from casework.selectors.cases import case_list, case_list_rows_for_slice

    today = timezone.localdate()
    for days in (40, 3, 3, 17, 9, 60, 1):
        make_case(partnership=partnership, lead_agency=police, opened_on=today - timedelta(days=days))
    make_case(partnership=partnership, lead_agency=council, opened_on=today)
    listed = list(case_list(user=police_caseworker, agency=police).values_list("reference", flat=True))
    rows = case_list_rows_for_slice(user=police_caseworker, agency=police, filters={})
    assert len(listed) == 7
    for bottom, top in ((0, 3), (3, 6), (6, 9)):
        assert [row.reference for row in rows(bottom, top)] == listed[bottom:top]
    assert rows(7, 7) == []
    assert case_list_rows_for_slice(user=police_caseworker, agency=police, filters={"status": "open"}) is None


def test_an_agency_with_no_case_sees_an_empty_list(client, partnership, council, council_caseworker):
    client.force_login(council_caseworker)
    page = client.get(reverse("case_list"))
    assert page.status_code == 200 and "0 cases" in page.content.decode()
