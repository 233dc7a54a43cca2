"""What every case sub-page needs: the case (or a 404 that is audited), and the tabs."""

from django.http import Http404
from django.urls import NoReverseMatch

from audit.models import AuditEvent
from audit.services import Actor, audit_record
from casework import permissions, selectors
from config.table_cells import link_maker

# The case page's tabs, in order: (label, URL name). A tab shows once its URL exists;
# apps above casework (referrals) add theirs here too, by name, without casework importing them.
CASE_TABS = [
    ("Summary", "case_detail"),
    ("People", "case_people"),
    ("Incidents", "case_incidents"),
    ("Risk", "case_risk"),
    ("Interventions", "case_interventions"),
    ("Actions", "case_actions"),
    ("Notes", "case_notes"),
    ("Documents", "case_documents"),
    ("Referrals", "case_referrals"),
    ("History", "case_history"),
]


def case_for_request(request, reference, codename=permissions.VIEW):
    """The case if the acting agency holds `codename` on it; otherwise a 404, and the attempt is audited."""
    try:
        return selectors.case_get(
            reference=reference, user=request.user, agency=request.agency, codename=codename, partnership=request.partnership
        )
    except Http404:
        audit_record(
            actor=Actor.from_request(request),
            action=AuditEvent.Action.DENIED,
            object_type="case",
            object_repr=reference[:200],
            detail=f"Asked for {request.path[:400]}",
        )
        raise


def case_link(url_name: str, reference: str) -> str | None:
    """reverse(url_name, args=[reference]) for the links between a case's pages, or None where there is no such URL.
    Each page links to every tab: one reverse() per URL name for the life of the process (config.table_cells.link_maker)
    instead of one per link and page."""
    try:
        make = link_maker(url_name)
    except NoReverseMatch:
        return None
    return make(reference)


def case_tabs(case, current: str, hidden: frozenset = frozenset()) -> list[dict]:
    tabs = []
    for label, url_name in CASE_TABS:
        if url_name in hidden:
            continue
        url = case_link(url_name, case.reference)
        if url is None:
            continue
        tabs.append({"label": label, "url": url, "current": url_name == current})
    return tabs


def case_page_context(request, case, current_tab: str, **extra) -> dict:
    """Context for a page that extends casework/case_base.html."""
    granted = permissions.case_permissions(user=request.user, agency=request.agency, case=case)
    return {
        "case": case,
        # History is for the lead agency's supervisors: others would only meet a 404 there.
        "tabs": case_tabs(
            case, current_tab,
            hidden=frozenset() if permissions.can_see_case_history(membership=request.membership, case=case) else frozenset({"case_history"}),
        ),
        "can_contribute": permissions.CONTRIBUTE in granted,
        "can_change": permissions.CHANGE in granted,
        "can_manage": permissions.MANAGE in granted,
        **extra,
    }
