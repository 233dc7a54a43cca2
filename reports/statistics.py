"""The casework figures of a quarterly report: counts only, from aggregate queries.

Every function here returns numbers and the names of categories (kinds of ASB, agencies, intervention types, risk
levels), never anything about a person or a case. Each table is one query however many cases the partnership holds.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from casework.models import Case, CasePerson, CaseReviewRequest, Incident, Intervention, InterventionType
from reports.quarters import Quarter

KIND_NOT_RECORDED = "Kind not recorded"
MONTH_LABEL = "%b %Y"


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _opened(q: Quarter) -> Q:
    return Q(opened_on__range=(q.start, q.end))


def _closed(q: Quarter) -> Q:
    return Q(closed_on__range=(q.start, q.end))


def _referred(q: Quarter) -> Q:
    return Q(referred_to_group_on__range=(q.start, q.end))


def _flagged(q: Quarter) -> Q:
    return Q(case_review_flagged_at__gte=_start_of(q.start), case_review_flagged_at__lt=_start_of(q.next().start))


def _live(q: Quarter, prefix: str = "") -> Q:
    """Open at some time in the quarter: opened by its end and not closed before its start."""
    return Q(**{f"{prefix}opened_on__lte": q.end}) & (Q(**{f"{prefix}closed_on__isnull": True}) | Q(**{f"{prefix}closed_on__gte": q.start}))


def _open_at_end(q: Quarter, prefix: str = "") -> Q:
    return Q(**{f"{prefix}opened_on__lte": q.end}) & (Q(**{f"{prefix}closed_on__isnull": True}) | Q(**{f"{prefix}closed_on__gt": q.end}))


def partnership_cases(partnership):
    return Case.objects.filter(partnership=partnership)


# The casework group's statistics, exactly as the task-group papers print them.


@dataclass(frozen=True)
class GroupStats:
    quarter: Quarter
    counting_from: date
    new_total: int
    new_individuals: int
    new_areas: int
    new_families: int
    cumulative_total: int
    cumulative_individuals: int
    cumulative_areas: int
    cumulative_families: int


def group_stats(*, partnership, quarter: Quarter) -> GroupStats:
    """New cases referred to the group in the quarter, and since the partnership's counting start date, by subject.

    Counted by the date each case was (last) referred to the group and its subject: individual, area or family."""
    counting_from = partnership.stats_counting_from
    this_quarter = _referred(quarter)
    cumulative = Q(referred_to_group_on__gte=counting_from, referred_to_group_on__lte=quarter.end)
    aggregates = {}
    for prefix, period in (("new", this_quarter), ("cumulative", cumulative)):
        aggregates[f"{prefix}_total"] = Count("id", filter=period)
        for subject, name in ((Case.SubjectType.INDIVIDUAL, "individuals"), (Case.SubjectType.AREA, "areas"), (Case.SubjectType.FAMILY, "families")):
            aggregates[f"{prefix}_{name}"] = Count("id", filter=period & Q(subject_type=subject))
    figures = partnership_cases(partnership).aggregate(**aggregates)
    return GroupStats(quarter=quarter, counting_from=counting_from, **figures)


# Casework tables for the quarter.


@dataclass
class CountRow:
    label: str
    counts: dict = field(default_factory=dict)


@dataclass(frozen=True)
class CaseworkTotals:
    open_at_start: int
    opened: int
    closed: int
    open_at_end: int
    referred_to_group: int
    case_review_activations: int
    case_review_requests: int


def casework_totals(*, partnership, quarter: Quarter) -> CaseworkTotals:
    before = quarter.previous()
    figures = partnership_cases(partnership).aggregate(
        open_at_start=Count("id", filter=_open_at_end(before)),
        opened=Count("id", filter=_opened(quarter)),
        closed=Count("id", filter=_closed(quarter)),
        open_at_end=Count("id", filter=_open_at_end(quarter)),
        referred_to_group=Count("id", filter=_referred(quarter)),
        case_review_activations=Count("id", filter=_flagged(quarter)),
    )
    requests = CaseReviewRequest.objects.filter(case__partnership=partnership, requested_on__range=(quarter.start, quarter.end)).count()
    return CaseworkTotals(case_review_requests=requests, **figures)


def _opened_and_closed_by(*, partnership, quarter: Quarter, label_field: str, missing_label: str = "") -> list[CountRow]:
    rows = (
        partnership_cases(partnership)
        .filter(_opened(quarter) | _closed(quarter))
        .values(label=F(label_field))
        .annotate(opened=Count("id", filter=_opened(quarter)), closed=Count("id", filter=_closed(quarter)))
        .order_by("label")
    )
    table = [CountRow(label=row["label"] or missing_label, counts={"opened": row["opened"], "closed": row["closed"]}) for row in rows]
    table.sort(key=lambda row: (-row.counts["opened"] - row.counts["closed"], row.label))
    return table


def cases_by_kind(*, partnership, quarter: Quarter) -> list[CountRow]:
    """Cases opened and closed in the quarter, by kind of ASB."""
    return _opened_and_closed_by(partnership=partnership, quarter=quarter, label_field="kind__name", missing_label=KIND_NOT_RECORDED)


def cases_by_lead_agency(*, partnership, quarter: Quarter) -> list[CountRow]:
    """Cases opened and closed in the quarter, by the agency leading them now."""
    return _opened_and_closed_by(partnership=partnership, quarter=quarter, label_field="lead_agency__name")


def interventions_started_by_type(*, partnership, quarter: Quarter) -> list[CountRow]:
    rows = (
        Intervention.objects.filter(case__partnership=partnership, start_on__range=(quarter.start, quarter.end))
        .values("type")
        .annotate(started=Count("id"))
        .order_by("-started", "type")
    )
    labels = dict(InterventionType.choices)
    return [CountRow(label=labels.get(row["type"], row["type"]), counts={"started": row["started"]}) for row in rows]


def cases_by_risk_level(*, partnership, quarter: Quarter) -> list[CountRow]:
    """Cases open at some time in the quarter, by the victim risk level recorded on the case."""
    found = dict(
        partnership_cases(partnership).filter(_live(quarter)).values_list("risk_level").annotate(n=Count("id")).order_by()
    )
    order = (Case.RiskLevel.HIGH, Case.RiskLevel.MEDIUM, Case.RiskLevel.STANDARD, Case.RiskLevel.NOT_ASSESSED)
    return [CountRow(label=level.label, counts={"cases": found.get(level.value, 0)}) for level in order]


# Monthly trends for the twelve months ending with the quarter.


@dataclass(frozen=True)
class Series:
    name: str
    values: list[int]


@dataclass(frozen=True)
class Trend:
    title: str
    months: list[date]
    series: list[Series]

    @property
    def month_labels(self) -> list[str]:
        return [month.strftime(MONTH_LABEL) for month in self.months]


def _per_month(queryset, date_field: str, months: list[date]) -> list[int]:
    counted = dict(
        queryset.filter(**{f"{date_field}__gte": months[0], f"{date_field}__lte": _month_end(months[-1])})
        .annotate(month=TruncMonth(date_field))
        .values_list("month")
        .annotate(n=Count("id"))
        .order_by()
    )
    normalised = {(key.year, key.month): value for key, value in counted.items() if key is not None}
    return [normalised.get((month.year, month.month), 0) for month in months]


def _month_end(first_day: date) -> date:
    next_month = date(first_day.year + (first_day.month == 12), first_day.month % 12 + 1, 1)
    return date.fromordinal(next_month.toordinal() - 1)


def monthly_trends(*, partnership, quarter: Quarter) -> list[Trend]:
    months = quarter.months(12)
    cases = partnership_cases(partnership)
    incidents = Incident.objects.filter(case__partnership=partnership)
    return [
        Trend(
            title="Cases opened and closed each month",
            months=months,
            series=[Series("Opened", _per_month(cases, "opened_on", months)), Series("Closed", _per_month(cases, "closed_on", months))],
        ),
        Trend(
            title="Cases referred to the casework group each month",
            months=months,
            series=[Series("Referred to the group", _per_month(cases, "referred_to_group_on", months))],
        ),
        Trend(
            title="Incidents of ASB reported each month",
            months=months,
            series=[Series("Incidents reported", _per_month(incidents, "reported_on", months))],
        ),
    ]


# Computed measures: one figure per quarter.


def repeat_victims(*, partnership, quarter: Quarter) -> int:
    """People who are the victim on two or more of the partnership's cases opened by the quarter's end and still open then."""
    return (
        CasePerson.objects.filter(role=CasePerson.Role.VICTIM, case__partnership=partnership)
        .filter(_open_at_end(quarter, prefix="case__"))
        .values("person_id")
        .annotate(cases=Count("case_id", distinct=True))
        .filter(cases__gte=2)
        .count()
    )


def records_begin(*, partnership) -> date | None:
    """The day the partnership's earliest case was opened: computed figures for quarters before it are unknown, not nought."""
    return partnership_cases(partnership).order_by("opened_on").values_list("opened_on", flat=True).first()


