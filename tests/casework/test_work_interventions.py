from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from audit.services import Actor
from casework import intervention_rules
from casework.models import Intervention, InterventionType
from casework.services.interventions import intervention_breach_record, intervention_update
from tests.agencies.factories import make_agency
from tests.casework.factories import make_case
from tests.casework.factories_work import born_years_before, grant, make_intervention, make_person

START = date(2026, 3, 10)
S = Intervention.Status


@pytest.fixture
def case(partnership, police):
    return make_case(partnership=partnership, lead_agency=police, summary="Repeated intimidation", kind_slug="intimidation-harassment")


def _refusal(excinfo) -> dict:
    return excinfo.value.message_dict


# The law's ages, at their edges (age on the start date).


def test_civil_injunction_refused_at_9_and_allowed_at_10(case, police):
    nine = make_person(case=case, first_name="Nine", date_of_birth=born_years_before(START, 10, days_short=1))
    ten = make_person(case=case, first_name="Ten", date_of_birth=born_years_before(START, 10))
    with pytest.raises(ValidationError) as refused:
        make_intervention(case=case, type=InterventionType.CIVIL_INJUNCTION, delivering_agency=police, person=nine, start_on=START)
    message = _refusal(refused)["person"][0]
    assert message.startswith(intervention_rules.AGE_RULES[InterventionType.CIVIL_INJUNCTION])
    assert "Nine Reed is 9 on 10 March 2026" in message
    made = make_intervention(case=case, type=InterventionType.CIVIL_INJUNCTION, delivering_agency=police, person=ten, start_on=START)
    assert made.pk and made.person == ten
    assert Intervention.objects.filter(case=case).count() == 1


@pytest.mark.parametrize("kind", [InterventionType.CPW, InterventionType.CPN])
def test_community_protection_refused_at_15(case, police, kind):
    fifteen = make_person(case=case, date_of_birth=born_years_before(START, 16, days_short=1))
    with pytest.raises(ValidationError) as refused:
        make_intervention(case=case, type=kind, delivering_agency=police, person=fifteen, start_on=START)
    assert _refusal(refused)["person"][0].startswith(intervention_rules.AGE_RULES[kind])
    assert not Intervention.objects.exists()


def test_community_protection_warning_allowed_at_16(case, police):
    sixteen = make_person(case=case, date_of_birth=born_years_before(START, 16))
    made = make_intervention(case=case, type=InterventionType.CPW, delivering_agency=police, person=sixteen, start_on=START)
    assert made.type == InterventionType.CPW


def test_age_is_taken_on_the_start_date_not_today(case, police):
    # Under 16 when the warning starts, even though well over 16 by now.
    person = make_person(case=case, date_of_birth=date(2000, 6, 1))
    with pytest.raises(ValidationError):
        make_intervention(case=case, type=InterventionType.CPW, delivering_agency=police, person=person, start_on=date(2016, 5, 31))
    assert make_intervention(case=case, type=InterventionType.CPW, delivering_agency=police, person=person, start_on=date(2016, 6, 1))


def test_notice_without_an_earlier_warning_to_the_same_person_is_refused(case, police):
    subject = make_person(case=case, first_name="Subject", date_of_birth=date(1990, 1, 1))
    other = make_person(case=case, first_name="Other", date_of_birth=date(1990, 1, 1))
    with pytest.raises(ValidationError) as refused:
        make_intervention(case=case, type=InterventionType.CPN, delivering_agency=police, person=subject, start_on=START)
    assert _refusal(refused)["type"] == [intervention_rules.CPN_NEEDS_WARNING]

    # A warning to someone else does not count; nor does one only proposed, nor one given the same day.
    make_intervention(case=case, type=InterventionType.CPW, delivering_agency=police, person=other, start_on=START - timedelta(days=30), status=S.ACTIVE)
    make_intervention(case=case, type=InterventionType.CPW, delivering_agency=police, person=subject, start_on=START - timedelta(days=30))
    make_intervention(case=case, type=InterventionType.CPW, delivering_agency=police, person=subject, start_on=START, status=S.ACTIVE)
    with pytest.raises(ValidationError):
        make_intervention(case=case, type=InterventionType.CPN, delivering_agency=police, person=subject, start_on=START)

    make_intervention(case=case, type=InterventionType.CPW, delivering_agency=police, person=subject, start_on=START - timedelta(days=28), status=S.ACTIVE)
    notice = make_intervention(case=case, type=InterventionType.CPN, delivering_agency=police, person=subject, start_on=START, status=S.ACTIVE)
    assert notice.type == InterventionType.CPN


