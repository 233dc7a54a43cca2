from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from agencies.models import Agency, Partnership
from casework.models.base import AsbCategory, AsbKind, SecurityMarking


class CaseReferenceCounter(models.Model):
    """The last sequence number used per partnership and year: references are never reused."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partnership", "year"], name="case_ref_counter_unique")]


class Case(models.Model):
    class SubjectType(models.TextChoices):
        INDIVIDUAL = "individual", "Individual"
        FAMILY = "family", "Family"
        AREA = "area", "Area"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACTIVE = "active", "Active"
        REFERRED_TO_GROUP = "referred_to_group", "Referred to group"
        MONITORING = "monitoring", "Monitoring"
        CLOSED = "closed", "Closed"

    class Outcome(models.TextChoices):
        RESOLVED = "resolved", "Resolved"
        NO_FURTHER_ACTION = "no_further_action", "No further action"
        TRANSFERRED_OUT = "transferred_out", "Transferred out of area"
        ESCALATED_TO_COURT = "escalated_to_court", "Escalated to court"
        OTHER = "other", "Other"

    class RiskLevel(models.TextChoices):
        NOT_ASSESSED = "not_assessed", "Not assessed"
        STANDARD = "standard", "Standard"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    class Tenure(models.TextChoices):
        HOUSING_ASSOCIATION = "housing_association", "Housing association tenant"
        COUNCIL = "council", "Council tenant"
        PRIVATE = "private", "Private tenant"
        OWNER_OCCUPIER = "owner_occupier", "Owner occupier"
        UNKNOWN = "unknown", "Unknown"

    class AgeBand(models.TextChoices):
        UNDER_10 = "under_10", "Under 10"
        AGE_10_15 = "10_15", "10 to 15"
        AGE_16_17 = "16_17", "16 or 17"
        ADULT = "adult", "18 or over"
        UNKNOWN = "unknown", "Unknown"

    UNDER_18_BANDS = (AgeBand.UNDER_10, AgeBand.AGE_10_15, AgeBand.AGE_16_17)

    reference = models.CharField(max_length=24, unique=True)
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="cases")
    summary = models.CharField(max_length=300)
    category = models.CharField(max_length=20, choices=AsbCategory.choices)
    kind = models.ForeignKey(AsbKind, null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    subject_type = models.CharField(max_length=20, choices=SubjectType.choices, default=SubjectType.INDIVIDUAL)
    subject_tenure = models.CharField(max_length=30, choices=Tenure.choices, default=Tenure.UNKNOWN)
    subject_age_band = models.CharField(max_length=10, choices=AgeBand.choices, default=AgeBand.UNKNOWN)
    is_drug_alcohol_related = models.BooleanField(default=False)
    is_complex = models.BooleanField(default=False, help_text="Complex, persistent or criminal ASB.")

    lead_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="led_cases")
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="led_cases"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    closing_outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    closing_reason = models.TextField(blank=True)
    risk_level = models.CharField(max_length=20, choices=RiskLevel.choices, default=RiskLevel.NOT_ASSESSED)
    security_marking = models.CharField(max_length=20, choices=SecurityMarking.choices, default=SecurityMarking.OFFICIAL)

    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    ward = models.CharField(max_length=100, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)

    opened_on = models.DateField()
    referred_to_group_on = models.DateField(null=True, blank=True)
    next_review_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)

    # ASB Case Review (Community Trigger): kept by the service that records complaints.
    case_review_flagged_at = models.DateTimeField(null=True, blank=True)
    case_review_rule = models.CharField(max_length=200, blank=True)

    # Optimistic concurrency: a save based on an older version is refused.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-opened_on", "-id"]
        permissions = [
            ("contribute_case", "Add incidents, notes, actions and documents to the case"),
            ("manage_case", "Lead the case: close it, refer it, change its lead"),
        ]
        indexes = [
            models.Index(fields=["partnership", "status"], name="case_partnership_status_idx"),
            models.Index(fields=["lead_agency", "status"], name="case_lead_status_idx"),
            models.Index(fields=["postcode"], name="case_postcode_idx"),
            models.Index(fields=["next_review_on"], name="case_next_review_idx"),
            # For dashboards at county scale: the cases not closed, by lead agency and by next review, and the few
            # over the Case Review threshold, each found (and counted) without reading closed cases.
            models.Index(fields=["lead_agency", "-opened_on", "-id"], condition=~models.Q(status="closed"), name="case_current_led_idx"),
            # In the order the dashboard's panels and the "review due" list read them (next review, then newest id;
            # the first Case Review flag, then newest id): found in index order, no sort, and the id from the index.
            models.Index(fields=["next_review_on", "-id"], condition=~models.Q(status="closed"), name="case_current_review_idx"),
            models.Index(
                fields=["case_review_flagged_at", "-id"], condition=models.Q(case_review_flagged_at__isnull=False) & ~models.Q(status="closed"),
                name="case_current_flagged_idx",
            ),
            # "Not closed, high risk", the list a caseworker filters most: found (and counted, up to the list's count
            # limit) from the few such cases, each then checked against the agency's grants.
            models.Index(fields=["risk_level", "-opened_on", "-id"], condition=~models.Q(status="closed"), name="case_current_risk_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="closed") | (models.Q(closed_on__isnull=False) & ~models.Q(closing_outcome="")),
                name="case_closed_has_outcome",
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def subject_under_18(self) -> bool:
        return self.subject_age_band in self.UNDER_18_BANDS

    @property
    def is_over_case_review_threshold(self) -> bool:
        return self.case_review_flagged_at is not None


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    """Which agency (through its group) may do what to which case: the one record of access."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="group_permissions")
    # The case's opening date, copied with the grant (casework.services.access writes both), so that the cases an
    # agency may see can be read newest first straight from an index instead of being fetched and sorted.
    case_opened_on = models.DateField()

    class Meta(GroupObjectPermissionBase.Meta):
        # guardian's unique (group, permission, case) is the index every single-case check uses; this one gives
        # the case list in its order.
        indexes = [
            models.Index(fields=["group", "permission", "-case_opened_on", "-content_object"], name="case_grant_newest_idx"),
        ]


class VisibleCaseCount(models.Model):
    """How many cases an agency's group may view: the exact total a case list shows, kept by casework.services.access
    in the transaction that adds or removes the group's view grants (counting the grants would read one index entry
    per case, tens of thousands for a police force, on every page)."""

    group = models.OneToOneField(Group, primary_key=True, on_delete=models.CASCADE, related_name="+")
    cases = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.group}: {self.cases}"


class CaseUserObjectPermission(UserObjectPermissionBase):
    """Guardian's per-user grant table. Not part of the access policy (casework.permissions): access belongs to
    agencies, so nothing grants here and nothing reads it."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="user_permissions")

    class Meta(UserObjectPermissionBase.Meta):
        pass


class CaseAccess(models.Model):
    """Who had access to a case, at what level, from when to when. Kept by the services that grant and revoke."""

    class Level(models.TextChoices):
        LEAD = "lead", "Lead agency"
        CONTRIBUTOR = "contributor", "Contributor"
        INFORMATION = "information", "Information only"
        GROUP_MEMBER = "group_member", "Casework group member"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="access_periods")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="case_access_periods")
    level = models.CharField(max_length=20, choices=Level.choices)
    granted_at = models.DateTimeField()
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=300, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["granted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "agency", "level"], condition=models.Q(revoked_at__isnull=True), name="case_access_one_open_period"
            )
        ]

    def __str__(self):
        return f"{self.agency} {self.get_level_display()} on {self.case}"
