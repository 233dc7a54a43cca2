"""The meetings pages as the chair and the members use them: who may see and do what, saving item by item."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from agencies.models import Membership
from audit.models import AuditEvent
from meetings.models import AgendaItem, Attendance, MeetingAction
from meetings.services.agenda import agenda_build
from meetings.services.room import attendance_record, item_minutes_save
from referrals.services.referrals import group_referral_return
from tests.agencies.factories import make_member
from tests.casework.factories_incidents import make_incident
from tests.casework.factories_work import make_note
from tests.meetings.factories_meetings import at, case_with_group, make_meeting

S = AgendaItem.Section


@pytest.fixture
def built(march, chair_actor, partnership, council, housing, police, group, police_caseworker, council_caseworker, housing_caseworker):
    council_case = case_with_group(partnership=partnership, lead_agency=council, group=group, referred_on=date(2026, 2, 20), summary="Noise and threats at Acre Road")
    police_case = case_with_group(partnership=partnership, lead_agency=police, group=group, referred_on=date(2026, 2, 21))
    agenda_build(actor=chair_actor, meeting=march, cut_off=at(date(2026, 3, 3)))
    attendance_record(actor=chair_actor, meeting=march, agency=police, status="present", name="Chris Savage")
    return {"meeting": march, "council_case": council_case, "police_case": police_case}


def test_only_the_chair_or_administrator_may_run_the_meeting(client, built, chair, council_caseworker, fire_caseworker, group, police):
    meeting = built["meeting"]
    url = reverse("meeting_run", args=[meeting.pk])
    client.force_login(council_caseworker)
    assert client.get(url).status_code == 403, "a member sees the meeting but may not run it"
    item = meeting.items.get(section=S.DECLARATIONS)
    response = client.post(reverse("meeting_run_item", args=[meeting.pk, item.pk]), {f"item-{item.pk}-minute_text": "Taken over"})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.minute_text == ""
    client.force_login(fire_caseworker)
    assert client.get(url).status_code == 404, "not a member of the group"
    client.force_login(chair)
    page = client.get(url)
    assert page.status_code == 200 and "Introductions and apologies" in page.content.decode()
    administrator = make_member(agency=police, username="group-admin", role=Membership.Role.COORDINATOR)
    group.administrator = administrator
    group.save()
    client.force_login(administrator)
    assert client.get(url).status_code == 200


def test_each_item_saves_on_its_own_with_htmx_and_without(client, built, chair, council):
    meeting = built["meeting"]
    client.force_login(chair)
    item = meeting.items.get(case=built["council_case"])
    url = reverse("meeting_run_item", args=[meeting.pk, item.pk])
    response = client.post(url, {f"item-{item.pk}-minute_text": "Lyn Hesse reported two new incidents.", f"item-{item.pk}-decision": "keep_open"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.lstrip().startswith(f'<div id="item-{item.pk}"') and "Saved." in fragment and "<html" not in fragment
    item.refresh_from_db()
    assert (item.minute_text, item.decision) == ("Lyn Hesse reported two new incidents.", "keep_open")

    # Without JavaScript: a plain POST, then back to the item on the page.
    other = meeting.items.get(section=S.DECLARATIONS)
    response = client.post(reverse("meeting_run_item", args=[meeting.pk, other.pk]), {f"item-{other.pk}-minute_text": "None."})
    assert response.status_code == 302 and response.url.endswith(f"#item-{other.pk}")
    other.refresh_from_db()
    assert other.minute_text == "None."

    # Bad input: the item comes back with its error, and nothing is saved.
    response = client.post(url, {f"item-{item.pk}-minute_text": "Move it", f"item-{item.pk}-decision": "change_lead"}, HTTP_HX_REQUEST="true")
    assert "Choose the agency that will lead the case." in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    item.refresh_from_db()
    assert item.decision == "keep_open"


def test_an_item_saved_with_htmx_comes_back_exactly_as_the_whole_page_shows_it(client, built, chair):
    """The htmx answer makes only that item's forms (not every item's): it must still be the page's own block."""
    import re

    def same(html):
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
        html = html.replace('<p class="govuk-body-s govuk-!-margin-bottom-1" role="status">Saved.</p>', "")
        return re.sub(r"\s+", " ", html).strip()

    meeting = built["meeting"]
    client.force_login(chair)
    for item in meeting.items.filter(case__isnull=False):
        url = reverse("meeting_run_item", args=[meeting.pk, item.pk])
        fragment = client.post(url, {f"item-{item.pk}-minute_text": f"Minute for {item.pk}"}, HTTP_HX_REQUEST="true").content.decode()
        assert "Saved." in fragment and f"Minute for {item.pk}" in fragment
        page = client.get(reverse("meeting_run", args=[meeting.pk])).content.decode()
        assert same(fragment) in same(page)
    # The decision and attendance radios are GOV.UK radios (templates/includes/choices.html).
    assert 'class="govuk-radios__input"' in page and "govuk-__" not in page


