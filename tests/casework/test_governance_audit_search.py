"""Searching and exporting the audit trail: who sees which events, the filters, the CSV file, and that both are audited."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditChainCheck, AuditEvent
from audit.services import Actor, audit_record
from casework.models import CaseAccess
from casework.selectors.governance import audit_event_search
from casework.services.access import case_access_grant
from casework.services.cases import case_view_record
from tests.agencies.factories import make_member
from tests.casework.factories import make_case
from tests.casework.factories_governance import coordinator, dpo, membership_of, police_supervisor  # noqa: F401


def _viewed(actor, case) -> AuditEvent:
    case_view_record(actor=actor, case=case, what="Summary")
    return AuditEvent.objects.latest("id")


@pytest.fixture
def world(partnership, other_partnership, police, council, housing, police_caseworker, council_caseworker, housing_caseworker):
    """Cases led by the council, by the police (one shared with the council), and one in another partnership,
    each viewed by someone, so that every event has a known owner."""
    council_case = make_case(partnership=partnership, lead_agency=council, summary="Dog fouling on the school path")
    police_case = make_case(partnership=partnership, lead_agency=police, summary="Intimidation of an elderly neighbour")
    shared_case = make_case(partnership=partnership, lead_agency=police, summary="Street drinking in the market square")
    case_access_grant(actor=Actor.system(), case=shared_case, agency=council, level=CaseAccess.Level.CONTRIBUTOR)
    fenland_case = make_case(partnership=other_partnership, lead_agency=police, summary="Fly tipping in March")
    fenland_only = make_member(agency=police, partnership=other_partnership, username="fenland-cw")

    police_actor, council_actor = Actor(user=police_caseworker, agency=police), Actor(user=council_caseworker, agency=council)
    events = {
        "police views police case": _viewed(police_actor, police_case),
        "police views council case": _viewed(police_actor, council_case),
        "council views shared case": _viewed(council_actor, shared_case),
        "housing views council case": _viewed(Actor(user=housing_caseworker, agency=housing), council_case),
        "police in Fenland": _viewed(Actor(user=fenland_only, agency=police), fenland_case),
        "council caseworker signs in": audit_record(actor=Actor(user=council_caseworker), action="sign_in", obj=council_caseworker),
        "police caseworker signs in": audit_record(actor=Actor(user=police_caseworker), action="sign_in", obj=police_caseworker),
        "Fenland user signs in": audit_record(actor=Actor(user=fenland_only), action="sign_in", obj=fenland_only),
    }
    return {"events": events, "council_case": council_case, "police_case": police_case, "shared_case": shared_case, "fenland_case": fenland_case}


def _seen(user, **filters) -> set[str]:
    ids = set(audit_event_search(membership=membership_of(user), filters=filters).values_list("pk", flat=True))
    return ids


def _names(world, ids) -> set[str]:
    return {name for name, event in world["events"].items() if event.pk in ids}


def test_a_supervisor_sees_their_agencys_staff_and_the_cases_their_agency_leads_only(world, council_supervisor):
    seen = _names(world, _seen(council_supervisor))
    assert seen == {"police views council case", "council views shared case", "housing views council case", "council caseworker signs in"}


def test_a_supervisor_of_another_agency_sees_the_mirror_image(world, police_supervisor):
    seen = _names(world, _seen(police_supervisor))
    # The council's view of the case the police lead, yes; the Fenland view, no: the membership is in East Cambridgeshire.
    assert seen == {"police views police case", "police views council case", "council views shared case", "police caseworker signs in"}


def test_a_dpo_sees_the_whole_partnership_and_nothing_of_another(world, dpo):
    seen = _names(world, _seen(dpo))
    assert seen == set(world["events"]) - {"police in Fenland", "Fenland user signs in"}


def test_caseworkers_and_coordinators_may_not_search_the_trail(client, world, council_caseworker, coordinator):
    for user in (council_caseworker, coordinator):
        client.force_login(user)
        assert client.get(reverse("audit_search")).status_code == 403
        assert client.get(reverse("audit_export")).status_code == 403
        assert client.get(reverse("audit_chain")).status_code == 403


def test_the_page_filters_by_case_user_person_action_and_dates_and_records_the_search(client, world, council_supervisor):
    client.force_login(council_supervisor)
    reference = world["council_case"].reference
    page = client.get(reverse("audit_search"), {"case_reference": reference.lower(), "user": "housing", "action": "view"}).content.decode()
    assert "1 event (" in page and "housing-cw" in page and "police-cw" not in page

    search = AuditEvent.objects.filter(action="search", username="council-sup").latest("id")
    assert f"case {reference}" in search.detail and "user contains 'housing'" in search.detail and "(1 event)" in search.detail

    person_event = audit_record(actor=Actor.system(), action="view", object_type="person", object_id=77, person_id=77,
                                case_id=world["council_case"].pk, detail="Person page")
    page = client.get(reverse("audit_search"), {"person_id": 77}).content.decode()
    assert "1 event (" in page and "Person page" in page and person_event.hash not in page

    tomorrow = timezone.localdate() + timedelta(days=1)
    page = client.get(reverse("audit_search"), {"date_from": tomorrow.isoformat()}).content.decode()
    assert "0 events (" in page and "No events match this search." in page


def test_a_wrong_date_range_is_explained_and_nothing_is_searched(client, world, council_supervisor):
    client.force_login(council_supervisor)
    before = AuditEvent.objects.count()
    page = client.get(reverse("audit_search"), {"date_from": "2026-03-10", "date_to": "2026-03-01"}).content.decode()
    assert "There is a problem" in page and "must be the same as or after" in page
    assert AuditEvent.objects.count() == before
    assert client.get(reverse("audit_export"), {"date_from": "2026-03-10", "date_to": "2026-03-01"}).status_code == 400
    assert client.get(reverse("audit_search"), {"person_id": "seven"}).content.decode().count("Enter the person id as a whole number") == 2


def test_the_csv_export_holds_the_search_and_is_itself_audited(client, world, dpo):
    client.force_login(dpo)
    reference = world["council_case"].reference
    audit_record(actor=Actor.system(), action="flag", object_type="case", object_repr="=HYPERLINK(\"http://evil\")",
                 case_id=world["council_case"].pk, detail="+1 crafted")
    response = client.get(reverse("audit_export"), {"case_reference": reference})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="audit-trail-')
    assert response.streaming and response["Cache-Control"] == "private, no-store"
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))

    expected = AuditEvent.objects.filter(case_id=world["council_case"].pk).exclude(action="export").order_by("-id")
    assert [int(row["id"]) for row in rows] == list(expected.values_list("pk", flat=True))
    assert {row["case_reference"] for row in rows} == {reference}
    assert {row["username"] for row in rows} >= {"police-cw", "housing-cw"}
    crafted = rows[0]
    assert crafted["object_repr"] == "'=HYPERLINK(\"http://evil\")" and crafted["detail"] == "'+1 crafted"
    assert rows[-1]["hash"] == expected.last().hash

    export = AuditEvent.objects.get(action="export", username="dpo")
    assert export.detail == f"Exported the audit trail as CSV: case {reference}"
    assert export.agency_name == membership_of(dpo).agency.name


def test_the_export_holds_every_page_not_just_the_first(client, partnership, council, council_caseworker, council_supervisor):
    case = make_case(partnership=partnership, lead_agency=council)
    for n in range(60):
        case_view_record(actor=Actor(user=council_caseworker, agency=council), case=case, what=f"view {n}")
    client.force_login(council_supervisor)
    page = client.get(reverse("audit_search"), {"action": "view"}).content.decode()
    assert "60 events (" in page and "Page 1 of 2" in page
    lines = b"".join(client.get(reverse("audit_export"), {"action": "view"}).streaming_content).decode().splitlines()
    assert len(lines) == 61


def test_a_search_past_the_count_limit_says_more_than_and_pages_through_the_newest(
    client, partnership, council, council_caseworker, council_supervisor, monkeypatch
):
    """A county's trail holds millions of events: a search is counted only up to a limit, and the export holds them all."""
    from casework.views import audit_search

    monkeypatch.setattr(audit_search, "EVENTS_COUNT_LIMIT", 70)
    case = make_case(partnership=partnership, lead_agency=council)
    for n in range(80):
        case_view_record(actor=Actor(user=council_caseworker, agency=council), case=case, what=f"view {n}")
    newest_first = list(AuditEvent.objects.filter(action="view").order_by("-id").values_list("detail", flat=True))
    client.force_login(council_supervisor)

    page = client.get(reverse("audit_search"), {"action": "view"}).content.decode()
    assert "More than 70 events (action view): the newest 70 are listed." in page and "Page 1 of 2" in page
    assert newest_first[0] in page and newest_first[49] in page and newest_first[50] not in page
    search = AuditEvent.objects.filter(action="search", username="council-sup").latest("id")
    assert search.detail == "Searched the audit trail (more than 70 events): action view; page 1"

    second = client.get(reverse("audit_search"), {"action": "view", "page": 2}).content.decode()
    assert newest_first[50] in second and newest_first[69] in second and newest_first[70] not in second
    beyond = client.get(reverse("audit_search"), {"action": "view", "page": 3}).content.decode()
    assert "Page 2 of 2" in beyond

    lines = b"".join(client.get(reverse("audit_export"), {"action": "view"}).streaming_content).decode().splitlines()
    assert len(lines) == 81


