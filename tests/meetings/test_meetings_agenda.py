"""Building the agenda from live data at a cut-off: which cases, in which sections, in which order, and what each says."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from audit.services import Actor
from casework.models import Case
from meetings.models import AgendaItem
from meetings.services.agenda import agenda_build, agenda_item_propose_closure
from referrals.services.referrals import group_referral_return
from tests.casework.factories_incidents import make_incident, make_person_on_case
from tests.casework.factories_work import make_action, make_intervention
from tests.meetings.factories_meetings import at, case_with_group

S = AgendaItem.Section


@pytest.fixture
def cases(partnership, police, council, housing, group, police_caseworker, council_caseworker, housing_caseworker):
    def make(lead, referred_on, **fields):
        return case_with_group(partnership=partnership, lead_agency=lead, group=group, referred_on=referred_on, **fields)

    made = {
        "old_standard": make(council, date(2026, 1, 15), risk_level="standard", next_review_on=date(2026, 3, 20)),
        "old_high": make(police, date(2026, 1, 20), risk_level="high", next_review_on=date(2026, 3, 30)),
        "old_due": make(housing, date(2026, 1, 25), risk_level="medium", next_review_on=date(2026, 3, 5)),
        "new_first": make(council, date(2026, 2, 10), summary="Threats by Jordan Reed to the neighbours at number 4"),
        "over_threshold": make(police, date(2026, 2, 1)),
        "new_second": make(housing, date(2026, 3, 2)),
        "after_cut_off": make(council, date(2026, 3, 4)),
        "to_close": make(council, date(2026, 1, 18)),
    }
    Case.objects.filter(pk=made["over_threshold"].pk).update(
        case_review_flagged_at=at(date(2026, 2, 20)), case_review_rule="3 complaints in 6 months (2 Jan – 19 Feb 2026)"
    )
    returned = make(police, date(2026, 1, 10))
    group_referral_return(actor=Actor(user=police_caseworker, agency=police), group_referral=returned.group_referrals.get())
    made["returned"] = returned
    return made


def _layout(meeting):
    return [(item.section, item.case.reference if item.case_id else item.title) for item in meeting.items.order_by("section", "position", "id")]


def test_the_agenda_lists_exactly_the_expected_items_in_order(march, february, cases, chair_actor):
    agenda_build(actor=chair_actor, meeting=march, cut_off=at(date(2026, 3, 3)))
    item = march.items.get(case=cases["to_close"])
    agenda_item_propose_closure(actor=chair_actor, item=item, reason="No incidents since the ABC was signed in January.")
    agenda_build(actor=chair_actor, meeting=march)  # building again keeps the proposal

    c = {name: case.reference for name, case in cases.items()}
    assert _layout(march) == [
        (S.INTRODUCTIONS, "Introductions and apologies"),
        (S.DECLARATIONS, "Declarations of interest"),
        (S.PREVIOUS_MINUTES, "Minutes of the meeting held on 10 February 2026 and matters arising"),
        (S.NEW_REFERRALS, c["new_first"]),
        (S.NEW_REFERRALS, c["new_second"]),
        (S.REVIEW, c["old_high"]),
        (S.REVIEW, c["old_due"]),
        (S.REVIEW, c["old_standard"]),
        (S.CASE_REVIEW_THRESHOLD, c["over_threshold"]),
        (S.PROPOSED_CLOSURE, c["to_close"]),
        (S.OTHER_BUSINESS, "Any other business"),
        (S.NEXT_MEETING, "Date of next meeting"),
    ]
    facts = {item.case.reference: item.facts for item in march.items.filter(case__isnull=False)}
    assert facts[c["old_high"]]["why"] == "High risk"
    assert facts[c["old_due"]]["why"] == "Review due 5 March 2026"
    assert facts[c["new_first"]]["why"] == "Referred on 10 February 2026"
    assert facts[c["over_threshold"]]["why"].startswith("Over the threshold: 3 complaints in 6 months")
    closing = march.items.get(case=cases["to_close"])
    assert closing.proposed_for_closure and closing.closure_reason.startswith("No incidents")
    march.refresh_from_db()
    assert march.agenda_cut_off == at(date(2026, 3, 3))


def test_a_case_item_shows_what_happened_since_the_last_meeting_and_names_no_one(march, february, cases, chair_actor, council):
    case = cases["new_first"]
    victim = make_person_on_case(case=case, first_name="Edith", last_name="Clarke")
    make_person_on_case(case=case, first_name="Jordan", last_name="Reed", role="perpetrator")
    make_incident(case=case, on=date(2026, 2, 20), reported_by=victim, description="Edith Clarke says Reed shouted at her")
    make_incident(case=case, on=date(2026, 1, 20), description="Before the last cut-off")
    make_incident(case=case, on=date(2026, 3, 5), description="After this cut-off", hate=True)
    make_intervention(case=case, type="warning_letter", delivering_agency=council, start_on=date(2026, 2, 12), status="active")
    make_action(case=case, description="Visit Mrs Clarke with the neighbourhood officer", due_on=date(2026, 2, 25))
    done = make_action(case=case, description="Send a warning letter to Jordan", due_on=date(2026, 2, 11))
    # Marked done on the day it was due (the service allows only dates up to today, which here is later).
    type(done).objects.filter(pk=done.pk).update(done_on=date(2026, 2, 11))

    agenda_build(actor=chair_actor, meeting=march, cut_off=at(date(2026, 3, 3)))

    facts = march.items.get(case=case).facts
    assert facts["reference"] == case.reference
    assert facts["subject_type"] == "Individual"
    assert facts["lead_agency"] == "East Cambridgeshire District Council"
    assert facts["risk"] == "Not assessed"
    assert facts["since_label"] == "3 Feb 2026"
    assert facts["incidents"] == {"count": 1, "lines": ["20 Feb 2026: reported by phone"], "more": 0}
    assert facts["interventions_started"]["lines"] == ["Warning letter by East Cambridgeshire District Council, from 12 Feb 2026 (active)"]
    assert facts["actions_done"]["lines"] == ["Send a warning letter to [name] (done 11 Feb 2026)"]
    assert facts["actions_overdue"]["lines"] == ["Visit Mrs [name] with the neighbourhood officer (due 25 Feb 2026)"]
    assert facts["summary"] == "Threats by [name] [name] to the neighbours at number 4"
    text = str(march.items.get(case=case).facts)
    for name in ("Edith", "Clarke", "Jordan", "Reed"):
        assert name not in text


def test_the_first_meeting_treats_every_case_with_the_group_as_new(march, cases, chair_actor):
    agenda_build(actor=chair_actor, meeting=march, cut_off=at(date(2026, 3, 3)))
    sections = set(march.items.filter(case__isnull=False).values_list("section", flat=True))
    assert sections == {S.NEW_REFERRALS}
    assert march.items.filter(case__isnull=False).count() == 7
    assert march.items.get(section=S.PREVIOUS_MINUTES).title == "Minutes of the previous meeting and matters arising"


def test_building_is_audited_and_refused_after_the_meeting_starts_recording(march, february, cases, chair_actor):
    from django.core.exceptions import ValidationError

    from meetings.services.room import item_minutes_save

    agenda_build(actor=chair_actor, meeting=march, cut_off=at(date(2026, 3, 3)))
    event = AuditEvent.objects.filter(object_type="meeting", object_id=str(march.pk), detail__startswith="Agenda built").get()
    assert sorted(event.changes["cases"][1]) == sorted(c.reference for name, c in cases.items() if name not in ("after_cut_off", "returned"))
    item_minutes_save(actor=chair_actor, item=march.items.get(section=S.DECLARATIONS), minute_text="None.")
    with pytest.raises(ValidationError, match="already recorded"):
        agenda_build(actor=chair_actor, meeting=march)


def test_the_cut_off_must_be_before_the_meeting_and_only_the_chair_builds(march, cases, chair_actor, council_caseworker, council):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(ValidationError, match="before the meeting starts"):
        agenda_build(actor=chair_actor, meeting=march, cut_off=at(date(2026, 3, 11)))
    with pytest.raises(PermissionDenied):
        agenda_build(actor=Actor(user=council_caseworker, agency=council), meeting=march)
    assert not march.items.exists()


def _cases_with_group(n, *, partnership, police, council, group, day):
    for i in range(n):
        case = case_with_group(partnership=partnership, lead_agency=council if i % 2 else police, group=group, referred_on=day - timedelta(days=i % 20))
        make_incident(case=case, on=day - timedelta(days=2))
        make_action(case=case, due_on=day - timedelta(days=1))


def _build_queries(meeting, actor):
    with CaptureQueriesContext(connection) as queries:
        agenda_build(actor=actor, meeting=meeting, cut_off=at(meeting.held_on - timedelta(days=2)))
    return len(queries)


BUILD_QUERIES = 23


def test_building_takes_the_same_number_of_queries_for_5_and_30_cases(
    partnership, police, council, housing, group, police_caseworker, council_caseworker, chair_actor, django_assert_max_num_queries
):
    from tests.meetings.factories_meetings import make_group, make_meeting

    small = make_meeting(group, date(2026, 3, 10))
    _cases_with_group(5, partnership=partnership, police=police, council=council, group=group, day=date(2026, 3, 5))
    with django_assert_max_num_queries(BUILD_QUERIES):
        five = _build_queries(small, chair_actor)
    assert small.items.filter(case__isnull=False).count() == 5

    other = make_group(partnership=partnership, member_agencies=[police, council], chair=chair_actor.user, name="Soho Problem Solving Group")
    large = make_meeting(other, date(2026, 3, 10))
    _cases_with_group(30, partnership=partnership, police=police, council=council, group=other, day=date(2026, 3, 5))
    with django_assert_max_num_queries(BUILD_QUERIES):
        thirty = _build_queries(large, chair_actor)
    assert large.items.filter(case__isnull=False).count() == 30
    assert five == thirty, (five, thirty)
