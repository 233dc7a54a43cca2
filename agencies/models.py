from datetime import date

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.validators import RegexValidator
from django.db import models


class Partnership(models.Model):
    """A Community Safety Partnership (formerly CDRP), set up by district."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    short_code = models.CharField(
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2,6}$", "Use 2 to 6 capital letters, for example ECAM.")],
        help_text="Used in case references, for example ECAM in ECAM-2026-0042.",
    )
    area_description = models.TextField(blank=True)
    stats_counting_from = models.DateField(
        default=date(2009, 4, 1), help_text="Cumulative quarterly statistics count from this date."
    )
    # ASB Case Review (Community Trigger): the law sets at most three complaints in six months;
    # a partnership may set a lower threshold, never a higher one.
    case_review_complaints = models.PositiveSmallIntegerField(default=3)
    case_review_months = models.PositiveSmallIntegerField(default=6)
    case_review_distinct_complainants = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Optional: this many different complainants in the period also meets it."
    )
    case_review_any_hate_incident = models.BooleanField(
        default=False, help_text="Optional: any hate-motivated incident in the period meets it."
    )
    case_review_decision_working_days = models.PositiveSmallIntegerField(default=20)
    case_review_completion_working_days = models.PositiveSmallIntegerField(default=35)
    # Victim risk: a questionnaire total at or above these gives medium or high risk.
    risk_medium_from = models.PositiveSmallIntegerField(default=8)
    risk_high_from = models.PositiveSmallIntegerField(default=15)
    # Days to the next review after an assessment, by risk level.
    review_days_high = models.PositiveSmallIntegerField(default=14)
    review_days_medium = models.PositiveSmallIntegerField(default=28)
    review_days_standard = models.PositiveSmallIntegerField(default=56)
    retention_years = models.PositiveSmallIntegerField(default=6, help_text="Years after closure before review for anonymisation.")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Agency(models.Model):
    class Kind(models.TextChoices):
        POLICE = "police", "Police"
        DISTRICT_COUNCIL = "district_council", "District council"
        COUNTY_COUNCIL = "county_council", "County council"
        YOUTH_OFFENDING = "youth_offending", "Youth Offending Service"
        LOCALITY_TEAM = "locality_team", "Locality Team"
        DRUG_ALCOHOL = "drug_alcohol", "Drug and alcohol service"
        FIRE_RESCUE = "fire_rescue", "Fire and rescue"
        HOUSING = "housing", "Housing provider"
        PROBATION = "probation", "Probation"
        HEALTH = "health", "Health"
        VICTIM_SUPPORT = "victim_support", "Victim support"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    is_statutory = models.BooleanField(default=True)
    partnerships = models.ManyToManyField(Partnership, related_name="agencies", help_text="County-wide agencies serve several.")
    sharing_agreement_signed_on = models.DateField(null=True, blank=True)
    # Object permissions on cases are granted to this group: it is the agency, for django-guardian.
    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="agency")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A user's role in an agency, within one of the partnerships it serves."""

    class Role(models.TextChoices):
        CASEWORKER = "caseworker", "Caseworker"
        SUPERVISOR = "supervisor", "Supervisor"
        AGENCY_ADMIN = "agency_admin", "Agency administrator"
        COORDINATOR = "coordinator", "Partnership coordinator"
        CHAIR = "chair", "Group chair"
        ANALYST = "analyst", "Analyst (reports only)"
        DPO = "dpo", "Data protection officer"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "partnership"], name="membership_unique_per_agency"),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}, {self.agency.short_name} ({self.partnership.short_code})"

    @property
    def works_on_cases(self) -> bool:
        """Whether this role opens cases at all (not an analyst's: NO_CASEWORK_ROLES, below)."""
        return self.role not in NO_CASEWORK_ROLES


# Roles whose holders do not work on cases: analysts make the partnership's reports, and the cases their agency may
# see are not theirs to open (casework.permissions reads agencies.selectors.casework_agency_ids).
NO_CASEWORK_ROLES = frozenset({Membership.Role.ANALYST})


class CaseworkGroup(models.Model):
    """A partnership's multi-agency group, such as the monthly ASB casework group chaired by the police."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="casework_groups")
    name = models.CharField(max_length=200)
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="chaired_groups")
    administrator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="administered_groups"
    )
    member_agencies = models.ManyToManyField(Agency, related_name="casework_groups")
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="casework_groups")
    default_venue = models.CharField(max_length=300, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["partnership__name", "name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "name"], name="casework_group_unique_name")]

    def __str__(self):
        return self.name


class Notification(models.Model):
    """An in-app notification. Text carries references and links, never names, addresses or descriptions."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]

    def __str__(self):
        return self.text


class ApiToken(models.Model):
    """A personal API token that a user creates, names and revokes. Only a hash of the secret is kept."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, help_text="The first characters, to tell tokens apart")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class UserSession(models.Model):
    """One signed-in session of a user, so that "sign out everywhere" can end them all without decoding every session."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signed_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.user} since {self.created_at:%Y-%m-%d %H:%M}"
