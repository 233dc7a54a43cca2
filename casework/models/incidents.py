from django.conf import settings
from django.db import models

from casework.models.cases import Case
from casework.models.people import Person


class Incident(models.Model):
    """One report of ASB. An incident reported by someone is a complaint for the ASB Case Review threshold."""

    class Channel(models.TextChoices):
        PHONE = "phone", "Phone"
        ONLINE = "online", "Online"
        IN_PERSON = "in_person", "In person"
        POLICE = "police", "Police"
        OTHER_AGENCY = "other_agency", "Other agency"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="incidents")
    occurred_at = models.DateTimeField(help_text="When the behaviour happened")
    reported_on = models.DateField(help_text="When it was reported (a complaint counts if made within a month of the behaviour)")
    reported_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="reported_incidents")
    channel = models.CharField(max_length=20, choices=Channel.choices)
    description = models.TextField()
    is_hate_motivated = models.BooleanField(default=False)
    other_references = models.CharField(max_length=200, blank=True, help_text="Other agencies' reference numbers, such as a police incident number")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    agency = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["case", "-occurred_at"], name="incident_case_time_idx")]

    def __str__(self):
        return f"Incident on {self.occurred_at:%d %b %Y} ({self.case})"


class CaseReviewRequest(models.Model):
    """An ASB Case Review (Community Trigger) asked for on a case, its decision and outcome."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "Awaiting decision"
        THRESHOLD_NOT_MET = "threshold_not_met", "Threshold not met"
        REVIEW_HELD = "review_held", "Review held: recommendations made"
        REVIEW_HELD_NO_ACTION = "review_held_no_action", "Review held: no further action"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_review_requests")
    requested_on = models.DateField()
    requested_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    requested_by_description = models.CharField(max_length=200, blank=True, help_text="If not a person on the case: for example 'ward councillor on the victim's behalf'")
    decision_due_on = models.DateField(null=True, blank=True)
    decision_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=30, choices=Outcome.choices, default=Outcome.PENDING)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-requested_on", "-id"]
