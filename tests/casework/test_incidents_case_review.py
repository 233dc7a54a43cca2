"""The ASB Case Review threshold, at its edges, through the incident service."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import Actor
from casework.models import Case, CaseReviewRequest, Incident
from casework.selectors.incidents import cases_over_case_review_threshold
from casework.services.access import case_access_grant
from casework.services.case_review import add_months, case_review_request_decide, case_review_request_record, window_start
from casework.services.cases import case_close
from casework.services.incidents import incident_log
from tests.casework.factories import make_case
from tests.casework.factories_incidents import at, make_incident, make_person_on_case


@pytest.fixture
def case(partnership, police):
    return make_case(partnership=partnership, lead_agency=police, summary="Intimidation of an elderly neighbour", opened_on=date(2025, 6, 1))


@pytest.fixture
def victim(case):
    return make_person_on_case(case=case)


def flagged(case) -> bool:
    case.refresh_from_db()
    return case.case_review_flagged_at is not None


def flag_events(case):
    return AuditEvent.objects.filter(case_id=case.pk, action=AuditEvent.Action.FLAG)


def test_the_third_complaint_in_six_months_flags_the_case(case, victim):
    make_incident(case=case, on=date(2026, 1, 12), reported_by=victim)
    make_incident(case=case, on=date(2026, 2, 10), reported_by=victim)
    assert not flagged(case)
    assert not flag_events(case).exists()

    make_incident(case=case, on=date(2026, 3, 3), reported_by=victim)

    assert flagged(case)
    assert case.case_review_rule == "3 complaints in 6 months (12 Jan – 3 Mar 2026)"
    event = flag_events(case).get()
    assert event.changes["case_review_rule"] == ["", "3 complaints in 6 months (12 Jan – 3 Mar 2026)"]
    assert event.changes["case_review_flagged_at"][0] is None


def test_three_complaints_spread_over_seven_months_do_not_flag_the_case(case, victim):
    for day in (date(2026, 1, 12), date(2026, 4, 20), date(2026, 8, 12)):
        make_incident(case=case, on=day, reported_by=victim)
    assert not flagged(case)
    assert not flag_events(case).exists()


def test_six_months_ending_3_march_begin_on_4_september(case, victim):
    assert window_start(date(2026, 3, 3), 6) == date(2025, 9, 4)
    make_incident(case=case, on=date(2025, 9, 3), reported_by=victim)
    make_incident(case=case, on=date(2026, 3, 3), reported_by=victim)
    make_incident(case=case, on=date(2026, 3, 3), reported_by=victim, description="A second report the same day")
    assert not flagged(case)

    make_incident(case=case, on=date(2025, 9, 4), reported_by=victim)
    assert flagged(case)
    assert case.case_review_rule == "3 complaints in 6 months (4 Sep 2025 – 3 Mar 2026)"


def test_a_late_logged_incident_can_complete_an_earlier_window(case, victim):
    make_incident(case=case, on=date(2026, 1, 5), reported_by=victim)
    make_incident(case=case, on=date(2026, 9, 1), reported_by=victim)
    make_incident(case=case, on=date(2026, 2, 5), reported_by=victim)
    assert not flagged(case)
    make_incident(case=case, on=date(2025, 12, 1), reported_by=victim)  # logged last, happened first
    assert flagged(case)
    assert case.case_review_rule == "3 complaints in 6 months (1 Dec 2025 – 5 Feb 2026)"


def test_a_report_made_more_than_a_month_after_the_behaviour_is_not_a_complaint(case, victim):
    make_incident(case=case, on=date(2026, 1, 20), reported_by=victim)
    make_incident(case=case, on=date(2026, 2, 1), reported_by=victim)
    make_incident(case=case, on=date(2026, 1, 12), reported_by=victim, reported_on=date(2026, 2, 13))
    assert not flagged(case)

    # Reported exactly one month later still counts.
    make_incident(case=case, on=date(2026, 1, 12), reported_by=victim, reported_on=date(2026, 2, 12))
    assert flagged(case)
    assert case.case_review_rule == "3 complaints in 6 months (12 Jan – 1 Feb 2026)"


def test_one_month_after_31_january_is_the_end_of_february():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)


def test_an_incident_without_a_reporter_on_the_case_is_not_a_complaint(case, victim):
    make_incident(case=case, on=date(2026, 1, 12), reported_by=victim)
    make_incident(case=case, on=date(2026, 1, 20), reported_by=victim)
    make_incident(case=case, on=date(2026, 2, 2), channel="police")
    assert not flagged(case)


def test_different_complainants_rule(case, victim, partnership, police):
    partnership.case_review_distinct_complainants = 2
    partnership.save()
    make_incident(case=case, on=date(2026, 1, 12), reported_by=victim)
    make_incident(case=case, on=date(2026, 2, 12), reported_by=victim)
    assert not flagged(case)  # two complaints, but from one person

    other = make_case(partnership=partnership, lead_agency=police, summary="Noise")
    resident = make_person_on_case(case=other, first_name="Ann", last_name="Cole")
    witness = make_person_on_case(case=other, first_name="Ron", last_name="Baker", role="witness")
    make_incident(case=other, on=date(2026, 1, 12), reported_by=resident)
    make_incident(case=other, on=date(2026, 8, 20), reported_by=witness)
    assert not flagged(other)  # the second complainant came more than six months after the first

    make_incident(case=other, on=date(2026, 7, 1), reported_by=witness)
    assert flagged(other)
    assert other.case_review_rule == "2 different complainants in 6 months (12 Jan – 1 Jul 2026)"


def test_hate_rule_fires_on_one_hate_incident_only_where_the_partnership_has_it(case, partnership):
    make_incident(case=case, on=date(2026, 2, 14), channel="police", hate=True)
    assert not flagged(case)

    partnership.case_review_any_hate_incident = True
    partnership.save()
    make_incident(case=case, on=date(2026, 3, 1), channel="police", hate=False)
    assert flagged(case)
    assert case.case_review_rule == "Hate-motivated incident on 14 Feb 2026 (any hate incident in 6 months)"


def test_when_one_incident_meets_two_rules_the_one_met_first_is_named(case, victim, partnership, police):
    partnership.case_review_any_hate_incident = True
    partnership.save()
    make_incident(case=case, on=date(2026, 1, 5), reported_by=victim)
    make_incident(case=case, on=date(2026, 1, 6), reported_by=victim)
    make_incident(case=case, on=date(2026, 1, 7), reported_by=victim, hate=True)
    assert case.case_review_rule == "3 complaints in 6 months (5 Jan – 7 Jan 2026)"  # both met on 7 Jan: the law's rule first

    other = make_case(partnership=partnership, lead_agency=police, summary="Abuse at the shop")
    owner = make_person_on_case(case=other, first_name="Ravi", last_name="Shah")
    make_incident(case=other, on=date(2026, 1, 5), reported_by=owner)
    make_incident(case=other, on=date(2026, 1, 6), reported_by=owner)
    make_incident(case=other, on=date(2025, 12, 1), reported_by=owner, hate=True)  # logged late
    assert other.case_review_rule == "Hate-motivated incident on 1 Dec 2025 (any hate incident in 6 months)"


def test_the_flag_is_audited_once_and_never_cleared(case, victim):
    for day in (date(2026, 1, 12), date(2026, 2, 10), date(2026, 3, 3)):
        make_incident(case=case, on=day, reported_by=victim)
    case.refresh_from_db()
    first_flag = case.case_review_flagged_at
    make_incident(case=case, on=date(2026, 3, 20), reported_by=victim)
    make_incident(case=case, on=date(2026, 11, 1), channel="police")
    case.refresh_from_db()
    assert case.case_review_flagged_at == first_flag
    assert flag_events(case).count() == 1


def test_logging_is_audited_with_the_new_values(case, victim, police_caseworker, police):
    incident = make_incident(case=case, on=date(2026, 1, 12), reported_by=victim, actor=Actor(user=police_caseworker, agency=police),
                             other_references="CC-INC-0412")
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, object_type="incident", object_id=str(incident.pk))
    assert event.case_id == case.pk and event.person_id == victim.pk
    assert event.username == "police-cw" and event.agency_name == police.name
    assert event.changes["other_references"] == [None, "CC-INC-0412"]
    assert event.changes["channel"] == [None, "phone"]
    assert incident.created_by == police_caseworker and incident.agency == police


@pytest.mark.parametrize(
    "occurred, reported, field, message",
    [
        (timezone.now() + timedelta(hours=2), None, "occurred_at", "must be in the past"),
        (at(date(2026, 3, 3)), date(2026, 3, 2), "reported_on", "on or after the date it happened"),
        (at(date(2026, 3, 3)), timezone.localdate() + timedelta(days=1), "reported_on", "today or in the past"),
    ],
)
def test_future_dates_and_reports_before_the_behaviour_are_refused(case, victim, occurred, reported, field, message):
    with pytest.raises(ValidationError) as refused:
        incident_log(actor=Actor.system(), case=case, occurred_at=occurred, reported_on=reported or timezone.localdate(),
                     channel="phone", description="Shouting", reported_by=victim)
    assert message in refused.value.message_dict[field][0]
    assert not Incident.objects.exists()
    assert not AuditEvent.objects.filter(object_type="incident").exists()


def test_a_reporter_must_be_on_the_case(case, partnership, police):
    other = make_case(partnership=partnership, lead_agency=police)
    stranger = make_person_on_case(case=other, first_name="Someone", last_name="Else")
    with pytest.raises(ValidationError) as refused:
        make_incident(case=case, on=date(2026, 1, 12), reported_by=stranger)
    assert refused.value.message_dict["reported_by"] == ["Choose someone who is on this case."]
    assert not Incident.objects.filter(case=case).exists()


# Review requests -------------------------------------------------------------------------------------------------


def test_a_review_request_is_due_twenty_working_days_later_skipping_christmas(case, victim, police_caseworker, police):
    actor = Actor(user=police_caseworker, agency=police)
    request = case_review_request_record(actor=actor, case=case, requested_on=date(2025, 12, 10), requested_by=victim)
    # 11-24 Dec (10), 29-31 Dec (3), 2 Jan (1), 5-9 Jan (5), 12 Jan (1): Christmas, Boxing Day and New Year skipped.
    assert request.decision_due_on == date(2026, 1, 12)
    assert request.outcome == CaseReviewRequest.Outcome.PENDING
    event = AuditEvent.objects.get(object_type="casereviewrequest", action=AuditEvent.Action.CREATE)
    assert event.changes["decision_due_on"] == [None, "2026-01-12"]


def test_the_partnerships_working_days_are_used(case, partnership):
    partnership.case_review_decision_working_days = 5
    partnership.save()
    request = case_review_request_record(actor=Actor.system(), case=case, requested_on=date(2026, 4, 1), requested_by_description="Ward councillor")
    assert request.decision_due_on == date(2026, 4, 10)  # Good Friday and Easter Monday skipped


def test_a_review_request_needs_a_requester_on_the_case_or_a_description(case, partnership, police):
    with pytest.raises(ValidationError) as refused:
        case_review_request_record(actor=Actor.system(), case=case, requested_on=date(2026, 3, 1))
    assert "requested_by" in refused.value.message_dict
    stranger = make_person_on_case(case=make_case(partnership=partnership, lead_agency=police), first_name="A", last_name="B")
    with pytest.raises(ValidationError) as refused:
        case_review_request_record(actor=Actor.system(), case=case, requested_on=date(2026, 3, 1), requested_by=stranger)
    assert refused.value.message_dict["requested_by"] == ["Choose someone who is on this case."]
    assert not CaseReviewRequest.objects.exists()


def test_deciding_a_request_is_audited_with_old_and_new_values(case, victim):
    request = case_review_request_record(actor=Actor.system(), case=case, requested_on=date(2026, 3, 2), requested_by=victim)
    with pytest.raises(ValidationError) as refused:
        case_review_request_decide(actor=Actor.system(), review_request=request, outcome="pending", decision_on=date(2026, 3, 1))
    assert set(refused.value.message_dict) == {"outcome", "decision_on"}

    decided = case_review_request_decide(actor=Actor.system(), review_request=request, outcome="review_held", decision_on=date(2026, 3, 20), notes="Panel met")
    assert decided.outcome == "review_held" and decided.decision_on == date(2026, 3, 20)
    event = AuditEvent.objects.get(object_type="casereviewrequest", action=AuditEvent.Action.UPDATE)
    assert event.changes["outcome"] == ["pending", "review_held"]
    assert event.changes["decision_on"] == [None, "2026-03-20"]


# The dashboard's selector ----------------------------------------------------------------------------------------


def test_cases_over_the_threshold_for_the_dashboard(partnership, police, council, police_caseworker, council_caseworker):
    def flagged_case(lead, summary):
        case = make_case(partnership=partnership, lead_agency=lead, summary=summary)
        victim = make_person_on_case(case=case)
        for day in (date(2026, 1, 12), date(2026, 2, 10), date(2026, 3, 3)):
            make_incident(case=case, on=day, reported_by=victim)
        return case

    mine = flagged_case(police, "Mine")
    closed = flagged_case(police, "Closed")
    case_close(actor=Actor.system(), case=closed, outcome=Case.Outcome.RESOLVED, reason="Moved away")
    theirs = flagged_case(council, "Theirs")
    make_case(partnership=partnership, lead_agency=police, summary="Not flagged")

    assert list(cases_over_case_review_threshold(police_caseworker, police)) == [mine]
    case_access_grant(actor=Actor.system(), case=theirs, agency=police, level="information")
    assert set(cases_over_case_review_threshold(police_caseworker, police)) == {mine, theirs}
    assert list(cases_over_case_review_threshold(council_caseworker, council)) == [theirs]