@pytest.mark.parametrize("count", [5, 60])
def test_the_search_page_runs_a_fixed_number_of_queries(client, partnership, council, council_caseworker, council_supervisor,
                                                         django_assert_max_num_queries, count):
    case = make_case(partnership=partnership, lead_agency=council)
    for n in range(count):
        case_view_record(actor=Actor(user=council_caseworker, agency=council), case=case, what=f"view {n}")
    client.force_login(council_supervisor)
    client.get(reverse("audit_search"))  # the session is loaded and saved once before counting
    with django_assert_max_num_queries(15):
        response = client.get(reverse("audit_search"), {"user": "council"})
    assert response.status_code == 200


def test_a_dpo_checks_the_chain_from_the_page(client, world, dpo, council_supervisor):
    client.force_login(council_supervisor)
    assert client.get(reverse("audit_chain")).status_code == 403
    client.force_login(dpo)
    assert "The chain has not been checked yet." in client.get(reverse("audit_chain")).content.decode()
    response = client.post(reverse("audit_chain"), follow=True)
    page = response.content.decode()
    assert "has been queued" in page
    check = AuditChainCheck.objects.get()
    assert check.ok and check.rows_checked >= len(world["events"])
    assert "Intact" in page and f"<td class=\"govuk-table__cell\">{check.rows_checked}</td>" in page
    assert AuditEvent.objects.filter(username="dpo", object_type="audit chain check").exists()


