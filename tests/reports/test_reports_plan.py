"""Priorities, action plans, the lead officers' quarterly narratives, measures and entered figures, in the pages."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agencies.models import Membership
from audit.models import AuditEvent
from audit.services import Actor
from reports.marking import protective_markings_in, publicity_marking_error
from reports.models import ActionUpdate, Measure, MeasureValue, PlanAction, Priority, QuarterNarrative
from reports.quarters import Quarter
from reports.services import plan
from tests.agencies.factories import make_member
from tests.reports.factories_reports import make_measure, make_priority

Q1 = Quarter(2010, 1)


@pytest.fixture
def asb(partnership, chair):
    return make_priority(partnership=partnership, number=4, lead_officer=chair)


def _narrative(**overrides):
    data = {
        "key_achievements": "- Multi-agency approach used to deal with a complex case of ASB.\n• Joint patrols in Ely.",
        "areas_of_concern": "No applicants for the ASB Caseworker post.",
        "recommendations": "",
        "publicity": "Article in the district magazine on reporting ASB.",
    }
    data.update(overrides)
    return data


def test_the_lead_officer_writes_the_quarters_narrative(client, asb, chair):
    client.force_login(chair)
    url = reverse("narrative_edit", args=[asb.pk, 2010, 1])
    form = client.get(url).content.decode()
    assert "Quarterly progress report, Q1 – 2010-11" in form and "Key achievements during this quarter" in form
    response = client.post(url, _narrative())
    assert response.status_code == 302 and response.url == reverse("priority_quarter", args=[asb.pk, 2010, 1])
    narrative = QuarterNarrative.objects.get(priority=asb, financial_year=2010, quarter=1)
    assert narrative.written_by == chair and narrative.recommendations == ""
    page = client.get(response.url).content.decode()
    assert "<li>Multi-agency approach used to deal with a complex case of ASB.</li>" in page and "<li>Joint patrols in Ely.</li>" in page
    assert AuditEvent.objects.filter(object_type="quarternarrative", action="create", user=chair).exists()

    client.post(url, _narrative(recommendations="Contact Cambridge City ASB Team."))
    narrative.refresh_from_db()
    assert narrative.recommendations == "Contact Cambridge City ASB Team."
    assert AuditEvent.objects.get(object_type="quarternarrative", action="update").changes == {"recommendations": ["", "Contact Cambridge City ASB Team."]}


@pytest.mark.parametrize(
    "text, marking",
    [
        ("OFFICIAL-SENSITIVE: details of the injunction", "OFFICIAL-SENSITIVE"),
        ("official sensitive briefing", "OFFICIAL-SENSITIVE"),
        ("This is Restricted material", "RESTRICTED"),
        ("confidential report from housing", "CONFIDENTIAL"),
        ("SECRET", "SECRET"),
        ("Marked Protect – personal", "PROTECT"),
    ],
)
def test_publicity_with_a_protective_marking_is_refused_and_the_form_says_why(client, asb, chair, text, marking):
    client.force_login(chair)
    response = client.post(reverse("narrative_edit", args=[asb.pk, 2010, 1]), _narrative(publicity=text))
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert f"Items for publicity must not be protectively marked, and this text contains the marking “{marking}”." in page
    assert 'href="#id_publicity"' in page
    assert not QuarterNarrative.objects.exists()


def test_the_service_refuses_marked_publicity_too(asb):
    with pytest.raises(ValidationError) as error:
        plan.narrative_save(actor=Actor.system(), priority=asb, quarter=Q1, publicity="RESTRICTED – do not share")
    assert "“RESTRICTED”" in error.value.message_dict["publicity"][0]
    assert not QuarterNarrative.objects.exists()


def test_ordinary_words_are_not_mistaken_for_markings():
    assert protective_markings_in("Protection of vulnerable residents; the secretary of the group; OFFICIAL") == []
    assert publicity_marking_error("Residents protected by the new PSPO") is None
    assert protective_markings_in("secret and confidential") == ["CONFIDENTIAL", "SECRET"]


def test_caseworkers_may_read_the_plan_but_not_write_it(client, asb, council_caseworker):
    client.force_login(council_caseworker)
    page = client.get(reverse("priority_detail", args=[asb.pk])).content.decode()
    assert "Priority 4: Anti-social behaviour" in page and "Insp Chris Savage" in page
    assert "the progress report" not in page and "Add an action" not in page and "Enter the figure" not in page
    assert client.get(reverse("narrative_edit", args=[asb.pk, 2010, 1])).status_code == 403
    assert client.post(reverse("narrative_edit", args=[asb.pk, 2010, 1]), _narrative()).status_code == 403
    assert client.get(reverse("action_create", args=[asb.pk])).status_code == 403
    assert client.get(reverse("priority_create")).status_code == 403
    assert not QuarterNarrative.objects.exists()


def test_another_partnerships_priority_does_not_exist_for_you(client, asb, other_partnership, police):
    fenland_coordinator = make_member(agency=police, partnership=other_partnership, role=Membership.Role.COORDINATOR, username="fen-coord")
    client.force_login(fenland_coordinator)
    assert client.get(reverse("priority_detail", args=[asb.pk])).status_code == 404
    assert client.get(reverse("narrative_edit", args=[asb.pk, 2010, 1])).status_code == 404
    assert client.get(reverse("priority_quarter", args=[asb.pk, 2010, 5])).status_code == 404


def test_a_coordinator_sets_up_a_priority_and_its_action_plan(client, partnership, coordinator, chair):
    client.force_login(coordinator)
    response = client.post(reverse("priority_create"), {
        "number": "4", "title": "Anti-social behaviour", "task_group": "ASB Task Group", "lead_officer_name": "Insp Chris Savage",
        "lead_officer": str(chair.pk), "aims": "Fewer repeat victims", "shows_group_stats": "on", "is_active": "on",
    })
    priority = Priority.objects.get()
    assert response.status_code == 302 and priority.lead_officer == chair and priority.shows_group_stats
    duplicate = client.post(reverse("priority_create"), {"number": "4", "title": "Again", "lead_officer_name": "Someone"})
    assert "already has a priority 4" in duplicate.content.decode()

    response = client.post(reverse("action_create", args=[priority.pk]), {
        "number": "4.1", "text": "Operate a multi-agency ASB casework group", "milestones": "4.1a Meet monthly\n4.1b Review every case",
        "lead_agency": "Police – Insp Chris Savage", "other_partners": "ECDC, Sanctuary Housing", "sort_order": "10",
    })
    action = PlanAction.objects.get()
    assert response.status_code == 302 and action.milestone_list == ["4.1a Meet monthly", "4.1b Review every case"]

    client.force_login(chair)  # the lead officer writes the quarter's update
    response = client.post(reverse("action_update_edit", args=[action.pk, 2010, 1]), {"text": "Met three times.", "updated_on": "30/06/2010"})
    assert response.status_code == 302
    update = ActionUpdate.objects.get()
    assert (update.text, update.updated_on, update.written_by) == ("Met three times.", date(2010, 6, 30), chair)
    page = client.get(reverse("priority_quarter", args=[priority.pk, 2010, 1])).content.decode()
    assert "Met three times." in page and "Dated 30 June 2010" in page and "4.1a Meet monthly" in page


def test_an_analyst_defines_a_measure_and_enters_its_figures(client, asb, analyst):
    client.force_login(analyst)
    response = client.post(reverse("measure_create", args=[asb.pk]), {
        "name": "Dwelling burglary", "target": "Reduction below 2008-09 level", "unit": "offences", "source": "entered",
        "intervention_type": "", "direction": "lower", "baseline_year": "2008-09", "tolerance_percent": "5", "sort_order": "10", "is_active": "on",
    })
    assert response.status_code == 302
    measure = Measure.objects.get()
    assert (measure.baseline_year, measure.direction, measure.is_entered) == (2008, "lower", True)
    for year, value in ((2010, "105"), (2009, "120"), (2008, "91")):
        assert client.post(reverse("measure_value_edit", args=[measure.pk, year, 1]), {"value": value, "note": "Police recorded crime"}).status_code == 302
    assert dict(MeasureValue.objects.values_list("financial_year", "value")) == {2010: 105, 2009: 120, 2008: 91}
    bad = client.post(reverse("measure_value_edit", args=[measure.pk, 2010, 1]), {"value": "-3"}).content.decode()
    assert "There is a problem" in bad
    wrong = client.post(reverse("measure_create", args=[asb.pk]), {
        "name": "ABCs", "unit": "cases", "source": "new_cases_opened", "intervention_type": "abc", "direction": "higher",
        "baseline_year": "2008", "tolerance_percent": "5", "sort_order": "10",
    }).content.decode()
    assert "Choose an intervention type only for a measure of interventions started." in wrong
    assert "“2008” is not a financial year" in wrong


def test_a_computed_measure_has_no_figures_to_type(client, asb, analyst):
    measure = make_measure(priority=asb, name="New cases", source=Measure.Source.NEW_CASES_OPENED, unit="cases")
    client.force_login(analyst)
    assert client.get(reverse("measure_value_edit", args=[measure.pk, 2010, 1])).status_code == 404
    with pytest.raises(ValidationError):
        plan.measure_value_save(actor=Actor.system(), measure=measure, quarter=Q1, value=3)


def test_the_priority_page_query_count_does_not_grow_with_actions(client, asb, chair, django_assert_max_num_queries):
    client.force_login(chair)
    url = reverse("priority_quarter", args=[asb.pk, 2010, 1])
    first = plan.plan_action_create(actor=Actor.system(), priority=asb, number="4.1", text="One", lead_agency="Police")
    plan.action_update_save(actor=Actor.system(), action=first, quarter=Q1, text="Done", updated_on=date(2010, 6, 1))
    make_measure(priority=asb, name="Measure 1")
    with django_assert_max_num_queries(14) as one:
        client.get(url)
    for n in range(2, 12):
        action = plan.plan_action_create(actor=Actor.system(), priority=asb, number=f"4.{n}", text=f"Action {n}", lead_agency="ECDC")
        plan.action_update_save(actor=Actor.system(), action=action, quarter=Q1, text="Done", updated_on=date(2010, 6, 1))
        make_measure(priority=asb, name=f"Measure {n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("Action ") >= 10


def test_the_priorities_list_query_count_does_not_grow_with_priorities(client, partnership, coordinator, django_assert_max_num_queries):
    client.force_login(coordinator)
    first = make_priority(partnership=partnership, number=1)
    make_measure(priority=first, name="Measure A")
    with django_assert_max_num_queries(10) as one:
        assert client.get(reverse("priority_list")).status_code == 200
    for n in range(2, 12):
        priority = make_priority(partnership=partnership, number=n, title=f"Priority title {n}")
        make_measure(priority=priority, name=f"Measure {n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(reverse("priority_list")).content.decode()
    assert page.count("Priority title") == 10 and "Measure 11" in page and reverse("priority_create") in page
