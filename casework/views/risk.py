"""The case's Risk tab: the latest victim risk, the history of assessments, and the questionnaire."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from audit.services import Actor
from casework import permissions
from casework.forms.risk import RiskAssessmentForm
from casework.selectors.risk import risk_assessment_list
from casework.services.cases import case_view_record
from casework.services.risk import risk_assessment_record, risk_questions_ensure
from casework.views.common import case_for_request, case_page_context

TAB = "case_risk"


@require_http_methods(["GET", "POST"])
def case_risk(request, reference):
    case = case_for_request(request, reference, codename=permissions.CONTRIBUTE if request.method == "POST" else permissions.VIEW)
    actor = Actor.from_request(request)
    context = case_page_context(request, case, TAB)
    form = None
    if context["can_contribute"]:
        questions = risk_questions_ensure(partnership=case.partnership, actor=actor)
        form = RiskAssessmentForm(request.POST if request.method == "POST" else None, questions=questions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessment = risk_assessment_record(
                actor=actor, case=case, assessed_on=data["assessed_on"], answers=data["answers"], notes=data["notes"]
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                f"Risk assessment recorded: score {assessment.score}, {assessment.get_level_display().lower()} risk.",
            )
            return redirect(TAB, case.reference)
    case_view_record(actor=actor, case=case, what="Risk")
    assessments = list(risk_assessment_list(case=case))
    context.update(
        form=form,
        assessments=assessments,
        latest=assessments[0] if assessments else None,
        partnership=case.partnership,
    )
    return render(request, "casework/risk/case_risk.html", context)
