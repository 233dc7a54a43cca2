"""The access policy for cases: the one place that says who may see or do what.

Access belongs to agencies. It is held as django-guardian object permissions on the direct foreign-key table
CaseGroupObjectPermission, granted to agencies' groups by casework.services.access, which records each agency's access
as a CaseAccess period in the same transaction. A user acts for one agency at a time (their acting membership) and
may see and do what that agency's group may: no more (a grant to a single user would follow them across the agencies
they act for and would have no access period on record, so the policy does not honour CaseUserObjectPermission), and
no less.

Lists are read in the database, never by loading ids into Python: a join on the grant table, whose index
(group, permission, case opening date, case) gives an agency's cases newest first without sorting them (see
NEWEST_FIRST).
"""

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Exists, F, OuterRef, Q, QuerySet

from agencies.models import Agency
from casework.models import Case, CaseAccess, CaseGroupObjectPermission, SecurityMarking, VisibleCaseCount
from config.compiled_queries import NOT_USED_ID, compiled_query

VIEW, CONTRIBUTE, CHANGE, MANAGE = "view_case", "contribute_case", "change_case", "manage_case"

# What each level of access to a case lets an agency do.
LEVEL_PERMISSIONS = {
    CaseAccess.Level.LEAD: (VIEW, CONTRIBUTE, CHANGE, MANAGE),
    CaseAccess.Level.CONTRIBUTOR: (VIEW, CONTRIBUTE),
    CaseAccess.Level.INFORMATION: (VIEW,),
    # A member agency of the casework group sees the case only on the group's agenda, as the group pack shows it,
    # while the case is with the group (meetings.permissions): the period is recorded, but opens no case page.
    CaseAccess.Level.GROUP_MEMBER: (),
}

# The order of case lists (newest opened first), read from the grant rows the permitted cases were found by: the
# same order as ("-opened_on", "-id"), taken straight from the grant index instead of sorting every visible case.
NEWEST_FIRST = ("-group_permissions__case_opened_on", "-group_permissions__content_object_id")
# The same order read from the case rows (each grant's case_opened_on is its case's opened_on). For a list narrowed
# to cases not closed with a given risk level or lead agency, the partial indexes case_current_risk_idx and
# case_current_led_idx hold the matching cases in this order: the database walks those few and checks each against
# the grants (about 2 ms for a police force), where from the grant order it would read all of the agency's grants
# (10-13 ms). Anywhere else the grant order is the fast one: from the case rows it would sort every match.
NEWEST_FIRST_BY_CASE = ("-opened_on", "-id")


# The case permissions, read once per process: their ids go into each access query as literals, so that the planner
# neither plans nor runs a join of the content type and permission tables in every subquery (a dashboard has eleven),
# and a case's grants are named from their ids without joining auth_permission. Forgotten whenever migrations run
# (CaseworkConfig.ready: a migrated or flushed database may number them anew), and read again for an unknown id.
@functools.cache
def _case_permission_ids() -> dict[str, int]:
    return dict(
        Permission.objects.filter(content_type__app_label="casework", content_type__model="case").values_list("codename", "pk")
    )


def forget_case_permissions(**kwargs) -> None:
    _case_permission_ids.cache_clear()


def _case_permission(codename: str) -> int:
    """The id of a case permission."""
    return _case_permission_ids()[codename]


def _case_codenames(permission_ids: set[int]) -> frozenset[str]:
    """The codenames of these case permissions."""
    names = {pk: codename for codename, pk in _case_permission_ids().items()}
    if not permission_ids <= names.keys():
        forget_case_permissions()
        names = {pk: codename for codename, pk in _case_permission_ids().items()}
    return frozenset(names[pk] for pk in permission_ids if pk in names)


def _may_act(user, agency) -> bool:
    return user is not None and user.is_authenticated and user.is_active and agency is not None and _works_on_cases_for(user, agency)


