"""The monthly ASB casework group's meetings: schedule, agenda, what happens in the room, minutes and packs."""

from django.conf import settings
from django.db import models

from agencies.models import Agency, CaseworkGroup
from casework.models import Action, Case, CaseReviewRequest


class GroupSchedule(models.Model):
    """When a group meets: monthly, on the nth weekday (or the last one) of the month, at a time."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"

    class Week(models.IntegerChoices):
        FIRST = 1, "First"
        SECOND = 2, "Second"
        THIRD = 3, "Third"
        FOURTH = 4, "Fourth"
        LAST = -1, "Last"

    group = models.OneToOneField(CaseworkGroup, on_delete=models.CASCADE, related_name="schedule")
    week_of_month = models.SmallIntegerField(choices=Week.choices, default=Week.SECOND)
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, default=Weekday.TUESDAY)
    starts_at = models.TimeField(default="10:00")
    venue = models.CharField(max_length=300, blank=True, help_text="Leave empty to use the group's default venue")
    months_ahead = models.PositiveSmallIntegerField(default=3, help_text="How far ahead meetings are kept in the calendar")
    cut_off_days = models.PositiveSmallIntegerField(default=7, help_text="Days before the meeting that the agenda is cut off")
    # Groups that kept minutes on paper before continue their numbering here.
    first_minute_number = models.PositiveIntegerField(default=1)
    is_active = models.BooleanField(default=True)

    def __str__(self):
        week = self.get_week_of_month_display().lower()
        return f"Monthly on the {week} {self.get_weekday_display()} at {self.starts_at:%H:%M}"


class Meeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    group = models.ForeignKey(CaseworkGroup, on_delete=models.PROTECT, related_name="meetings")
    # The schedule's date for this meeting: kept when the meeting moves, so that generation never adds it again.
    scheduled_for = models.DateField(null=True, blank=True)
    held_on = models.DateField()
    starts_at = models.TimeField()
    venue = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    cancelled_reason = models.CharField(max_length=300, blank=True)

    agenda_cut_off = models.DateTimeField(null=True, blank=True, help_text="What happened up to this moment goes on the agenda")
    agenda_built_at = models.DateTimeField(null=True, blank=True)
    agenda_issued_at = models.DateTimeField(null=True, blank=True)
    # Item 3: what this meeting said of the previous meeting's minutes.
    previous_minutes_approval = models.CharField(
        max_length=20,
        blank=True,
        choices=[("correct", "Accepted as a correct record"), ("subject_to", "Accepted as a correct record, subject to alterations")],
    )
    previous_minutes_alterations = models.TextField(blank=True)
    minutes_published_at = models.DateTimeField(null=True, blank=True)
    minutes_published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    approved_at_meeting = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["held_on", "starts_at", "id"]
        constraints = [models.UniqueConstraint(fields=["group", "scheduled_for"], name="meeting_one_per_schedule_slot")]
        indexes = [models.Index(fields=["group", "held_on"], name="meeting_group_date_idx")]

    def __str__(self):
        return f"{self.group}, {self.held_on.day} {self.held_on:%B %Y}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def minutes_published(self) -> bool:
        return self.minutes_published_at is not None


class MeetingChange(models.Model):
    """A meeting moved or cancelled, with the reason: noted formally on the next agenda."""

    class Kind(models.TextChoices):
        MOVED = "moved", "Moved"
        CANCELLED = "cancelled", "Cancelled"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    old_held_on = models.DateField()
    old_starts_at = models.TimeField()
    old_venue = models.CharField(max_length=300, blank=True)
    new_held_on = models.DateField(null=True, blank=True)
    new_starts_at = models.TimeField(null=True, blank=True)
    new_venue = models.CharField(max_length=300, blank=True)
    reason = models.CharField(max_length=300)
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    noted_at_meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="noted_changes")

    class Meta:
        ordering = ["changed_at", "id"]


class AgendaItem(models.Model):
    """One item of a meeting's agenda, and what the meeting recorded against it."""

    class Section(models.IntegerChoices):
        INTRODUCTIONS = 1, "Introductions and apologies"
        DECLARATIONS = 2, "Declarations of interest"
        PREVIOUS_MINUTES = 3, "Minutes of the previous meeting and matters arising"
        NEW_REFERRALS = 4, "New referrals to the group"
        REVIEW = 5, "Cases for review"
        CASE_REVIEW_THRESHOLD = 6, "Cases over the ASB Case Review threshold"
        PROPOSED_CLOSURE = 7, "Cases proposed for closure"
        OTHER_BUSINESS = 8, "Any other business"
        NEXT_MEETING = 9, "Date of next meeting"

    class Kind(models.TextChoices):
        STANDING = "standing", "Standing item"
        CASE = "case", "Case"
        ADDED = "added", "Added by the chair"

    class Decision(models.TextChoices):
        KEEP_OPEN = "keep_open", "Keep open with the group"
        CHANGE_LEAD = "change_lead", "Change the lead agency"
        CLOSE = "close", "Close the case"
        ESCALATE = "escalate", "Escalate: high risk, reviewed at every meeting"
        CASE_REVIEW = "case_review", "Refer for an ASB Case Review"
        RETURN = "return", "Return to the lead agency"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    section = models.PositiveSmallIntegerField(choices=Section.choices)
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="agenda_items")
    # The case as the group pack shows it, taken at the cut-off: no names of people.
    facts = models.JSONField(default=dict, blank=True)
    proposed_for_closure = models.BooleanField(default=False)
    closure_proposed_by = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    closure_reason = models.CharField(max_length=300, blank=True)

    minute_text = models.TextField(blank=True)
    minute_number = models.PositiveIntegerField(null=True, blank=True)
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    decision_lead_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decision_outcome = models.CharField(max_length=30, choices=Case.Outcome.choices, blank=True)
    decision_applied_at = models.DateTimeField(null=True, blank=True)
    case_review_request = models.ForeignKey(CaseReviewRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["meeting", "section", "position", "id"]
        indexes = [models.Index(fields=["meeting", "section", "position"], name="agenda_item_order_idx")]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "case"], condition=models.Q(case__isnull=False), name="agenda_item_case_once"),
        ]

    def __str__(self):
        return self.title

    FACT_BLOCKS = (
        ("incidents", "Incidents"),
        ("interventions_started", "Interventions started"),
        ("actions_done", "Actions done"),
        ("actions_overdue", "Actions overdue"),
    )

    @property
    def fact_blocks(self) -> list[tuple[str, dict]]:
        """What happened since the last meeting, as (label, {count, lines, more}) for the templates."""
        return [(label, self.facts[key]) for key, label in self.FACT_BLOCKS if key in self.facts]


