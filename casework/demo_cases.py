"""Demo: lead officers on the demo cases, a couple of closed cases and one reopened, so that the dashboard,
the case list's filters and a case's history have something to show. Runs after casework.demo; idempotent."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import Actor
from casework.models import Case
from casework.services.cases import case_close, case_reopen, case_update

# The caseworker who leads each agency's demo cases (usernames from agencies/demo.py).
LEAD_OFFICERS = {
    "cambs-police": "police-caseworker",
    "ecdc": "council-caseworker",
    "sanctuary": "housing-caseworker",
    "cambs-fire": "fire-caseworker",
    "cambs-yos": "yos-caseworker",
}

# summary, outcome, reason, days ago closed
CLOSED = [
    ("Graffiti on the railway underpass", "resolved", "Network Rail cleaned the underpass and fitted lighting; no repeat in eight weeks.", 20),
    ("Dog fouling on the primary school path", "no_further_action", "Signs and bins installed by the parish council; no further reports since.", 45),
]
REOPENED = (
    "Fly tipping on the drove road", "resolved", "Waste cleared and the drove gated by the landowner.", 30,
    "Further tipping reported by Sutton parish council; the gate has been forced.",
)
OVERDUE_REVIEW = ("Repeated intimidation of elderly neighbour", 3)


def _actor_for(case, users):
    user = users.get(LEAD_OFFICERS.get(case.lead_agency.slug))
    return Actor(user=user, agency=case.lead_agency)


def seed(*, partnerships, agencies, stdout, **_):
    partnership = partnerships["east-cambridgeshire"]
    cases = {case.summary: case for case in Case.objects.filter(partnership=partnership).select_related("lead_agency")}
    if not cases:
        return
    users = {user.username: user for user in get_user_model().objects.filter(username__in=LEAD_OFFICERS.values())}
    today = timezone.localdate()
    changed = 0

    for case in cases.values():
        officer = users.get(LEAD_OFFICERS.get(case.lead_agency.slug))
        if case.lead_officer_id is None and officer is not None and not case.is_closed:
            case_update(actor=_actor_for(case, users), case=case, expected_version=case.version, lead_officer=officer)
            changed += 1

    summary, days_overdue = OVERDUE_REVIEW
    case = Case.objects.filter(partnership=partnership, summary=summary).first()
    if case is not None and case.next_review_on and case.next_review_on >= today:
        case_update(actor=_actor_for(case, users), case=case, expected_version=case.version, next_review_on=today - timedelta(days=days_overdue))
        changed += 1

    for summary, outcome, reason, days_ago in CLOSED:
        case = Case.objects.filter(partnership=partnership, summary=summary).first()
        if case is not None and not case.is_closed:
            case_close(actor=_actor_for(case, users), case=case, outcome=outcome, reason=reason, closed_on=max(case.opened_on, today - timedelta(days=days_ago)))
            changed += 1

    summary, outcome, reason, days_ago, reopen_reason = REOPENED
    case = Case.objects.filter(partnership=partnership, summary=summary).first()
    already = case is not None and AuditEvent.objects.filter(case_id=case.pk, detail__startswith="Case reopened").exists()
    if case is not None and not already:
        actor = _actor_for(case, users)
        if not case.is_closed:
            case = case_close(actor=actor, case=case, outcome=outcome, reason=reason, closed_on=max(case.opened_on, today - timedelta(days=days_ago)))
        case_reopen(actor=actor, case=case, reason=reopen_reason)
        changed += 1

    if changed:
        stdout.write(f"Cases: {changed} demo changes (lead officers, closed and reopened cases).")