def test_warning_on_another_case_does_not_allow_a_notice(partnership, police, case):
    other_case = make_case(partnership=partnership, lead_agency=police)
    subject = make_person(case=case, date_of_birth=date(1990, 1, 1))
    other_case.case_people.create(person=subject, role="perpetrator")
    make_intervention(case=other_case, type=InterventionType.CPW, delivering_agency=police, person=subject, start_on=date(2026, 1, 1), status=S.ACTIVE)
    with pytest.raises(ValidationError):
        make_intervention(case=case, type=InterventionType.CPN, delivering_agency=police, person=subject, start_on=START)


def test_unknown_date_of_birth_is_allowed_with_a_warning(case, police):
    person = make_person(case=case, date_of_birth=None)
    made = make_intervention(case=case, type=InterventionType.CPW, delivering_agency=police, person=person, start_on=START)
    warnings = intervention_rules.warnings_for(made, today=START)
    assert len(warnings) == 1
    assert "date of birth is not recorded" in warnings[0]
    assert intervention_rules.AGE_RULES[InterventionType.CPW] in warnings[0]


def test_area_wide_order_needs_no_person_and_no_warning(case, council):
    made = make_intervention(case=case, type=InterventionType.PSPO, delivering_agency=council, start_on=START, end_on=START + timedelta(days=3 * 365))
    assert made.person is None
    assert intervention_rules.warnings_for(made, today=START) == []


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"start_on": START, "end_on": START - timedelta(days=1)}, "end_on"),
        ({"start_on": START, "review_on": START - timedelta(days=1)}, "review_on"),
        ({"status": "breached"}, "status"),
    ],
)
def test_dates_out_of_order_and_breached_status_are_refused(case, police, fields, field):
    with pytest.raises(ValidationError) as refused:
        make_intervention(case=case, type=InterventionType.WARNING_LETTER, delivering_agency=police, **fields)
    assert field in _refusal(refused)
    assert not Intervention.objects.exists()


def test_end_on_the_start_date_is_allowed(case, police):
    assert make_intervention(case=case, type=InterventionType.DISPERSAL, delivering_agency=police, start_on=START, end_on=START)


def test_agency_not_serving_the_partnership_and_person_not_on_the_case_are_refused(case, other_partnership):
    elsewhere = make_agency(partnerships=[other_partnership], slug="fenland-dc")
    stranger = make_person(first_name="Stranger")
    with pytest.raises(ValidationError) as refused:
        make_intervention(case=case, type=InterventionType.ABC, delivering_agency=elsewhere, person=stranger)
    errors = _refusal(refused)
    assert "does not serve" in errors["delivering_agency"][0]
    assert "not linked to this case" in errors["person"][0]


