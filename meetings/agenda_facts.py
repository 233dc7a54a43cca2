"""What the group pack says about each case: facts and what happened since the last meeting, with no names of people.

Read in a fixed number of queries however many cases there are (one for the cases, one per kind of related row),
so that an agenda of 60 cases builds as fast as one of 5.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Prefetch, Q
from django.utils import timezone

from agencies.models import CaseworkGroup
from casework.models import Action, Case, CasePerson, Incident, Intervention
from referrals.selectors.referrals import cases_with_group

REDACTED = "[name]"
MAX_LINES = 6


def short_day(value: date) -> str:
    """3 Mar 2026"""
    return f"{value.day} {value:%b %Y}"


def names_pattern(people) -> re.Pattern | None:
    """A pattern matching, as whole words, the names and aliases of the people on a case."""
    names = set()
    for person in people:
        for name in (person.first_name, person.last_name, *re.split(r"[,;]", person.aliases or "")):
            name = name.strip()
            if len(name) >= 2:
                names.add(name)
    if not names:
        return None
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)


def redact(text: str, pattern: re.Pattern | None) -> str:
    """Free text from a case with the names of its people taken out: the pack names no one."""
    text = (text or "").strip()
    return pattern.sub(REDACTED, text) if pattern is not None and text else text


def _lines(items: list[str]) -> dict:
    shown = items[:MAX_LINES]
    return {"count": len(items), "lines": shown, "more": len(items) - len(shown)}


@dataclass(frozen=True)
class Window:
    """From the previous meeting's cut-off (exclusive) to this meeting's cut-off (inclusive)."""

    since: datetime
    until: datetime

    @property
    def since_day(self) -> date:
        return timezone.localdate(self.since)

    @property
    def until_day(self) -> date:
        return timezone.localdate(self.until)


def group_cases_at_cut_off(group: CaseworkGroup, *, window: Window):
    """The cases with the group now that were referred by the cut-off, with what the pack needs, prefetched."""
    incidents = Incident.objects.filter(occurred_at__gt=window.since, occurred_at__lte=window.until).order_by("occurred_at", "id")
    interventions = (
        Intervention.objects.filter(start_on__gt=window.since_day, start_on__lte=window.until_day)
        .select_related("delivering_agency")
        .order_by("start_on", "id")
    )
    actions = Action.objects.filter(
        Q(done_on__gt=window.since_day, done_on__lte=window.until_day) | Q(done_on__isnull=True, due_on__lt=window.until_day)
    ).order_by("due_on", "id")
    people = CasePerson.objects.select_related("person").order_by("id")
    return (
        cases_with_group(group)
        .filter(group_referred_on__lte=window.until_day)
        .prefetch_related(
            Prefetch("incidents", queryset=incidents, to_attr="window_incidents"),
            Prefetch("interventions", queryset=interventions, to_attr="window_interventions"),
            Prefetch("actions", queryset=actions, to_attr="window_actions"),
            Prefetch("case_people", queryset=people, to_attr="pack_people"),
        )
    )


def case_facts(case: Case, *, window: Window, meeting_day: date) -> dict:
    """The item's summary as the pack shows it, from a case read by group_cases_at_cut_off."""
    pattern = names_pattern(link.person for link in case.pack_people)
    incidents = [
        f"{short_day(timezone.localdate(i.occurred_at))}: reported by {i.get_channel_display().lower()}"
        + ("; hate-motivated" if i.is_hate_motivated else "")
        for i in case.window_incidents
    ]
    interventions = [
        f"{i.get_type_display()} by {i.delivering_agency.name}, from {short_day(i.start_on)} ({i.get_status_display().lower()})"
        for i in case.window_interventions
    ]
    done = [
        f"{redact(a.description, pattern)} (done {short_day(a.done_on)})"
        for a in case.window_actions
        if a.done_on is not None
    ]
    overdue = [
        f"{redact(a.description, pattern)} (due {short_day(a.due_on)})"
        for a in case.window_actions
        if a.done_on is None
    ]
    review_due = case.next_review_on is not None and case.next_review_on <= meeting_day
    return {
        "reference": case.reference,
        "summary": redact(case.summary, pattern),
        "category": case.get_category_display(),
        "kind": case.kind.name if case.kind_id else "",
        "subject_type": case.get_subject_type_display(),
        "lead_agency": case.lead_agency.name,
        "risk_level": case.risk_level,
        "risk": case.get_risk_level_display(),
        "status": case.get_status_display(),
        "opened_on": case.opened_on.isoformat(),
        "referred_on": case.group_referred_on.isoformat() if case.group_referred_on else None,
        "referral_reason": redact(case.group_reason, pattern),
        "next_review_on": case.next_review_on.isoformat() if case.next_review_on else None,
        "next_review_label": short_day(case.next_review_on) if case.next_review_on else "",
        "review_due": review_due,
        "over_threshold": case.case_review_flagged_at is not None,
        "threshold_rule": case.case_review_rule,
        "since": window.since_day.isoformat(),
        "since_label": short_day(window.since_day),
        "cut_off": window.until_day.isoformat(),
        "incidents": _lines(incidents),
        "interventions_started": _lines(interventions),
        "actions_done": _lines(done),
        "actions_overdue": _lines(overdue),
    }