def may_work_on_cases(*, user, agency) -> bool:
    """Whether the user, acting for the agency, works on its cases at all: the first thing every rule here asks."""
    return _may_act(user, agency)


def acting_by_ids(*, group_id, user_id=NOT_USED_ID, agency_id=NOT_USED_ID):
    """A user and the agency they act for, known by their ids alone, as one who may work on the agency's cases: for
    building once the query of someone already found to (may_work_on_cases), which config.compiled_queries then runs
    with each request's ids. It checks nothing: never give it to a rule to decide access. An id not given is one the
    query must not take (compiling refuses it if it does)."""
    user = get_user_model()(pk=user_id, is_active=True)
    user._casework_agency_ids = frozenset({agency_id})
    return user, Agency(pk=agency_id, group_id=group_id)


class PermittedCaseQuerySet(QuerySet):
    """Cases found through an agency's grants (see cases_permitted).

    Counting every case the agency may view reads its VisibleCaseCount (kept with the grants) instead of the grants
    themselves; once narrowed (filtered, grouped, sliced) the set counts as any queryset does (casework.pagination
    lists a narrowed set up to a limit instead).

    `ordered_ids`, when set (by casework.selectors.case_list for a search), is a query of the same cases' ids in the
    same order read from the grants alone; it is not copied to a queryset derived from this one, except by only() and
    select_related(), which read other columns of the same cases."""

    ordered_ids = None

    def only(self, *fields):
        narrower = super().only(*fields)
        narrower.ordered_ids = self.ordered_ids
        return narrower

    def select_related(self, *fields):
        wider = super().select_related(*fields)
        wider.ordered_ids = self.ordered_ids
        return wider

    def _whole_set_group(self):
        """The group whose every viewable case this queryset is, if it is that and nothing narrower."""
        mark = getattr(self.query, "permitted_whole_set", None)
        if mark is None or self._result_cache is not None:
            return None
        group_id, conditions = mark
        query = self.query
        if len(query.where.children) != conditions or query.is_sliced or query.distinct or query.combinator:
            return None
        if query.group_by is not None or any(getattr(a, "contains_aggregate", False) for a in query.annotations.values()):
            return None
        return group_id

    def count(self):
        group_id = self._whole_set_group()
        if group_id is not None:
            counted = VisibleCaseCount.objects.filter(group_id=group_id).values_list("cases", flat=True).first()
            if counted is not None:
                return counted
        return super().count()

    def is_whole_set(self) -> bool:
        """Whether this is every case the agency may view, not narrowed (so counted from VisibleCaseCount)."""
        return self._whole_set_group() is not None


def _works_on_cases_for(user, agency) -> bool:
    """An agency's access is its caseworkers' (and supervisors', administrators', coordinators', chairs', DPOs'), not
    its analysts': they make reports, and open no case (agencies.models.NO_CASEWORK_ROLES)."""
    from agencies.selectors import casework_agency_ids

    return agency is not None and agency.pk in casework_agency_ids(user=user)


def cases_permitted(*, user, agency, codename: str = VIEW):
    """The cases on which this user, acting for this agency, holds `codename`. Filtered in the database by a join on
    the agency group's grants (one grant row per case and permission, so no case comes twice); order by NEWEST_FIRST
    to list them."""
    if not _may_act(user, agency):
        return Case.objects.none()
    queryset = PermittedCaseQuerySet(model=Case).filter(
        group_permissions__group_id=agency.group_id, group_permissions__permission_id=_case_permission(codename)
    )
    if codename == VIEW:
        queryset.query.permitted_whole_set = (agency.group_id, len(queryset.query.where.children))
    return queryset


def case_ids_permitted(*, user, agency, codename: str = VIEW):
    """The ids of the cases cases_permitted finds, read from the agency group's grants alone (no case row read): for
    `case_id__in=` on a case's records."""
    if not _may_act(user, agency):
        return CaseGroupObjectPermission.objects.none().values("content_object_id")
    return CaseGroupObjectPermission.objects.filter(
        group_id=agency.group_id, permission_id=_case_permission(codename)
    ).values("content_object_id")


