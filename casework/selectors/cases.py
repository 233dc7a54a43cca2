"""Reads of casework for a user, already scoped by the permission policy."""

from datetime import date, datetime, timedelta
from typing import NamedTuple

from django.db import router
from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Replace, Upper
from django.http import Http404
from django.utils import timezone

from agencies.models import Membership
from audit.models import AuditEvent
from casework import permissions
from casework.pagination import rows_by_ids
from casework.selectors.counts import ids_read_together, read_together, run_together, together_sql
from casework.selectors.actions import action_overdue_q, action_owned_by_q, case_open_actions
from casework.selectors.interventions import case_active_interventions
from casework.models import Action, Case, CaseAccess, CasePerson, Person
from casework.selectors.governance import audit_values_withheld
from config.compiled_queries import compiled_query, compiled_sql

# A status filter value meaning "any status but closed": what the dashboard's panels count.
CURRENT = "current"
REVIEW_OVERDUE, REVIEW_THIS_WEEK = "overdue", "week"
REVIEW_WINDOW_DAYS = 7
DASHBOARD_ROWS = 5
DASHBOARD_COUNT_LIMIT = 200
# What a row of casework/includes/case_table.html shows, and nothing more: a case row is wide (its narrative,
# subject and review columns), and building every related object a row does not show costs more than the query.
CASE_ROW_FIELDS = (
    "reference", "summary", "status", "risk_level", "opened_on", "case_review_flagged_at", "lead_agency__short_name",
)


class LeadAgencyName(NamedTuple):
    short_name: str


_STATUS_LABELS, _RISK_LABELS = dict(Case.Status.choices), dict(Case.RiskLevel.choices)


class CaseRow(NamedTuple):
    """A case as a list row shows it (CASE_ROW_FIELDS), read as plain values: what casework/includes/case_table.html
    asks of a Case, for a fraction of the cost of building one with its lead agency."""

    pk: int
    reference: str
    summary: str
    status: str
    risk_level: str
    opened_on: date
    case_review_flagged_at: datetime | None
    lead_agency: LeadAgencyName

    def get_status_display(self) -> str:
        return _STATUS_LABELS.get(self.status, self.status)

    def get_risk_level_display(self) -> str:
        return _RISK_LABELS.get(self.risk_level, self.risk_level)


assert CaseRow._fields[1:] == (*CASE_ROW_FIELDS[:-1], "lead_agency"), "CaseRow follows CASE_ROW_FIELDS"


def case_rows_by_ids(ids: list) -> list[CaseRow]:
    """The CaseRows of these cases, in this order: for ids the caller has already scoped by the permission policy."""
    if not ids:
        return []
    found = {row[0]: CaseRow(*row[:-1], LeadAgencyName(row[-1])) for row in _case_rows(len(ids), **{f"id_{n}": pk for n, pk in enumerate(ids)})}
    return [found[pk] for pk in ids if pk in found]


@compiled_query
def _case_rows(count: int, **ids):
    """Every list page and the dashboard read their rows so: compiled once for each number of rows (config.compiled_queries)."""
    return Case.objects.filter(pk__in=[ids[f"id_{n}"] for n in range(count)]).values_list("pk", *CASE_ROW_FIELDS)


_NOT_CLOSED = ~Q(status=Case.Status.CLOSED)
# The dashboard's panels counted up to DASHBOARD_COUNT_LIMIT from their ids (the agency's led cases are counted apart).
_BOUNDED_PANELS = ("mine", "case_review", "reviews_due")


def _overdue_actions_q(*, user, agency, today, prefix: str = "") -> Q:
    """Actions owned by the user or their acting agency, due before today and not done."""
    return action_owned_by_q(user=user, agency=agency, prefix=prefix) & action_overdue_q(today=today, prefix=prefix)


