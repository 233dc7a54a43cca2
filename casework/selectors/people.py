"""Reads of people and households for a user, already scoped by the permission policy."""

from django.db.models import Case as Choose, Count, Exists, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Replace, Upper
from django.http import Http404

from casework import permissions
from casework.models import CasePerson, Household, Person
from casework.postcodes import postcode_compact
from config.compiled_queries import compiled_query

# How the people on a case are listed: who the case is about first.
ROLE_ORDER = [
    CasePerson.Role.PERPETRATOR, CasePerson.Role.VICTIM, CasePerson.Role.WITNESS, CasePerson.Role.PARENT_GUARDIAN,
    CasePerson.Role.OTHER,
]
DUPLICATES_OFFERED_AT_MOST = 10


def _role_rank():
    return Choose(*[When(role=role, then=Value(rank)) for rank, role in enumerate(ROLE_ORDER)], output_field=IntegerField())


def _visible_cases_in_role(*, user, agency, role: str):
    """How many cases the user may see on which the outer query's person has `role` (a correlated subquery)."""
    visible = permissions.cases_permitted(user=user, agency=agency).values("pk")
    counted = (
        CasePerson.objects.filter(person_id=OuterRef("person_id"), role=role, case_id__in=visible)
        .values("person_id")
        .annotate(n=Count("case_id", distinct=True))
        .values("n")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def case_people_list(*, case, user, agency):
    """The people on a case the user may see, with how many cases (that the user may also see) each is a victim or a
    perpetrator on: one query, however many people."""
    return (
        CasePerson.objects.filter(case=case)
        .select_related("person", "person__household")
        .annotate(
            role_rank=_role_rank(),
            victim_cases=_visible_cases_in_role(user=user, agency=agency, role=CasePerson.Role.VICTIM),
            perpetrator_cases=_visible_cases_in_role(user=user, agency=agency, role=CasePerson.Role.PERPETRATOR),
        )
        .order_by("role_rank", "person__last_name", "person__first_name", "id")
    )


def case_person_link_get(*, case, link_id) -> CasePerson:
    """One person's link to a case the caller already holds; 404 if it is not on that case."""
    try:
        return CasePerson.objects.select_related("person", "case").get(case=case, pk=link_id)
    except (CasePerson.DoesNotExist, ValueError, TypeError):
        raise Http404("No such person on this case") from None


def person_get(*, person_id, user, agency, codename: str = permissions.VIEW, with_may_edit: bool = False) -> Person:
    """The person, if the user holds `codename` on at least one of their cases; otherwise 404. With `with_may_edit`,
    the person carries `may_edit`: whether permissions.can_edit_person holds, read in the same query."""
    try:
        person_id = int(person_id)
    except (ValueError, TypeError):
        raise Http404("No person found") from None
    if not permissions.may_work_on_cases(user=user, agency=agency) or not 0 < person_id < 2**63:
        raise Http404("No person found")
    found = _person_permitted(codename, with_may_edit, person_id=person_id, group_id=agency.group_id)
    if not found:
        raise Http404("No person found")
    return found[0]


@compiled_query
def _person_permitted(codename: str, with_may_edit: bool, *, person_id, group_id):
    """person_get's query: every person page and the API's asks it, so compiled once (config.compiled_queries) for a
    user already found to work on the agency's cases."""
    user, agency = permissions.acting_by_ids(group_id=group_id)
    queryset = permissions.people_permitted(user=user, agency=agency, codename=codename).select_related("household")
    if with_may_edit:
        queryset = queryset.annotate(may_edit=permissions.may_edit_person(user=user, agency=agency))
    return queryset.filter(pk=person_id)


def person_case_links(*, person, user, agency):
    """The person's parts in the cases the user may see, newest case first."""
    visible = permissions.cases_permitted(user=user, agency=agency).values("pk")
    return (
        CasePerson.objects.filter(person=person, case_id__in=visible)
        .select_related("case", "case__lead_agency")
        .order_by("-case__opened_on", "case__reference", "role")
    )


# What a row of the person's page shows (casework/people/person_detail.html), read as plain values: a repeat victim
# is on a hundred cases, and model instances of each link, case and lead agency cost more to build than the page's
# every other step.
PERSON_CASE_ROW_VALUES = (
    "case_id", "role", "case__reference", "case__summary", "case__lead_agency__short_name", "case__status", "case__opened_on",
)


def person_case_rows(*, person, user, agency) -> list[dict]:
    """person_case_links as PERSON_CASE_ROW_VALUES, in the same order."""
    if not permissions.may_work_on_cases(user=user, agency=agency):
        return []
    return _person_case_rows(person_id=person.pk, group_id=agency.group_id)


@compiled_query
def _person_case_rows(*, person_id, group_id):
    """Every person page reads it: compiled once (config.compiled_queries)."""
    user, agency = permissions.acting_by_ids(group_id=group_id)
    return person_case_links(person=Person(pk=person_id), user=user, agency=agency).values(*PERSON_CASE_ROW_VALUES)


def person_role_counts(roles_on_cases) -> dict[str, int]:
    """{role: number of distinct cases} over the (role, case id) pairs of the links given (those the user may see)."""
    cases_by_role: dict[str, set] = {}
    for role, case_id in roles_on_cases:
        cases_by_role.setdefault(role, set()).add(case_id)
    return {role: len(case_ids) for role, case_ids in cases_by_role.items()}


def person_duplicate_candidates(*, user, agency, first_name: str, last_name: str, date_of_birth=None, postcode: str = "") -> list[dict]:
    """People who may be the one being added: the same first and last name (ignoring case) and either the same date of
    birth or the same postcode (ignoring spaces and case). Each comes as `permissions.person_offered_view` shows it to
    this user: in full, or limited to name, year of birth and postcode district."""
    first_name, last_name = (first_name or "").strip(), (last_name or "").strip()
    compact = postcode_compact(postcode)
    if not first_name or not last_name or (date_of_birth is None and not compact):
        return []
    same_details = Q()
    if date_of_birth is not None:
        same_details |= Q(date_of_birth=date_of_birth)
    if compact:
        same_details |= Q(postcode_key=compact)
    candidates = (
        Person.objects.filter(first_name__iexact=first_name, last_name__iexact=last_name)
        .annotate(postcode_key=Replace(Upper("postcode"), Value(" "), Value("")))
        .filter(same_details)
        .order_by("last_name", "first_name", "date_of_birth", "id")
    )
    candidates = permissions.people_with_disclosure(candidates, user=user, agency=agency)
    return [permissions.person_offered_view(person) for person in candidates[:DUPLICATES_OFFERED_AT_MOST]]


def person_linkable_get(*, person_id, user, agency, offered_ids=()) -> Person:
    """An existing person the user may add to a case (see permissions.can_link_person); otherwise 404, so that an
    id that was never offered tells the caller nothing."""
    try:
        person = Person.objects.get(pk=person_id)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise Http404("No person found") from None
    offered = person.pk in set(offered_ids)
    if not permissions.can_link_person(user=user, agency=agency, person=person, offered=offered):
        raise Http404("No person found")
    return person


def household_get(*, household_id, user, agency) -> Household:
    """A household with at least one member the user may see; otherwise 404."""
    try:
        return permissions.households_permitted(user=user, agency=agency).get(pk=household_id)
    except (Household.DoesNotExist, ValueError, TypeError):
        raise Http404("No household found") from None


def household_members(*, household, user, agency) -> tuple[list[Person], int]:
    """The members the user may see (each with `editable`), and how many others there are."""
    members = list(
        permissions.people_permitted(user=user, agency=agency)
        .filter(household=household)
        .annotate(
            editable=Exists(
                permissions.people_permitted(user=user, agency=agency, codename=permissions.CONTRIBUTE).filter(pk=OuterRef("pk"))
            )
        )
        .order_by("last_name", "first_name", "id")
    )
    others = Person.objects.filter(household=household).count() - len(members)
    return members, others


def household_member_choices(*, household, user, agency):
    """People who could join the household: on a case the user may contribute to, alongside a member of it."""
    contributable = permissions.cases_permitted(user=user, agency=agency, codename=permissions.CONTRIBUTE).values("pk")
    shared_cases = CasePerson.objects.filter(person__household=household, case_id__in=contributable).values("case_id")
    return (
        Person.objects.filter(case_links__case_id__in=shared_cases)
        .exclude(household=household)
        .distinct()
        .order_by("last_name", "first_name", "id")
    )
