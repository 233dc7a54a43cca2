"""Pages for the partnership's priorities: action plans, the lead officers' quarterly narratives and action updates,
measures and the figures analysts enter each quarter."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from audit.services import Actor
from reports import permissions
from reports.forms import ActionUpdateForm, MeasureForm, MeasureValueForm, NarrativeForm, PlanActionForm, PriorityForm
from reports.models import Measure, QuarterNarrative
from reports.quarters import financial_year_label, quarter_last_completed
from reports.selectors import measure_get, plan_action_get, priorities_for_partnership, priority_get, priority_quarter
from reports.services import plan as services
from reports.views.common import errors_onto_form, quarter_from_path, require


def _form_page(request, form, *, title: str, caption: str, back_url: str, submit: str, intro: str = ""):
    return render(request, "reports/form.html", {"form": form, "title": title, "caption": caption, "back_url": back_url, "submit": submit, "intro": intro})


def _saved(request, form, save, message: str) -> bool:
    """Call the service with the form's data; errors from the service go onto the form."""
    try:
        save()
    except ValidationError as error:
        errors_onto_form(form, error)
        return False
    messages.success(request, message)
    return True


@require_GET
def priority_list(request):
    require(permissions.can_view_plan(membership=request.membership))
    return render(request, "reports/priority_list.html", {
        "priorities": priorities_for_partnership(partnership=request.partnership),
        "can_manage": permissions.can_manage_priorities(membership=request.membership),
        "can_use_reports": permissions.can_use_reports(membership=request.membership),
    })


@require_http_methods(["GET", "POST"])
def priority_create(request):
    require(permissions.can_manage_priorities(membership=request.membership))
    form = PriorityForm(request.POST or None, partnership=request.partnership)
    if request.method == "POST" and form.is_valid():
        created = {}

        def save():
            created["priority"] = services.priority_create(actor=Actor.from_request(request), partnership=request.partnership, **form.cleaned_data)

        if _saved(request, form, save, "Priority added."):
            return redirect("priority_detail", pk=created["priority"].pk)
    return _form_page(request, form, title="Add a priority", caption=request.partnership.name, back_url=reverse("priority_list"), submit="Add the priority")


@require_http_methods(["GET", "POST"])
def priority_edit(request, pk):
    require(permissions.can_manage_priorities(membership=request.membership))
    priority = priority_get(partnership=request.partnership, pk=pk)
    initial = {name: getattr(priority, name) for name in services.PRIORITY_FIELDS}
    form = PriorityForm(request.POST or None, initial=initial, partnership=request.partnership)
    if request.method == "POST" and form.is_valid():
        if _saved(request, form, lambda: services.priority_update(actor=Actor.from_request(request), priority=priority, **form.cleaned_data), "Priority saved."):
            return redirect("priority_detail", pk=priority.pk)
    return _form_page(request, form, title=f"Edit {priority}", caption=request.partnership.name, back_url=reverse("priority_detail", args=[priority.pk]), submit="Save the priority")


def _priority_page(request, priority, quarter):
    user, membership = request.user, request.membership
    return render(request, "reports/priority_detail.html", {
        "priority": priority,
        "quarter": quarter,
        "previous": quarter.previous(),
        "next": quarter.next() if quarter.next().start <= timezone.localdate() else None,
        "work": priority_quarter(priority=priority, quarter=quarter),
        "sections": QuarterNarrative.SECTIONS,
        "can_write": permissions.can_write_for_priority(user=user, membership=membership, priority=priority),
        "can_edit_actions": permissions.can_edit_actions(user=user, membership=membership, priority=priority),
        "can_manage": permissions.can_manage_priorities(membership=membership),
        "can_manage_measures": permissions.can_manage_measures(membership=membership, partnership_id=priority.partnership_id),
    })


@require_GET
def priority_detail(request, pk):
    """The priority's work for the last completed quarter."""
    require(permissions.can_view_plan(membership=request.membership))
    priority = priority_get(partnership=request.partnership, pk=pk)
    return _priority_page(request, priority, quarter_last_completed(timezone.localdate()))


@require_GET
def priority_quarter_detail(request, pk, year, quarter):
    require(permissions.can_view_plan(membership=request.membership))
    priority = priority_get(partnership=request.partnership, pk=pk)
    return _priority_page(request, priority, quarter_from_path(year, quarter))


def _quarter_url(priority, quarter) -> str:
    return reverse("priority_quarter", kwargs={"pk": priority.pk, "year": quarter.year, "quarter": quarter.number})


def _back_to_quarter(priority, quarter):
    return redirect(_quarter_url(priority, quarter))


@require_http_methods(["GET", "POST"])
def narrative_edit(request, pk, year, quarter):
    priority = priority_get(partnership=request.partnership, pk=pk)
    require(permissions.can_write_for_priority(user=request.user, membership=request.membership, priority=priority))
    period = quarter_from_path(year, quarter)
    existing = QuarterNarrative.objects.filter(priority=priority, financial_year=period.year, quarter=period.number).first()
    initial = {name: getattr(existing, name) for name, _title, _hint in QuarterNarrative.SECTIONS} if existing else {}
    form = NarrativeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        save = lambda: services.narrative_save(actor=Actor.from_request(request), priority=priority, quarter=period, **form.cleaned_data)  # noqa: E731
        if _saved(request, form, save, f"Progress report for {period.label} saved."):
            return _back_to_quarter(priority, period)
    return _form_page(
        request, form, title=f"Quarterly progress report, {period.label}", caption=f"{priority} – lead officer {priority.lead_officer_name}",
        back_url=_quarter_url(priority, period), submit="Save the progress report",
        intro="Write each point on its own line: each line is printed as a bullet point in the report.",
    )


