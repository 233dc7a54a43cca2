"""What goes into a quarterly report, and the PDF made from it.

`report_content` reads everything the report prints (priorities with their narratives, action plans and measures;
the casework group's statistics; casework tables and monthly trends) inside one read-only snapshot, so that every
figure is as recorded at the same moment, the data cut-off. `report_pdf_render` turns it into a PDF with WeasyPrint.
"""

import logging
from collections.abc import Callable
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime

from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction
from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.utils import timezone

from config.db_router import REPLICA, replica_readable, replica_reads
from reports import statistics
from reports.charts import BarChart, bar_chart
from reports.measures import BETTER, NO_CHANGE, NOT_AVAILABLE, STATUS_LABELS, STATUS_RULE, WORSE, Comparison
from reports.models import ActionUpdate, Measure, MeasureValue, PlanAction, Priority, QuarterNarrative
from reports.quarters import Quarter
from reports.templatetags.reports import lines

Progress = Callable[[int, str], None]
logger = logging.getLogger(__name__)


@dataclass
class ActionRow:
    action: PlanAction
    update: ActionUpdate | None


@dataclass
class MeasureRow:
    measure: Measure
    comparison: Comparison
    source_note: str


@dataclass
class NarrativePart:
    title: str
    hint: str
    points: list[str]


@dataclass
class PrioritySection:
    priority: Priority
    narrative: QuarterNarrative | None
    actions: list[ActionRow]
    measures: list[MeasureRow]
    group_stats: statistics.GroupStats | None

    @property
    def narrative_sections(self) -> list[NarrativePart]:
        """The four sections of the progress report, each as its points (one per line written)."""
        return [
            NarrativePart(title=title, hint=hint, points=lines(getattr(self.narrative, name, "") if self.narrative else ""))
            for name, title, hint in QuarterNarrative.SECTIONS
        ]


@dataclass
class ReportContent:
    partnership: object
    quarter: Quarter
    data_cutoff: datetime
    quarter_complete: bool
    priorities: list[PrioritySection]
    group_stats: statistics.GroupStats
    totals: statistics.CaseworkTotals
    by_kind: list[statistics.CountRow]
    by_lead_agency: list[statistics.CountRow]
    interventions: list[statistics.CountRow]
    risk_levels: list[statistics.CountRow]
    trends: list[statistics.Trend]
    charts: list[BarChart] = field(default_factory=list)

    @property
    def summary_rows(self) -> list[MeasureRow]:
        return [row for section in self.priorities for row in section.measures]

    @property
    def figures(self) -> list[tuple[BarChart, statistics.Trend]]:
        return list(zip(self.charts, self.trends, strict=True))

    @property
    def concerns(self) -> list[MeasureRow]:
        return [row for row in self.summary_rows if row.comparison.status in (WORSE, NO_CHANGE)]


def _quiet(_progress: int, _step: str) -> None:
    return None


@contextmanager
def _snapshot(*, on_replica: bool):
    """A read-only transaction that sees the database as it was when it began (PostgreSQL: REPEATABLE READ); yields
    the data cut-off.

    On a read replica (DATABASE_REPLICA_URL), every read inside goes to it, so that a report does not compete with
    caseworkers for the primary. A replica may be a moment behind: its cut-off is the commit time of the last change
    it has replayed (pg_last_xact_replay_timestamp), so the report claims only what it holds. (On the primary that
    function gives nothing, and the cut-off is the moment the snapshot was taken.)"""
    alias = REPLICA if on_replica else DEFAULT_DB_ALIAS
    database = connections[alias]
    outermost = not database.in_atomic_block
    with transaction.atomic(using=alias), (replica_reads() if alias == REPLICA else nullcontext()):
        cutoff = None
        if database.vendor == "postgresql":
            with database.cursor() as cursor:
                if outermost:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                # The statement that takes the snapshot also dates it.
                cursor.execute("SELECT COALESCE(pg_last_xact_replay_timestamp(), statement_timestamp())")
                cutoff = cursor.fetchone()[0]
        yield cutoff or timezone.now()


def _source_note(measure: Measure) -> str:
    if measure.is_entered:
        return "Entered by the partnership's analyst."
    if measure.source == Measure.Source.INTERVENTIONS_STARTED and measure.intervention_type:
        return f"Counted from the casework: {measure.get_intervention_type_display()} interventions started."
    return f"Counted from the casework: {measure.get_source_display().lower()}."


def _priorities(partnership, quarter: Quarter) -> list[Priority]:
    in_quarter = Q(financial_year=quarter.year, quarter=quarter.number)
    return list(
        Priority.objects.filter(partnership=partnership, is_active=True)
        .select_related("partnership")
        .prefetch_related(
            Prefetch("narratives", queryset=QuarterNarrative.objects.filter(in_quarter), to_attr="quarter_narratives"),
            Prefetch(
                "actions",
                queryset=PlanAction.objects.prefetch_related(
                    Prefetch("updates", queryset=ActionUpdate.objects.filter(in_quarter), to_attr="quarter_updates")
                ),
                to_attr="plan",
            ),
            Prefetch(
                "measures",
                queryset=Measure.objects.filter(is_active=True).prefetch_related(
                    # Only this quarter's number: this year, last year and the baseline year are picked out below.
                    Prefetch("values", queryset=MeasureValue.objects.filter(quarter=quarter.number), to_attr="same_quarter_values")
                ),
                to_attr="active_measures",
            ),
        )
        .order_by("number")
    )


