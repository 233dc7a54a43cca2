"""What makes case lists fast at county scale is kept in step with the grants, and access stays what the policy says.

The grant rows carry each case's opening date (the list's index order) and each agency has a counter of the cases it
may view; casework.services.access writes both in the transaction that changes the grants.
"""

import os
import threading
from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.services import Actor
from casework import permissions, selectors
from casework.models import Case, CaseAccess, CaseGroupObjectPermission, CaseUserObjectPermission, VisibleCaseCount
from casework.pagination import CasePaginator
from casework.services.access import case_access_grant, case_access_revoke
from casework.services.cases import case_lead_change
from casework.services.imports import cases_import
from referrals.models import Referral
from referrals.services.referrals import group_referral_return, group_referral_send, referral_accept
from tests.casework.factories import make_case
from tests.referrals.factories_referrals import make_group, make_referral

REQUIRED = os.environ.get("REQUIRE_SERVICES") == "1"


def assert_in_step():
    """Every agency's counter equals its view grants, and every grant carries its case's opening date."""
    view = Permission.objects.get(content_type__app_label="casework", codename=permissions.VIEW)
    grants = CaseGroupObjectPermission.objects.filter(permission=view)
    per_group = {}
    for group_id in grants.values_list("group_id", flat=True):
        per_group[group_id] = per_group.get(group_id, 0) + 1
    counted = {row.group_id: row.cases for row in VisibleCaseCount.objects.all() if row.cases or row.group_id in per_group}
    assert counted == per_group
    for grant in CaseGroupObjectPermission.objects.select_related("content_object"):
        assert grant.case_opened_on == grant.content_object.opened_on


def expected_list(agency) -> list[str]:
    """The policy worked out by hand: cases with an open access period for the agency, newest opened first (group
    membership excepted: it shows the case on the group's agenda only)."""
    open_case_ids = set(
        CaseAccess.objects.filter(agency=agency, revoked_at__isnull=True).exclude(level=CaseAccess.Level.GROUP_MEMBER).values_list("case_id", flat=True)
    )
    cases = sorted(Case.objects.filter(pk__in=open_case_ids), key=lambda c: (c.opened_on, c.pk), reverse=True)
    return [c.reference for c in cases]


def listed(user, agency) -> list[str]:
    return list(selectors.case_list(user=user, agency=agency).values_list("reference", flat=True))


def test_opening_cases_counts_them_and_lists_them_newest_first(partnership, police, council, police_caseworker):
    days = [date(2025, 5, 1), date(2026, 1, 9), date(2024, 2, 2), date(2026, 1, 9)]
    for day in days:
        make_case(partnership=partnership, lead_agency=police, opened_on=day)
    make_case(partnership=partnership, lead_agency=council)

    assert_in_step()
    assert VisibleCaseCount.objects.get(group_id=police.group_id).cases == 4
    assert listed(police_caseworker, police) == expected_list(police)
    assert selectors.case_list(user=police_caseworker, agency=police).count() == 4


def test_every_change_of_access_keeps_list_and_count_in_step(partnership, police, council, housing, fire, police_caseworker, council_caseworker, housing_caseworker):
    a = make_case(partnership=partnership, lead_agency=council, opened_on=date(2026, 1, 5))
    b = make_case(partnership=partnership, lead_agency=council, opened_on=date(2026, 2, 5))

    referral = make_referral(case=a, from_agency=council, to_agency=housing, by=council_caseworker)
    referral_accept(actor=Actor(user=housing_caseworker, agency=housing), referral=referral)
    assert_in_step()
    assert listed(housing_caseworker, housing) == [a.reference]

    take_lead = make_referral(case=b, from_agency=council, to_agency=police, by=council_caseworker, purpose=Referral.Purpose.TAKE_LEAD,
                              former_lead_access=Referral.FormerLeadAccess.NONE)
    referral_accept(actor=Actor(user=police_caseworker, agency=police), referral=take_lead)
    assert_in_step()
    assert listed(police_caseworker, police) == [b.reference]
    assert listed(council_caseworker, council) == [a.reference]

    group = make_group(partnership=partnership, member_agencies=[police, housing, fire])
    group_referral = group_referral_send(actor=Actor(user=council_caseworker, agency=council), case=a, group=group, reason="Persistent")
    assert_in_step()
    # Group membership puts the case on the group's agenda, not in the member agencies' case lists.
    assert listed(police_caseworker, police) == expected_list(police) == [b.reference]

    group_referral_return(actor=Actor(user=council_caseworker, agency=council), group_referral=group_referral)
    assert_in_step()
    assert listed(police_caseworker, police) == [b.reference]
    assert listed(housing_caseworker, housing) == [a.reference], "housing keeps its contributor access"
    for agency, user in ((police, police_caseworker), (council, council_caseworker), (housing, housing_caseworker)):
        assert selectors.case_list(user=user, agency=agency).count() == len(expected_list(agency))