def case_ids_permitted_among(*, user, agency, among, codename: str = VIEW):
    """The ids among `among` (a subquery of case ids) of the cases on which this user, acting for this agency, holds
    `codename`, in NEWEST_FIRST order: the same ids as cases_permitted(...).filter(pk__in=among) ordered so, read from
    the grant rows alone (each carries its case's opening date)."""
    if not _may_act(user, agency):
        return CaseGroupObjectPermission.objects.none().values_list("content_object_id", flat=True)
    return (
        CaseGroupObjectPermission.objects.filter(
            group_id=agency.group_id, permission_id=_case_permission(codename), content_object_id__in=among
        )
        .order_by("-case_opened_on", "-content_object_id")
        .values_list("content_object_id", flat=True)
    )


def cases_led(*, user, agency):
    """The cases the agency leads, for counting. Its lead access to each is certain (the services that make an
    agency the lead grant it LEAD in the same transaction), so they are found by the lead column, no grant read;
    list their rows through cases_permitted."""
    if not _may_act(user, agency):
        return Case.objects.none()
    return Case.objects.filter(lead_agency_id=agency.pk)


def visible_case_count(*, user, agency):
    """How many cases the user, acting for the agency, may view: the agency's VisibleCaseCount, as a queryset of its
    one value (no row: nothing counted yet, so count cases_permitted instead)."""
    if not _may_act(user, agency):
        return VisibleCaseCount.objects.none().values("cases")
    return VisibleCaseCount.objects.filter(group_id=agency.group_id).values("cases")


def case_permitted_by_reference(*, user, agency, reference: str, codename: str = VIEW, related=()) -> Case | None:
    """The case with this reference if the user, acting for the agency, holds `codename` on it; otherwise None.

    One query reads the case (with the `related` objects) and every grant the agency's group holds on it, a row per
    grant; the codenames stay with the case, so that case_permissions on it, for the same agency, asks nothing more.
    (A service that changes grants works on a case it reads afresh, under a lock, so it never sees these.)"""
    if not _may_act(user, agency):
        return None
    rows = _case_with_grants(tuple(related), reference=reference, group_id=agency.group_id)
    held = _case_codenames({row.held_permission_id for row in rows})
    if codename not in held:
        return None
    case = rows[0]
    del case.held_permission_id
    case._permissions_held = (agency.group_id, held)
    return case


@compiled_query
def _case_with_grants(related, *, reference, group_id):
    """The case by reference, a row per grant the group holds on it (every case page reads it: config.compiled_queries)."""
    return (
        Case.objects.filter(reference=reference, group_permissions__group_id=group_id)
        .select_related(*related)
        .annotate(held_permission_id=F("group_permissions__permission_id"))
        .order_by()
    )


def case_permissions(*, user, agency, case: Case) -> set[str]:
    """Every permission codename the user, acting for the agency, holds on this case."""
    if not _may_act(user, agency):
        return set()
    held = getattr(case, "_permissions_held", None)
    if held is not None and held[0] == agency.group_id:  # read with the case (case_permitted_by_reference)
        return set(held[1])
    return agency_case_permissions(agency=agency, case=case)


def agency_case_permissions(*, agency, case: Case) -> set[str]:
    """What the agency's own group holds on the case, whoever acts for it."""
    return set(
        CaseGroupObjectPermission.objects.filter(content_object=case, group_id=agency.group_id).values_list("permission__codename", flat=True)
    )


def can_view_case(*, user, agency, case) -> bool:
    return VIEW in case_permissions(user=user, agency=agency, case=case)


def can_contribute_to_case(*, user, agency, case) -> bool:
    return CONTRIBUTE in case_permissions(user=user, agency=agency, case=case)


def can_change_case(*, user, agency, case) -> bool:
    return CHANGE in case_permissions(user=user, agency=agency, case=case)


