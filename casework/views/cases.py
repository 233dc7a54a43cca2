from django.core.paginator import Paginator
from django.shortcuts import render

from audit.services import Actor
from casework import selectors
from casework.forms import CaseFilterForm
from casework.services.cases import case_view_record
from casework.views.common import case_for_request, case_page_context

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


def case_detail(request, reference):
    case = case_for_request(request, reference)
    case_view_record(actor=Actor.from_request(request), case=case, what="Summary")
    return render(
        request,
        "casework/case_detail.html",
        case_page_context(request, case, "case_detail", access_periods=selectors.case_access_periods(case=case)),
    )
