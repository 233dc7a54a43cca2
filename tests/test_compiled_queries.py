"""config.compiled_queries: an ORM query compiled once, then run with each call's values, gives what the ORM gives."""

import datetime

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agencies.models import Agency, Membership
from casework.models import Case, CaseAccess, Incident
from config.compiled_queries import CompilingRefused, compiled_query
from tests.agencies.factories import PartnershipFactory, every_field, make_agency, make_member
from tests.casework.factories import make_case
from tests.casework.factories_incidents import make_incident

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    north, south = PartnershipFactory(name="North"), PartnershipFactory(name="South")
    police = make_agency(partnerships=[north, south], name="Police")
    council = make_agency(partnerships=[north], name="Council", kind=Agency.Kind.DISTRICT_COUNCIL)
    cases = [
        make_case(partnership=north, lead_agency=police, summary="Shouting", opened_on=datetime.date(2026, 3, 2)),
        make_case(partnership=north, lead_agency=council, summary="Graffiti", opened_on=datetime.date(2026, 4, 2)),
        make_case(partnership=south, lead_agency=police, summary="Bins", opened_on=datetime.date(2026, 5, 2)),
    ]
    return {"north": north, "south": south, "police": police, "council": council, "cases": cases}


@compiled_query
def cases_with(related, *, partnership_id, lead_agency_id):
    return Case.objects.filter(partnership_id=partnership_id, lead_agency_id=lead_agency_id).select_related(*related).order_by("id")


def test_models_with_their_related_objects_are_the_orms_for_every_value(county):
    for partnership in (county["north"], county["south"]):
        for agency in (county["police"], county["council"]):
            compiled = cases_with(("partnership", "lead_agency"), partnership_id=partnership.pk, lead_agency_id=agency.pk)
            orm = list(cases_with.build(("partnership", "lead_agency"), partnership_id=partnership.pk, lead_agency_id=agency.pk))
            assert [every_field(case) for case in compiled] == [every_field(case) for case in orm]
            assert [(every_field(c.partnership), every_field(c.lead_agency)) for c in compiled] == [
                (every_field(c.partnership), every_field(c.lead_agency)) for c in orm
            ]
    assert [c.summary for c in cases_with(("partnership",), partnership_id=county["north"].pk, lead_agency_id=county["police"].pk)] == ["Shouting"]


def test_each_call_is_one_query_and_the_related_objects_need_no_more(county):
    cases_with(("lead_agency",), partnership_id=county["north"].pk, lead_agency_id=county["police"].pk)
    with CaptureQueriesContext(connection) as queries:
        found = cases_with(("lead_agency",), partnership_id=county["north"].pk, lead_agency_id=county["council"].pk)
        assert found[0].lead_agency.name == "Council"
    assert len(queries) == 1


@compiled_query
def case_summaries(*, reference, opened_from, recorded_since):
    return Case.objects.filter(reference=reference, opened_on__gte=opened_from, created_at__gte=recorded_since).values_list("summary", flat=True)


def test_text_dates_and_times_are_replaced_too(county):
    first = county["cases"][0]
    long_ago = timezone.now() - datetime.timedelta(days=3650)
    assert case_summaries(reference=first.reference, opened_from=datetime.date(2026, 1, 1), recorded_since=long_ago) == ["Shouting"]
    assert case_summaries(reference=first.reference, opened_from=datetime.date(2026, 3, 3), recorded_since=long_ago) == []
    assert case_summaries(reference=first.reference, opened_from=datetime.date(2026, 1, 1), recorded_since=timezone.now() + datetime.timedelta(days=1)) == []
    assert case_summaries(reference="no such case", opened_from=datetime.date(2026, 1, 1), recorded_since=long_ago) == []


@compiled_query
def incident_counts(periods, *, case_id, **since):
    counts = {f"last_{days}": Count("id", filter=Q(occurred_at__gte=since[f"since_{days}"])) for days in periods}
    return Incident.objects.filter(case_id=case_id).order_by().values("case_id").annotate(hate=Count("id", filter=Q(is_hate_motivated=True)), **counts)


