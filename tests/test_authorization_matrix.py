"""Who may open which address: every URL pattern of the project, pages and API, against every kind of caller.

One case is opened by the police (the lead agency). The district council contributes to it, the housing provider has
information-only access, and fire and rescue, a member of the monthly casework group it was referred to, sees it on
the group's agenda only (so none of its case pages).
Another agency of the same partnership has no part in it, and an agency of another partnership has none either.
Three more callers hold a role rather than a relationship to the case, all in that uninvolved agency, so that what
they are let into is their role's doing: the partnership coordinator, the data protection officer (dpo) and the chair
of the casework group. Each of them (and an anonymous visitor) opens every address, and the status must be the one
declared below: the matrix shows who is admitted as well as who is refused.

A case the caller may not see answers 404, never 403 (so that its existence does not leak); a page only some roles
may use answers 403; an anonymous visitor is sent to the sign-in page (302), or gets 401 from the API.

Adding a URL: add ONE line to AUTHORIZATION_MATRIX, `"<url name>": row(anonymous, lead, contributor, information,
group member, other agency, other partnership, coordinator, dpo, chair[, pk="<object>"][, method="POST"])`. `pk` names the object of the case
that the URL's <pk> is (see the `world` fixture). A view that does not answer GET is sent an empty request of the method
given (POST, PATCH, DELETE), whose writes are rolled back.
"""

import os
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from agencies.models import Agency, Membership
from audit.services import Actor
from casework.models import CaseAccess
from casework.services.case_review import case_review_request_record
from casework.services.people import household_create
from referrals.models import Referral
from tests.agencies.factories import make_agency, make_member
from tests.casework.factories import make_case
from tests.casework.factories_documents import make_document, media_root  # noqa: F401 - fixture: documents in tmp_path
from tests.casework.factories_incidents import make_incident
from tests.casework.factories_people import put_on_case
from tests.casework.factories_work import grant, make_action, make_intervention, make_note
from tests.referrals.factories_referrals import make_group, make_referral
from tests.referrals.factories_routing import make_rule

ROLES = ("anonymous", "lead", "contributor", "information", "group_member", "other_agency", "other_partnership", "coordinator", "dpo", "chair")

# Left out, with the reason: the Django admin has its own staff and permission checks (and its own tests in Django);
# static files are served by WhiteNoise before any URL pattern is looked at.
EXCLUDED_NAMESPACES = {"admin": "Django's admin: staff-only, guarded by Django's own permission checks"}


@dataclass(frozen=True)
class Row:
    statuses: tuple
    pk: str | None = None
    method: str = "GET"


def row(*statuses, pk=None, method="GET") -> Row:
    assert len(statuses) == len(ROLES), f"give one status for each of {ROLES}"
    return Row(tuple(statuses), pk, method)


# Statuses, in the order of ROLES.
SEE = (302, 200, 200, 200, 404, 404, 404, 404, 404, 404)  # a case page: every agency with a part in the case (a group member sees the agenda only)
CONTRIBUTE = (302, 200, 200, 404, 404, 404, 404, 404, 404, 404)  # adding to a case: lead and contributors
MANAGE = (302, 200, 404, 404, 404, 404, 404, 404, 404, 404)  # changing the case itself: the lead agency
ANYONE_SIGNED_IN = (302, 200, 200, 200, 200, 200, 200, 200, 200, 200)
PUBLIC = (200, 200, 200, 200, 200, 200, 200, 200, 200, 200)
API_SEE = (401, 200, 200, 200, 404, 404, 404, 404, 404, 404)
API_LIST = (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)  # a list already scoped to the caller

