"""The casework figures, from a known data set, and the cost of reading them."""

from datetime import date, datetime, time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.models import Case, CasePerson, Intervention, Person
from reports import document, statistics
from reports.models import Measure
from reports.quarters import Quarter
from tests.casework.factories import make_case
from tests.reports import known_data
from tests.reports.factories_reports import import_cases, referred_cases

Q1 = Quarter(2010, 1)


def test_the_groups_new_and_cumulative_cases_split_by_subject(partnership, other_partnership, police, council):
    known_data.load(partnership=partnership, other_partnership=other_partnership)
    stats = statistics.group_stats(partnership=partnership, quarter=Q1)
    assert (stats.new_total, stats.new_individuals, stats.new_areas, stats.new_families) == (8, 8, 0, 0)
    assert (stats.cumulative_total, stats.cumulative_individuals, stats.cumulative_areas, stats.cumulative_families) == (52, 32, 8, 12)
    assert stats.counting_from == date(2009, 4, 1)


def test_the_counting_start_is_the_partnerships_own(partnership, police, council):
    known_data.load(partnership=partnership)
    partnership.stats_counting_from = date(2010, 1, 1)
    stats = statistics.group_stats(partnership=partnership, quarter=Q1)
    assert stats.cumulative_total == 8 + 6 + 8  # the quarter and 31 March 2010


def test_opened_closed_by_kind_and_lead_agency(partnership, police, council):
    import_cases(partnership=partnership, rows=[
        {"opened_on": date(2010, 4, 1), "kind": "fly-tipping", "category": "environmental", "lead_agency": "ecdc"},
        {"opened_on": date(2010, 6, 30), "kind": "fly-tipping", "category": "environmental", "lead_agency": "ecdc", "closed_on": date(2010, 6, 30), "status": "closed"},
        {"opened_on": date(2010, 3, 31), "kind": "hate-motivated", "category": "personal", "lead_agency": "cambs-police", "closed_on": date(2010, 4, 1), "status": "closed"},
        {"opened_on": date(2010, 7, 1), "kind": "hate-motivated", "category": "personal", "lead_agency": "cambs-police"},
        {"opened_on": date(2010, 5, 5), "kind": "", "category": "nuisance", "lead_agency": "cambs-police"},
    ])
    by_kind = {row.label: row.counts for row in statistics.cases_by_kind(partnership=partnership, quarter=Q1)}
    assert by_kind == {
        "Fly tipping": {"opened": 2, "closed": 1},
        "Hate-motivated": {"opened": 0, "closed": 1},
        statistics.KIND_NOT_RECORDED: {"opened": 1, "closed": 0},
    }
    by_lead = {row.label: row.counts for row in statistics.cases_by_lead_agency(partnership=partnership, quarter=Q1)}
    assert by_lead == {"East Cambridgeshire District Council": {"opened": 2, "closed": 1}, "Cambridgeshire Constabulary": {"opened": 1, "closed": 1}}
    totals = statistics.casework_totals(partnership=partnership, quarter=Q1)
    assert (totals.open_at_start, totals.opened, totals.closed, totals.open_at_end) == (1, 3, 2, 2)


def test_risk_levels_of_the_cases_open_during_the_quarter(partnership, police, council):
    import_cases(partnership=partnership, rows=[
        {"opened_on": date(2010, 5, 1), "risk_level": "high"},
        {"opened_on": date(2009, 5, 1), "risk_level": "high", "closed_on": date(2010, 4, 1), "status": "closed"},
        {"opened_on": date(2009, 5, 1), "risk_level": "high", "closed_on": date(2010, 3, 31), "status": "closed"},  # closed before
        {"opened_on": date(2010, 7, 1), "risk_level": "high"},  # opened after
        {"opened_on": date(2010, 4, 2), "risk_level": "medium"},
    ])
    levels = {row.label: row.counts["cases"] for row in statistics.cases_by_risk_level(partnership=partnership, quarter=Q1)}
    assert levels == {"High": 2, "Medium": 1, "Standard": 0, "Not assessed": 0}
    figures = statistics.computed_measure_values(partnership=partnership, wanted={(Measure.Source.HIGH_RISK_CASES, "", Q1)})
    assert figures[(Measure.Source.HIGH_RISK_CASES, "", Q1)] == 2