@require_http_methods(["GET", "POST"])
def action_create(request, pk):
    priority = priority_get(partnership=request.partnership, pk=pk)
    require(permissions.can_edit_actions(user=request.user, membership=request.membership, priority=priority))
    next_number = f"{priority.number}.{priority.actions.count() + 1}"
    form = PlanActionForm(request.POST or None, initial={"number": next_number, "sort_order": (priority.actions.count() + 1) * 10})
    if request.method == "POST" and form.is_valid():
        if _saved(request, form, lambda: services.plan_action_create(actor=Actor.from_request(request), priority=priority, **form.cleaned_data), "Action added to the plan."):
            return redirect("priority_detail", pk=priority.pk)
    return _form_page(request, form, title="Add an action to the plan", caption=str(priority), back_url=reverse("priority_detail", args=[priority.pk]), submit="Add the action")


@require_http_methods(["GET", "POST"])
def action_edit(request, pk):
    action = plan_action_get(partnership=request.partnership, pk=pk)
    require(permissions.can_edit_actions(user=request.user, membership=request.membership, priority=action.priority))
    form = PlanActionForm(request.POST or None, initial={name: getattr(action, name) for name in services.ACTION_FIELDS})
    if request.method == "POST" and form.is_valid():
        if _saved(request, form, lambda: services.plan_action_update(actor=Actor.from_request(request), action=action, **form.cleaned_data), f"Action {action.number} saved."):
            return redirect("priority_detail", pk=action.priority_id)
    return _form_page(request, form, title=f"Edit action {action.number}", caption=str(action.priority), back_url=reverse("priority_detail", args=[action.priority_id]), submit="Save the action")


@require_http_methods(["GET", "POST"])
def action_update_edit(request, pk, year, quarter):
    action = plan_action_get(partnership=request.partnership, pk=pk)
    require(permissions.can_write_for_priority(user=request.user, membership=request.membership, priority=action.priority))
    period = quarter_from_path(year, quarter)
    existing = action.updates.filter(financial_year=period.year, quarter=period.number).first()
    initial = {"text": existing.text, "updated_on": existing.updated_on} if existing else {"updated_on": min(timezone.localdate(), period.end)}
    form = ActionUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        save = lambda: services.action_update_save(actor=Actor.from_request(request), action=action, quarter=period, **form.cleaned_data)  # noqa: E731
        if _saved(request, form, save, f"Update to action {action.number} for {period.label} saved."):
            return _back_to_quarter(action.priority, period)
    return _form_page(
        request, form, title=f"Update on action {action.number}, {period.label}", caption=str(action.priority), back_url=_quarter_url(action.priority, period),
        submit="Save the update", intro=action.text,
    )


def _measure_initial(measure: Measure) -> dict:
    initial = {name: getattr(measure, name) for name in services.MEASURE_FIELDS}
    initial["baseline_year"] = financial_year_label(measure.baseline_year)
    return initial


@require_http_methods(["GET", "POST"])
def measure_create(request, pk):
    priority = priority_get(partnership=request.partnership, pk=pk)
    require(permissions.can_manage_measures(membership=request.membership, partnership_id=priority.partnership_id))
    form = MeasureForm(request.POST or None, initial={"direction": Measure.Direction.LOWER_IS_BETTER, "source": Measure.Source.ENTERED})
    if request.method == "POST" and form.is_valid():
        if _saved(request, form, lambda: services.measure_create(actor=Actor.from_request(request), priority=priority, **form.cleaned_data), "Measure added."):
            return redirect("priority_detail", pk=priority.pk)
    return _form_page(request, form, title="Add a measure", caption=str(priority), back_url=reverse("priority_detail", args=[priority.pk]), submit="Add the measure")


@require_http_methods(["GET", "POST"])
def measure_edit(request, pk):
    measure = measure_get(partnership=request.partnership, pk=pk)
    require(permissions.can_manage_measures(membership=request.membership, partnership_id=measure.priority.partnership_id))
    form = MeasureForm(request.POST or None, initial=_measure_initial(measure))
    if request.method == "POST" and form.is_valid():
        if _saved(request, form, lambda: services.measure_update(actor=Actor.from_request(request), measure=measure, **form.cleaned_data), f"{measure.name} saved."):
            return redirect("priority_detail", pk=measure.priority_id)
    return _form_page(request, form, title=f"Edit the measure {measure.name}", caption=str(measure.priority), back_url=reverse("priority_detail", args=[measure.priority_id]), submit="Save the measure")


@require_http_methods(["GET", "POST"])
def measure_value_edit(request, pk, year, quarter):
    measure = measure_get(partnership=request.partnership, pk=pk)
    require(permissions.can_manage_measures(membership=request.membership, partnership_id=measure.priority.partnership_id))
    if not measure.is_entered:
        raise Http404("This measure is counted from the casework: it has no figures to type in.")
    period = quarter_from_path(year, quarter)
    existing = measure.values.filter(financial_year=period.year, quarter=period.number).first()
    form = MeasureValueForm(request.POST or None, initial={"value": existing.value, "note": existing.note} if existing else {})
    if request.method == "POST" and form.is_valid():
        save = lambda: services.measure_value_save(actor=Actor.from_request(request), measure=measure, quarter=period, **form.cleaned_data)  # noqa: E731
        if _saved(request, form, save, f"{measure.name}: figure for {period.label} saved."):
            return _back_to_quarter(measure.priority, period)
    return _form_page(
        request, form, title=f"{measure.name}: figure for {period.label}", caption=str(measure.priority), back_url=_quarter_url(measure.priority, period),
        submit="Save the figure", intro=f"{period.months_label}. Enter the same quarter of other years (last year, the baseline year) from their own quarter pages.",
    )