def test_a_grant_rolled_back_leaves_the_count_as_it_was(partnership, police, council):
    case = make_case(partnership=partnership, lead_agency=police)
    with pytest.raises(RuntimeError), transaction.atomic():
        case_access_grant(actor=Actor.system(), case=case, agency=council, level=CaseAccess.Level.INFORMATION)
        raise RuntimeError("something later in the same transaction failed")
    assert_in_step()
    assert not VisibleCaseCount.objects.filter(group_id=council.group_id, cases__gt=0).exists()


def test_two_levels_for_one_agency_count_the_case_once(partnership, police, council):
    case = make_case(partnership=partnership, lead_agency=police)
    case_access_grant(actor=Actor.system(), case=case, agency=council, level=CaseAccess.Level.INFORMATION)
    case_access_grant(actor=Actor.system(), case=case, agency=council, level=CaseAccess.Level.CONTRIBUTOR)
    case_access_grant(actor=Actor.system(), case=case, agency=council, level=CaseAccess.Level.GROUP_MEMBER)
    assert VisibleCaseCount.objects.get(group_id=council.group_id).cases == 1
    case_access_revoke(actor=Actor.system(), case=case, agency=council, level=CaseAccess.Level.INFORMATION)
    assert VisibleCaseCount.objects.get(group_id=council.group_id).cases == 1, "still a contributor"
    case_access_revoke(actor=Actor.system(), case=case, agency=council, level=CaseAccess.Level.CONTRIBUTOR)
    assert VisibleCaseCount.objects.get(group_id=council.group_id).cases == 0, "group membership alone opens no case page"
    assert_in_step()


def test_lead_change_moves_the_count(partnership, police, council):
    case = make_case(partnership=partnership, lead_agency=police)
    case_lead_change(actor=Actor.system(), case=case, new_lead=council, old_lead_level=None, reason="Tenancy matter")
    assert_in_step()
    assert VisibleCaseCount.objects.get(group_id=police.group_id).cases == 0
    assert VisibleCaseCount.objects.get(group_id=council.group_id).cases == 1


def test_import_creating_and_redating_cases_keeps_grants_in_step(partnership, police, council, police_caseworker):
    header = "reference,category,subject_type,opened_on,lead_agency,summary\n"
    first = header + "ECAM-2019-0001,nuisance,individual,2019-06-01,cambs-police,Noise\nECAM-2019-0002,nuisance,area,2019-07-01,cambs-police,Bins\n"
    assert cases_import(actor=Actor.system(), partnership=partnership, data=first.encode()).ok
    assert_in_step()
    assert listed(police_caseworker, police) == ["ECAM-2019-0002", "ECAM-2019-0001"]

    redated = header + "ECAM-2019-0001,nuisance,individual,2019-09-01,cambs-police,Noise\n"
    assert cases_import(actor=Actor.system(), partnership=partnership, data=redated.encode()).ok
    assert_in_step()
    assert listed(police_caseworker, police) == ["ECAM-2019-0001", "ECAM-2019-0002"], "the list follows the new date"


def test_counting_every_visible_case_reads_the_counter_not_the_grants(partnership, police, police_caseworker):
    for _ in range(3):
        make_case(partnership=partnership, lead_agency=police)
    cases = selectors.case_list(user=police_caseworker, agency=police)
    with CaptureQueriesContext(connection) as queries:
        assert cases.count() == 3
    assert len(queries.captured_queries) == 1
    assert "casework_visiblecasecount" in queries.captured_queries[0]["sql"]
    with CaptureQueriesContext(connection) as queries:
        assert cases.filter(status=Case.Status.CLOSED).count() == 0
    assert "casework_visiblecasecount" not in queries.captured_queries[0]["sql"], "a narrowed list is counted for real"


