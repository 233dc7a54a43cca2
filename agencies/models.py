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