def can_manage_case(*, user, agency, case) -> bool:
    return MANAGE in case_permissions(user=user, agency=agency, case=case)


def can_open_case(*, membership) -> bool:
    from agencies.models import Membership

    return membership is not None and membership.role in {
        Membership.Role.CASEWORKER,
        Membership.Role.SUPERVISOR,
        Membership.Role.AGENCY_ADMIN,
        Membership.Role.COORDINATOR,
        Membership.Role.CHAIR,
    }


def can_import_cases(*, membership) -> bool:
    """Bulk import into a partnership is for its coordinators."""
    from agencies.models import Membership

    return membership is not None and membership.role == Membership.Role.COORDINATOR


def can_see_case_history(*, membership, case) -> bool:
    """The audit history of a case is for its lead agency's supervisors (and administrators)."""
    from agencies.models import Membership

    return (
        membership is not None
        and membership.agency_id == case.lead_agency_id
        and membership.role in {Membership.Role.SUPERVISOR, Membership.Role.AGENCY_ADMIN}
    )


# Notes and documents carry a security marking. OFFICIAL items are seen by every agency that may see the case;
# OFFICIAL-SENSITIVE items only by the agency that wrote them and the agencies they are explicitly shared with.


def marked_items_visible(queryset, *, agency):
    """Narrow a queryset of notes or documents (with `marking`, `agency` and `shared_with`) to what `agency` may see."""
    if agency is None:
        return queryset.filter(marking=SecurityMarking.OFFICIAL)
    shared = queryset.model.shared_with.through.objects.filter(
        **{queryset.model._meta.model_name: OuterRef("pk")}, agency_id=agency.pk
    )
    return queryset.filter(Q(marking=SecurityMarking.OFFICIAL) | Q(agency_id=agency.pk) | Q(Exists(shared)))


def marked_item_visible(item, *, agency) -> bool:
    if item.marking == SecurityMarking.OFFICIAL:
        return True
    if agency is None:
        return False
    return item.agency_id == agency.pk or item.shared_with.filter(pk=agency.pk).exists()


# Documents.


def agencies_with_case_access(*, case):
    """The agencies that may see this case (at any level): those a sensitive item on it may be shared with."""
    from agencies.models import Agency

    grant = CaseGroupObjectPermission.objects.filter(content_object=case, group_id=OuterRef("group_id"), permission__codename=VIEW)
    return Agency.objects.filter(Exists(grant))


def agencies_involved_in_case(*, case):
    """The agencies holding any open access period on the case, group membership included: those the casework
    group may give an action on it (an owner without a case page is made a contributor when the minutes are published)."""
    from agencies.models import Agency

    return Agency.objects.filter(Exists(CaseAccess.objects.filter(case=case, agency_id=OuterRef("pk"), revoked_at__isnull=True)))


def users_with_case_access(*, case):
    """Active members, in the case's partnership, of the agencies that may see the case: who may own an action."""
    from django.contrib.auth import get_user_model

    from agencies.models import Membership

    member = Membership.objects.filter(
        user_id=OuterRef("pk"),
        is_active=True,
        partnership_id=case.partnership_id,
        agency__in=agencies_with_case_access(case=case),
    )
    return get_user_model().objects.filter(Exists(member), is_active=True)


def can_withdraw_document(*, agency, document, granted: set[str]) -> bool:
    """The lead agency (manage) may withdraw any document it can see; a contributing agency, the ones it uploaded.
    `granted` is case_permissions() for the case (or the part of it that matters here, MANAGE and CONTRIBUTE);
    whether the agency may see the document at all is the selector's check, by its marking."""
    if MANAGE in granted:
        return True
    return agency is not None and document.agency_id == agency.pk and CONTRIBUTE in granted


# People. A person is one record shared by every case they are on, so an agency sees a person through its cases:
# in full if it may see at least one of them, and may edit them if it may contribute to at least one.
# When a caseworker adds someone, possible duplicates are offered before a new record is made. A duplicate whose
# cases the agency cannot see is offered with only a name, a year of birth and a postcode district: enough to
# recognise a repeat victim or perpetrator across agencies, too little to learn where they live or how to reach them.
# Linking such a person is allowed; from then on the agency sees them through its own case.

