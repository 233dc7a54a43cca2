"""Reads of referrals for a user, already scoped: an agency sees the referrals it sent or received, nothing else."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Q, Subquery, Value, When
from django.db.models import Case as Conditional
from django.http import Http404
from django.utils import timezone

from agencies.models import Agency, CaseworkGroup
from casework import permissions as case_permissions
from casework.models import Case
from config.compiled_queries import NOT_USED_ID, compiled_query
from referrals import permissions
from referrals.models import GroupReferral, Referral, ReferralMessage

RECENT_LIMIT = 20
# Rows of each waiting box on one page of the inbox. A police force can have hundreds of referrals waiting; the
# inbox shows the most urgent first, a page at a time, reading one row more than it shows to know whether there is
# a next page (no count of the whole box).
INBOX_PAGE_ROWS = 25


def _with_overdue(queryset, today=None):
    today = today or timezone.localdate()
    return queryset.annotate(
        is_overdue=ExpressionWrapper(Q(status=Referral.Status.PENDING, respond_by__lt=today), output_field=BooleanField())
    )


def _listed(queryset):
    return _with_overdue(queryset.select_related("case", "case__kind", "from_agency", "to_agency"))


# What a row of a referrals table shows (referrals/includes/referral_table.html), read as plain values: a police
# force's inbox lists seventy rows, and model instances of the referral, its case, its kind and both agencies (with
# the case's summary and the referral's reason) cost more to fetch and build than the page's every other step.
# The agencies' short names (from_agency__short_name, to_agency__short_name) are added by _name_agencies.
TABLE_ROW_VALUES = (
    "pk", "case__reference", "case__kind__name", "from_agency_id", "to_agency_id", "purpose", "priority", "respond_by",
    "status", "is_overdue",
)


def _table_rows(queryset, today=None):
    return _with_overdue(queryset, today).values(*TABLE_ROW_VALUES)


def _name_agencies(*row_lists) -> None:
    """Give each row its agencies' short names, from one read of the few agencies named: joining the agency table
    twice into each query of rows costs the database more to plan than the rows cost to read."""
    rows = [row for row_list in row_lists for row in row_list]
    agency_ids = {row["from_agency_id"] for row in rows} | {row["to_agency_id"] for row in rows}
    names = dict(Agency.objects.filter(pk__in=agency_ids).values_list("pk", "short_name")) if agency_ids else {}
    for row in rows:
        row["from_agency__short_name"] = names[row["from_agency_id"]]
        row["to_agency__short_name"] = names[row["to_agency_id"]]


def _user_may_read(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


@dataclass
class InboxPage:
    """One page of an inbox box: its rows, and whether there are pages before and after it."""

    rows: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)


def _page(box, number: int, per_page: int, **values) -> InboxPage:
    """A page of a box (a compiled query of its rows in order, sliced by its shape), with one row more than it shows
    read to know whether there is a next page."""
    start = (number - 1) * per_page
    rows = box(start, start + per_page + 1, **values)
    return InboxPage(rows=rows[:per_page], number=number, has_next=len(rows) > per_page)


def referrals_waiting_for(*, agency):
    """Referrals from other agencies waiting for the agency's reply: the inbox's first box, and the dashboard's count."""
    if agency is None:
        return Referral.objects.none()
    return Referral.objects.filter(status=Referral.Status.PENDING, to_agency=agency)


def referral_inbox(
    *, user, agency, recent_limit: int = RECENT_LIMIT, waiting_page: int = 1, sent_page: int = 1, per_page: int | None = None
) -> dict:
    """What the acting agency must answer (most urgent first), what it is waiting on, a page of each, and what was
    settled lately; each row as TABLE_ROW_VALUES."""
    if not _user_may_read(user) or agency is None:
        return {"waiting": InboxPage([], 1, False), "sent": InboxPage([], 1, False), "recent": []}
    per_page, today = per_page or INBOX_PAGE_ROWS, timezone.localdate()
    # Every inbox reads these three: compiled once (config.compiled_queries), the agency and the day their values.
    boxes = {
        "waiting": _page(_waiting_rows, max(1, waiting_page), per_page, agency_id=agency.pk, today=today),
        "sent": _page(_sent_rows, max(1, sent_page), per_page, agency_id=agency.pk, today=today),
        "recent": _settled_lately(recent_limit, connection.features.supports_slicing_ordering_in_compound, agency_id=agency.pk, today=today),
    }
    _name_agencies(*boxes.values())
    return boxes


def _by_id(agency_id) -> Agency:
    """The agency the rules below are given, known by its id alone: they read nothing else of it (compiling refuses
    a query that takes its group, NOT_USED_ID)."""
    return Agency(pk=agency_id, group_id=NOT_USED_ID)


@compiled_query
def _waiting_rows(start, stop, *, agency_id, today):
    urgent_first = Conditional(When(priority=Referral.Priority.URGENT, then=Value(0)), default=Value(1))
    waiting = referrals_waiting_for(agency=_by_id(agency_id))
    return _table_rows(waiting, today).order_by("respond_by", urgent_first, "created_at", "id")[start:stop]


