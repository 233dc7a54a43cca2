"""Demo: the East Cambridgeshire ASB Casework Group meets monthly on the second Tuesday at Sanctuary Housing, AVRO
House, Witchford. Its last meeting is held and minuted (minutes 76 to 86, continuing the paper minutes), and the next
meeting's agenda is built and issued. Runs after the referrals and cases demos; idempotent, through the services."""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from agencies.models import CaseworkGroup
from audit.services import Actor
from casework.models import Case
from meetings.models import AgendaItem, Attendance, GroupSchedule, Meeting, MeetingChange
from meetings.services.agenda import agenda_build, agenda_issue, agenda_item_add
from meetings.services.minutes import minutes_publish
from meetings.services.room import attendance_record, declaration_record, item_minutes_save, meeting_action_add
from meetings.services.schedule import group_schedule_set, meeting_move, meetings_generate, schedule_day
from referrals.models import GroupReferral
from referrals.services.referrals import group_referral_send

GROUP_NAME = "East Cambridgeshire ASB Casework Group"
FIRST_MINUTE = 76

# Cases the lead agencies brought to the group before its last meeting: summary, username, agency, reason.
REFERRED = [
    ("Family in dispute with neighbours over parking and threats", "police-caseworker", "cambs-police",
     "Threats between two families over parking have gone on for months; mediation needs the council and the "
     "housing provider alongside the police."),
    ("Street drinking in the market square", "council-caseworker", "ecdc",
     "Persistent street drinking and urination in the market square; traders want a Public Spaces Protection "
     "Order considered, with the Drug and Alcohol Action Team offering treatment referrals."),
    ("Off-road bikes on council open space", "council-caseworker", "ecdc",
     "Riders are now using the bikes on the roads as well; the police's help with Section 59 warnings is needed."),
    ("Group of young people damaging bus shelter", "yos-caseworker", "cambs-yos",
     "Three young people known to the Youth Offending Service; the group's support is needed for ABCs and "
     "diversionary activities."),
]

# What the last meeting decided on each case: summary -> (minute, decision, [(action, owner username or agency:slug)]).
# The group kept the case that meets the ASB Case Review threshold and handed the others back to their leads.
DECISIONS = {
    "Family in dispute with neighbours over parking and threats": (
        "Mediation agreed by both families in September; no incidents reported in eight weeks. The group has done "
        "its part: the case returns to the police, who will close it if it stays quiet.",
        AgendaItem.Decision.RETURN, [],
    ),
    "Street drinking in the market square": (
        "Reports have fallen since the dispersal direction in October, but traders still report drinking at the "
        "weekends. The council will consult on a Public Spaces Protection Order and lead without the group; it "
        "comes back if reports rise.",
        AgendaItem.Decision.RETURN,
        [("Draft the consultation on a Public Spaces Protection Order for the market square", "agency:ecdc")],
    ),
    "Repeated intimidation of elderly neighbour": (
        "The victim's son asked for an ASB Case Review: five incidents since the summer and the victim is afraid to "
        "go out. The group agreed to refer the case for review and to keep it.",
        AgendaItem.Decision.CASE_REVIEW,
        [("Visit the victim with the neighbourhood team and update the risk assessment", "police-caseworker")],
    ),
    "Off-road bikes on council open space": (
        "The police have given Section 59 warnings to two riders. The council leads on the open space, with the "
        "neighbourhood team's help, outside the group.",
        AgendaItem.Decision.RETURN,
        [("Share the riders' descriptions and the times seen with the neighbourhood team", "council-caseworker")],
    ),
    "Group of young people damaging bus shelter": (
        "The Youth Offending Service has met two of the three families. ABCs will be offered to all three; the "
        "Youth Offending Service will manage them.",
        AgendaItem.Decision.RETURN, [("Offer Acceptable Behaviour Contracts to the three young people", "agency:cambs-yos")],
    ),
}

# Any other business at the last meeting: title, minute.
OTHER_BUSINESS = [
    ("Update from the PPO coordinator",
     "Jenny Massie reported that two of the district's prolific offenders are in custody; the third is engaging "
     "with the Integrated Offender Management team."),
    ("Bin sticker initiative",
     "Parish councils are keen to be involved. The county council and the district council will meet to finalise "
     "a revised design. Lyn Hesse and PC Tony Barrios to take this forward."),
    ("Forthcoming consultations", "None noted."),
]

PRESENT = [
    ("police-chair", None, "cambs-police", "Chair"),
    ("police-caseworker", None, "cambs-police", ""),
    (None, "Jenny Massie", "cambs-police", "PPO coordinator"),
    ("council-caseworker", None, "ecdc", ""),
    ("housing-caseworker", None, "sanctuary", "Host"),
    ("yos-caseworker", None, "cambs-yos", ""),
    ("fire-caseworker", None, "cambs-fire", ""),
]
APOLOGIES = [("coordinator", None, "ecdc"), (None, "Locality Team representative", "cambs-locality")]


def _users():
    return {user.username: user for user in get_user_model().objects.filter(username__in=[
        "police-chair", "police-caseworker", "council-caseworker", "housing-caseworker", "yos-caseworker", "fire-caseworker", "coordinator",
    ])}


def _last_slot(today):
    """The schedule's meeting day before today: the second Tuesday of this month or the month before."""
    slot = schedule_day(year=today.year, month=today.month, weekday=1, week_of_month=2)
    if slot < today:
        return slot
    year, month = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    return schedule_day(year=year, month=month, weekday=1, week_of_month=2)


