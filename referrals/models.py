from functools import cached_property

from django.conf import settings
from django.db import models

from agencies.models import Agency, CaseworkGroup, Partnership
from casework.models import AsbKind, Case, CaseAccess


class RoutingRule(models.Model):
    """One rule of a partnership's lead-agency flow chart. Rules are tried in priority order; the first match leads.

    Each condition left empty (None, blank, no kinds) matches anything.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="routing_rules")
    priority = models.PositiveIntegerField(help_text="Lower numbers are tried first")
    name = models.CharField(max_length=200)
    kinds = models.ManyToManyField(AsbKind, blank=True, related_name="routing_rules")
    subject_tenure = models.CharField(max_length=30, choices=Case.Tenure.choices, blank=True)
    subject_under_18 = models.BooleanField(null=True, blank=True)
    hate_motivated = models.BooleanField(null=True, blank=True)
    drug_alcohol_related = models.BooleanField(null=True, blank=True)
    complex_or_persistent = models.BooleanField(
        null=True, blank=True, help_text="Complex: the case's flag, or at least the number of incidents below in the period"
    )
    persistent_incidents = models.PositiveSmallIntegerField(null=True, blank=True)
    persistent_period_days = models.PositiveSmallIntegerField(null=True, blank=True)
    lead_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="routing_rules_leading")
    supporting_agencies = models.ManyToManyField(Agency, blank=True, related_name="routing_rules_supporting")
    suggested_interventions = models.JSONField(default=list, blank=True, help_text="Intervention type values")
    explanation = models.CharField(max_length=300, blank=True, help_text="Why, in the working agreement's words")
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["partnership", "priority", "id"]

    def __str__(self):
        return f"Rule {self.priority}: {self.name}"

    @cached_property
    def kind_ids(self) -> frozenset:
        """The kinds the rule names, by id: what routing matches a case's kind against (none: any kind). Routing's
        selector fills it for all its rules from one query (referrals.selectors.routing)."""
        return frozenset(kind.pk for kind in self.kinds.all())

    def supporting_agencies_serving(self):
        """The supporting agencies that still serve the rule's partnership: an agency can leave it after the rule
        naming it was written, and is then not suggested."""
        return self.supporting_agencies.filter(partnerships=self.partnership_id).order_by("name")


class CaseRoutingDecision(models.Model):
    """Which rule suggested a case's lead, and whether the caseworker followed it or overrode it (and why)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="routing_decisions")
    rule = models.ForeignKey(RoutingRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    rule_description = models.CharField(max_length=300, blank=True, help_text="The rule as it read when applied")
    suggested_lead = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    chosen_lead = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    override_reason = models.TextField(blank=True)
    decided_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-decided_at", "-id"]

    @property
    def was_overridden(self) -> bool:
        return self.suggested_lead_id is not None and self.suggested_lead_id != self.chosen_lead_id


class Referral(models.Model):
    """A hand-off from one agency to another, carrying access with it when accepted."""

    class Purpose(models.TextChoices):
        TAKE_LEAD = "take_lead", "Take the lead"
        CONTRIBUTE = "contribute", "Contribute"
        INFORMATION = "information", "Information only"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a reply"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Priority(models.TextChoices):
        ROUTINE = "routine", "Routine"
        URGENT = "urgent", "Urgent"

    # What the former lead keeps after a "take the lead" referral is accepted.
    class FormerLeadAccess(models.TextChoices):
        CONTRIBUTOR = CaseAccess.Level.CONTRIBUTOR.value, "Stay a contributor"
        INFORMATION = CaseAccess.Level.INFORMATION.value, "Information only"
        NONE = "none", "No further access"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    from_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="referrals_sent")
    to_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="referrals_received")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    reason = models.TextField()
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.ROUTINE)
    respond_by = models.DateField()
    former_lead_access = models.CharField(max_length=20, choices=FormerLeadAccess.choices, default=FormerLeadAccess.CONTRIBUTOR)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decline_reason = models.TextField(blank=True)
    overdue_since = models.DateField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["to_agency", "status", "-created_at"], name="referral_inbox_idx"),
            models.Index(fields=["status", "respond_by"], name="referral_deadline_idx"),
            # The inbox's "settled lately", newest answer first, from each side of the referral.
            models.Index(fields=["from_agency", "-responded_at", "-id"], name="referral_sent_answered_idx"),
            models.Index(fields=["to_agency", "-responded_at", "-id"], name="referral_received_answered_idx"),
            # The API's lists of referrals received and sent, newest first (selectors.referral_list).
            models.Index(fields=["to_agency", "-created_at", "-id"], name="referral_received_idx"),
            models.Index(fields=["from_agency", "-created_at", "-id"], name="referral_sent_idx"),
        ]

    def __str__(self):
        return f"{self.case} to {self.to_agency} ({self.get_purpose_display()})"


class ReferralMessage(models.Model):
    """A question or answer in the thread on a referral."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["written_at", "id"]


class GroupReferral(models.Model):
    """A case referred to a casework group (the monthly ASB group); members see it while it is with the group."""

    class Status(models.TextChoices):
        WITH_GROUP = "with_group", "With the group"
        RETURNED = "returned", "Returned to the lead agency"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="group_referrals")
    group = models.ForeignKey(CaseworkGroup, on_delete=models.PROTECT, related_name="referrals")
    referred_on = models.DateField()
    reason = models.TextField()
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WITH_GROUP)
    returned_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-referred_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "group"], condition=models.Q(status="with_group"), name="group_referral_one_open")
        ]