def case_search_matches(q: str):
    """The ids of the cases whose reference starts with `q`, or with a person on the case so named, or whose postcode
    (ignoring spaces and case) starts with it, or whose address contains it, as a subquery (None for an empty
    search). All in the database: the union of the ways of matching, so a case found more than one way, or with the
    same person twice, comes once."""
    q = " ".join((q or "").split())
    if not q:
        return None
    # Each way of matching is its own query on its own index (on PostgreSQL: migrations 0035 and 0037), and
    # the cases are those in the union: one OR across them would make the database test every visible case.
    people = Person.objects.all()
    for word in q.split(" "):
        people = people.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    matches = [
        Case.objects.filter(reference__istartswith=q).order_by().values("pk"),
        CasePerson.objects.filter(person__in=people.order_by().values("pk")).order_by().values("case_id"),
        Case.objects.filter(address__icontains=q).order_by().values("pk"),
    ]
    compact = q.replace(" ", "").upper()
    if compact.isalnum():
        postcodes = Case.objects.annotate(postcode_compact=Replace(Upper("postcode"), Value(" "), Value("")))
        matches.append(postcodes.filter(postcode_compact__startswith=compact).order_by().values("pk"))
    return matches[0].union(*matches[1:])


def case_list(*, user, agency, filters: dict | None = None, today=None):
    """The cases this user may see, newest first, with what a list row shows (its lead agency) in the same query; a
    caller that shows more (the API's case, with its partnership and kind) adds it with select_related.

    filters: q, status (a status or "current" for not closed), category, risk_level, lead_agency (an agency or its
    id), review_due ("overdue" or "week"), case_review, mine (I am the lead officer), overdue_actions (with an
    action of mine or my agency's overdue).
    """
    today = today or timezone.localdate()
    qs = permissions.cases_permitted(user=user, agency=agency).select_related("lead_agency")
    filters = filters or {}
    status = filters.get("status")
    if status == CURRENT:
        qs = qs.filter(_NOT_CLOSED)
    elif status:
        qs = qs.filter(status=status)
    if filters.get("category"):
        qs = qs.filter(category=filters["category"])
    if filters.get("risk_level"):
        qs = qs.filter(risk_level=filters["risk_level"])
    if filters.get("lead_agency"):
        qs = qs.filter(lead_agency_id=getattr(filters["lead_agency"], "pk", filters["lead_agency"]))
    if filters.get("case_review"):
        qs = qs.filter(case_review_flagged_at__isnull=False)
    if filters.get("mine"):
        qs = qs.filter(lead_officer_id=user.pk)
    if filters.get("overdue_actions"):
        overdue = Action.objects.filter(_overdue_actions_q(user=user, agency=agency, today=today), case=OuterRef("pk"))
        qs = qs.filter(Exists(overdue))
    review_due = filters.get("review_due")
    if review_due == REVIEW_OVERDUE:
        qs = qs.filter(_NOT_CLOSED, next_review_on__lt=today)
    elif review_due == REVIEW_THIS_WEEK:
        qs = qs.filter(_NOT_CLOSED, next_review_on__lte=today + timedelta(days=REVIEW_WINDOW_DAYS))
    matches = case_search_matches(filters.get("q", ""))
    if matches is not None:
        qs = qs.filter(pk__in=matches)
    if review_due:
        return qs.order_by("next_review_on", "-id")
    if status == CURRENT and (filters.get("risk_level") or filters.get("lead_agency")):
        return qs.order_by(*permissions.NEWEST_FIRST_BY_CASE)
    qs = qs.order_by(*permissions.NEWEST_FIRST)
    if matches is not None and all(not value for name, value in filters.items() if name != "q"):
        # A search alone: its matches' ids in the list's order from the grants alone (casework.pagination), not a
        # case row read for each of the thousands a common surname finds only to be checked against the grants.
        qs.ordered_ids = permissions.case_ids_permitted_among(user=user, agency=agency, among=matches)
    return qs


def case_list_rows_for_slice(*, user, agency, filters: dict):
    """For the case list unfiltered, a function giving its rows bottom to top as CaseRows (the list's first page is
    what most people see of it): the same cases in the same order as case_list's, from a query compiled once
    (config.compiled_queries). None for a filtered list, whose rows are read by id."""
    if filters or not permissions.may_work_on_cases(user=user, agency=agency):
        return None

    def rows(bottom: int, top: int) -> list[CaseRow]:
        if top <= bottom:  # an empty list's one page
            return []
        return [CaseRow(*row[:-1], LeadAgencyName(row[-1])) for row in _newest_case_rows(bottom, top, group_id=agency.group_id)]

    return rows