def computed_measure_values(*, partnership, wanted: Iterable[tuple[str, str, Quarter]]) -> dict[tuple[str, str, Quarter], int | None]:
    """{(source, intervention_type, quarter): figure} for every computed measure source and quarter wanted.

    The case counts of every quarter come from one query, interventions from one more, repeat victims one per quarter.
    A quarter that ended before the earliest case on record has no figure (None)."""
    from reports.models import Measure

    first_day = records_begin(partnership=partnership)
    wanted = set(wanted)
    figures: dict[tuple[str, str, Quarter], int | None] = {key: None for key in wanted if first_day is None or key[2].end < first_day}
    wanted -= set(figures)
    case_sources = {
        Measure.Source.NEW_CASES_OPENED: _opened,
        Measure.Source.CASES_REFERRED_TO_GROUP: _referred,
        Measure.Source.CASE_REVIEW_ACTIVATIONS: _flagged,
        Measure.Source.HIGH_RISK_CASES: lambda q: _live(q) & Q(risk_level=Case.RiskLevel.HIGH),
    }
    case_wanted = [(source, kind, q) for source, kind, q in wanted if source in case_sources]
    if case_wanted:
        aggregates = {f"m{n}": Count("id", filter=case_sources[source](q)) for n, (source, _kind, q) in enumerate(case_wanted)}
        result = partnership_cases(partnership).aggregate(**aggregates)
        for n, key in enumerate(case_wanted):
            figures[key] = result[f"m{n}"]
    intervention_wanted = [(source, kind, q) for source, kind, q in wanted if source == Measure.Source.INTERVENTIONS_STARTED]
    if intervention_wanted:
        aggregates = {
            f"m{n}": Count("id", filter=Q(start_on__range=(q.start, q.end)) & (Q(type=kind) if kind else Q()))
            for n, (_source, kind, q) in enumerate(intervention_wanted)
        }
        result = Intervention.objects.filter(case__partnership=partnership).aggregate(**aggregates)
        for n, key in enumerate(intervention_wanted):
            figures[key] = result[f"m{n}"]
    for source, kind, q in wanted:
        if source == Measure.Source.REPEAT_VICTIMS:
            figures[(source, kind, q)] = repeat_victims(partnership=partnership, quarter=q)
    return figures
