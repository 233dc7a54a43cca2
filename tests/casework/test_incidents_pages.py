"""The Incidents tab (with the ASB Case Review section) and the Risk tab, as a user sees them."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import Actor
from casework.models import CaseReviewRequest, Incident, RiskAssessment
from casework.services.access import case_access_grant
from casework.services.case_review import case_review_request_record
from casework.services.risk import risk_assessment_record, risk_questions_ensure
from tests.casework.factories import make_case
from tests.casework.factories_incidents import make_incident, make_person_on_case


@pytest.fixture
def case(partnership, police):
    return make_case(partnership=partnership, lead_agency=police, summary="Intimidation of an elderly neighbour", opened_on=date(2025, 11, 1))


@pytest.fixture
def victim(case):
    return make_person_on_case(case=case, first_name="Edith", last_name="Clarke")


def incident_post(**overrides):
    data = {
        "occurred_day": "3", "occurred_month": "3", "occurred_year": "2026", "occurred_time": "21:30",
        "reported_day": "4", "reported_month": "3", "reported_year": "2026",
        "reported_by": "", "channel": "phone", "description": "Banging on the door after dark",
        "other_references": "CC-INC-1530",
    }
    data.update(overrides)
    return data


def test_incidents_are_listed_newest_first_and_the_view_is_audited(client, case, victim, police_caseworker):
    make_incident(case=case, on=date(2026, 1, 12), reported_by=victim, description="Shouting over the fence")
    make_incident(case=case, on=date(2026, 3, 3), description="Eggs thrown at the window", channel="police")
    make_incident(case=case, on=date(2026, 2, 10), description="Van blocking the drive", reported_by=victim, reported_on=date(2026, 3, 30))
    client.force_login(police_caseworker)
    page = client.get(reverse("case_incidents", args=[case.reference])).content.decode()
    assert page.index("Eggs thrown") < page.index("Van blocking") < page.index("Shouting over")
    assert "by Edith Clarke" in page
    assert page.count(">Complaint</strong>") == 1  # no reporter, or reported more than a month later, is not one
    assert "The threshold has not been met." in page
    assert "3 complaints in 6 months" in page  # the partnership's rule, explained
    assert AuditEvent.objects.filter(case_id=case.pk, action="view", detail="Incidents").count() == 1


def test_logging_an_incident_from_the_tab(client, case, victim, police_caseworker, police):
    client.force_login(police_caseworker)
    url = reverse("case_incidents", args=[case.reference])
    assert 'id="log-incident"' in client.get(url).content.decode()
    response = client.post(url, incident_post(reported_by=str(victim.pk), is_hate_motivated="on"), follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert "Incident logged." in response.content.decode()
    incident = Incident.objects.get(case=case)
    assert timezone.localtime(incident.occurred_at).strftime("%Y-%m-%d %H:%M") == "2026-03-03 21:30"
    assert (incident.reported_on, incident.reported_by, incident.channel) == (date(2026, 3, 4), victim, "phone")
    assert incident.is_hate_motivated and incident.other_references == "CC-INC-1530"
    assert incident.agency == police and incident.created_by == police_caseworker


def test_the_third_complaint_logged_on_the_tab_shows_the_flag(client, case, victim, police_caseworker):
    make_incident(case=case, on=date(2026, 1, 12), reported_by=victim)
    make_incident(case=case, on=date(2026, 2, 10), reported_by=victim)
    client.force_login(police_caseworker)
    url = reverse("case_incidents", args=[case.reference])
    page = client.post(url, incident_post(reported_by=str(victim.pk)), follow=True).content.decode()
    assert "This case is now over the ASB Case Review threshold: 3 complaints in 6 months (12 Jan – 3 Mar 2026)." in page
    assert "Over the ASB Case Review threshold since" in page  # the case header


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"occurred_year": str(timezone.localdate().year + 1)}, "The date and time it happened must be in the past."),
        ({"reported_day": "2"}, "The date it was reported must be on or after the date it happened."),
        ({"occurred_day": "31", "occurred_month": "2"}, "The date it happened must be a real date"),
        ({"occurred_month": ""}, "The date it happened must include a month"),
        ({"occurred_day": "", "occurred_month": "", "occurred_year": ""}, "Enter the date it happened"),
        ({"occurred_time": "25:00"}, "Enter the time it happened as hours and minutes on the 24-hour clock"),
        ({"channel": ""}, "Choose how it was reported"),
        ({"description": ""}, "Describe what happened"),
        ({"reported_by": "999999"}, "Select a valid choice"),
    ],
)
def test_bad_input_is_explained_in_the_error_summary_and_nothing_is_saved(client, case, police_caseworker, overrides, message):
    client.force_login(police_caseworker)
    response = client.post(reverse("case_incidents", args=[case.reference]), incident_post(**overrides))
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and message in page
    assert "govuk-form-group--error" in page
    assert not Incident.objects.exists()


def test_an_error_on_a_date_links_to_its_day_box_and_a_radio_error_to_the_first_option(client, case, police_caseworker):
    client.force_login(police_caseworker)
    url = reverse("case_incidents", args=[case.reference])
    page = client.post(url, incident_post(reported_day="2")).content.decode()  # refused by the service
    assert '<a href="#id_reported_day">The date it was reported must be on or after the date it happened.</a>' in page
    page = client.post(url, incident_post(reported_month="", channel="")).content.decode()
    assert '<a href="#id_reported_day">The date it was reported must include a month</a>' in page
    assert 'href="#id_channel_0"' in page
    assert 'id="id_channel_0"' in page
    assert "govuk-input--error" in page


def test_information_only_agencies_see_incidents_but_cannot_log_one(client, case, council, council_caseworker):
    case_access_grant(actor=Actor.system(), case=case, agency=council, level="information")
    make_incident(case=case, on=date(2026, 1, 12))
    client.force_login(council_caseworker)
    url = reverse("case_incidents", args=[case.reference])
    page = client.get(url).content.decode()
    assert "Shouting and banging" in page and "Log an incident" not in page
    assert client.post(url, incident_post()).status_code == 404
    assert Incident.objects.count() == 1


def test_another_agencys_case_is_a_404_and_the_attempt_is_audited(client, case, council_caseworker):
    client.force_login(council_caseworker)
    for name in ("case_incidents", "case_risk", "case_review_request_create"):
        assert client.get(reverse(name, args=[case.reference])).status_code == 404
    assert AuditEvent.objects.filter(action="denied", object_repr=case.reference).count() == 3


def test_incidents_tab_query_count_does_not_grow_with_incidents(client, case, victim, police_caseworker, django_assert_max_num_queries):
    for n in range(3):
        make_incident(case=case, on=date(2026, 1, 1) + timedelta(days=n), reported_by=victim, actor=Actor(user=police_caseworker))
    case_review_request_record(actor=Actor.system(), case=case, requested_on=date(2026, 3, 1), requested_by=victim)
    client.force_login(police_caseworker)
    url = reverse("case_incidents", args=[case.reference])
    with django_assert_max_num_queries(17) as few:
        client.get(url)
    for n in range(20):
        make_incident(case=case, on=date(2025, 11, 1) + timedelta(days=n), reported_by=victim, actor=Actor(user=police_caseworker))
        case_review_request_record(actor=Actor.system(), case=case, requested_on=date(2026, 2, 1) + timedelta(days=n), requested_by_description=f"Councillor {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("govuk-tag--blue") == 23


def test_recording_a_review_request_and_its_decision(client, case, victim, police_caseworker):
    client.force_login(police_caseworker)
    create_url = reverse("case_review_request_create", args=[case.reference])
    assert "20 working days" in client.get(create_url).content.decode()
    response = client.post(create_url, {"requested_day": "10", "requested_month": "12", "requested_year": "2025", "requested_by": str(victim.pk)}, follow=True)
    assert "The decision is due by 12 January 2026." in response.content.decode()
    review = CaseReviewRequest.objects.get(case=case)
    assert review.requested_by == victim

    decide_url = reverse("case_review_request_decision", args=[case.reference, review.pk])
    refused = client.post(decide_url, {"outcome": "threshold_not_met", "decision_day": "9", "decision_month": "12", "decision_year": "2025"})
    assert "The decision cannot be before the review was requested." in refused.content.decode()
    page = client.post(decide_url, {"outcome": "threshold_not_met", "decision_day": "5", "decision_month": "1", "decision_year": "2026"}, follow=True).content.decode()
    assert "Decision recorded." in page and "5 Jan 2026: Threshold not met" in page
    review.refresh_from_db()
    assert review.outcome == "threshold_not_met"


def test_a_review_request_needs_someone_who_asked(client, case, police_caseworker):
    client.force_login(police_caseworker)
    page = client.post(reverse("case_review_request_create", args=[case.reference]), {"requested_day": "1", "requested_month": "3", "requested_year": "2026"}).content.decode()
    assert "Choose who asked for the review, or describe them." in page
    assert not CaseReviewRequest.objects.exists()


def test_a_decision_on_another_cases_request_is_a_404(client, case, partnership, police, police_caseworker):
    other = make_case(partnership=partnership, lead_agency=police)
    review = case_review_request_record(actor=Actor.system(), case=other, requested_on=date(2026, 3, 1), requested_by_description="Councillor")
    client.force_login(police_caseworker)
    assert client.get(reverse("case_review_request_decision", args=[case.reference, review.pk])).status_code == 404


# The Risk tab ----------------------------------------------------------------------------------------------------


def risk_post(questions, yes=(), **overrides):
    data = {"assessed_day": "10", "assessed_month": "3", "assessed_year": "2026", "notes": ""}
    for question in questions:
        data[f"q_{question.pk}"] = "yes" if question.topic in yes else "no"
    data.update(overrides)
    return data


def test_the_risk_tab_asks_each_question_in_a_fieldset_and_records_the_assessment(client, case, police_caseworker, partnership):
    client.force_login(police_caseworker)
    url = reverse("case_risk", args=[case.reference])
    page = client.get(url).content.decode()
    questions = risk_questions_ensure(partnership=partnership)
    assert page.count('<fieldset class="govuk-fieldset"') == len(questions) + 1  # and the date
    assert f'<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{questions[0].text}</legend>' in page
    assert "The victim's risk has not been assessed." in page

    yes = {"Repeat targeting", "Escalation", "Vulnerability: age", "Vulnerability: mental health", "Fear of reprisal", "Isolation"}
    response = client.post(url, risk_post(questions, yes=yes), follow=True)
    page = response.content.decode()
    assert "Risk assessment recorded: score 16, high risk." in page
    case.refresh_from_db()
    assert (case.risk_level, case.next_review_on) == ("high", date(2026, 3, 24))
    assert '<strong class="govuk-tag govuk-tag--red">High</strong>' in page


def test_an_unanswered_question_is_named_in_the_error_summary(client, case, police_caseworker, partnership):
    client.force_login(police_caseworker)
    questions = risk_questions_ensure(partnership=partnership)
    data = risk_post(questions)
    del data[f"q_{questions[2].pk}"]
    page = client.post(reverse("case_risk", args=[case.reference]), data).content.decode()
    assert f"Answer yes or no: {questions[2].text}" in page
    assert f'href="#id_q_{questions[2].pk}_0"' in page
    assert not RiskAssessment.objects.exists()


def test_information_only_agencies_see_the_risk_but_no_form(client, case, council, council_caseworker, partnership):
    case_access_grant(actor=Actor.system(), case=case, agency=council, level="information")
    questions = risk_questions_ensure(partnership=partnership)
    risk_assessment_record(actor=Actor.system(), case=case, assessed_on=date(2026, 3, 1), answers={q.pk: False for q in questions})
    client.force_login(council_caseworker)
    url = reverse("case_risk", args=[case.reference])
    page = client.get(url).content.decode()
    assert "score 0 (standard)" in page and "Record assessment" not in page
    assert client.post(url, risk_post(questions)).status_code == 404


def test_risk_tab_query_count_does_not_grow_with_assessments(client, case, police_caseworker, partnership, django_assert_max_num_queries):
    questions = risk_questions_ensure(partnership=partnership)
    actor = Actor(user=police_caseworker)
    risk_assessment_record(actor=actor, case=case, assessed_on=date(2026, 1, 1), answers={q.pk: True for q in questions})
    client.force_login(police_caseworker)
    url = reverse("case_risk", args=[case.reference])
    with django_assert_max_num_queries(18) as few:
        client.get(url)
    for n in range(15):
        risk_assessment_record(actor=actor, case=case, assessed_on=date(2026, 1, 2) + timedelta(days=n), answers={q.pk: n % 2 == 0 for q in questions})
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count('<details class="govuk-details govuk-!-margin-bottom-0">') == 16
