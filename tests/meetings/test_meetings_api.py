"""/api/v1/meetings/: read-only, for the members of the group; 404 for everyone else."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from meetings.models import AgendaItem
from meetings.services.agenda import agenda_build, agenda_issue
from meetings.services.minutes import minutes_publish
from meetings.services.room import attendance_record, item_minutes_save, meeting_action_add
from tests.casework.factories_incidents import make_person_on_case
from tests.meetings.factories_meetings import at, case_with_group


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def built(march, chair_actor, partnership, council, police, group):
    case = case_with_group(partnership=partnership, lead_agency=council, group=group, referred_on=date(2026, 2, 20), summary="Abuse from Kyle Mason at the bus stop")
    make_person_on_case(case=case, first_name="Kyle", last_name="Mason", role="perpetrator")
    agenda_build(actor=chair_actor, meeting=march, cut_off=at(date(2026, 3, 3)))
    return {"meeting": march, "case": case}


def test_members_list_meetings_and_read_the_issued_agenda_without_names(api, built, chair_actor, housing_caseworker):
    meeting = built["meeting"]
    api.force_authenticate(housing_caseworker)
    listed = api.get("/api/v1/meetings/?when=past")
    assert listed.status_code == 200
    assert [(row["id"], row["held_on"], row["agenda_issued"]) for row in listed.data["results"]] == [(meeting.pk, "2026-03-10", False)]
    assert api.get("/api/v1/meetings/?when=soon").status_code == 400
    assert api.get(f"/api/v1/meetings/{meeting.pk}/agenda/").status_code == 404, "not issued yet"
    agenda_issue(actor=chair_actor, meeting=meeting)
    response = api.get(f"/api/v1/meetings/{meeting.pk}/agenda/")
    assert response.status_code == 200
    items = response.data["items"]
    assert [item["number"] for item in items] == ["1", "2", "3", "4.1", "8", "9"]
    case_item = items[3]
    assert case_item["case"]["reference"] == built["case"].reference
    assert case_item["case"]["summary"] == "Abuse from [name] [name] at the bus stop"
    assert "Mason" not in str(response.data)


def test_minutes_over_the_api_once_published(api, built, chair_actor, chair, police, council, housing_caseworker):
    meeting = built["meeting"]
    api.force_authenticate(housing_caseworker)
    assert api.get(f"/api/v1/meetings/{meeting.pk}/minutes/").status_code == 404
    api.force_authenticate(chair)
    draft = api.get(f"/api/v1/meetings/{meeting.pk}/minutes/")
    assert draft.status_code == 200 and draft.data["published"] is False
    attendance_record(actor=chair_actor, meeting=meeting, agency=police, status="present", name="Chris Savage")
    item = meeting.items.get(case=built["case"])
    item_minutes_save(actor=chair_actor, item=item, minute_text="Warning letter sent.", decision="keep_open")
    meeting_action_add(actor=chair_actor, item=item, description="Check the CCTV", owner_agency=council)
    minutes_publish(actor=chair_actor, meeting=meeting)
    api.force_authenticate(housing_caseworker)
    response = api.get(f"/api/v1/meetings/{meeting.pk}/minutes/")
    assert response.status_code == 200 and response.data["published"] is True
    assert response.data["present"][0] == {"name": "Chris Savage", "agency": "Cambridgeshire Constabulary", "role": "", "status": "present"}
    minute = next(m for m in response.data["minutes"] if m["case"] == built["case"].reference)
    assert minute["number"] == AgendaItem.objects.get(pk=item.pk).minute_number
    assert minute["actions"] == [{"description": "Check the CCTV", "owner": "East Cambridgeshire District Council", "due_on": None}]


def test_404_for_agencies_outside_the_group(api, built, chair_actor, fire_caseworker):
    meeting = built["meeting"]
    agenda_issue(actor=chair_actor, meeting=meeting)
    api.force_authenticate(fire_caseworker)
    assert api.get("/api/v1/meetings/?when=past").data["results"] == []
    assert api.get(f"/api/v1/meetings/{meeting.pk}/agenda/").status_code == 404
    assert api.get(f"/api/v1/meetings/{meeting.pk}/minutes/").status_code == 404
    assert api.get("/api/v1/meetings/999999/agenda/").status_code == 404
