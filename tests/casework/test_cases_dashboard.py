from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from audit.services import Actor
from casework import permissions
from casework.models import Case
from casework.selectors import cases as case_selectors
from casework.services.cases import case_close
from referrals.models import Referral
from tests.casework.factories import make_case
from tests.casework.factories_cases import make_action

# session, user, memberships; every count and every panel's ids in one (read_together: the panels', the overdue
# actions' and the referrals waiting); then the panels' cases and the overdue actions, each in one. The session is
# written at most once a minute, not here.
DASHBOARD_QUERIES = 6


def refer(*, case, from_agency, to_agency, status=Referral.Status.PENDING):
    return Referral.objects.create(
        case=case, from_agency=from_agency, to_agency=to_agency, purpose=Referral.Purpose.CONTRIBUTE, reason="Please help",
        respond_by=timezone.localdate() + timedelta(days=5), status=status,
    )


@pytest.fixture
def world(partnership, police, council, police_caseworker):
    today = timezone.localdate()
    mine = make_case(partnership=partnership, lead_agency=police, summary="Mine", lead_officer=police_caseworker,
                     next_review_on=today + timedelta(days=3))
    mine_closed = make_case(partnership=partnership, lead_agency=police, summary="Mine but closed", lead_officer=police_caseworker,
                            next_review_on=today - timedelta(days=1))
    case_close(actor=Actor.system(), case=mine_closed, outcome="resolved", reason="x")
    flagged = make_case(partnership=partnership, lead_agency=police, summary="Flagged", next_review_on=today - timedelta(days=2))
    Case.objects.filter(pk=flagged.pk).update(case_review_flagged_at=timezone.now(), case_review_rule="3 complaints in 6 months")
    later = make_case(partnership=partnership, lead_agency=police, summary="Review later", next_review_on=today + timedelta(days=10))
    council_case = make_case(partnership=partnership, lead_agency=council, summary="Council's", next_review_on=today)
    Case.objects.filter(pk=council_case.pk).update(case_review_flagged_at=timezone.now())

    make_action(case=mine, description="Call the victim back", owner_user=police_caseworker, due_in_days=-2)
    make_action(case=flagged, description="Agency letter", owner_agency=police, due_in_days=-5)
    make_action(case=later, description="Done already", owner_agency=police, due_in_days=-5, done=True)
    make_action(case=later, description="Not due yet", owner_agency=police, due_in_days=2)
    make_action(case=council_case, description="Hidden from police", owner_agency=police, due_in_days=-5)
    make_action(case=flagged, description="Council's to do", owner_agency=council, due_in_days=-5)

    refer(case=council_case, from_agency=council, to_agency=police)
    refer(case=council_case, from_agency=council, to_agency=police, status=Referral.Status.DECLINED)
    refer(case=mine, from_agency=police, to_agency=council)
    return {"mine": mine, "flagged": flagged, "later": later, "council_case": council_case, "mine_closed": mine_closed}


def panel(page: str, key: str) -> str:
    return page.split(f'data-testid="panel-{key}"')[1].split("</section>")[0]


def test_dashboard_panels(client, world, police_caseworker, police):
    client.force_login(police_caseworker)
    page = client.get(reverse("dashboard")).content.decode()

    mine = panel(page, "mine")
    assert world["mine"].reference in mine and world["mine_closed"].reference not in mine
    assert '<span class="govuk-tag govuk-tag--grey">1</span>' in mine

    led = panel(page, "led")
    assert '<span class="govuk-tag govuk-tag--grey">3</span>' in led  # mine, flagged, later (closed one left out)
    assert world["council_case"].reference not in led

    actions = panel(page, "overdue-actions")
    assert "Call the victim back" in actions and "Agency letter" in actions
    for hidden in ("Done already", "Not due yet", "Hidden from police", "Council&#x27;s to do"):
        assert hidden not in actions
    assert "<strong>2</strong> actions" in actions

    review = panel(page, "case_review")
    assert world["flagged"].reference in review and world["council_case"].reference not in review

    due = panel(page, "reviews_due")
    assert world["mine"].reference in due and world["flagged"].reference in due
    assert world["later"].reference not in due and world["mine_closed"].reference not in due

    waiting = panel(page, "referrals-waiting")
    assert ">1</span>" in waiting and "referral from other agencies" in waiting


@pytest.mark.parametrize(
    "key, expected",
    [("mine", ["mine"]), ("led", ["mine", "flagged", "later"]), ("case_review", ["flagged"]), ("reviews_due", ["mine", "flagged"]),
     ("overdue-actions", ["mine", "flagged"])],
)
def test_each_panel_links_to_the_case_list_filtered_the_same_way(client, world, police_caseworker, key, expected):
    client.force_login(police_caseworker)
    page = client.get(reverse("dashboard")).content.decode()
    links = [part.split('"')[0] for part in panel(page, key).split('href="')[1:]]
    list_link = next(link for link in links if link.startswith(reverse("case_list") + "?"))
    listed = client.get(list_link.replace("&amp;", "&"))
    assert sorted(c.reference for c in listed.context["page"].object_list) == sorted(world[name].reference for name in expected)


def _dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("dashboard")).status_code == 200
    return len(captured.captured_queries)