def test_an_items_forms_to_add_an_action_load_when_the_chair_opens_them(client, built, chair, council_caseworker, housing, council):
    """A 60-case agenda made a select of every person with access on every item (2.7 MB in a county): the forms to add
    an action or a declaration now come when the chair opens them, with htmx or on a page of their own."""
    meeting = built["meeting"]
    item = meeting.items.get(case=built["council_case"])
    url = reverse("meeting_run_item_add", args=[meeting.pk, item.pk])
    client.force_login(chair)
    page = client.get(reverse("meeting_run", args=[meeting.pk])).content.decode()
    assert f'name="item-{item.pk}-action-owner"' not in page and f'name="item-{item.pk}-declaration-attendee"' not in page
    assert f'hx-get="{url}" hx-trigger="toggle once"' in page, "opening the item's details loads its forms"
    assert f'href="{url}"' in page, "without JavaScript a link opens them"

    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith("<form") and "<html" not in fragment
    assert f'name="item-{item.pk}-action-owner"' in fragment and f'name="item-{item.pk}-declaration-attendee"' in fragment
    assert f'value="agency:{council.pk}"' in fragment, "the lead agency may own an action on its case"
    assert "Chris Savage" in fragment, "a declaration names someone present"
    whole = client.get(url).content.decode()
    assert "<html" in whole and "Back to the chair's screen" in whole and f'name="item-{item.pk}-action-owner"' in whole
    assert "hx-post" not in whole.split('id="main-content"')[1], "the page has no item block to save into: plain POSTs"
    assert 'hx-post="' + reverse("meeting_run_action", args=[meeting.pk, item.pk]) + '"' in fragment

    # Without JavaScript a bad action comes back on the chair's screen, its forms open with the error; nothing saved.
    response = client.post(
        reverse("meeting_run_action", args=[meeting.pk, item.pk]),
        {f"item-{item.pk}-action-description": "", f"item-{item.pk}-action-owner": f"agency:{council.pk}"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in body and f'name="item-{item.pk}-action-description"' in body
    assert not MeetingAction.objects.filter(item=item).exists()

    client.force_login(council_caseworker)
    assert client.get(url).status_code == 403, "only the chair or administrator"
    client.force_login(chair)
    assert client.get(reverse("meeting_run_item_add", args=[meeting.pk, 999999])).status_code == 404
    meeting.minutes_published_at = timezone.now()
    meeting.save(update_fields=["minutes_published_at"])
    assert client.get(url).status_code == 404, "nothing is added once the minutes are published"


def test_actions_and_attendance_are_recorded_from_the_chairs_screen(client, built, chair, housing, council):
    meeting = built["meeting"]
    client.force_login(chair)
    item = meeting.items.get(case=built["council_case"])
    response = client.post(
        reverse("meeting_run_action", args=[meeting.pk, item.pk]),
        {f"item-{item.pk}-action-description": "Visit the complainant", f"item-{item.pk}-action-owner": f"agency:{housing.pk}", f"item-{item.pk}-action-due_on": "2026-03-24"},
        HTTP_HX_REQUEST="true",
    )
    assert "Visit the complainant" in response.content.decode()
    assert MeetingAction.objects.get(item=item).owner_agency == housing
    response = client.post(
        reverse("meeting_run_attendance", args=[meeting.pk]),
        {"attendance-name": "PC Tony Barrios", "attendance-agency": council.pk, "attendance-status": "apologies"},
    )
    assert response.status_code == 302
    assert Attendance.objects.filter(meeting=meeting, name="PC Tony Barrios", status="apologies").exists()
    response = client.post(reverse("meeting_run_attendance", args=[meeting.pk]), {"attendance-status": "present"})
    assert "Choose the agency they represent." in response.content.decode()


def test_members_see_a_case_only_while_it_is_with_the_group_and_only_the_pack_summary(
    client, built, chair_actor, council_caseworker, housing_caseworker, police_caseworker, council, police
):
    meeting = built["meeting"]
    from meetings.services.agenda import agenda_issue

    agenda_issue(actor=chair_actor, meeting=meeting)
    make_note(case=built["council_case"], agency=council, text="The complainant's daughter phoned in tears")
    url = reverse("meeting_detail", args=[meeting.pk])
    client.force_login(housing_caseworker)
    page = client.get(url).content.decode()
    assert built["council_case"].reference in page and built["police_case"].reference in page
    assert "Noise and threats at Acre Road" in page
    assert "daughter phoned" not in page, "the case's notes are not part of the group pack"
    viewed = AuditEvent.objects.filter(action="view", object_type="meeting", user=housing_caseworker).latest("id")
    assert built["council_case"].reference in viewed.changes["cases"][1]

    group_referral_return(actor=chair_actor, group_referral=built["council_case"].group_referrals.get())
    page = client.get(url).content.decode()
    assert built["council_case"].reference not in page, "returned to its lead agency: no longer the group's business"
    assert built["police_case"].reference in page
    client.force_login(council_caseworker)
    assert built["council_case"].reference in client.get(url).content.decode(), "the lead agency still sees its case"


def test_members_see_no_draft_agenda_and_outsiders_get_404(client, built, housing_caseworker, fire_caseworker):
    meeting = built["meeting"]
    client.force_login(housing_caseworker)
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "The agenda has not been issued yet." in page and built["council_case"].reference not in page
    client.force_login(fire_caseworker)
    for name in ("meeting_detail", "meeting_pack", "meeting_minutes"):
        assert client.get(reverse(name, args=[meeting.pk])).status_code == 404
    assert AuditEvent.objects.filter(action="denied", object_type="meeting", user=fire_caseworker).exists()


def test_the_meeting_list_shows_my_groups_meetings_in_a_fixed_number_of_queries(client, group, chair, council_caseworker, fire_caseworker, django_assert_max_num_queries):
    for day in (date(2027, 1, 12), date(2027, 2, 9), date(2027, 3, 9)):
        make_meeting(group, day)
    client.force_login(council_caseworker)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("meeting_list")).content.decode()
    assert "East Cambridgeshire ASB Casework Group" in page and page.count('data-testid="meeting-row"') == 3
    for day in (date(2027, 4, 13), date(2027, 5, 11), date(2027, 6, 8), date(2027, 7, 13), date(2026, 10, 13), date(2026, 9, 8)):
        make_meeting(group, day)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("meeting_list")).content.decode()
    assert page.count('data-testid="meeting-row"') == 9
    client.force_login(fire_caseworker)
    page = client.get(reverse("meeting_list")).content.decode()
    assert "not a member of a casework group" in page and 'data-testid="meeting-row"' not in page