def _comparisons(partnership, quarter: Quarter, priorities: list[Priority]) -> dict[int, Comparison]:
    last_year = quarter.same_quarter_in(quarter.year - 1)
    measures = [measure for priority in priorities for measure in priority.active_measures]
    wanted = set()
    for measure in measures:
        if not measure.is_entered:
            for q in (quarter, last_year, quarter.same_quarter_in(measure.baseline_year)):
                wanted.add((measure.source, measure.intervention_type, q))
    computed = statistics.computed_measure_values(partnership=partnership, wanted=wanted)
    comparisons = {}
    for measure in measures:
        baseline = quarter.same_quarter_in(measure.baseline_year)
        if measure.is_entered:
            entered = {value.financial_year: value.value for value in measure.same_quarter_values}
            figures = [entered.get(q.year) for q in (quarter, last_year, baseline)]
        else:
            figures = [computed[(measure.source, measure.intervention_type, q)] for q in (quarter, last_year, baseline)]
        comparisons[measure.pk] = Comparison(
            name=measure.name, unit=measure.unit, current=figures[0], last_year=figures[1], baseline=figures[2],
            baseline_label=measure.baseline_label, direction=measure.direction, tolerance_percent=measure.tolerance_percent,
        )
    return comparisons


def _figures(partnership, quarter: Quarter, *, on_replica: bool) -> tuple:
    """What the report prints from the database, read in one snapshot, with its cut-off first."""
    with _snapshot(on_replica=on_replica) as data_cutoff:
        priorities = _priorities(partnership, quarter)
        return (
            data_cutoff,
            statistics.group_stats(partnership=partnership, quarter=quarter),
            statistics.casework_totals(partnership=partnership, quarter=quarter),
            statistics.cases_by_kind(partnership=partnership, quarter=quarter),
            statistics.cases_by_lead_agency(partnership=partnership, quarter=quarter),
            statistics.interventions_started_by_type(partnership=partnership, quarter=quarter),
            statistics.cases_by_risk_level(partnership=partnership, quarter=quarter),
            statistics.monthly_trends(partnership=partnership, quarter=quarter),
            priorities,
            _comparisons(partnership, quarter, priorities),
        )


def report_content(*, partnership, quarter: Quarter, progress: Progress = _quiet) -> ReportContent:
    """Everything the report prints, read in one snapshot. Counts and category names only: nothing about a person.

    The snapshot is read-only and its writes would be invisible until it ends, so progress is told only between reads."""
    progress(10, "Reading the casework figures: the group's cases, cases opened and closed, interventions, risk, trends")
    try:
        figures = _figures(partnership, quarter, on_replica=replica_readable())
    except OperationalError:
        # A replica that is down, or that cancelled the snapshot to replay the primary's changes ("conflict with
        # recovery"), must not cost the partnership its report: the primary holds the same figures.
        if not replica_readable():
            raise
        logger.warning("The read replica could not give the report's figures; reading them from the primary", exc_info=True)
        connections[REPLICA].close()
        figures = _figures(partnership, quarter, on_replica=False)
    data_cutoff, group, totals, by_kind, by_lead, interventions, risk, trends, priorities, comparisons = figures

    progress(50, "Comparing each measure with last year and the baseline year")
    sections = []
    for priority in priorities:
        sections.append(PrioritySection(
            priority=priority,
            narrative=priority.quarter_narratives[0] if priority.quarter_narratives else None,
            actions=[ActionRow(action=action, update=(action.quarter_updates or [None])[0]) for action in priority.plan],
            measures=[MeasureRow(measure=m, comparison=comparisons[m.pk], source_note=_source_note(m)) for m in priority.active_measures],
            group_stats=group if priority.shows_group_stats else None,
        ))
    progress(60, "Drawing the monthly trend charts")
    return ReportContent(
        partnership=partnership, quarter=quarter, data_cutoff=data_cutoff,
        quarter_complete=timezone.localtime(data_cutoff).date() > quarter.end, priorities=sections, group_stats=group,
        totals=totals, by_kind=by_kind, by_lead_agency=by_lead, interventions=interventions, risk_levels=risk, trends=trends,
        charts=[bar_chart(trend) for trend in trends],
    )


def _no_fetching(url, *args, **kwargs):
    # The report embeds everything it shows; it never fetches anything from anywhere.
    raise ValueError(f"Reports do not load external resources ({url}).")


def report_html(content: ReportContent, *, version: int | None = None) -> str:
    return render_to_string(
        "reports/pdf/report.html",
        {
            "report": content, "version": version, "status_labels": STATUS_LABELS, "status_rule": STATUS_RULE,
            "status_key": [(BETTER, STATUS_LABELS[BETTER]), (NO_CHANGE, STATUS_LABELS[NO_CHANGE]), (WORSE, STATUS_LABELS[WORSE])],
            "not_available": NOT_AVAILABLE,
        },
    )


def report_pdf_render(content: ReportContent, *, version: int | None = None, progress: Progress = _quiet) -> bytes:
    from weasyprint import HTML

    progress(70, "Writing out the report's pages")
    html = report_html(content, version=version)
    progress(75, "Laying out the PDF")
    # Laying out takes most of the time and writing the file much of the rest: two steps, so the bar moves between.
    laid_out = HTML(string=html, url_fetcher=_no_fetching).render()
    pages = len(laid_out.pages)
    progress(88, f"Writing the PDF file: {pages} page{'s' if pages != 1 else ''}")
    return laid_out.write_pdf()