class Attendance(models.Model):
    """Someone present, on behalf of an agency, or who sent apologies."""

    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Apologies"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(max_length=200)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=100, blank=True, help_text="For example Chair, PPO coordinator")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PRESENT)

    class Meta:
        ordering = ["status", "agency__name", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "name", "agency"], name="attendance_once_per_agency")]

    def __str__(self):
        return f"{self.name} ({self.agency})"


class Declaration(models.Model):
    """A declaration of interest on an item: who, and what interest."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="declarations")
    attendee = models.ForeignKey(Attendance, on_delete=models.CASCADE, related_name="declarations")
    interest = models.CharField(max_length=300)

    class Meta:
        ordering = ["id"]


class MeetingAction(models.Model):
    """An action the meeting agreed, with an owner (a person or an agency) and a due date.

    On a case item it becomes a casework Action when the minutes are published (`case_action` then holds it)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=500)
    owner_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    owner_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True, help_text="For actions not on a case; a case's action is done on the case")
    case_action = models.OneToOneField(Action, null=True, blank=True, on_delete=models.SET_NULL, related_name="meeting_action")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(owner_user__isnull=False) | models.Q(owner_agency__isnull=False), name="meeting_action_has_owner"
            )
        ]

    def __str__(self):
        return self.description


class MeetingDocument(models.Model):
    """A rendered PDF of a meeting: the agenda pack or the minutes. Rendered by a Celery task; the state is here."""

    class Kind(models.TextChoices):
        AGENDA_PACK = "agenda_pack", "Agenda pack"
        MINUTES = "minutes", "Minutes"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to be made"
        RENDERING = "rendering", "Being made"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(upload_to="meetings/", max_length=300, blank=True)
    # Which cases the file shows: a pack naming a case no longer with the group is made again before it is given out.
    case_ids = models.JSONField(default=list, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "kind"]
        constraints = [models.UniqueConstraint(fields=["meeting", "kind"], name="meeting_document_one_per_kind")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.meeting}"
