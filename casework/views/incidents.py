"""The case's Incidents tab: incidents newest first, logging one, and the ASB Case Review (threshold and requests)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from audit.services import Actor
from casework import permissions
from casework.forms.incidents import CaseReviewDecisionForm, CaseReviewRequestForm, IncidentForm, today_initial
from casework.selectors.incidents import (
    case_people_who_may_report,
    case_review_request_get,
    case_review_request_list,
    incident_list,
)
from casework.services.case_review import (
    case_review_request_decide,
    case_review_request_record,
    case_review_threshold_rules,
    incident_is_complaint,
)
from casework.services.cases import case_view_record
from casework.services.incidents import incident_log
from casework.views.common import case_for_request, case_page_context

TAB = "case_incidents"


@require_http_methods(["GET", "POST"])
def case_incidents(request, reference):
    case = case_for_request(request, reference, codename=permissions.CONTRIBUTE if request.method == "POST" else permissions.VIEW)
    people = case_people_who_may_report(case=case)
    form = IncidentForm(request.POST if request.method == "POST" else None, people=people)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        was_flagged = case.is_over_case_review_threshold
        try:
            incident_log(
                actor=Actor.from_request(request),
                case=case,
                occurred_at=data["occurred_at"],
                reported_on=data["reported_on"],
                reported_by=data["reporter"],
                channel=data["channel"],
                description=data["description"],
                is_hate_motivated=data["is_hate_motivated"],
                other_references=data["other_references"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Incident logged.")
            if case.is_over_case_review_threshold and not was_flagged:
                messages.warning(request, f"This case is now over the ASB Case Review threshold: {case.case_review_rule}.")
            return redirect(TAB, case.reference)
    case_view_record(actor=Actor.from_request(request), case=case, what="Incidents")
    incidents = incident_list(case=case)
    context = case_page_context(
        request,
        case,
        TAB,
        form=form,
        incidents=[(incident, incident_is_complaint(incident)) for incident in incidents],
        review_requests=case_review_request_list(case=case),
        threshold_rules=case_review_threshold_rules(partnership=case.partnership),
    )
    return render(request, "casework/incidents/case_incidents.html", context)


@require_http_methods(["GET", "POST"])
def case_review_request_create(request, reference):
    case = case_for_request(request, reference, codename=permissions.CONTRIBUTE)
    form = CaseReviewRequestForm(request.POST if request.method == "POST" else None, people=case_people_who_may_report(case=case))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review_request = case_review_request_record(
                actor=Actor.from_request(request),
                case=case,
                requested_on=data["requested_on"],
                requested_by=data["requester"],
                requested_by_description=data["requested_by_description"],
                notes=data["notes"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            due = review_request.decision_due_on
            messages.success(request, f"Review request recorded. The decision is due by {due.day} {due:%B %Y}.")
            return redirect(TAB, case.reference)
    return render(
        request,
        "casework/incidents/case_review_request_form.html",
        case_page_context(request, case, TAB, form=form, working_days=case.partnership.case_review_decision_working_days),
    )


@require_http_methods(["GET", "POST"])
def case_review_request_decision(request, reference, pk):
    case = case_for_request(request, reference, codename=permissions.CONTRIBUTE)
    review_request = case_review_request_get(case=case, pk=pk)
    if request.method == "POST":
        form = CaseReviewDecisionForm(request.POST)
    else:
        initial = today_initial("decision") | {"notes": review_request.notes}
        if review_request.decision_on:
            initial |= {
                "outcome": review_request.outcome,
                "decision_day": review_request.decision_on.day,
                "decision_month": review_request.decision_on.month,
                "decision_year": review_request.decision_on.year,
            }
        form = CaseReviewDecisionForm(initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case_review_request_decide(
                actor=Actor.from_request(request),
                review_request=review_request,
                outcome=data["outcome"],
                decision_on=data["decision_on"],
                notes=data["notes"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Decision recorded.")
            return redirect(TAB, case.reference)
    return render(
        request,
        "casework/incidents/case_review_decision_form.html",
        case_page_context(request, case, TAB, form=form, review_request=review_request),
    )