AUTHORIZATION_MATRIX = {
    # Signing in and out, and the account.
    "login": row(200, 302, 302, 302, 302, 302, 302, 302, 302, 302),  # a signed-in user is sent on
    "logout": row(302, 302, 302, 302, 302, 302, 302, 302, 302, 302, method="POST"),
    "password_reset": row(*PUBLIC),
    "password_reset_done": row(*PUBLIC),
    "password_reset_confirm": row(*PUBLIC),
    "password_reset_complete": row(*PUBLIC),
    "two_factor_verify": row(302, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    "two_factor_setup": row(302, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    "backup_codes_regenerate": row(302, 200, 200, 200, 200, 200, 200, 200, 200, 200, method="POST"),
    "sign_out_everywhere": row(302, 302, 302, 302, 302, 302, 302, 302, 302, 302, method="POST"),
    "session_extend": row(302, 200, 200, 200, 200, 200, 200, 200, 200, 200, method="POST"),
    "profile": row(*ANYONE_SIGNED_IN),
    "ping": row(*ANYONE_SIGNED_IN),  # the benchmark's floor: the lightest signed-in page
    "acting_membership_switch": row(302, 400, 400, 400, 400, 400, 400, 400, 400, 400, method="POST"),
    "notification_list": row(*ANYONE_SIGNED_IN),
    "notification_read_all": row(302, 302, 302, 302, 302, 302, 302, 302, 302, 302, method="POST"),
    "notification_read": row(302, 302, 302, 302, 302, 302, 302, 302, 302, 302, pk="notification", method="POST"),
    # Cases.
    "dashboard": row(*ANYONE_SIGNED_IN),
    "case_list": row(*ANYONE_SIGNED_IN),
    "case_open": row(302, 200, 200, 200, 200, 200, 200, 200, 403, 200),  # a data protection officer does not open cases
    "case_import": row(302, 403, 403, 403, 403, 403, 403, 200, 403, 403),
    "case_detail": row(*SEE),
    "case_edit": row(*MANAGE),
    "case_close": row(*MANAGE),
    "case_reopen": row(302, 302, 404, 404, 404, 404, 404, 404, 404, 404),  # the case is open: the lead is sent back to it
    "case_history": row(302, 404, 404, 404, 404, 404, 404, 404, 404, 404),  # lead agency supervisors only
    # People and households.
    "case_people": row(*SEE),
    "case_person_add": row(*CONTRIBUTE),
    "case_person_remove": row(*CONTRIBUTE, pk="case_person"),
    "person_detail": row(*SEE, pk="person"),
    "person_edit": row(*CONTRIBUTE, pk="person"),
    "household_create": row(*CONTRIBUTE, pk="person"),
    "household_detail": row(*SEE, pk="household"),
    "household_member_add": row(302, 400, 400, 400, 404, 404, 404, 404, 404, 404, pk="household", method="POST"),  # only people one may change are offered
    "household_member_remove": row(302, 302, 302, 404, 404, 404, 404, 404, 404, 404, pk="household", method="POST"),
    # Incidents, the ASB Case Review, risk.
    "case_incidents": row(*SEE),
    "case_review_request_create": row(*CONTRIBUTE),
    "case_review_request_decision": row(*CONTRIBUTE, pk="case_review_request"),
    "case_risk": row(*SEE),
    # Work on the case.
    "case_interventions": row(*SEE),
    "case_intervention_add": row(*CONTRIBUTE),
    "case_intervention_detail": row(*SEE, pk="intervention"),
    "case_intervention_breach": row(302, 200, 200, 404, 404, 404, 404, 404, 404, 404, pk="intervention", method="POST"),  # 200: the form again, with errors
    "case_actions": row(*SEE),
    "case_action_edit": row(*CONTRIBUTE, pk="action"),
    "case_action_done": row(302, 302, 302, 404, 404, 404, 404, 404, 404, 404, pk="action", method="POST"),
    "case_action_reopen": row(302, 302, 302, 404, 404, 404, 404, 404, 404, 404, pk="action", method="POST"),
    "case_notes": row(*SEE),
    "case_documents": row(*SEE),
    "document_download": row(*SEE, pk="document"),
    "document_withdraw": row(302, 200, 403, 403, 404, 404, 404, 404, 404, 404, pk="document"),
    # Referrals and the casework group.
    "case_referrals": row(*SEE),
    "case_group_refer": row(302, 200, 403, 403, 404, 404, 404, 404, 404, 404, method="POST"),  # 200: the form again, with errors
    "case_group_return": row(302, 302, 403, 403, 404, 404, 404, 404, 404, 404, pk="group_referral", method="POST"),
    "referral_inbox": row(*ANYONE_SIGNED_IN),
    "referral_detail": row(302, 200, 200, 404, 404, 404, 404, 404, 404, 404, pk="referral"),
    "referral_accept": row(302, 403, 302, 404, 404, 404, 404, 404, 404, 404, pk="referral", method="POST"),
    "referral_decline": row(302, 403, 200, 404, 404, 404, 404, 404, 404, 404, pk="referral", method="POST"),
    "referral_withdraw": row(302, 302, 403, 404, 404, 404, 404, 404, 404, 404, pk="referral", method="POST"),
    "referral_message": row(302, 200, 200, 404, 404, 404, 404, 404, 404, 404, pk="referral", method="POST"),
    # Lead-agency routing rules (the partnership coordinator keeps them).
    "routing_rule_list": row(*ANYONE_SIGNED_IN),
    "routing_rule_create": row(302, 403, 403, 403, 403, 403, 403, 200, 403, 403),
    "routing_rule_edit": row(302, 403, 403, 403, 403, 403, 403, 200, 403, 403, pk="routing_rule"),
    "routing_rule_move": row(302, 403, 403, 403, 403, 403, 403, 302, 403, 403, pk="routing_rule", method="POST"),
    "routing_rule_active": row(302, 403, 403, 403, 403, 403, 403, 302, 403, 403, pk="routing_rule", method="POST"),
    "routing_try": row(302, 403, 403, 403, 403, 403, 403, 200, 403, 403),
    "routing_suggest": row(*ANYONE_SIGNED_IN),
    # The API.
    "api_token_obtain": row(400, 400, 400, 400, 400, 400, 400, 400, 400, 400, method="POST"),
    "api_schema": row(*API_LIST),
    "api_docs": row(*API_LIST),
    "api_case_list": row(*API_LIST),
    "api_case_detail": row(*API_SEE),
    "api_case_close": row(401, 400, 404, 404, 404, 404, 404, 404, 404, 404, method="POST"),
    "api_case_people": row(*API_SEE),
    "api_case_person": row(401, 204, 204, 404, 404, 404, 404, 404, 404, 404, pk="case_person", method="DELETE"),
    "api_person_detail": row(*API_SEE, pk="person"),
    "api_case_incidents": row(*API_SEE),
    "api_case_review_requests": row(*API_SEE),
    "api_case_review_request_detail": row(*API_SEE, pk="case_review_request"),
    "api_case_risk_questions": row(*API_SEE),
    "api_case_risk_assessments": row(*API_SEE),
    "api_case_interventions": row(*API_SEE),
    "api_case_intervention_detail": row(*API_SEE, pk="intervention"),
    "api_intervention_breaches": row(401, 400, 400, 404, 404, 404, 404, 404, 404, 404, pk="intervention", method="POST"),
    "api_case_actions": row(*API_SEE),
    "api_case_action_detail": row(401, 400, 400, 404, 404, 404, 404, 404, 404, 404, pk="action", method="PATCH"),
    "api_case_notes": row(*API_SEE),
    "api_document_list": row(*API_SEE),
    "api_document_detail": row(*API_SEE, pk="document"),
    "api_document_download": row(*API_SEE, pk="document"),
    "api_referral_list": row(*API_LIST),
    "api_referral_detail": row(401, 200, 200, 404, 404, 404, 404, 404, 404, 404, pk="referral"),
    "api_referral_accept": row(401, 403, 200, 404, 404, 404, 404, 404, 404, 404, pk="referral", method="POST"),
    "api_referral_decline": row(401, 403, 400, 404, 404, 404, 404, 404, 404, 404, pk="referral", method="POST"),
    "api_referral_withdraw": row(401, 200, 403, 404, 404, 404, 404, 404, 404, 404, pk="referral", method="POST"),
    "api_referral_messages": row(401, 200, 200, 404, 404, 404, 404, 404, 404, 404, pk="referral"),
    "api_routing_rules": row(*API_LIST),
    "api_routing_try": row(401, 200, 200, 200, 200, 200, 200, 200, 200, 200, method="POST"),
    "api_meeting_list": row(401, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api_meeting_agenda": row(401, 404, 404, 404, 404, 404, 404, 404, 404, 404, pk="meeting"),
    "api_meeting_minutes": row(401, 404, 404, 404, 404, 404, 404, 404, 404, 404, pk="meeting"),
    "api_report_runs": row(401, 403, 403, 403, 403, 403, 403, 200, 403, 403),
    "api_report_run": row(401, 403, 403, 403, 403, 403, 403, 200, 403, 403, pk="report_run"),
    "api_report_run_retry": row(401, 403, 403, 403, 403, 403, 403, 409, 403, 403, pk="report_run", method="POST"),  # 409: the run has not failed
    "api_report_run_download": row(401, 403, 403, 403, 403, 403, 403, 409, 403, 403, pk="report_run"),  # 409: the run has not finished
    # The monthly casework group's meetings: its member agencies (here fire and rescue) see them; the group's chair and
    # administrator manage them (403 for a member's caseworker); anyone else, a coordinator included, gets 404.
    "meeting_list": row(302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "meeting_group_schedule": row(302, 404, 404, 404, 403, 404, 404, 404, 404, 200, pk="group"),
    "meeting_detail": row(302, 404, 404, 404, 200, 404, 404, 404, 404, 200, pk="meeting"),
    "meeting_move": row(302, 404, 404, 404, 403, 404, 404, 404, 404, 200, pk="meeting"),
    "meeting_cancel": row(302, 404, 404, 404, 403, 404, 404, 404, 404, 200, pk="meeting"),
    "meeting_agenda": row(302, 404, 404, 404, 403, 404, 404, 404, 404, 200, pk="meeting"),
    "meeting_agenda_build": row(302, 404, 404, 404, 403, 404, 404, 404, 404, 200, pk="meeting", method="POST"),
    "meeting_agenda_issue": row(302, 404, 404, 404, 403, 404, 404, 404, 404, 302, pk="meeting", method="POST"),
    "meeting_agenda_add": row(302, 404, 404, 404, 403, 404, 404, 404, 404, 200, pk="meeting", method="POST"),
    "meeting_agenda_item": row(302, 404, 404, 404, 403, 404, 404, 404, 404, 200, pk="meeting", method="POST"),
    "meeting_agenda_item_move": row(302, 404, 404, 404, 403, 404, 404, 404, 404, 302, pk="meeting", method="POST"),
    "meeting_agenda_item_remove": row(302, 404, 404, 404, 403, 404, 404, 404, 404, 302, pk="meeting", method="POST"),
    "meeting_item_propose_closure": row(302, 404, 404, 404, 404, 404, 404, 404, 404, 404, pk="meeting", method="POST"),
    "meeting_pack": row(302, 404, 404, 404, 404, 404, 404, 404, 404, 404, pk="meeting"),
    "meeting_run": row(302, 404, 404, 404, 403, 404, 404, 404, 404, 404, pk="meeting"),  # the chair too: the agenda is not built yet
    "meeting_run_attendance": row(302, 404, 404, 404, 403, 404, 404, 404, 404, 404, pk="meeting", method="POST"),
    "meeting_run_attendance_remove": row(302, 404, 404, 404, 403, 404, 404, 404, 404, 404, pk="meeting", method="POST"),
    "meeting_run_item": row(302, 404, 404, 404, 403, 404, 404, 404, 404, 404, pk="meeting", method="POST"),
    "meeting_run_item_add": row(302, 404, 404, 404, 403, 404, 404, 404, 404, 404, pk="meeting"),
    "meeting_run_declaration": row(302, 404, 404, 404, 403, 404, 404, 404, 404, 404, pk="meeting", method="POST"),
    "meeting_run_declaration_remove": row(302, 404, 404, 404, 403, 404, 404, 404, 404, 404, pk="meeting", method="POST"),
    "meeting_run_action": row(302, 404, 404, 404, 403, 404, 404, 404, 404, 404, pk="meeting", method="POST"),
    "meeting_run_action_remove": row(302, 404, 404, 404, 403, 404, 404, 404, 404, 404, pk="meeting", method="POST"),
    "meeting_run_action_done": row(302, 404, 404, 404, 403, 404, 404, 404, 404, 404, pk="meeting", method="POST"),
    "meeting_minutes": row(302, 404, 404, 404, 404, 404, 404, 404, 404, 200, pk="meeting"),
    "meeting_minutes_publish": row(302, 404, 404, 404, 403, 404, 404, 404, 404, 302, pk="meeting", method="POST"),
    "meeting_minutes_pdf": row(302, 404, 404, 404, 404, 404, 404, 404, 404, 404, pk="meeting"),
    # Quarterly reports and the partnership plan: coordinators and analysts; the plan is read by the partnership.
    "report_list": row(302, 403, 403, 403, 403, 403, 403, 200, 403, 403),
    "report_run_detail": row(302, 403, 403, 403, 403, 403, 403, 200, 403, 403, pk="report_run"),
    "report_run_progress": row(302, 403, 403, 403, 403, 403, 403, 200, 403, 403, pk="report_run"),
    "report_run_retry": row(302, 403, 403, 403, 403, 403, 403, 302, 403, 403, pk="report_run", method="POST"),
    "report_run_download": row(302, 403, 403, 403, 403, 403, 403, 404, 403, 403, pk="report_run"),  # admitted, but the run has not finished
    "priority_list": row(302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "priority_create": row(302, 403, 403, 403, 403, 403, 403, 200, 403, 403),
    "priority_detail": row(302, 200, 200, 200, 200, 200, 404, 200, 200, 200, pk="priority"),
    "priority_edit": row(302, 403, 403, 403, 403, 403, 403, 200, 403, 403, pk="priority"),
    "priority_quarter": row(302, 200, 200, 200, 200, 200, 404, 200, 200, 200, pk="priority"),
    "narrative_edit": row(302, 403, 403, 403, 403, 403, 404, 200, 403, 403, pk="priority"),
    "action_create": row(302, 403, 403, 403, 403, 403, 404, 200, 403, 403, pk="priority"),
    "measure_create": row(302, 403, 403, 403, 403, 403, 404, 200, 403, 403, pk="priority"),
    "action_edit": row(302, 403, 403, 403, 403, 403, 404, 200, 403, 403, pk="plan_action"),
    "action_update_edit": row(302, 403, 403, 403, 403, 403, 404, 200, 403, 403, pk="plan_action"),
    "measure_edit": row(302, 403, 403, 403, 403, 403, 404, 200, 403, 403, pk="measure"),
    "measure_value_edit": row(302, 403, 403, 403, 403, 403, 404, 200, 403, 403, pk="measure"),
    # Information governance: the audit trail is the DPO's (and supervisors'), subject access the DPO's and coordinators',
    # retention reviews the coordinators'.
    "audit_search": row(302, 403, 403, 403, 403, 403, 403, 403, 200, 403),
    "audit_export": row(302, 403, 403, 403, 403, 403, 403, 403, 200, 403),
    "audit_chain": row(302, 403, 403, 403, 403, 403, 403, 403, 200, 403),
    "subject_access_list": row(302, 403, 403, 403, 403, 403, 403, 200, 200, 403),
    "subject_access_new": row(302, 403, 403, 403, 403, 403, 403, 200, 200, 403),
    "subject_access_detail": row(302, 403, 403, 403, 403, 403, 403, 200, 200, 403),
    "subject_access_progress": row(302, 403, 403, 403, 403, 403, 403, 200, 200, 403),
    "subject_access_retry": row(302, 403, 403, 403, 403, 403, 403, 302, 302, 403, method="POST"),
    "subject_access_download": row(302, 403, 403, 403, 403, 403, 403, 404, 404, 403),  # admitted, but no response has been produced yet
    "retention_list": row(302, 403, 403, 403, 403, 403, 403, 200, 403, 403),
    "retention_review": row(302, 403, 403, 403, 403, 403, 403, 200, 403, 403),
    "case_export": row(302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
}


# The objects of the case (or of the lead caseworker) a URL's <pk> or <..._id> may name.
KWARG_OBJECTS = {
    "reference": "case",
    "document_id": "document",
    "link_id": "case_person",
    "person_id": "person",
    "household_id": "household",
    "item": "agenda_item",
    "attendance": "attendance",
    "declaration": "declaration",
    "action": "meeting_action",
    "request_id": "subject_access_request",
    "review_id": "retention_review",
    "year": "year",
    "quarter": "quarter",
    "kind": "download_kind",
}


def _walk(patterns, prefix="", namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else (entry.namespace or namespace)
            if (entry.namespace or "") in EXCLUDED_NAMESPACES:
                continue
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield name, prefix + str(entry.pattern), entry


def project_urls() -> list[tuple[str, str, URLPattern]]:
    """Every URL pattern of the project except the excluded namespaces, as (name, pattern, entry)."""
    return list(_walk(get_resolver().url_patterns))


def test_every_url_pattern_has_an_entry_in_the_matrix():
    missing = [f"add an entry for {name} {pattern} in AUTHORIZATION_MATRIX" for name, pattern, _ in project_urls() if name not in AUTHORIZATION_MATRIX]
    assert not missing, "\n".join(missing)
    unnamed = [pattern for name, pattern, _ in project_urls() if not name]
    assert not unnamed, f"name these URL patterns so that the matrix can list them: {unnamed}"
    stale = sorted(set(AUTHORIZATION_MATRIX) - {name for name, _, _ in project_urls()})
    assert not stale, f"these matrix entries name no URL pattern any more: {stale}"


@pytest.fixture
def world(db, partnership, other_partnership, police, council, housing, fire, media_root):  # noqa: F811
    """One case with an agency in each relationship to it, and one caseworker of each."""
    other = make_agency(partnerships=[partnership], name="Soham Town Council", slug="soham-tc", short_name="Soham TC", kind=Agency.Kind.OTHER)
    far = make_agency(partnerships=[other_partnership], name="Fenland District Council", slug="fdc", short_name="FDC", kind=Agency.Kind.DISTRICT_COUNCIL)
    users = {
        "lead": make_member(agency=police, partnership=partnership, username="m-lead"),
        "contributor": make_member(agency=council, partnership=partnership, username="m-contributor"),
        "information": make_member(agency=housing, partnership=partnership, username="m-information"),
        "group_member": make_member(agency=fire, partnership=partnership, username="m-group"),
        "other_agency": make_member(agency=other, partnership=partnership, username="m-other"),
        "other_partnership": make_member(agency=far, partnership=other_partnership, username="m-far"),
    }
    lead = Actor(user=users["lead"], agency=police)
    case = make_case(partnership=partnership, lead_agency=police, summary="Stones thrown at windows on Fordham Road")
    grant(case, council, CaseAccess.Level.CONTRIBUTOR)
    grant(case, housing, CaseAccess.Level.INFORMATION)
    from referrals.services.referrals import group_referral_send

    group = make_group(partnership=partnership, member_agencies=[fire])
    group_referral = group_referral_send(actor=lead, case=case, group=group, reason="Persistent and escalating", referred_on=case.opened_on)

    link = put_on_case(case=case, actor=lead)
    household = household_create(actor=lead, name="The Clarke household", members=[link.person])
    make_incident(case=case, on=case.opened_on, reported_by=link.person, actor=lead)
    review = case_review_request_record(actor=lead, case=case, requested_on=case.opened_on, requested_by=link.person)
    from casework.models import InterventionType

    intervention = make_intervention(case=case, type=InterventionType.ABC, delivering_agency=police, actor=lead,
                                     start_on=case.opened_on)
    action = make_action(case=case, actor=lead, due_on=timezone.localdate() + timedelta(days=7))
    make_note(case=case, agency=police, user=users["lead"])
    document = make_document(case=case, agency=police, user=users["lead"])
    referral = make_referral(case=case, from_agency=police, to_agency=council, by=users["lead"], purpose=Referral.Purpose.CONTRIBUTE)
    rule = make_rule(partnership=partnership, lead_agency=police, name="Matrix rule")
    from agencies.notifications import notification_send

    notification = notification_send(users=[users["lead"]], text="Matrix notification", email=False)[0]
    objects = {
        **_meetings_reports_and_governance(partnership=partnership, police=police, group=group, case=case, person=link.person, lead=lead),
        "case": case.reference, "case_person": link.pk, "person": link.person_id, "household": household.pk,
        "case_review_request": review.pk, "intervention": intervention.pk, "action": action.pk, "document": document.pk,
        "group_referral": group_referral.pk, "referral": referral.pk, "routing_rule": rule.pk, "notification": notification.pk,
    }
    users["coordinator"] = make_member(agency=other, partnership=partnership, role=Membership.Role.COORDINATOR, username="m-coordinator")
    users["dpo"] = make_member(agency=other, partnership=partnership, role=Membership.Role.DPO, username="m-dpo")
    users["chair"] = make_member(agency=other, partnership=partnership, role=Membership.Role.CHAIR, username="m-chair")
    group.chair = users["chair"]
    group.save(update_fields=["chair"])
    return users, objects


def _meetings_reports_and_governance(*, partnership, police, group, case, person, lead) -> dict:
    """A meeting of the group with an agenda item, an attendee, a declaration and an action; a quarterly report run, a
    plan priority with an action and a measure; a subject access request about the case's person; a closed case
    under retention review. Made directly where the services want a chair, a coordinator or a DPO."""
    from datetime import time

    from casework.models import RetentionReview, SubjectAccessRequest
    from meetings.models import AgendaItem, Attendance, Declaration, Meeting, MeetingAction
    from reports.models import PlanAction
    from reports.quarters import Quarter
    from reports.services.runs import report_run_request
    from tests.casework.factories_governance import make_closed_case
    from tests.reports.factories_reports import make_measure, make_priority

    meeting = Meeting.objects.create(group=group, held_on=case.opened_on + timedelta(days=14), starts_at=time(10, 0), venue="AVRO House, Witchford")
    item = AgendaItem.objects.create(meeting=meeting, section=AgendaItem.Section.REVIEW, position=1, kind=AgendaItem.Kind.CASE, title=case.reference, case=case)
    attendance = Attendance.objects.create(meeting=meeting, name="PC Tony Barrios", agency=police)
    declaration = Declaration.objects.create(item=item, attendee=attendance, interest="Knows the family")
    meeting_action = MeetingAction.objects.create(item=item, description="Visit the family with the housing officer", owner_agency=police)
    priority = make_priority(partnership=partnership)
    plan_action = PlanAction.objects.create(priority=priority, number="4.1", text="Joint patrols in Soham", lead_agency="Police")
    quarter = Quarter(2025, 3)
    run = report_run_request(actor=lead, partnership=partnership, quarter=quarter, enqueue=False)
    closed = make_closed_case(partnership=partnership, lead_agency=police, opened_on=date(2018, 1, 8), closed_on=date(2019, 2, 1))
    review = RetentionReview.objects.create(case=closed, retention_ends_on=date(2025, 2, 1))
    request = SubjectAccessRequest.objects.create(partnership=partnership, person=person, request_reference="SAR-2026-001", received_on=case.opened_on)
    return {
        "meeting": meeting.pk, "agenda_item": item.pk, "attendance": attendance.pk, "declaration": declaration.pk,
        "meeting_action": meeting_action.pk, "group": group.pk, "priority": priority.pk, "plan_action": plan_action.pk,
        "measure": make_measure(priority=priority).pk, "report_run": run.pk, "year": quarter.year, "quarter": quarter.number,
        "subject_access_request": request.pk, "retention_review": review.pk, "download_kind": "pdf",
    }


def _kwargs(entry: URLPattern, spec: Row, objects: dict) -> dict:
    kwargs = {}
    for name in entry.pattern.converters:
        if name in ("uidb64", "token"):
            kwargs[name] = {"uidb64": "MQ", "token": "set-password"}[name]
        elif name == "pk":
            assert spec.pk, f"say which object <pk> is in the matrix entry (pk=...), one of {sorted(objects)}"
            kwargs[name] = objects[spec.pk]
        else:
            kwargs[name] = objects[KWARG_OBJECTS[name]]
    return kwargs


def _visit(client, url: str, method: str) -> int:
    if method == "GET":
        return client.get(url).status_code
    # An empty request, its writes undone afterwards: every caller meets the same data.
    with transaction.atomic():
        if method == "POST":
            status = client.post(url).status_code
        else:
            status = client.generic(method, url, data="{}", content_type="application/json").status_code
        transaction.set_rollback(True)
    return status


def test_every_caller_gets_the_declared_answer_at_every_address(client, world, settings):
    users, objects = world
    observed, wrong = {}, []
    for name, pattern, entry in project_urls():
        spec = AUTHORIZATION_MATRIX.get(name)
        if spec is None:
            continue  # named by test_every_url_pattern_has_an_entry_in_the_matrix
        url = reverse(name, kwargs=_kwargs(entry, spec, objects))
        statuses = []
        for role, expected in zip(ROLES, spec.statuses, strict=True):
            client.logout()
            if role != "anonymous":
                client.force_login(users[role])
            statuses.append(_visit(client, url, spec.method))
        observed[name] = tuple(statuses)
        if tuple(statuses) != spec.statuses:
            got = ", ".join(f"{role} {s}" + (f" (declared {e})" if s != e else "") for role, s, e in zip(ROLES, statuses, spec.statuses))
            wrong.append(f"{name} {pattern} [{spec.method}]: {got}")
    if os.environ.get("PRINT_AUTHORIZATION_MATRIX"):
        for name, statuses in observed.items():
            print(f'    "{name}": row{statuses},')
    assert not wrong, "Answers differ from AUTHORIZATION_MATRIX:\n" + "\n".join(wrong)


def test_anonymous_pages_redirect_to_sign_in_and_the_api_answers_401(client, world):
    _, objects = world
    for name, pattern, entry in project_urls():
        spec = AUTHORIZATION_MATRIX.get(name)
        if spec is None or spec.statuses[0] not in (302, 401):
            continue
        response = client.get(reverse(name, kwargs=_kwargs(entry, spec, objects))) if spec.method == "GET" else None
        if response is None:
            continue
        if spec.statuses[0] == 302:
            assert response["Location"].startswith(reverse("login")), name
        else:
            assert response.status_code == 401 and "WWW-Authenticate" in response, name