def test_a_broken_chain_is_shown_with_the_row(client, world, dpo):
    from django.db import connection

    victim = world["events"]["police views council case"]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET detail = %s WHERE id = %s", ["nothing to see", victim.pk])
    client.force_login(dpo)
    page = client.post(reverse("audit_chain"), follow=True).content.decode()
    assert "Broken" in page and f"at event {victim.pk}" in page and "the row was edited" in page


def test_governance_links_appear_for_the_roles_that_may_use_them(client, world, dpo, council_supervisor, council_caseworker, coordinator):
    expectations = {
        dpo: {"Audit trail": True, "Subject access": True, "Retention": False},
        council_supervisor: {"Audit trail": True, "Subject access": False, "Retention": False},
        coordinator: {"Audit trail": False, "Subject access": True, "Retention": True},
        council_caseworker: {"Audit trail": False, "Subject access": False, "Retention": False},
    }
    for user, shown in expectations.items():
        client.force_login(user)
        page = client.get(reverse("dashboard")).content.decode()
        for label, expected in shown.items():
            assert (f">{label}</a>" in page) is expected, (user.username, label)


def test_the_date_filter_takes_whole_days(world, dpo):
    today = timezone.localdate()
    everything = _seen(dpo)
    assert _seen(dpo, date_from=today, date_to=today) == everything
    assert _seen(dpo, date_to=today - timedelta(days=1)) == set()
    assert _seen(dpo, date_from=date(2000, 1, 1), date_to=today) == everything


@pytest.mark.parametrize("count", [2, 30])
def test_the_chain_page_runs_a_fixed_number_of_queries_and_shows_the_latest_twenty(client, db, dpo, django_assert_max_num_queries, count):
    for _ in range(count):
        AuditChainCheck.objects.create(rows_checked=10)
    client.force_login(dpo)
    client.get(reverse("audit_chain"))
    with django_assert_max_num_queries(7):
        page = client.get(reverse("audit_chain")).content.decode()
    assert page.count("govuk-tag--green") == min(count, 20)