def test_the_shape_chooses_the_sql_and_the_values_fill_it(county):
    case = county["cases"][0]
    today = timezone.localdate()
    for days_ago, hate in ((3, True), (40, False), (200, False)):
        make_incident(case=case, on=today - datetime.timedelta(days=days_ago), hate=hate)
    now = timezone.now()
    for periods in ((30,), (30, 90), (7, 60, 365)):
        since = {f"since_{days}": now - datetime.timedelta(days=days) for days in periods}
        compiled = incident_counts(periods, case_id=case.pk, **since)
        assert compiled == list(incident_counts.build(periods, case_id=case.pk, **since))
    assert compiled == [{"case_id": case.pk, "hate": 1, "last_7": 1, "last_60": 2, "last_365": 3}]
    assert incident_counts((30,), case_id=county["cases"][1].pk, since_30=now) == []


@compiled_query
def people_of_agency(*, agency_id):
    return Membership.objects.filter(agency_id=agency_id).select_related("user").prefetch_related("agency__partnerships").order_by("id")


def test_prefetches_follow_as_the_orm_makes_them(county):
    make_member(agency=county["police"], username="pc-one")
    make_member(agency=county["council"], username="officer-two")
    with CaptureQueriesContext(connection) as queries:
        found = people_of_agency(agency_id=county["police"].pk)
        assert [m.user.username for m in found] == ["pc-one"]
        assert sorted(p.name for p in found[0].agency.partnerships.all()) == ["North", "South"]
    assert len(queries) == 3  # the memberships with their users, then the agency and its partnerships


def test_a_value_folded_into_a_pattern_is_refused():
    @compiled_query
    def summaries_containing(*, text):
        return Case.objects.filter(summary__icontains=text)

    with pytest.raises(CompilingRefused, match="part of the parameter"):
        summaries_containing(text="noise")


def test_a_value_the_sql_does_not_take_is_refused():
    @compiled_query
    def cases_ignoring(*, agency_id):
        return Case.objects.all()

    with pytest.raises(CompilingRefused, match="agency_id not among"):
        cases_ignoring(agency_id=3)


def test_a_value_of_another_type_is_refused_before_any_query():
    with pytest.raises(TypeError, match="pass it as part of the shape"):
        cases_with((), partnership_id=True, lead_agency_id=1)
    with pytest.raises(TypeError, match="pass it as part of the shape"):
        cases_with((), partnership_id=None, lead_agency_id=1)


def test_what_a_case_page_reads_of_who_has_access_is_the_orms(county):
    from casework.selectors.cases import case_access_periods, case_access_rows

    for case in county["cases"]:
        orm = list(case_access_periods(case=case).values("agency__name", "level", "granted_at", "revoked_at"))
        assert orm and case_access_rows(case=case) == orm
    assert CaseAccess.objects.exists()


def test_a_query_that_takes_an_id_it_was_built_without_is_refused(county):
    from casework import permissions

    @compiled_query
    def led_by_the_agency(*, group_id):
        user, agency = permissions.acting_by_ids(group_id=group_id)
        return permissions.cases_permitted(user=user, agency=agency).filter(lead_agency_id=agency.pk)

    with pytest.raises(CompilingRefused, match="NOT_USED_ID"):
        led_by_the_agency(group_id=county["police"].group_id)


def test_a_query_keeps_its_newest_shapes_only(county, monkeypatch):
    import config.compiled_queries as compiled_queries

    monkeypatch.setattr(compiled_queries, "SHAPES_KEPT", 2)

    @compiled_query
    def first_cases(count, *, partnership_id):
        return Case.objects.filter(partnership_id=partnership_id).order_by("id").values_list("summary", flat=True)[:count]

    north = county["north"].pk
    assert [first_cases(count, partnership_id=north) for count in (1, 2, 3)] == [
        ["Shouting"], ["Shouting", "Graffiti"], ["Shouting", "Graffiti"],  # the North has two cases
    ]
    assert [key[0] for key in first_cases._compiled] == [(2,), (3,)]
    assert first_cases(1, partnership_id=north) == ["Shouting"]
