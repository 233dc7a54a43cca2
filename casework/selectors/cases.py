"""Reads of casework for a user, already scoped by the permission policy."""

from django.http import Http404

from casework import permissions
from casework.models import Case, CaseAccess


def case_list(*, user, agency, filters: dict | None = None):
    """The cases this user may see, newest first, with what a list row needs in the same query."""
    qs = permissions.cases_permitted(user=user, agency=agency).select_related("lead_agency", "kind", "partnership")
    filters = filters or {}
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("category"):
        qs = qs.filter(category=filters["category"])
    if filters.get("risk_level"):
        qs = qs.filter(risk_level=filters["risk_level"])
    if filters.get("lead_agency"):
        qs = qs.filter(lead_agency_id=filters["lead_agency"])
    if filters.get("case_review"):
        qs = qs.filter(case_review_flagged_at__isnull=False)
    return qs.order_by("-opened_on", "-id")


def case_get(*, reference: str, user, agency, codename: str = permissions.VIEW) -> Case:
    """The case, if this user may see it (or hold `codename` on it); otherwise 404, so existence does not leak."""
    try:
        return (
            permissions.cases_permitted(user=user, agency=agency, codename=codename)
            .select_related("lead_agency", "lead_officer", "kind", "partnership")
            .get(reference=reference)
        )
    except Case.DoesNotExist:
        raise Http404("No case found") from None


def case_access_periods(*, case: Case):
    return CaseAccess.objects.filter(case=case).select_related("agency", "granted_by", "revoked_by").order_by("granted_at", "id")