def test_a_narrowed_list_is_counted_up_to_the_limit_then_says_more(partnership, police, police_caseworker, client, monkeypatch):
    for n in range(5):
        make_case(partnership=partnership, lead_agency=police, risk_level=Case.RiskLevel.HIGH, opened_on=date(2026, 1, 1 + n))
    narrowed = selectors.case_list(user=police_caseworker, agency=police, filters={"risk_level": "high"})
    exact = CasePaginator(narrowed, 2, count_limit=5)
    assert (exact.count, exact.count_is_capped) == (5, False)
    capped = CasePaginator(narrowed, 2, count_limit=3)
    assert (capped.count, capped.count_is_capped) == (3, True)
    assert [c.opened_on.day for c in capped.page(1)] == [5, 4], "the newest come first"
    whole = CasePaginator(selectors.case_list(user=police_caseworker, agency=police), 2, count_limit=3)
    assert (whole.count, whole.count_is_capped) == (5, False), "the whole list is always counted exactly"

    client.force_login(police_caseworker)
    monkeypatch.setattr("casework.pagination.COUNT_LIMIT", 3)
    page = client.get(reverse("case_list"), {"risk_level": "high"}).content.decode()
    assert "More than 3 cases found" in page
    assert "5 cases" in client.get(reverse("case_list")).content.decode()


def test_a_grant_to_a_single_user_gives_no_access(client, partnership, police, council, council_caseworker):
    """Access belongs to agencies: guardian's per-user table is not part of the policy."""
    case = make_case(partnership=partnership, lead_agency=police)
    view = Permission.objects.get(content_type__app_label="casework", codename=permissions.VIEW)
    CaseUserObjectPermission.objects.create(user=council_caseworker, permission=view, content_object=case)
    assert not permissions.can_view_case(user=council_caseworker, agency=council, case=case)
    client.force_login(council_caseworker)
    assert client.get(reverse("case_detail", args=[case.reference])).status_code == 404
    assert case.reference not in listed(council_caseworker, council)


def test_search_finds_by_each_field_and_never_another_agencys_case(partnership, police, council, police_caseworker):
    from tests.casework.factories_cases import put_person_on_case

    mine = make_case(partnership=partnership, lead_agency=police, address="12 Acre Road, Ely", postcode="CB7 4AB")
    put_person_on_case(case=mine, first_name="Anna", last_name="Kowalski")
    theirs = make_case(partnership=partnership, lead_agency=council, address="14 Acre Road, Ely", postcode="CB7 4AB")
    put_person_on_case(case=theirs, first_name="Anna", last_name="Kowalski")

    def found(q):
        return list(selectors.case_list(user=police_caseworker, agency=police, filters={"q": q}).values_list("reference", flat=True))

    def paged(q):
        return [case.reference for case in CasePaginator(selectors.case_list(user=police_caseworker, agency=police, filters={"q": q}), 25).page(1)]

    for q in ("kowal", "anna kowalski", "cb74a", "CB7 4", "acre road", mine.reference[:-1], mine.reference):
        assert found(q) == [mine.reference], q
        assert paged(q) == [mine.reference], q
    assert found("nobody-matches") == [] and paged("nobody-matches") == []


