from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import Actor
from casework.models import Action
from casework.selectors.actions import actions_open_for_user, actions_overdue_for_user, case_actions, case_open_actions
from casework.services.access import case_access_revoke
from casework.services.actions import action_mark_done, action_reopen, action_update
from tests.casework.factories import make_case
from tests.casework.factories_work import grant, make_action


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def case(partnership, council):
    return make_case(partnership=partnership, lead_agency=council)


def test_overdue_means_open_and_due_before_today(case, today):
    late = make_action(case=case, description="Late", due_on=today - timedelta(days=1))
    due_today = make_action(case=case, description="Due today", due_on=today)
    undated = make_action(case=case, description="No date")
    done_late = make_action(case=case, description="Done", due_on=today - timedelta(days=5))
    action_mark_done(actor=Actor.system(), action=done_late, done_on=today - timedelta(days=2))
    overdue = {a.description: a.is_overdue for a in case_actions(case=case)}
    assert overdue == {"Late": True, "Due today": False, "No date": False, "Done": False}
    assert late.is_overdue_on(today) and not due_today.is_overdue_on(today) and not undated.is_overdue_on(today)
    assert [a.description for a in case_actions(case=case)] == ["Late", "Due today", "No date", "Done"]


def test_owner_must_have_access_to_the_case(case, council, police, council_caseworker, police_caseworker):
    make_action(case=case, owner_user=council_caseworker)
    with pytest.raises(ValidationError) as refused:
        make_action(case=case, owner_agency=police)
    assert "does not have access" in refused.value.message_dict["owner"][0]
    with pytest.raises(ValidationError) as refused:
        make_action(case=case, owner_user=police_caseworker)
    assert "does not work for an agency with access" in refused.value.message_dict["owner"][0]
    with pytest.raises(ValidationError) as refused:
        make_action(case=case, owner_user=None, owner_agency=None)
    assert "owner" in refused.value.message_dict
    grant(case, police)
    assert make_action(case=case, owner_user=police_caseworker).owner_user == police_caseworker
    assert Action.objects.count() == 2


def test_create_update_done_and_reopen_are_audited_with_values(case, council, council_caseworker, today):
    actor = Actor(user=council_caseworker, agency=council)
    action = make_action(case=case, description="Visit the complainant", owner_agency=council, due_on=today, actor=actor)
    created = AuditEvent.objects.get(object_type="action", object_id=str(action.pk), action="create")
    assert created.changes["description"] == [None, "Visit the complainant"]
    assert created.changes["owner_agency"] == [None, council.name]
    assert created.agency_name == council.name and created.case_id == case.pk

    action_update(actor=actor, action=action, due_on=today + timedelta(days=7))
    action_mark_done(actor=actor, action=action, done_on=today)
    action_reopen(actor=actor, action=action)
    updates = list(AuditEvent.objects.filter(object_type="action", object_id=str(action.pk), action="update").order_by("id"))
    assert [u.changes for u in updates] == [
        {"due_on": [today.isoformat(), (today + timedelta(days=7)).isoformat()]},
        {"done_on": [None, today.isoformat()]},
        {"done_on": [today.isoformat(), None]},
    ]


def test_done_date_cannot_be_in_the_future(case, today):
    action = make_action(case=case)
    with pytest.raises(ValidationError):
        action_mark_done(actor=Actor.system(), action=action, done_on=today + timedelta(days=1))
    action.refresh_from_db()
    assert action.done_on is None


def test_dashboard_selectors_cover_the_user_and_their_agency_on_cases_they_may_see(
    partnership, council, police, council_caseworker, council_supervisor, today
):
    mine = make_case(partnership=partnership, lead_agency=council)
    yesterday = today - timedelta(days=1)
    for_me = make_action(case=mine, description="For me", owner_user=council_caseworker, due_on=yesterday)
    for_agency = make_action(case=mine, description="For my agency", owner_agency=council, due_on=today + timedelta(days=3))
    make_action(case=mine, description="For a colleague", owner_user=council_supervisor, due_on=yesterday)
    done = make_action(case=mine, description="Done", owner_user=council_caseworker, due_on=yesterday)
    action_mark_done(actor=Actor.system(), action=done)
    # Owned by the council on a case it no longer has access to: not shown.
    former = make_case(partnership=partnership, lead_agency=police)
    grant(former, council)
    make_action(case=former, description="Lost access", owner_agency=council, due_on=yesterday)
    case_access_revoke(actor=Actor.system(), case=former, agency=council, level="contributor")

    open_ = list(actions_open_for_user(user=council_caseworker, agency=council))
    assert [a.description for a in open_] == ["For me", "For my agency"]
    assert [a.description for a in actions_overdue_for_user(user=council_caseworker, agency=council)] == ["For me"]
    assert open_[0] == for_me and open_[1] == for_agency and open_[0].is_overdue