def test_breach_marks_breached_and_is_audited(case, police, police_caseworker):
    actor = Actor(user=police_caseworker, agency=police)
    person = make_person(case=case, date_of_birth=date(1990, 1, 1))
    warning = make_intervention(case=case, type=InterventionType.CPW, delivering_agency=police, person=person, start_on=START, status=S.ACTIVE, actor=actor)
    created = AuditEvent.objects.get(object_type="intervention", object_id=str(warning.pk), action="create")
    assert created.changes["type"] == [None, "cpw"]
    assert created.changes["person"] == [None, "Jordan Reed"]
    assert created.case_id == case.pk and created.person_id == person.pk and created.username == "police-cw"

    breach = intervention_breach_record(actor=actor, intervention=warning, occurred_on=START + timedelta(days=5), notes="Shouted at neighbour")
    warning.refresh_from_db()
    assert warning.status == S.BREACHED
    assert breach.recorded_by == police_caseworker
    status_change = AuditEvent.objects.get(object_type="intervention", object_id=str(warning.pk), action="update")
    assert status_change.changes == {"status": ["active", "breached"]}
    assert AuditEvent.objects.filter(object_type="interventionbreach", object_id=str(breach.pk), action="create").exists()


def test_breach_dates_and_proposed_interventions(case, police):
    proposed = make_intervention(case=case, type=InterventionType.ABC, delivering_agency=police, start_on=START)
    with pytest.raises(ValidationError) as refused:
        intervention_breach_record(actor=Actor.system(), intervention=proposed, occurred_on=START)
    assert "only proposed" in _refusal(refused)["occurred_on"][0]
    active = make_intervention(case=case, type=InterventionType.ABC, delivering_agency=police, start_on=START, status=S.ACTIVE)
    with pytest.raises(ValidationError):
        intervention_breach_record(actor=Actor.system(), intervention=active, occurred_on=START - timedelta(days=1))
    with pytest.raises(ValidationError):
        intervention_breach_record(actor=Actor.system(), intervention=active, occurred_on=date.today() + timedelta(days=1))
    active.refresh_from_db()
    assert active.status == S.ACTIVE and not active.breaches.exists()


def test_update_rechecks_the_law_when_the_start_date_moves(case, police):
    person = make_person(case=case, date_of_birth=date(2010, 6, 1))
    injunction = make_intervention(case=case, type=InterventionType.CIVIL_INJUNCTION, delivering_agency=police, person=person, start_on=date(2021, 1, 1))
    with pytest.raises(ValidationError) as refused:
        intervention_update(actor=Actor.system(), intervention=injunction, start_on=date(2020, 1, 1))
    assert _refusal(refused)["start_on"][0].startswith(intervention_rules.AGE_RULES[InterventionType.CIVIL_INJUNCTION])
    injunction.refresh_from_db()
    assert injunction.start_on == date(2021, 1, 1)

    intervention_update(actor=Actor.system(), intervention=injunction, status=S.ACTIVE, review_on=date(2021, 2, 1))
    change = AuditEvent.objects.filter(object_type="intervention", action="update").latest("id")
    assert change.changes == {"status": ["proposed", "active"], "review_on": [None, "2021-02-01"]}


def test_status_cannot_become_breached_without_a_breach(case, police):
    made = make_intervention(case=case, type=InterventionType.ABC, delivering_agency=police, status=S.ACTIVE)
    with pytest.raises(ValidationError) as refused:
        intervention_update(actor=Actor.system(), intervention=made, status=S.BREACHED)
    assert "record the breach" in _refusal(refused)["status"][0]


def test_active_interventions_for_closing_the_case(case, police):
    from casework.selectors import case_active_interventions

    running = make_intervention(case=case, type=InterventionType.ABC, delivering_agency=police, status=S.ACTIVE)
    planned = make_intervention(case=case, type=InterventionType.MEDIATION, delivering_agency=police)
    make_intervention(case=case, type=InterventionType.WARNING_LETTER, delivering_agency=police, status=S.COMPLETED)
    assert set(case_active_interventions(case)) == {running, planned}


# Pages