from casework.models import CasePerson, Household, Person  # noqa: E402  (kept beside the people rules it serves)
from casework.postcodes import postcode_district  # noqa: E402


def _person_links_on_permitted_cases(*, user, agency, codename: str):
    """Links from the person in the outer query to cases on which the user holds `codename`."""
    permitted = cases_permitted(user=user, agency=agency, codename=codename).values("pk")
    return CasePerson.objects.filter(person_id=OuterRef("pk"), case_id__in=permitted)


def people_permitted(*, user, agency, codename: str = VIEW):
    """People on at least one case on which the user holds `codename` (VIEW to see them, CONTRIBUTE to edit them)."""
    return Person.objects.filter(Exists(_person_links_on_permitted_cases(user=user, agency=agency, codename=codename)))


def person_permissions(*, user, agency, person) -> set[str]:
    """VIEW and CONTRIBUTE, as far as the user holds them on at least one of the person's cases. One query."""
    flags = (
        Person.objects.filter(pk=person.pk)
        .annotate(
            may_view=Exists(_person_links_on_permitted_cases(user=user, agency=agency, codename=VIEW)),
            may_contribute=Exists(_person_links_on_permitted_cases(user=user, agency=agency, codename=CONTRIBUTE)),
        )
        .values("may_view", "may_contribute")
        .first()
    )
    if not flags:
        return set()
    return {codename for codename, held in ((VIEW, flags["may_view"]), (CONTRIBUTE, flags["may_contribute"])) if held}


def can_view_person(*, user, agency, person) -> bool:
    return VIEW in person_permissions(user=user, agency=agency, person=person)


def can_edit_person(*, user, agency, person) -> bool:
    """Change a person's details or household: the user may contribute to at least one case they are on."""
    return CONTRIBUTE in person_permissions(user=user, agency=agency, person=person)


def may_edit_person(*, user, agency):
    """can_edit_person as an annotation of a query of people, so that a page reading the person learns it in the same
    query."""
    return Exists(_person_links_on_permitted_cases(user=user, agency=agency, codename=CONTRIBUTE))


def can_link_person(*, user, agency, person, offered: bool) -> bool:
    """Add an existing person to a case: one the user may already see, or one just offered to them as a possible
    duplicate of the details they typed. Never an arbitrary id, which would let anyone read any person by linking them."""
    return offered or can_view_person(user=user, agency=agency, person=person)


def people_with_disclosure(queryset, *, user, agency):
    """Annotate `disclosed` on a queryset of people: whether this user may see each of them in full."""
    return queryset.annotate(disclosed=Exists(_person_links_on_permitted_cases(user=user, agency=agency, codename=VIEW)))


def person_offered_view(person) -> dict:
    """What a possible duplicate shows, from a person annotated by `people_with_disclosure`."""
    dob = person.date_of_birth
    shown = {
        "id": person.pk,
        "name": f"{person.first_name} {person.last_name}",
        "birth_year": dob.year if dob else None,
        "postcode_district": postcode_district(person.postcode),
        "disclosed": bool(person.disclosed),
    }
    if person.disclosed:
        shown.update(
            first_name=person.first_name, last_name=person.last_name, aliases=person.aliases, date_of_birth=dob,
            age=person.age, under_18=person.is_under_18, gender=person.get_gender_display(), address=person.address,
            postcode=person.postcode, phone=person.phone, email=person.email, vulnerability_notes=person.vulnerability_notes,
        )
    return shown


def households_permitted(*, user, agency):
    """Households with at least one member the user may see."""
    visible_members = people_permitted(user=user, agency=agency).filter(household_id=OuterRef("pk"))
    return Household.objects.filter(Exists(visible_members))


