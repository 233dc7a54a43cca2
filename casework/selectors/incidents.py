"""Reads of incidents and ASB Case Review requests. The case passed in was fetched through case_get, so it is
already one the user may see."""

from django.http import Http404

from casework import permissions
from casework.models import Case, CasePerson, CaseReviewRequest, Incident, Person


def incident_list(*, case: Case):
    """The case's incidents, newest first, with what a row shows in the same query."""
    return (
        Incident.objects.filter(case=case)
        .select_related("reported_by", "created_by", "agency")
        .order_by("-occurred_at", "-id")
    )


def case_people_who_may_report(*, case: Case) -> list[tuple[Person, str]]:
    """The people on the case, each once with their roles ("Victim or complainant, Witness"), to choose a reporter
    or a review requester from. One query."""
    people: dict[int, tuple[Person, list[str]]] = {}
    links = CasePerson.objects.filter(case=case).select_related("person").order_by("person__last_name", "person__first_name", "person_id", "role")
    for link in links:
        people.setdefault(link.person_id, (link.person, []))[1].append(link.get_role_display())
    return [(person, ", ".join(roles)) for person, roles in people.values()]


def case_review_request_list(*, case: Case):
    return CaseReviewRequest.objects.filter(case=case).select_related("requested_by", "recorded_by").order_by("-requested_on", "-id")


def case_review_request_get(*, case: Case, pk: int) -> CaseReviewRequest:
    """A review request on this case; 404 if there is none with that id on it."""
    try:
        return CaseReviewRequest.objects.select_related("case", "requested_by").get(case=case, pk=pk)
    except CaseReviewRequest.DoesNotExist:
        raise Http404("No such review request on this case") from None


def cases_over_case_review_threshold(user, agency):
    """Open cases the user may see that have met the ASB Case Review threshold, most recently flagged first."""
    return (
        permissions.cases_permitted(user=user, agency=agency)
        .filter(case_review_flagged_at__isnull=False)
        .exclude(status=Case.Status.CLOSED)
        .select_related("lead_agency", "kind", "partnership")
        .order_by("-case_review_flagged_at", "-id")
    )


def case_person_find(*, case: Case, person_id: int) -> Person | None:
    """The person with this id if they are on this case, else None (a person elsewhere is not told apart)."""
    return Person.objects.filter(pk=person_id, case_links__case=case).distinct().first()