def test_form_states_the_legal_limits_and_shows_a_refusal(client, case, police, police_caseworker):
    client.force_login(police_caseworker)
    url = reverse("case_intervention_add", args=[case.reference])
    page = client.get(url).content.decode()
    for rule in intervention_rules.AGE_RULES.values():
        assert rule in page
    assert intervention_rules.CPN_NEEDS_WARNING.replace("'", "&#x27;") in page
    # The status is GOV.UK radios (templates/includes/choices.html), not a partial missing its kind.
    assert 'class="govuk-radios__input"' in page and "govuk-__" not in page

    child = make_person(case=case, first_name="Child", date_of_birth=born_years_before(START, 9))
    response = client.post(url, {"type": "civil_injunction", "delivering_agency": police.pk, "person": child.pk, "start_on": "2026-03-10", "status": "proposed"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body and "Child Reed is 9 on 10 March 2026" in body
    assert not Intervention.objects.exists()


def test_recording_through_the_page_warns_when_the_date_of_birth_is_unknown(client, case, police, police_caseworker):
    client.force_login(police_caseworker)
    person = make_person(case=case, date_of_birth=None)
    response = client.post(
        reverse("case_intervention_add", args=[case.reference]),
        {"type": "cpw", "delivering_agency": police.pk, "person": person.pk, "start_on": "2026-03-10", "status": "active"},
        follow=True,
    )
    body = response.content.decode()
    assert "Community Protection Warning recorded." in body
    assert "date of birth is not recorded" in body
    made = Intervention.objects.get()
    assert made.created_by == police_caseworker and made.status == S.ACTIVE

    breach = client.post(reverse("case_intervention_breach", args=[case.reference, made.pk]), {"occurred_on": "2026-03-12", "notes": "Seen at the door"}, follow=True)
    assert "now marked as breached" in breach.content.decode()
    made.refresh_from_db()
    assert made.status == S.BREACHED

    listing = client.get(reverse("case_interventions", args=[case.reference])).content.decode()
    assert "Community Protection Warning" in listing and "Breached" in listing and "Age not checked" in listing


def test_information_only_agency_reads_but_cannot_record(client, case, council, council_caseworker, police):
    grant(case, council, "information")
    make_intervention(case=case, type=InterventionType.WARNING_LETTER, delivering_agency=police)
    client.force_login(council_caseworker)
    page = client.get(reverse("case_interventions", args=[case.reference]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Warning letter" in body and "Record an intervention" not in body
    assert client.get(reverse("case_intervention_add", args=[case.reference])).status_code == 404
    assert client.post(reverse("case_intervention_add", args=[case.reference]), {"type": "abc"}).status_code == 404
    assert Intervention.objects.count() == 1


def test_other_agency_gets_404_and_the_attempt_is_audited(client, case, housing_caseworker):
    client.force_login(housing_caseworker)
    assert client.get(reverse("case_interventions", args=[case.reference])).status_code == 404
    assert AuditEvent.objects.filter(action="denied", object_repr=case.reference).exists()


def test_viewing_the_tab_is_audited(client, case, police_caseworker):
    client.force_login(police_caseworker)
    client.get(reverse("case_interventions", args=[case.reference]))
    assert AuditEvent.objects.filter(action="view", case_id=case.pk, detail="Interventions").exists()


def test_interventions_tab_query_count_does_not_grow_with_rows(client, case, police, police_caseworker, django_assert_max_num_queries):
    client.force_login(police_caseworker)
    url = reverse("case_interventions", args=[case.reference])

    def add(n):
        for i in range(n):
            person = make_person(case=case, first_name=f"P{i}", date_of_birth=date(1990, 1, 1))
            made = make_intervention(case=case, type=InterventionType.ABC, delivering_agency=police, person=person, start_on=START, status=S.ACTIVE)
            intervention_breach_record(actor=Actor.system(), intervention=made, occurred_on=START)

    add(1)
    with django_assert_max_num_queries(15):
        assert client.get(url).status_code == 200
    add(6)
    with django_assert_max_num_queries(15):
        assert client.get(url).content.decode().count("Acceptable Behaviour Contract") == 7
