"""A known data set for Q1 2010-11, shaped like South Cambridgeshire's Q1 2010-11 report (seed 004): 8 new cases
referred to the group in the quarter (8 individuals, 0 areas, 0 families) and 52 since April 2009 (32 individuals,
8 areas, 12 families), with cases either side of every edge that must not be counted."""

from datetime import date

from reports.models import Measure
from reports.quarters import Quarter
from tests.reports.factories_reports import enter_values, import_cases, make_measure, make_priority, referred_cases

Q1_2010 = Quarter(2010, 1)


def load(*, partnership, other_partnership=None):
    rows = [
        # In the quarter: 8 individuals, on its first days and its last day.
        *referred_cases(on=date(2010, 4, 5), count=3),
        *referred_cases(on=date(2010, 6, 30), count=5),
        # Since the counting start (1 April 2009) and before the quarter: 24 individuals, 8 areas, 12 families.
        *referred_cases(on=date(2009, 4, 1), count=4),
        *referred_cases(on=date(2009, 6, 30), subject="area", count=2),
        *referred_cases(on=date(2009, 6, 30), subject="family", count=4),
        *referred_cases(on=date(2009, 10, 15), count=20),
        *referred_cases(on=date(2010, 3, 31), subject="area", count=6),
        *referred_cases(on=date(2010, 3, 31), subject="family", count=8),
        # Not counted: before the counting start, after the quarter, and never referred.
        *referred_cases(on=date(2008, 5, 20), count=5),
        *referred_cases(on=date(2009, 3, 31), subject="family", count=2),
        *referred_cases(on=date(2010, 7, 1), subject="area", count=3),
        *[{"opened_on": date(2010, 5, 1)} for _ in range(4)],
    ]
    import_cases(partnership=partnership, rows=rows)
    if other_partnership is not None:
        import_cases(partnership=other_partnership, rows=referred_cases(on=date(2010, 5, 5), count=6, lead_agency="cambs-police"))

    priority = make_priority(partnership=partnership, number=4)
    make_measure(
        priority=priority, name="New ASB cases referred to the group", unit="cases", source=Measure.Source.CASES_REFERRED_TO_GROUP,
        direction=Measure.Direction.HIGHER_IS_BETTER, tolerance_percent=10, baseline_year=2008, sort_order=1,
    )
    burglary = make_measure(priority=priority, name="Dwelling burglary", target="Reduction in dwelling burglary below 2008-09 level", sort_order=2)
    enter_values(measure=burglary, number=1, values={2010: 105, 2009: 120, 2008: 91})
    return priority
