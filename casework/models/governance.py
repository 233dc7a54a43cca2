"""Information governance records: subject access requests and retention reviews."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from agencies.models import Agency, Partnership
from casework.models.cases import Case
from casework.models.people import Person


def subject_access_upload_path(instance, filename):
    # Random names under the request's id: the person's name never appears in a path on disk.
    import uuid

    return f"subject-access/{instance.pk or 'new'}/{uuid.uuid4().hex}-{filename}"


class SubjectAccessRequest(models.Model):
    """A request from a person for everything the partnership holds about them, and the pack produced for it.

    The pack is rendered in the background (like a report run): `status`, `progress` and `step` say how far it is;
    `error` says why it failed. Who asked, acting for which agency and in which role, decides which OFFICIAL-SENSITIVE
    items may go into the pack (and then only marked for review before disclosure)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Being produced"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="subject_access_requests")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="subject_access_requests")
    request_reference = models.CharField(max_length=100, help_text="The reference the request was given when received")
    received_on = models.DateField(help_text="When the request was received: a reply is due within one month")
    reason = models.TextField(blank=True, help_text="How the request came in and how the requester's identity was checked")
    withhold_sensitive = models.BooleanField(default=True, help_text="Leave OFFICIAL-SENSITIVE notes and documents out")

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_by_agency = models.ForeignKey(Agency, null=True, on_delete=models.PROTECT, related_name="+")
    requested_as_dpo = models.BooleanField(default=False)
    requested_at = models.DateTimeField(default=timezone.now)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    produced_at = models.DateTimeField(null=True, blank=True)
    pdf_file = models.FileField(upload_to=subject_access_upload_path, max_length=300, blank=True)
    json_file = models.FileField(upload_to=subject_access_upload_path, max_length=300, blank=True)
    items_withheld = models.PositiveIntegerField(default=0, help_text="OFFICIAL-SENSITIVE items left out of the pack")
    items_for_review = models.PositiveIntegerField(default=0, help_text="OFFICIAL-SENSITIVE items in the pack, marked for review")

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["partnership", "-requested_at"], name="sar_partnership_idx")]

    def __str__(self):
        return f"Subject access request {self.request_reference}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class RetentionReview(models.Model):
    """A closed case past its partnership's retention period, listed for a coordinator to decide on.

    One row per case: listed as due, then approved (anonymisation queued) and anonymised, or deferred to a new
    review date (it comes back as due on that date)."""

    class Status(models.TextChoices):
        DUE = "due", "Due for review"
        APPROVED = "approved", "Anonymisation approved"
        DEFERRED = "deferred", "Deferred"
        ANONYMISED = "anonymised", "Anonymised"

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="retention_review")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DUE)
    retention_ends_on = models.DateField(help_text="The case's closing date plus the partnership's retention period")
    listed_at = models.DateTimeField(default=timezone.now)
    review_on = models.DateField(null=True, blank=True, help_text="When a deferred case comes back for review")
    defer_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_by_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)
    # Who was anonymised with the case: the audit search withholds the values it recorded about them.
    people_anonymised = models.ManyToManyField(Person, blank=True, related_name="+")

    class Meta:
        ordering = ["retention_ends_on", "id"]
        indexes = [models.Index(fields=["status", "review_on"], name="retention_status_idx")]

    def __str__(self):
        return f"Retention review of {self.case}"
