"""What is done on a case: interventions, actions, notes and documents."""

from django.conf import settings
from django.db import models

from agencies.models import Agency
from casework.models.base import SecurityMarking
from casework.models.cases import Case
from casework.models.people import Person


class InterventionType(models.TextChoices):
    WARNING_LETTER = "warning_letter", "Warning letter"
    ABC = "abc", "Acceptable Behaviour Contract"
    GOOD_NEIGHBOUR_CHARTER = "good_neighbour_charter", "Good neighbour charter"
    MEDIATION = "mediation", "Mediation"
    PROFESSIONAL_WITNESS = "professional_witness", "Professional witness"
    FLOATING_SUPPORT = "floating_support", "Floating support"
    FIXED_PENALTY = "fixed_penalty", "Fixed penalty notice"
    CPW = "cpw", "Community Protection Warning"
    CPN = "cpn", "Community Protection Notice"
    CIVIL_INJUNCTION = "civil_injunction", "Civil injunction"
    CBO = "cbo", "Criminal Behaviour Order"
    DISPERSAL = "dispersal", "Dispersal direction"
    PSPO = "pspo", "Public Spaces Protection Order"
    CLOSURE_NOTICE = "closure_notice", "Closure notice"
    CLOSURE_ORDER = "closure_order", "Closure order"
    TENANCY_ENFORCEMENT = "tenancy_enforcement", "Tenancy enforcement"
    REFERRAL_ORDER = "referral_order", "Referral order"
    ISS = "iss", "Intensive Supervision and Surveillance"
    TREATMENT_REFERRAL = "treatment_referral", "Treatment referral"
    OTHER = "other", "Other"


class Intervention(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACTIVE = "active", "Active"
        BREACHED = "breached", "Breached"
        COMPLETED = "completed", "Completed"
        DISCHARGED = "discharged", "Discharged"

    OPEN_STATUSES = (Status.PROPOSED, Status.ACTIVE, Status.BREACHED)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="interventions")
    type = models.CharField(max_length=30, choices=InterventionType.choices)
    delivering_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="interventions")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="interventions")
    start_on = models.DateField(null=True, blank=True)
    review_on = models.DateField(null=True, blank=True)
    end_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-start_on", "-id"]
        indexes = [models.Index(fields=["type", "start_on"], name="intervention_type_start_idx")]

    def __str__(self):
        return f"{self.get_type_display()} on {self.case}"


class InterventionBreach(models.Model):
    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="breaches")
    occurred_on = models.DateField()
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]


class Action(models.Model):
    """Something someone must do on a case, by a date. The owner is a user or an agency."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=500)
    owner_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="case_actions")
    owner_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="case_actions")
    due_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Where it came from, when not the case page: for example "ECAM ASB Casework Group, 10 March 2026, minute 84".
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["done_on", "due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(owner_user__isnull=False) | models.Q(owner_agency__isnull=False), name="action_has_owner"
            )
        ]
        indexes = [
            models.Index(fields=["owner_user", "done_on", "due_on"], name="action_owner_user_idx"),
            models.Index(fields=["owner_agency", "done_on", "due_on"], name="action_owner_agency_idx"),
        ]

    def __str__(self):
        return self.description

    def is_overdue_on(self, day) -> bool:
        return self.done_on is None and self.due_on is not None and self.due_on < day


class Note(models.Model):
    """A dated entry on the case timeline. OFFICIAL-SENSITIVE notes are seen only by the writer's agency
    and the agencies they are explicitly shared with."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    written_at = models.DateTimeField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    marking = models.CharField(max_length=20, choices=SecurityMarking.choices, default=SecurityMarking.OFFICIAL)
    text = models.TextField()
    shared_with = models.ManyToManyField(Agency, blank=True, related_name="notes_shared_with")

    class Meta:
        ordering = ["-written_at", "-id"]
        indexes = [models.Index(fields=["case", "-written_at"], name="note_case_time_idx")]


def document_upload_path(instance, filename):
    # Random names: the original name is kept in the row, never trusted as a path.
    import uuid

    return f"documents/{instance.case_id}/{uuid.uuid4().hex}"


class Document(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=document_upload_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    marking = models.CharField(max_length=20, choices=SecurityMarking.choices, default=SecurityMarking.OFFICIAL)
    shared_with = models.ManyToManyField(Agency, blank=True, related_name="documents_shared_with")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return self.title