def _pages_queries(client, meeting):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name in ("meeting_detail", "meeting_run", "meeting_agenda", "meeting_minutes"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name, args=[meeting.pk])).status_code == 200
        counts[name] = len(queries)
    return counts


# Session, user, memberships, audit (three), meeting, items with declarations and actions, and the page's own reads.
PAGE_QUERIES = {"meeting_detail": 18, "meeting_run": 20, "meeting_agenda": 11, "meeting_minutes": 20}


def test_the_agenda_pages_take_the_same_queries_for_2_and_12_cases(client, march, chair, chair_actor, partnership, council, police, group, django_assert_max_num_queries):
    def add_cases(n, first_day):
        for i in range(n):
            case = case_with_group(partnership=partnership, lead_agency=council if i % 2 else police, group=group, referred_on=date(2026, 2, first_day + i))
            make_incident(case=case, on=date(2026, 2, 25))

    add_cases(2, 1)
    agenda_build(actor=chair_actor, meeting=march, cut_off=at(date(2026, 3, 3)))
    attendance_record(actor=chair_actor, meeting=march, agency=police, status="present", name="Chris Savage")
    client.force_login(chair)
    with django_assert_max_num_queries(sum(PAGE_QUERIES.values())):
        few = _pages_queries(client, march)
    add_cases(10, 5)
    agenda_build(actor=chair_actor, meeting=march)
    assert march.items.filter(case__isnull=False).count() == 12
    many = _pages_queries(client, march)
    assert few == many
    assert all(many[name] <= PAGE_QUERIES[name] for name in PAGE_QUERIES), many


