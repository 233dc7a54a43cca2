"""Retention review pages: the coordinator's list of closed cases past the retention period, and the decision on each."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from audit.services import Actor
from casework import permissions
from casework.forms.governance import RetentionDeferForm
from casework.models import RetentionReview
from casework.selectors.governance import retention_review_get, retention_review_list
from casework.services.cases import case_view_record
from casework.services.retention import retention_review_approve, retention_review_defer

REVIEWS_PER_PAGE = 25
STATUS_TABS = [("due", "Due for review"), ("deferred", "Deferred"), ("approved", "Approved"), ("anonymised", "Anonymised")]


def _require(request):
    if not permissions.can_review_retention(membership=request.membership):
        raise PermissionDenied("Only partnership coordinators review cases for retention.")


@require_GET
def retention_list(request):
    _require(request)
    status = request.GET.get("status", RetentionReview.Status.DUE)
    if status not in RetentionReview.Status.values:
        status = RetentionReview.Status.DUE
    reviews = retention_review_list(membership=request.membership, status=status)
    page = Paginator(reviews, REVIEWS_PER_PAGE).get_page(request.GET.get("page"))
    tabs = [{"value": value, "label": label, "current": value == status} for value, label in STATUS_TABS]
    return render(request, "casework/governance/retention_list.html", {"page": page, "tabs": tabs, "status": status})


@require_http_methods(["GET", "POST"])
def retention_review(request, review_id):
    _require(request)
    review = retention_review_get(membership=request.membership, review_id=review_id)
    actor = Actor.from_request(request)
    defer_form = RetentionDeferForm(request.POST if request.POST.get("decision") == "defer" else None)
    if request.method == "POST" and request.POST.get("decision") == "approve":
        try:
            retention_review_approve(actor=actor, review=review, partnership=request.partnership)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("retention_review", review_id=review.pk)
        messages.success(request, f"Anonymisation of {review.case.reference} approved. It is carried out in the background.")
        return redirect("retention_list")
    if request.method == "POST" and defer_form.is_valid():
        values = defer_form.cleaned_data
        try:
            retention_review_defer(actor=actor, review=review, partnership=request.partnership, reason=values["reason"],
                                   review_on=values["review_on"])
        except ValidationError as error:
            defer_form.add_service_errors(error)
        else:
            messages.success(request, f"{review.case.reference} kept until {values['review_on']:%d %B %Y}.")
            return redirect("retention_list")
    case_view_record(actor=actor, case=review.case, what="Retention review")
    case = review.case
    counts = {"people": case.case_people.count(), "incidents": case.incidents.count(), "notes": case.notes.count(),
              "documents": case.documents.count()}
    return render(request, "casework/governance/retention_review.html", {"review": review, "form": defer_form, "counts": counts})