def test_a_search_alone_reads_its_ids_from_the_grants_then_its_rows(partnership, police, council, police_caseworker, council_caseworker):
    """A search's matches (thousands for a common surname) are checked against the agency's grant rows, which carry the
    list's order, without reading a case row for each: the same ids, in the same order, as through the cases."""
    from tests.casework.factories_cases import put_person_on_case

    day = date(2026, 5, 5)
    for n, lead in enumerate([police, police, council, police, police]):
        case = make_case(partnership=partnership, lead_agency=lead, opened_on=day if n < 3 else date(2026, 5, n))
        put_person_on_case(case=case, first_name="Sam", last_name=f"Smith{n}")
    referral = make_referral(case=Case.objects.filter(lead_agency=council).get(), from_agency=council, to_agency=police, by=council_caseworker)
    referral_accept(actor=Actor(user=police_caseworker, agency=police), referral=referral)
    searched = selectors.case_list(user=police_caseworker, agency=police, filters={"q": "smith"})
    assert list(searched.ordered_ids) == list(searched.values_list("pk", flat=True))
    searched = selectors.case_list(user=police_caseworker, agency=police, filters={"q": "smith"})
    with CaptureQueriesContext(connection) as queries:
        shown = [case.reference for case in CasePaginator(searched, 25).page(1)]
    assert shown == [ref for ref in expected_list(police) if Case.objects.get(reference=ref).case_people.exists()]
    assert len(shown) == 5
    ids_query, rows_query = [q["sql"] for q in queries.captured_queries]
    assert ids_query.startswith('SELECT "casework_casegroupobjectpermission"."content_object_id"')
    assert 'FROM "casework_case" INNER JOIN' not in ids_query.split(" IN (")[0]
    assert selectors.case_list(user=police_caseworker, agency=police, filters={"q": "smith", "status": "current"}).ordered_ids is None
    assert not hasattr(searched.filter(status="open"), "ordered_ids") or searched.filter(status="open").ordered_ids is None
    assert selectors.case_list(user=council_caseworker, agency=council, filters={"q": "smith"}).ordered_ids is not None
    council_list = selectors.case_list(user=council_caseworker, agency=council, filters={"q": "smith"})
    assert list(council_list.ordered_ids) == list(council_list.values_list("pk", flat=True)) != []
    assert searched.only("reference").ordered_ids is searched.ordered_ids, "fewer columns of the same cases"


def test_the_case_list_page_reads_a_searchs_ids_from_the_grants(client, partnership, police, police_caseworker):
    """The page, not only the selector: what the page does to the list (reading only a row's columns) keeps the
    search on the grants."""
    from tests.casework.factories_cases import put_person_on_case

    for n in range(3):
        put_person_on_case(case=make_case(partnership=partnership, lead_agency=police), first_name="Sam", last_name=f"Smith{n}")
    client.force_login(police_caseworker)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("case_list"), {"q": "smith"}).content.decode()
    assert "3 cases found" in page
    assert any(q["sql"].startswith('SELECT "casework_casegroupobjectpermission"."content_object_id"') for q in queries.captured_queries)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_grants_made_at_the_same_moment_are_all_counted(partnership, police, council):
    if connection.vendor != "postgresql":
        message = "concurrent transactions need PostgreSQL (SQLite serialises every write)"
        if REQUIRED:
            pytest.fail(f"REQUIRE_SERVICES=1 but {message}")
        pytest.skip(message)
    cases = [make_case(partnership=partnership, lead_agency=police) for _ in range(6)]
    barrier = threading.Barrier(len(cases))
    errors = []

    def grant(case):
        try:
            barrier.wait()
            case_access_grant(actor=Actor.system(), case=Case.objects.get(pk=case.pk), agency=council, level=CaseAccess.Level.CONTRIBUTOR)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=grant, args=(case,)) for case in cases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert VisibleCaseCount.objects.get(group_id=council.group_id).cases == 6
    assert_in_step()


def test_a_page_of_the_whole_list_is_one_query_in_order_with_what_a_row_shows(partnership, police, council, police_caseworker):
    """A page of every case the agency may see: its counter, then one query that walks the grants in order and joins
    only the lead agency a row shows (joining more cost PostgreSQL more to plan than to run)."""
    for n in range(4):
        make_case(partnership=partnership, lead_agency=police, opened_on=date(2026, 1, 1 + n))
    make_case(partnership=partnership, lead_agency=council, opened_on=date(2026, 1, 9))
    cases = selectors.case_list(user=police_caseworker, agency=police)
    with CaptureQueriesContext(connection) as queries:
        page = CasePaginator(cases, 3).page(1)
        shown = [case.reference for case in page]
        [case.lead_agency.name for case in page]  # what a row shows: no query more per row
    assert shown == expected_list(police)[:3]
    counter, page_query = [q["sql"] for q in queries.captured_queries]
    assert "casework_visiblecasecount" in counter
    assert "casework_casegroupobjectpermission" in page_query and "agencies_agency" in page_query
    assert "auth_user" not in page_query and "casework_asbkind" not in page_query and "agencies_partnership" not in page_query
    assert [case.reference for case in CasePaginator(cases, 3).page(2)] == expected_list(police)[3:]