def test_open_actions_for_closing_the_case(case, council_caseworker, council):
    from casework import selectors

    open_action = make_action(case=case, description="Open", due_on=timezone.localdate() - timedelta(days=1))
    done = make_action(case=case, description="Done")
    action_mark_done(actor=Actor.system(), action=done)
    # The case-close page and the dashboard call these positionally, from casework.selectors.
    assert list(selectors.case_open_actions(case)) == [open_action] == list(case_open_actions(case=case))
    assert list(selectors.actions_overdue_for_user(council_caseworker, council)) == [open_action]


# Pages


def test_overdue_actions_stand_out_with_a_red_tag(client, case, council_caseworker, today):
    make_action(case=case, description="Write to the landlord", due_on=today - timedelta(days=3))
    make_action(case=case, description="Phone the school", due_on=today + timedelta(days=3))
    client.force_login(council_caseworker)
    body = client.get(reverse("case_actions", args=[case.reference])).content.decode()
    rows = body.split('data-testid="action-row"')[1:]
    assert 'govuk-tag govuk-tag--red">Overdue' in rows[0] and "Write to the landlord" in rows[0]
    assert "Overdue" not in rows[1] and "Phone the school" in rows[1]


def test_add_mark_done_and_reopen_through_the_page(client, case, council, council_caseworker, today):
    client.force_login(council_caseworker)
    url = reverse("case_actions", args=[case.reference])
    added = client.post(url, {"description": "Send warning letter", "owner": f"user:{council_caseworker.pk}", "due_on": today.isoformat()}, follow=True)
    assert "Action added: Send warning letter" in added.content.decode()
    action = Action.objects.get()
    assert action.owner_user == council_caseworker and action.created_by == council_caseworker

    client.post(reverse("case_action_done", args=[case.reference, action.pk]))
    action.refresh_from_db()
    assert action.done_on == today
    reopened = client.post(reverse("case_action_reopen", args=[case.reference, action.pk]), follow=True)
    action.refresh_from_db()
    assert action.done_on is None and "Reopened: Send warning letter" in reopened.content.decode()

    changed = client.post(reverse("case_action_edit", args=[case.reference, action.pk]),
                          {"description": "Send second warning letter", "owner": f"agency:{council.pk}", "due_on": ""}, follow=True)
    assert changed.status_code == 200
    action.refresh_from_db()
    assert action.description == "Send second warning letter" and action.owner_agency == council and action.owner_user is None


def test_bad_input_shows_an_error_summary(client, case, council_caseworker):
    client.force_login(council_caseworker)
    response = client.post(reverse("case_actions", args=[case.reference]), {"description": "", "owner": "agency:99999", "due_on": "31/02/2026"})
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body
    assert "Choose an owner from the list." in body
    assert not Action.objects.exists()


def test_read_only_agency_sees_actions_but_cannot_change_them(client, case, police, police_caseworker):
    grant(case, police, "information")
    action = make_action(case=case, description="Visit the complainant")
    client.force_login(police_caseworker)
    body = client.get(reverse("case_actions", args=[case.reference])).content.decode()
    assert "Visit the complainant" in body and "Add an action" not in body and "Mark done" not in body
    assert client.post(reverse("case_action_done", args=[case.reference, action.pk])).status_code == 404
    assert client.post(reverse("case_actions", args=[case.reference]), {"description": "x"}).status_code == 404
    action.refresh_from_db()
    assert action.done_on is None


def test_actions_tab_query_count_does_not_grow_with_rows(client, case, council, council_caseworker, today, django_assert_max_num_queries):
    client.force_login(council_caseworker)
    url = reverse("case_actions", args=[case.reference])
    make_action(case=case, owner_user=council_caseworker, due_on=today - timedelta(days=1))
    with django_assert_max_num_queries(18):
        assert client.get(url).status_code == 200
    for i in range(6):
        make_action(case=case, description=f"Action {i}", owner_user=council_caseworker if i % 2 else None, owner_agency=council, due_on=today - timedelta(days=i))
    with django_assert_max_num_queries(18):
        assert client.get(url).content.decode().count('data-testid="action-row"') == 7