def test_case_review_activations_and_interventions_by_type(partnership, police, council):
    london = timezone.get_default_timezone()
    inside = make_case(partnership=partnership, lead_agency=council, opened_on=date(2010, 4, 2))
    edge = make_case(partnership=partnership, lead_agency=council, opened_on=date(2010, 4, 2))
    outside = make_case(partnership=partnership, lead_agency=council, opened_on=date(2010, 4, 2))
    # Midnight at the start of 1 April (BST) is inside; the first moment of 1 July is outside.
    Case.objects.filter(pk=inside.pk).update(case_review_flagged_at=datetime.combine(date(2010, 4, 1), time.min, tzinfo=london))
    Case.objects.filter(pk=edge.pk).update(case_review_flagged_at=datetime.combine(date(2010, 6, 30), time(23, 59), tzinfo=london))
    Case.objects.filter(pk=outside.pk).update(case_review_flagged_at=datetime.combine(date(2010, 7, 1), time.min, tzinfo=london))
    for case, kind, start in ((inside, "abc", date(2010, 4, 1)), (edge, "abc", date(2010, 6, 30)), (edge, "cpw", date(2010, 5, 1)), (outside, "cpw", date(2010, 7, 1))):
        Intervention.objects.create(case=case, type=kind, delivering_agency=council, start_on=start)
    assert statistics.casework_totals(partnership=partnership, quarter=Q1).case_review_activations == 2
    started = {row.label: row.counts["started"] for row in statistics.interventions_started_by_type(partnership=partnership, quarter=Q1)}
    assert started == {"Acceptable Behaviour Contract": 2, "Community Protection Warning": 1}
    wanted = {(Measure.Source.INTERVENTIONS_STARTED, "", Q1), (Measure.Source.INTERVENTIONS_STARTED, "cpw", Q1), (Measure.Source.CASE_REVIEW_ACTIVATIONS, "", Q1)}
    figures = statistics.computed_measure_values(partnership=partnership, wanted=wanted)
    assert figures == {(Measure.Source.INTERVENTIONS_STARTED, "", Q1): 3, (Measure.Source.INTERVENTIONS_STARTED, "cpw", Q1): 1, (Measure.Source.CASE_REVIEW_ACTIVATIONS, "", Q1): 2}


def test_repeat_victims_are_victims_on_two_cases_still_open(partnership, police, council):
    def case(opened, closed=None):
        fields = {"closed_on": closed, "status": "closed", "closing_outcome": "resolved"} if closed else {}
        made = make_case(partnership=partnership, lead_agency=council, opened_on=opened)
        Case.objects.filter(pk=made.pk).update(**fields)
        return made

    repeat = Person.objects.create(first_name="Doreen", last_name="Whitmore")
    once_still_open = Person.objects.create(first_name="Alan", last_name="Pike")
    closed_away = Person.objects.create(first_name="Joan", last_name="Hart")
    witness = Person.objects.create(first_name="Sid", last_name="Lowe")
    a, b = case(date(2009, 1, 5)), case(date(2010, 6, 30))
    c, d = case(date(2010, 4, 1)), case(date(2010, 5, 1), closed=date(2010, 6, 1))
    e, f = case(date(2010, 4, 1)), case(date(2010, 7, 1))  # opened after the quarter
    for person, cases in ((repeat, (a, b)), (once_still_open, (c, d)), (closed_away, (e, f)), (witness, (a, b))):
        for each in cases:
            CasePerson.objects.create(case=each, person=person, role="witness" if person is witness else "victim")
    assert statistics.repeat_victims(partnership=partnership, quarter=Q1) == 1
    # A case closed after the quarter's end was still open at it.
    Case.objects.filter(pk=d.pk).update(closed_on=date(2010, 7, 2))
    assert statistics.repeat_victims(partnership=partnership, quarter=Q1) == 2


def test_computed_figures_before_the_records_begin_are_unknown_not_nought(partnership, police, council):
    import_cases(partnership=partnership, rows=referred_cases(on=date(2010, 5, 1)))
    wanted = {(Measure.Source.NEW_CASES_OPENED, "", Quarter(2008, 1)), (Measure.Source.NEW_CASES_OPENED, "", Q1), (Measure.Source.NEW_CASES_OPENED, "", Quarter(2010, 2))}
    figures = statistics.computed_measure_values(partnership=partnership, wanted=wanted)
    assert figures[(Measure.Source.NEW_CASES_OPENED, "", Quarter(2008, 1))] is None
    assert figures[(Measure.Source.NEW_CASES_OPENED, "", Q1)] == 1
    assert figures[(Measure.Source.NEW_CASES_OPENED, "", Quarter(2010, 2))] == 0


def test_monthly_trends_cover_the_twelve_months_to_the_quarters_end(partnership, police, council):
    import_cases(partnership=partnership, rows=[
        {"opened_on": date(2009, 7, 1)}, {"opened_on": date(2009, 6, 30)},  # the first month, and the month before it
        {"opened_on": date(2010, 6, 30), "referred_to_group_on": date(2010, 6, 30)},
        {"opened_on": date(2010, 1, 31), "closed_on": date(2010, 2, 1), "status": "closed"},
    ])
    opened_closed, referred, incidents = statistics.monthly_trends(partnership=partnership, quarter=Q1)
    assert opened_closed.month_labels[0] == "Jul 2009" and opened_closed.month_labels[-1] == "Jun 2010"
    opened, closed = opened_closed.series
    assert opened.values == [1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]
    assert closed.values == [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]
    assert referred.series[0].values == [0] * 11 + [1]
    assert incidents.series[0].values == [0] * 12


def test_the_report_reads_a_fixed_number_of_queries_however_many_cases(partnership, other_partnership, police, council):
    known_data.load(partnership=partnership, other_partnership=other_partnership)
    with CaptureQueriesContext(connection) as first:
        content = document.report_content(partnership=partnership, quarter=Q1)
    assert content.group_stats.new_total == 8
    import_cases(partnership=partnership, rows=referred_cases(on=date(2010, 5, 1), count=60) + [{"opened_on": date(2010, 4, 9)} for _ in range(60)])
    with CaptureQueriesContext(connection) as second:
        content = document.report_content(partnership=partnership, quarter=Q1)
    assert content.group_stats.new_total == 68
    assert len(second) == len(first) <= 25