def test_a_narrowed_list_is_read_once_for_its_count_and_its_pages(partnership, police, police_caseworker):
    """A search's matches are found once: the ids of the first count_limit + 1, in order, give the count and pages."""
    for n in range(5):
        make_case(partnership=partnership, lead_agency=police, risk_level=Case.RiskLevel.HIGH, opened_on=date(2026, 2, 1 + n))
    make_case(partnership=partnership, lead_agency=police, risk_level=Case.RiskLevel.STANDARD)
    narrowed = selectors.case_list(user=police_caseworker, agency=police, filters={"risk_level": "high", "q": "ECAM"})
    paginator = CasePaginator(narrowed, 2, count_limit=4)
    with CaptureQueriesContext(connection) as queries:
        first = [c.opened_on.day for c in paginator.page(1)]
        second = [c.opened_on.day for c in paginator.page(2)]
    assert (paginator.count, paginator.count_is_capped) == (4, True)
    assert first == [5, 4] and second == [3, 2]
    ids_query, *rows_queries = [q["sql"] for q in queries.captured_queries]
    assert "LIMIT 5" in ids_query and "COUNT(" not in ids_query
    assert len(rows_queries) == 2 and all("casework_casegroupobjectpermission" not in sql for sql in rows_queries)


@pytest.mark.parametrize("narrowing", ["risk_level", "lead_agency"])
def test_current_cases_by_risk_or_lead_are_listed_in_the_same_order_from_the_case_index(
    partnership, police, council, police_caseworker, council_caseworker, narrowing
):
    """Not closed and of one risk level (or lead agency), the list is read in the case rows' order, from the partial
    indexes: the same cases, in the same order (same-day cases newest id first), as the grant order gives."""
    day = date(2026, 3, 3)
    for n, (lead, risk, opened_on) in enumerate([
        (police, Case.RiskLevel.HIGH, day), (police, Case.RiskLevel.HIGH, day), (council, Case.RiskLevel.HIGH, date(2026, 3, 9)),
        (police, Case.RiskLevel.STANDARD, date(2026, 3, 5)), (police, Case.RiskLevel.HIGH, date(2025, 1, 1)),
        (police, Case.RiskLevel.HIGH, date(2026, 4, 1)),
    ]):
        make_case(partnership=partnership, lead_agency=lead, risk_level=risk, opened_on=opened_on)
    referral = make_referral(case=Case.objects.get(lead_agency=council), from_agency=council, to_agency=police, by=council_caseworker)
    referral_accept(actor=Actor(user=police_caseworker, agency=police), referral=referral)
    closed = Case.objects.filter(lead_agency=police, opened_on=date(2026, 4, 1)).get()
    Case.objects.filter(pk=closed.pk).update(status=Case.Status.CLOSED, closed_on=date(2026, 4, 2), closing_outcome="resolved")
    value = {"risk_level": Case.RiskLevel.HIGH, "lead_agency": police}[narrowing]
    attribute = {"risk_level": "risk_level", "lead_agency": "lead_agency_id"}[narrowing]
    wanted = getattr(value, "pk", value)
    by_grant = [c for c in selectors.case_list(user=police_caseworker, agency=police) if c.status != Case.Status.CLOSED and getattr(c, attribute) == wanted]
    narrowed = selectors.case_list(user=police_caseworker, agency=police, filters={"status": "current", narrowing: value})
    assert [c.reference for c in narrowed] == [c.reference for c in by_grant] == expected_list_where(police, attribute, wanted)
    assert len(by_grant) >= 3


def expected_list_where(agency, attribute, wanted) -> list[str]:
    cases = {c.reference: c for c in Case.objects.all()}
    return [ref for ref in expected_list(agency) if cases[ref].status != Case.Status.CLOSED and getattr(cases[ref], attribute) == wanted]
