"""Reads of actions: on one case, and across the cases a user may see (for the dashboard)."""

from datetime import date

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from agencies.models import Membership
from casework import permissions
from casework.models import Action, Case


def _overdue(today: date):
    """Open and due before `today`: the same rule as Action.is_overdue_on, in the database."""
    return models.Case(
        models.When(action_overdue_q(today=today), then=models.Value(True)),
        default=models.Value(False),
        output_field=models.BooleanField(),
    )


def action_owned_by_q(*, user, agency, prefix: str = "") -> Q:
    """Actions owned by the user or by the agency they act for (`prefix` to reach actions through a relation)."""
    owners = Q(**{f"{prefix}owner_user_id": user.pk})
    if agency is not None:
        owners |= Q(**{f"{prefix}owner_agency_id": agency.pk})
    return owners


def action_overdue_q(*, today: date, prefix: str = "") -> Q:
    """Not done and due before `today`: Action.is_overdue_on, in the database."""
    return Q(**{f"{prefix}done_on__isnull": True, f"{prefix}due_on__lt": today})


def case_actions(*, case: Case, today: date | None = None):
    """Open actions first (soonest due first, undated last), then done ones; each with `is_overdue`."""
    today = today or timezone.localdate()
    return (
        Action.objects.filter(case=case)
        .select_related("owner_user", "owner_agency")
        .annotate(is_overdue=_overdue(today))
        .order_by(F("done_on").desc(nulls_first=True), F("due_on").asc(nulls_last=True), "id")
    )


def case_open_actions(case: Case):
    """Actions not yet done: closing the case should say so."""
    return case_actions(case=case).filter(done_on__isnull=True)


def case_action_get(*, case: Case, pk) -> Action:
    try:
        return Action.objects.select_related("owner_user", "owner_agency", "case").get(case=case, pk=pk)
    except (Action.DoesNotExist, ValueError, TypeError):
        raise Http404("No action found") from None


def actions_open_for_user(user, agency, *, today: date | None = None):
    """Open actions owned by the user, or by the agency they act for, on cases they may see; soonest due first."""
    today = today or timezone.localdate()
    return (
        Action.objects.filter(action_owned_by_q(user=user, agency=agency), done_on__isnull=True, case__in=permissions.cases_permitted(user=user, agency=agency))
        .select_related("case", "owner_user", "owner_agency")
        .annotate(is_overdue=_overdue(today))
        .order_by(F("due_on").asc(nulls_last=True), "id")
    )


def actions_overdue_for_user(user, agency, *, today: date | None = None):
    """The open actions past their due date, owned by the user or their acting agency, on cases they may see."""
    today = today or timezone.localdate()
    return actions_open_for_user(user=user, agency=agency, today=today).filter(due_on__lt=today)


def action_owner_choices(*, case: Case, agencies=None):
    """(agencies, users) that may own an action on the case: those with access to it (or the `agencies` given, as
    the casework group gives). Each user carries `case_memberships`, their memberships of those agencies, to say
    which agency they are from."""
    agencies = permissions.agencies_with_case_access(case=case) if agencies is None else agencies
    memberships = Membership.objects.filter(is_active=True, partnership_id=case.partnership_id, agency__in=agencies).select_related("agency")
    users = (
        get_user_model().objects.filter(Exists(memberships.filter(user_id=OuterRef("pk"))), is_active=True)
        .prefetch_related(Prefetch("memberships", queryset=memberships, to_attr="case_memberships"))
        .order_by("last_name", "first_name", "username")
    )
    return agencies.order_by("name"), users
