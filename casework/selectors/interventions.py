"""Reads of interventions on a case the caller has already been allowed to see."""

from django.db.models import Count
from django.http import Http404

from agencies.models import Agency
from casework.models import Case, Intervention, InterventionBreach, Person


def case_interventions(*, case: Case):
    """Every intervention on the case, newest start first, with what a list row needs in the same query."""
    return (
        Intervention.objects.filter(case=case)
        .select_related("delivering_agency", "person")
        .annotate(breach_count=Count("breaches"))
        .order_by("-start_on", "-id")
    )


def case_active_interventions(case: Case):
    """Interventions still running (proposed, active or breached): closing the case should say so."""
    return case_interventions(case=case).filter(status__in=Intervention.OPEN_STATUSES)


def case_intervention_get(*, case: Case, pk) -> Intervention:
    try:
        return Intervention.objects.select_related("delivering_agency", "person", "case", "created_by").get(case=case, pk=pk)
    except (Intervention.DoesNotExist, ValueError, TypeError):
        raise Http404("No intervention found") from None


def intervention_breaches(*, intervention: Intervention):
    return InterventionBreach.objects.filter(intervention=intervention).select_related("recorded_by").order_by("-occurred_on", "-id")


def intervention_agency_choices(*, case: Case):
    """Agencies that may deliver an intervention on the case: those serving its partnership."""
    return Agency.objects.filter(partnerships=case.partnership_id).order_by("name")


def case_person_choices(*, case: Case):
    """The people linked to the case, each once whatever their roles."""
    return Person.objects.filter(case_links__case=case).distinct().order_by("last_name", "first_name", "id")
