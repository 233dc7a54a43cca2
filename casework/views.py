from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from audit.models import AuditEvent
from audit.services import Actor, audit_record
from casework import permissions, selectors
from casework.forms import CaseFilterForm
from casework.services.cases import case_view_record

CASES_PER_PAGE = 25


def dashboard(request):
    cases = selectors.case_list(user=request.user, agency=request.agency)
    led = cases.filter(lead_agency=request.agency) if request.agency else cases.none()
    return render(
        request,
        "casework/dashboard.html",
        {"led_cases": led.exclude(status="closed")[:10], "visible_count": cases.count()},
    )


def case_list(request):
    form = CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    cases = selectors.case_list(user=request.user, agency=request.agency, filters=filters)
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "casework/case_list.html", {"form": form, "page": page})


def _case_or_404(request, reference, codename=permissions.VIEW):
    """The case if the acting agency may see it; otherwise a 404, and the attempt goes in the audit trail."""
    try:
        return selectors.case_get(reference=reference, user=request.user, agency=request.agency, codename=codename)
    except Http404:
        audit_record(
            actor=Actor.from_request(request),
            action=AuditEvent.Action.DENIED,
            object_type="case",
            object_repr=reference[:200],
            detail=f"Asked for {request.path[:400]}",
        )
        raise


def case_detail(request, reference):
    case = _case_or_404(request, reference)
    case_view_record(actor=Actor.from_request(request), case=case, what="Case page")
    granted = permissions.case_permissions(user=request.user, agency=request.agency, case=case)
    return render(
        request,
        "casework/case_detail.html",
        {
            "case": case,
            "can_change": permissions.CHANGE in granted,
            "can_manage": permissions.MANAGE in granted,
            "access_periods": selectors.case_access_periods(case=case),
        },
    )