def test_the_chair_edits_reorders_removes_and_adds_to_the_agenda(client, march, chair, chair_actor, partnership, council, police, group, council_caseworker):
    first = case_with_group(partnership=partnership, lead_agency=council, group=group, referred_on=date(2026, 2, 20))
    second = case_with_group(partnership=partnership, lead_agency=police, group=group, referred_on=date(2026, 2, 21))
    agenda_build(actor=chair_actor, meeting=march, cut_off=at(date(2026, 3, 3)))
    client.force_login(council_caseworker)
    assert client.get(reverse("meeting_agenda", args=[march.pk])).status_code == 403
    client.force_login(chair)
    assert "Build the agenda again" in client.get(reverse("meeting_agenda", args=[march.pk])).content.decode()

    intro = march.items.get(section=S.INTRODUCTIONS)
    client.post(reverse("meeting_agenda_item", args=[march.pk, intro.pk]), {f"item-{intro.pk}-title": "Introductions and apologies", f"item-{intro.pk}-body": "Apologies have been received from Jennie Massie."})
    intro.refresh_from_db()
    assert intro.body == "Apologies have been received from Jennie Massie."
    response = client.post(reverse("meeting_agenda_item", args=[march.pk, intro.pk]), {f"item-{intro.pk}-title": ""})
    assert "Give the item a title." in response.content.decode()

    second_item = march.items.get(case=second)
    client.post(reverse("meeting_agenda_item_move", args=[march.pk, second_item.pk]), {"direction": "up"})
    assert list(march.items.filter(section=S.NEW_REFERRALS).order_by("position").values_list("case", flat=True)) == [second.pk, first.pk]

    client.post(reverse("meeting_agenda_add", args=[march.pk]), {"add-title": "Bin sticker initiative", "add-body": "Philip Aldis"})
    added = march.items.get(title="Bin sticker initiative")
    assert (added.section, added.kind) == (S.OTHER_BUSINESS, AgendaItem.Kind.ADDED)
    response = client.post(reverse("meeting_agenda_add", args=[march.pk]), {"add-title": ""})
    assert "Give the item a title." in response.content.decode()

    client.post(reverse("meeting_agenda_item_remove", args=[march.pk, march.items.get(case=first).pk]))
    assert not march.items.filter(case=first).exists()
    client.post(reverse("meeting_agenda_item_remove", args=[march.pk, intro.pk]))
    assert march.items.filter(pk=intro.pk).exists(), "standing items stay"

    response = client.post(reverse("meeting_agenda_build", args=[march.pk]), {"cut_off_on": "2026-03-03", "cut_off_at": "17:00"})
    assert response.status_code == 302
    assert march.items.filter(case=first).exists(), "building again brings back the built items"
    assert march.items.filter(title="Bin sticker initiative").exists(), "and keeps the added ones"
    response = client.post(reverse("meeting_agenda_build", args=[march.pk]), {"cut_off_on": "2026-03-11", "cut_off_at": "17:00"})
    assert "The cut-off must be before the meeting starts." in response.content.decode()


def test_a_groups_first_meeting_does_not_ask_how_the_previous_minutes_were_taken(client, built, chair, chair_actor, group):
    first = built["meeting"]
    client.force_login(chair)
    assert "The previous minutes were" not in client.get(reverse("meeting_run", args=[first.pk])).content.decode()
    item = first.items.get(section=S.PREVIOUS_MINUTES)
    with pytest.raises(ValidationError, match="first meeting: there are no previous minutes"):
        item_minutes_save(actor=chair_actor, item=item, minute_text="", previous_minutes_approval="correct")

    second = make_meeting(group, date(2026, 4, 7), scheduled=False)
    agenda_build(actor=chair_actor, meeting=second, cut_off=at(date(2026, 3, 31)))
    assert "The previous minutes were" in client.get(reverse("meeting_run", args=[second.pk])).content.decode()