@compiled_query
def _newest_case_rows(bottom: int, top: int, *, group_id):
    user, agency = permissions.acting_by_ids(group_id=group_id)
    return case_list(user=user, agency=agency).values_list("pk", *CASE_ROW_FIELDS)[bottom:top]


def case_get(*, reference: str, user, agency, codename: str = permissions.VIEW, partnership=None) -> Case:
    """The case, if this user may see it (or hold `codename` on it); otherwise 404, so existence does not leak.

    Its lead agency is the acting agency when they are the same, as they mostly are, rather than joined again;
    another is read when first used. Its partnership is joined (a police force sees the cases of every partnership it
    serves, and the case page's routing reads it), and is `partnership` (the acting one, which a page already holds)
    when they are the same."""
    related = ("kind", "lead_officer", "partnership")
    case = permissions.case_permitted_by_reference(user=user, agency=agency, reference=reference, codename=codename, related=related)
    if case is None:
        raise Http404("No case found")
    if case.lead_agency_id == agency.pk:
        case.lead_agency = agency
    if partnership is not None and case.partnership_id == partnership.pk:
        case.partnership = partnership
    return case


def case_access_periods(*, case: Case):
    """Which agencies had which access to the case, from when until when (who granted or revoked it is read when asked)."""
    return CaseAccess.objects.filter(case=case).select_related("agency").order_by("granted_at", "id")


def case_access_rows(*, case: Case) -> list[dict]:
    """case_access_periods as the case page's "Who has access" table shows them: the agency's name, the level and the
    two times, as plain values. Compiled once (config.compiled_queries): the case page asks every time."""
    return _case_access_rows(case_id=case.pk)


@compiled_query
def _case_access_rows(*, case_id):
    return CaseAccess.objects.filter(case_id=case_id).order_by("granted_at", "id").values("agency__name", "level", "granted_at", "revoked_at")


def case_open_work(*, case: Case) -> dict:
    """What is still going on in a case: actions not done and interventions not finished (to warn before closing)."""
    actions = list(case_open_actions(case))
    interventions = list(case_active_interventions(case))
    return {"actions": actions, "interventions": interventions, "count": len(actions) + len(interventions)}


def case_history(*, case: Case, membership):
    """The case's audit trail, newest first, for those the policy lets see it; anyone else gets a 404."""
    if not permissions.can_see_case_history(membership=membership, case=case):
        raise Http404("No case history found")
    return AuditEvent.objects.filter(case_id=case.pk).select_related("user").annotate(withheld=audit_values_withheld()).order_by("-id")


def lead_officer_memberships(*, partnership, agency_ids=None):
    """Who may be a case's lead officer: active members of an agency (those given, or any) in the partnership."""
    memberships = Membership.objects.filter(partnership=partnership, is_active=True, user__is_active=True)
    if agency_ids is not None:
        memberships = memberships.filter(agency_id__in=list(agency_ids))
    return memberships.select_related("user", "agency").order_by("agency__name", "user__last_name", "user__first_name", "user__username")