# Information governance. The audit trail sits in the lowest app and knows nothing of cases, so who may search which
# part of it is decided here, beside the rules it depends on (which cases an agency leads, which cases a partnership
# holds). A supervisor oversees their own agency's staff and the cases their agency leads; a data protection officer
# (DPO) oversees the whole partnership: its cases and the people who work in it.


def _role(membership) -> str | None:
    return membership.role if membership is not None and membership.is_active else None


def can_search_audit(*, membership) -> bool:
    from agencies.models import Membership

    return _role(membership) in {Membership.Role.SUPERVISOR, Membership.Role.DPO}


def can_check_audit_chain(*, membership) -> bool:
    from agencies.models import Membership

    return _role(membership) == Membership.Role.DPO


def audit_events_visible(queryset, *, membership):
    """Narrow a queryset of audit events to those the member may search. Filtered in the database.

    - a DPO: every event on a case of their partnership, and every event not about a case done by someone who
      works in the partnership (sign-ins, views of people, their own searches);
    - a supervisor: every event on a case their agency leads in the partnership, and the events of their agency's
      users acting for it (or signing in), anywhere in the partnership;
    - anyone else: nothing."""
    from agencies.models import Membership

    role = _role(membership)
    if role not in {Membership.Role.SUPERVISOR, Membership.Role.DPO}:
        return queryset.none()
    partnership_cases = Case.objects.filter(partnership_id=membership.partnership_id).values("pk")
    if role == Membership.Role.DPO:
        people = Membership.objects.filter(partnership_id=membership.partnership_id).values("user_id")
        return queryset.filter(Q(case_id__in=partnership_cases) | Q(case_id__isnull=True, user_id__in=people))
    led_cases = Case.objects.filter(partnership_id=membership.partnership_id, lead_agency_id=membership.agency_id).values("pk")
    staff = Membership.objects.filter(partnership_id=membership.partnership_id, agency_id=membership.agency_id).values("user_id")
    by_staff = (
        Q(user_id__in=staff)
        & (Q(agency_id=membership.agency_id) | Q(agency_id__isnull=True))
        & (Q(case_id__isnull=True) | Q(case_id__in=partnership_cases))
    )
    return queryset.filter(Q(case_id__in=led_cases) | by_staff)


# Subject access: coordinators and DPOs answer a person's request for everything the partnership holds about them.


def can_produce_subject_access(*, membership) -> bool:
    from agencies.models import Membership

    return _role(membership) in {Membership.Role.COORDINATOR, Membership.Role.DPO}


def subject_access_requests_visible(queryset, *, membership):
    """Requests of the member's partnership, for those who may produce them; nothing for anyone else."""
    if not can_produce_subject_access(membership=membership):
        return queryset.none()
    return queryset.filter(partnership_id=membership.partnership_id)


def subject_access_marked_items(queryset, *, as_dpo: bool, agency, withhold_sensitive: bool):
    """Which notes or documents go into a subject access pack. Withholding leaves every OFFICIAL-SENSITIVE item out.
    Otherwise a DPO's pack holds them all (each marked for review before disclosure), and a coordinator's holds only
    those their agency may see in any case."""
    if withhold_sensitive:
        return queryset.filter(marking=SecurityMarking.OFFICIAL)
    if as_dpo:
        return queryset
    return marked_items_visible(queryset, agency=agency)


# Retention: a coordinator decides, case by case, what happens to closed cases past the partnership's retention period.


def can_review_retention(*, membership) -> bool:
    from agencies.models import Membership

    return _role(membership) == Membership.Role.COORDINATOR


def governance_links(*, membership) -> list[tuple[str, str]]:
    """The governance pages the member may open: (label, URL name), for the navigation."""
    links = []
    if can_search_audit(membership=membership):
        links.append(("Audit trail", "audit_search"))
    if can_produce_subject_access(membership=membership):
        links.append(("Subject access", "subject_access_list"))
    if can_review_retention(membership=membership):
        links.append(("Retention", "retention_list"))
    return links