@compiled_query
def _sent_rows(start, stop, *, agency_id, today):
    sent = Referral.objects.filter(status=Referral.Status.PENDING, from_agency_id=agency_id)
    return _table_rows(sent, today).order_by("respond_by", "created_at", "id")[start:stop]


@compiled_query
def _settled_lately(limit: int, slices_each_half: bool, *, agency_id, today):
    """Referrals the agency sent or received that were answered, newest answer first.

    Where the database can slice each half of a union (PostgreSQL), the newest `limit` of each side are read from
    their own index and only those are sorted: a police force has tens of thousands of settled referrals, which one
    filter on both sides would fetch and sort in full."""
    settled = Referral.objects.exclude(status=Referral.Status.PENDING)
    if slices_each_half:
        newest = ("-responded_at", "-id")
        sent = settled.filter(from_agency_id=agency_id).order_by(*newest).values("pk")[:limit]
        received = settled.filter(to_agency_id=agency_id).order_by(*newest).values("pk")[:limit]
        settled = Referral.objects.filter(pk__in=sent.union(received, all=True))
    return _table_rows(permissions.referrals_visible(settled, agency=_by_id(agency_id)), today).order_by("-responded_at", "-id")[:limit]


def referral_list(*, user, agency, box: str = "inbox", status: str | None = None):
    """For the API: referrals to the agency ("inbox") or from it ("sent"), newest first."""
    if not _user_may_read(user) or agency is None:
        return Referral.objects.none()
    qs = Referral.objects.filter(to_agency=agency) if box == "inbox" else Referral.objects.filter(from_agency=agency)
    if status:
        qs = qs.filter(status=status)
    return _listed(qs).order_by("-created_at", "-id")


def referral_get(*, pk: int, user, agency) -> Referral:
    """The referral if the acting agency sent or received it; otherwise 404, so that its existence does not leak."""
    if not _user_may_read(user):
        raise Http404("No referral found")
    try:
        return _with_overdue(
            permissions.referrals_visible(Referral.objects.all(), agency=agency).select_related(
                "case", "case__kind", "case__partnership", "case__lead_agency", "from_agency", "to_agency", "created_by",
                "responded_by",
            )
        ).get(pk=pk)
    except Referral.DoesNotExist:
        raise Http404("No referral found") from None


def referral_messages(*, referral: Referral):
    """The thread of a referral the caller already holds (see referral_get)."""
    return ReferralMessage.objects.filter(referral=referral).select_related("author", "agency").order_by("written_at", "id")


def referrals_for_case(*, case: Case, user, agency):
    """The case's referrals (as TABLE_ROW_VALUES): all of them for the lead agency, the ones it is party to for any
    other agency."""
    qs = Referral.objects.filter(case=case)
    if not permissions.can_see_all_case_referrals(user=user, agency=agency, case=case):
        qs = permissions.referrals_visible(qs, agency=agency)
    rows = list(_table_rows(qs).order_by("-created_at", "-id"))
    _name_agencies(rows)
    return rows


def referral_agencies_for_case(*, case: Case, sender: Agency):
    """Who a case may be referred to: the agencies serving its partnership, except the sender."""
    return Agency.objects.filter(partnerships=case.partnership_id).exclude(pk=sender.pk).order_by("name")


def group_referrals_for_case(*, case: Case):
    """Every agency that may see the case may see that it went to the group (the group's members see it anyway)."""
    return GroupReferral.objects.filter(case=case).select_related("group", "referred_by").order_by("-referred_on", "-id")


def group_for_case(*, case: Case) -> CaseworkGroup | None:
    """The partnership's active casework group a case can go to (the monthly ASB group)."""
    return CaseworkGroup.objects.filter(partnership=case.partnership_id, is_active=True).order_by("name", "id").first()


def cases_with_group(group: CaseworkGroup, *, user=None, agency=None):
    """The cases with the group now, earliest referral first, each with `group_referred_on` and `group_reason`.

    Given a user (and the agency they act for), only the cases they may see; without one, every case with the group,
    for callers that have already decided the user may see the group's business (member agencies hold
    group-member access to each of these cases while they are with the group).
    """
    # At most one open referral per case and group (a constraint), so the join adds no duplicates.
    open_referrals = GroupReferral.objects.filter(group=group, status=GroupReferral.Status.WITH_GROUP)
    qs = Case.objects.all()
    if user is not None:
        qs = case_permissions.cases_permitted(user=user, agency=agency)
    referral = open_referrals.filter(case=OuterRef("pk")).order_by("referred_on", "id")
    return (
        qs.filter(group_referrals__in=open_referrals)
        .annotate(group_referred_on=Subquery(referral.values("referred_on")[:1]), group_reason=Subquery(referral.values("reason")[:1]))
        .select_related("lead_agency", "kind", "partnership")
        .order_by("group_referred_on", "reference")
    )