def dashboard_summary(*, user, agency, today=None, also_count=None) -> dict:
    """The dashboard's panels, in a fixed number of queries whatever the number of cases: every count and every
    panel's ids in one (read_together), then the rows those ids name. `also_count` ({name: function of an agency
    giving a queryset}) adds counts from other parts of the application to the same query; they come back under
    "also"."""
    today = today or timezone.localdate()
    week_end = today + timedelta(days=REVIEW_WINDOW_DAYS)
    also_count = tuple((also_count or {}).items())
    if permissions.may_work_on_cases(user=user, agency=agency) and ids_read_together(router.db_for_read(Case)):
        # Every dashboard of every caseworker asks this one query: compiled once (config.compiled_queries).
        read = run_together(*_dashboard_sql(also_count, user_id=user.pk, agency_id=agency.pk, group_id=agency.group_id, today=today, week_end=week_end))
    else:
        read = read_together(**_dashboard_specs(user=user, agency=agency, today=today, week_end=week_end, also_count=also_count))
    counted = {"visible": read["visible"], "led": read["led"], **{name: len(read[f"ids_{name}"]) for name in _BOUNDED_PANELS}}
    if counted["visible"] is None:
        counted["visible"] = permissions.cases_permitted(user=user, agency=agency).count()
    more = {name: counted[name] > DASHBOARD_COUNT_LIMIT for name in _BOUNDED_PANELS}
    overdue_ids = read["ids_overdue_actions"]
    counts = {name: min(value, DASHBOARD_COUNT_LIMIT) if more.get(name) else value for name, value in counted.items()}
    panel_ids = {name: read[f"ids_{name}"][:DASHBOARD_ROWS] for name in ("mine", "led", "case_review", "reviews_due")}
    shown = {case.pk: case for case in case_rows_by_ids(list(dict.fromkeys(sum(panel_ids.values(), []))))}
    rows = {name: [shown[pk] for pk in ids if pk in shown] for name, ids in panel_ids.items()}
    return {
        "counts": counts,
        "more": more,
        "rows": rows,
        "overdue_actions": rows_by_ids(
            Action.objects.select_related("case").only("description", "due_on", "case__reference"), overdue_ids[:DASHBOARD_ROWS]
        ),
        "overdue_actions_count": min(len(overdue_ids), DASHBOARD_COUNT_LIMIT),
        "overdue_actions_more": len(overdue_ids) > DASHBOARD_COUNT_LIMIT,
        "also": {name: read[f"also_{name}"] for name, _ in also_count},
        "today": today,
        "week_end": week_end,
    }


@compiled_sql
def _dashboard_sql(also_count, *, user_id, agency_id, group_id, today, week_end):
    user, agency = permissions.acting_by_ids(user_id=user_id, agency_id=agency_id, group_id=group_id)
    return together_sql(**_dashboard_specs(user=user, agency=agency, today=today, week_end=week_end, also_count=also_count))


def _dashboard_specs(*, user, agency, today, week_end, also_count) -> dict:
    """read_together's specs for the dashboard: every count and every panel's ids.

    Your cases, the Case Review ones and the reviews due: the first DASHBOARD_COUNT_LIMIT + 1 ids in the panel's
    order, which give both the count (past the limit the panel says "more than") and the rows, from one reading; the
    overdue actions the same way. The visible total from its counter and the agency's led cases from the lead column
    (cases_led), exactly."""
    visible = permissions.cases_permitted(user=user, agency=agency)
    led_by_agency = Q(lead_agency_id=agency.pk) if agency is not None else Q(pk__in=[])
    panels = {
        "mine": _NOT_CLOSED & Q(lead_officer_id=user.pk),
        "led": _NOT_CLOSED & led_by_agency,
        "case_review": _NOT_CLOSED & Q(case_review_flagged_at__isnull=False),
        "reviews_due": _NOT_CLOSED & Q(next_review_on__lte=week_end),
    }
    ordering = {
        "mine": ("next_review_on", "-opened_on", "-id"),
        "led": permissions.NEWEST_FIRST,
        "case_review": ("case_review_flagged_at", "-id"),
        "reviews_due": ("next_review_on", "-id"),
    }
    overdue = Action.objects.filter(
        _overdue_actions_q(user=user, agency=agency, today=today), case_id__in=permissions.case_ids_permitted(user=user, agency=agency)
    )
    return dict(
        visible=("value", permissions.visible_case_count(user=user, agency=agency)),
        led=permissions.cases_led(user=user, agency=agency).filter(_NOT_CLOSED),
        ids_led=("ids", visible.filter(panels["led"]).order_by(*ordering["led"]), DASHBOARD_ROWS),
        **{f"ids_{name}": ("ids", visible.filter(panels[name]).order_by(*ordering[name]), DASHBOARD_COUNT_LIMIT + 1) for name in _BOUNDED_PANELS},
        ids_overdue_actions=("ids", overdue.order_by("due_on", "id"), DASHBOARD_COUNT_LIMIT + 1),
        **{f"also_{name}": queryset_of(agency=agency) for name, queryset_of in also_count},
    )
