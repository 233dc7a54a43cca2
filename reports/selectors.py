"""Reads for pages and the API, scoped to the partnership the user acts in (reports/permissions.py decides who)."""

from django.db.models import Prefetch, Q
from django.http import Http404

from reports.models import ActionUpdate, Measure, MeasureValue, PlanAction, Priority, QuarterNarrative, ReportRun
from reports.quarters import Quarter


def report_runs_for_partnership(*, partnership):
    """The archive: every run of the partnership, newest first, with who asked. A fixed number of queries."""
    return ReportRun.objects.filter(partnership=partnership).select_related("partnership", "requested_by").order_by("-requested_at", "-id")


def report_run_get(*, partnership, pk) -> ReportRun:
    """A run of the user's partnership; any other run does not exist for them (404)."""
    run = report_runs_for_partnership(partnership=partnership).filter(pk=pk).first()
    if run is None:
        raise Http404("No such report.")
    return run


def priorities_for_partnership(*, partnership):
    return (
        Priority.objects.filter(partnership=partnership)
        .select_related("lead_officer")
        .prefetch_related(Prefetch("measures", queryset=Measure.objects.order_by("sort_order", "id")))
        .order_by("number")
    )


def priority_get(*, partnership, pk) -> Priority:
    priority = Priority.objects.filter(partnership=partnership, pk=pk).select_related("partnership", "lead_officer").first()
    if priority is None:
        raise Http404("No such priority.")
    return priority


def priority_quarter(*, priority: Priority, quarter: Quarter) -> dict:
    """The priority's work for one quarter: its narrative, each action with its update, each measure with its figure."""
    in_quarter = Q(financial_year=quarter.year, quarter=quarter.number)
    actions = list(
        PlanAction.objects.filter(priority=priority)
        .prefetch_related(Prefetch("updates", queryset=ActionUpdate.objects.filter(in_quarter).select_related("written_by"), to_attr="quarter_updates"))
        .order_by("sort_order", "id")
    )
    measures = list(
        Measure.objects.filter(priority=priority)
        .prefetch_related(Prefetch("values", queryset=MeasureValue.objects.filter(in_quarter), to_attr="quarter_values"))
        .order_by("sort_order", "id")
    )
    return {
        "narrative": QuarterNarrative.objects.filter(priority=priority).filter(in_quarter).select_related("written_by").first(),
        "actions": [(action, (action.quarter_updates or [None])[0]) for action in actions],
        "measures": [(measure, (measure.quarter_values or [None])[0]) for measure in measures],
    }


def plan_action_get(*, partnership, pk) -> PlanAction:
    action = PlanAction.objects.filter(priority__partnership=partnership, pk=pk).select_related("priority", "priority__partnership").first()
    if action is None:
        raise Http404("No such action.")
    return action


def measure_get(*, partnership, pk) -> Measure:
    measure = Measure.objects.filter(priority__partnership=partnership, pk=pk).select_related("priority", "priority__partnership").first()
    if measure is None:
        raise Http404("No such measure.")
    return measure