def _refer(group, partnership, agencies, users, cut_off_day):
    for summary, username, slug, reason in REFERRED:
        case = Case.objects.filter(partnership=partnership, summary=summary).first()
        if case is None or case.is_closed or case.lead_agency.slug != slug or GroupReferral.objects.filter(case=case, group=group).exists():
            continue
        referred_on = min(case.opened_on + timedelta(days=3), cut_off_day)
        if referred_on < case.opened_on:
            continue
        group_referral_send(actor=Actor(user=users[username], agency=agencies[slug]), case=case, group=group, reason=reason, referred_on=referred_on)


def _owner(value, users, agencies):
    kind, _, name = value.partition(":")
    return {"owner_agency": agencies[name]} if kind == "agency" else {"owner_user": users[value]}


def _hold_last_meeting(group, chair, users, agencies, today):
    slot = _last_slot(today)
    meeting = Meeting.objects.filter(group=group, scheduled_for=slot).first()
    if meeting is None:
        meeting = meetings_generate(actor=chair, group=group, today=slot, months_ahead=0)[0]
    if meeting.minutes_published_at is not None:
        return meeting
    if meeting.agenda_built_at is None:
        agenda_build(actor=chair, meeting=meeting, cut_off=timezone.make_aware(datetime.combine(slot - timedelta(days=7), time(17, 0))))
        for title, _ in OTHER_BUSINESS:
            agenda_item_add(actor=chair, meeting=meeting, title=title)
    if not Attendance.objects.filter(meeting=meeting).exists():
        for username, name, slug, role in PRESENT:
            attendance_record(actor=chair, meeting=meeting, agency=agencies[slug], status="present", user=users.get(username), name=name or "", role=role)
        for username, name, slug in APOLOGIES:
            attendance_record(actor=chair, meeting=meeting, agency=agencies[slug], status="apologies", user=users.get(username), name=name or "")
    items = {item.case.summary if item.case_id else item.title: item for item in meeting.items.select_related("case")}
    declarations = items["Declarations of interest"]
    if not declarations.declarations.exists():
        declaration_record(actor=chair, item=declarations, attendee=Attendance.objects.get(meeting=meeting, name="Dev Patel"),
                           interest="A personal interest in the bus shelter case: a relative lives on the estate.")
        item_minutes_save(actor=chair, item=declarations, minute_text="Dev Patel declared a personal interest, and took no part in the discussion of the bus shelter case.")
    item_minutes_save(actor=chair, item=items["Minutes of the previous meeting and matters arising"],
                      minute_text="The minutes of the previous meeting, kept on paper, were accepted as a correct record. There were no matters arising.")
    for summary, (minute, decision, actions) in DECISIONS.items():
        item = items.get(summary)
        if item is None:
            continue
        item_minutes_save(actor=chair, item=item, minute_text=minute, decision=decision)
        if not item.actions.exists():
            for description, owner in actions:
                meeting_action_add(actor=chair, item=item, description=description, due_on=slot + timedelta(days=28), **_owner(owner, users, agencies))
    for title, minute in OTHER_BUSINESS:
        item_minutes_save(actor=chair, item=items[title], minute_text=minute)
    stickers = items["Bin sticker initiative"]
    if not stickers.actions.exists():
        for username in ("council-caseworker", "police-caseworker"):
            meeting_action_add(actor=chair, item=stickers, description="Finalise the bin sticker design with the parish councils",
                               owner_user=users[username], due_on=slot + timedelta(days=28))
    return minutes_publish(actor=chair, meeting=meeting)


def _prepare_next_meeting(group, chair, users, agencies, today):
    upcoming = list(Meeting.objects.filter(group=group, held_on__gte=today, status=Meeting.Status.SCHEDULED).order_by("held_on")[:2])
    if not upcoming:
        return None
    following = upcoming[1] if len(upcoming) > 1 else None
    if following is not None and not MeetingChange.objects.filter(meeting__group=group).exists():
        meeting_move(actor=chair, meeting=following, held_on=following.held_on + timedelta(days=7), starts_at=following.starts_at,
                     venue=following.venue, reason="The Sanctuary meeting room is booked for staff training on the usual day")
    meeting = upcoming[0]
    if meeting.agenda_built_at is None:
        agenda_build(actor=chair, meeting=meeting)
        agenda_issue(actor=chair, meeting=meeting)
    return meeting


def seed(*, partnerships, agencies, stdout, **_):
    partnership = partnerships["east-cambridgeshire"]
    group = CaseworkGroup.objects.filter(partnership=partnership, name=GROUP_NAME).first()
    users = _users()
    if group is None or group.chair is None or "police-chair" not in users:
        return
    chair = Actor(user=group.chair, agency=agencies["cambs-police"])
    today = timezone.localdate()
    if not GroupSchedule.objects.filter(group=group).exists():
        group_schedule_set(actor=chair, group=group, weekday=1, week_of_month=2, starts_at=time(10, 0), venue="",
                           months_ahead=3, cut_off_days=7, first_minute_number=FIRST_MINUTE)
    last = Meeting.objects.filter(group=group, minutes_published_at__isnull=False).order_by("-held_on").first()
    if last is None:
        cut_off_day = _last_slot(today) - timedelta(days=7)
        _refer(group, partnership, agencies, users, cut_off_day)
        last = _hold_last_meeting(group, chair, users, agencies, today)
        stdout.write(f"Meetings: the meeting of {last.held_on:%d %B %Y} held, with minutes {FIRST_MINUTE} onwards.")
    following = Meeting.objects.filter(group=group, held_on__gte=today, status=Meeting.Status.SCHEDULED).order_by("held_on").first()
    if following is not None and following.agenda_built_at is None:
        _prepare_next_meeting(group, chair, users, agencies, today)
        stdout.write(f"Meetings: the agenda of {following.held_on:%d %B %Y} built and issued.")