def test_dashboard_runs_the_same_queries_for_3_or_30_cases(client, partnership, police, council, police_caseworker, django_assert_max_num_queries):
    today = timezone.localdate()

    def add_cases(n):
        for _ in range(n):
            case = make_case(partnership=partnership, lead_agency=police, lead_officer=police_caseworker, next_review_on=today)
            Case.objects.filter(pk=case.pk).update(case_review_flagged_at=timezone.now())
            make_action(case=case, owner_user=police_caseworker, due_in_days=-1)
            refer(case=case, from_agency=council, to_agency=police)

    client.force_login(police_caseworker)
    add_cases(3)
    client.get(reverse("ping"))  # the session's first renewal is written once, by whichever page comes first
    few = _dashboard_queries(client)
    add_cases(27)
    assert _dashboard_queries(client) == few
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        page = client.get(reverse("dashboard")).content.decode()
    assert "See all 30" in page


def test_a_user_without_an_agency_sees_an_explanation(client, db):
    from tests.agencies.factories import UserFactory

    client.force_login(UserFactory(username="newcomer"))
    page = client.get(reverse("dashboard")).content.decode()
    assert escape("You are not a member of any agency yet") in page


def test_a_panel_past_the_count_limit_says_more_than_and_still_shows_the_first_rows(client, world, police_caseworker, monkeypatch):
    monkeypatch.setattr(case_selectors, "DASHBOARD_COUNT_LIMIT", 1)
    client.force_login(police_caseworker)
    page = client.get(reverse("dashboard")).content.decode()
    due = panel(page, "reviews_due")  # mine and flagged: two, past a limit of one
    assert '<span class="govuk-tag govuk-tag--grey">More than 1</span>' in due
    assert world["mine"].reference in due and world["flagged"].reference in due
    assert "See all<span" in due  # no number in the link when the count is not exact
    mine = panel(page, "mine")  # one case: within the limit, counted exactly
    assert '<span class="govuk-tag govuk-tag--grey">1</span>' in mine


def test_overdue_actions_past_the_count_limit_say_more_than_and_still_list_the_earliest(client, world, police_caseworker, monkeypatch):
    monkeypatch.setattr(case_selectors, "DASHBOARD_COUNT_LIMIT", 1)
    client.force_login(police_caseworker)
    actions = panel(client.get(reverse("dashboard")).content.decode(), "overdue-actions")
    assert "<strong>More than 1</strong>" in actions  # two overdue, past a limit of one
    assert "Call the victim back" in actions and "Agency letter" in actions  # both still listed, earliest due first
    monkeypatch.setattr(case_selectors, "DASHBOARD_COUNT_LIMIT", 2)
    actions = panel(client.get(reverse("dashboard")).content.decode(), "overdue-actions")
    assert "<strong>2</strong> actions" in actions


def test_a_case_row_shows_in_the_case_table_exactly_as_the_case_does(world):
    """The dashboard's rows are CaseRows (plain values); the case list's are Cases: one table shows both the same."""
    from django.template.loader import render_to_string
    from django.utils import timezone

    from casework.models import Case
    from casework.selectors.cases import CASE_ROW_FIELDS, case_rows_by_ids

    flagged = world["flagged"]
    Case.objects.filter(pk=flagged.pk).update(case_review_flagged_at=timezone.now(), risk_level=Case.RiskLevel.HIGH, summary="<b>Loud</b> & late")
    ids = [flagged.pk, world["mine"].pk, world["council_case"].pk, world["mine_closed"].pk]
    models = {case.pk: case for case in Case.objects.select_related("lead_agency").only(*CASE_ROW_FIELDS).filter(pk__in=ids)}
    rows = case_rows_by_ids(ids)
    assert [row.pk for row in rows] == ids
    table = "casework/includes/case_table.html"
    as_models = render_to_string(table, {"cases": [models[pk] for pk in ids], "caption": "Cases"})
    assert render_to_string(table, {"cases": rows, "caption": "Cases"}) == as_models
    assert "Case Review threshold" in as_models and "&lt;b&gt;Loud&lt;/b&gt; &amp; late" in as_models
    assert case_rows_by_ids([]) == [] and case_rows_by_ids([flagged.pk, 10**9]) == [rows[0]]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the dashboard's query is compiled once on PostgreSQL only")
def test_the_dashboards_compiled_query_is_the_one_built_for_the_caseworker_themself(world, police, council, police_caseworker, council_caseworker):
    """Compiled once from a user and agency known by ids alone (permissions.acting_by_ids), the query each caseworker
    runs is the very SQL and parameters built from the caseworker and their agency, and reads the same."""
    from referrals.selectors.referrals import referrals_waiting_for

    also = (("referrals_waiting", referrals_waiting_for),)
    today = timezone.localdate()
    for user, agency in ((police_caseworker, police), (council_caseworker, council)):
        assert permissions.may_work_on_cases(user=user, agency=agency)
        week_end = today + timedelta(days=case_selectors.REVIEW_WINDOW_DAYS)
        built = case_selectors.together_sql(
            **case_selectors._dashboard_specs(user=user, agency=agency, today=today, week_end=week_end, also_count=also)
        )
        compiled = case_selectors._dashboard_sql(also, user_id=user.pk, agency_id=agency.pk, group_id=agency.group_id, today=today, week_end=week_end)
        assert compiled == built
        assert case_selectors.run_together(*compiled)["ids_mine"] == case_selectors.run_together(*built)["ids_mine"]
