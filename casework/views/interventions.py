"""The case's Interventions tab: the list, recording one, changing its status or dates, recording a breach."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from audit.services import Actor
from casework import intervention_rules, permissions
from casework.forms.work import BreachForm, InterventionForm, InterventionUpdateForm
from casework.selectors import interventions as selectors
from casework.services.cases import case_view_record
from casework.services.interventions import intervention_breach_record, intervention_create, intervention_update
from casework.views.common import case_for_request, case_page_context

TAB = "case_interventions"


def case_interventions(request, reference):
    case = case_for_request(request, reference)
    case_view_record(actor=Actor.from_request(request), case=case, what="Interventions")
    today = timezone.localdate()
    rows = [(item, intervention_rules.warnings_for(item, today=today)) for item in selectors.case_interventions(case=case)]
    return render(request, "casework/work/interventions.html", case_page_context(request, case, TAB, rows=rows))


@require_http_methods(["GET", "POST"])
def case_intervention_add(request, reference):
    case = case_for_request(request, reference, codename=permissions.CONTRIBUTE)
    agencies = selectors.intervention_agency_choices(case=case)
    people = selectors.case_person_choices(case=case)
    initial = {"delivering_agency": request.agency.pk} if request.agency else {}
    form = InterventionForm(request.POST or None, agencies=agencies, people=people, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            intervention = intervention_create(actor=Actor.from_request(request), case=case, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{intervention.get_type_display()} recorded.")
            for warning in intervention_rules.warnings_for(intervention, today=timezone.localdate()):
                messages.warning(request, warning)
            return redirect("case_intervention_detail", reference=case.reference, pk=intervention.pk)
    return render(request, "casework/work/intervention_form.html", case_page_context(request, case, TAB, form=form))


def _detail(request, case, intervention, *, update_form=None, breach_form=None):
    context = case_page_context(
        request,
        case,
        TAB,
        intervention=intervention,
        breaches=selectors.intervention_breaches(intervention=intervention),
        warnings=intervention_rules.warnings_for(intervention, today=timezone.localdate()),
        legal_rules=intervention_rules.rules_for(intervention.type),
    )
    if context["can_contribute"]:
        context["update_form"] = update_form or InterventionUpdateForm(
            initial={name: getattr(intervention, name) for name in ("status", "start_on", "review_on", "end_on", "notes")}
        )
        context["breach_form"] = breach_form or BreachForm()
    return render(request, "casework/work/intervention_detail.html", context)


@require_http_methods(["GET", "POST"])
def case_intervention_detail(request, reference, pk):
    if request.method == "GET":
        case = case_for_request(request, reference)
        intervention = selectors.case_intervention_get(case=case, pk=pk)
        case_view_record(actor=Actor.from_request(request), case=case, what=f"Intervention {intervention.pk}")
        return _detail(request, case, intervention)
    case = case_for_request(request, reference, codename=permissions.CONTRIBUTE)
    intervention = selectors.case_intervention_get(case=case, pk=pk)
    form = InterventionUpdateForm(request.POST)
    if form.is_valid():
        try:
            intervention_update(actor=Actor.from_request(request), intervention=intervention, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Intervention updated.")
            return redirect("case_intervention_detail", reference=case.reference, pk=intervention.pk)
    return _detail(request, case, intervention, update_form=form)


@require_POST
def case_intervention_breach(request, reference, pk):
    case = case_for_request(request, reference, codename=permissions.CONTRIBUTE)
    intervention = selectors.case_intervention_get(case=case, pk=pk)
    form = BreachForm(request.POST)
    if form.is_valid():
        try:
            intervention_breach_record(actor=Actor.from_request(request), intervention=intervention, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Breach recorded. The intervention is now marked as breached.")
            return redirect("case_intervention_detail", reference=case.reference, pk=intervention.pk)
    return _detail(request, case, intervention, breach_form=form)
