"""Quarterly task-group reports: the partnership's priorities with their action plans, narratives and measures, and
each generated report (a ReportRun, kept as a version in the archive)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from agencies.models import Partnership
from casework.models import InterventionType
from reports.quarters import Quarter, financial_year_label

QUARTER_CHOICES = [(1, "Q1 (April to June)"), (2, "Q2 (July to September)"), (3, "Q3 (October to December)"), (4, "Q4 (January to March)")]


def _quarter_check(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name=name)


class QuarterFields(models.Model):
    """A financial year (by the calendar year it starts in: 2010 is 2010-11) and a quarter of it."""

    financial_year = models.PositiveSmallIntegerField(help_text="The calendar year the financial year starts in: 2010 for 2010-11")
    quarter = models.PositiveSmallIntegerField(choices=QUARTER_CHOICES)

    class Meta:
        abstract = True

    @property
    def period(self) -> Quarter:
        return Quarter(self.financial_year, self.quarter)

    @property
    def financial_year_label(self) -> str:
        return financial_year_label(self.financial_year)


class Priority(models.Model):
    """A partnership priority and the task group that works on it, such as "Anti-social behaviour" (ASB Task Group)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="report_priorities")
    number = models.PositiveSmallIntegerField(help_text="Its number in the report: Priority 4")
    title = models.CharField(max_length=200, help_text="For example: Anti-social behaviour")
    task_group = models.CharField(max_length=200, blank=True, help_text="For example: ASB Task Group")
    lead_officer_name = models.CharField(max_length=200, help_text="As printed in the report, for example: Insp Chris Savage")
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="report_priorities_led",
        help_text="The user who writes the quarter's narrative and action updates (coordinators may too)",
    )
    aims = models.TextField(blank=True, help_text="What the partnership wants, one per line, for the performance summary")
    shows_group_stats = models.BooleanField(
        default=False, help_text="Print the casework group's statistics (new cases referred this quarter and cumulative) in this priority"
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["partnership", "number", "id"]
        verbose_name_plural = "priorities"
        constraints = [models.UniqueConstraint(fields=["partnership", "number"], name="report_priority_unique_number")]

    def __str__(self):
        return f"Priority {self.number}: {self.title}"

    @property
    def aim_list(self) -> list[str]:
        return [line.strip() for line in self.aims.splitlines() if line.strip()]


class PlanAction(models.Model):
    """One action of a priority's action plan, with its milestones, lead agency and other partners."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="actions")
    number = models.CharField(max_length=12, help_text="As in the plan, for example 4.1")
    text = models.TextField(help_text="What the task group will do")
    milestones = models.TextField(blank=True, help_text="One milestone per line, for example: 4.1a Group to meet monthly")
    lead_agency = models.CharField(max_length=200, help_text="For example: Police – Insp Chris Savage")
    other_partners = models.CharField(max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["priority", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["priority", "number"], name="report_action_unique_number")]

    def __str__(self):
        return f"{self.number} {self.text[:60]}"

    @property
    def milestone_list(self) -> list[str]:
        return [line.strip() for line in self.milestones.splitlines() if line.strip()]


class ActionUpdate(QuarterFields):
    """What was done on an action in a quarter, dated."""

    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="updates")
    text = models.TextField()
    updated_on = models.DateField(help_text="The date of the update")
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    written_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["action", "-financial_year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["action", "financial_year", "quarter"], name="report_action_update_unique_quarter"),
            _quarter_check("report_action_update_quarter_1_4"),
        ]

    def __str__(self):
        return f"{self.action.number} {self.period.label}"


class QuarterNarrative(QuarterFields):
    """The lead officer's quarterly progress report for a priority: the four sections of the task-group template."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="narratives")
    key_achievements = models.TextField(blank=True)
    areas_of_concern = models.TextField(blank=True)
    recommendations = models.TextField(blank=True)
    publicity = models.TextField(blank=True, help_text="Must not be protectively marked")
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    SECTIONS = (
        ("key_achievements", "Key achievements during this quarter",
         "Please ensure that you only highlight those notable achievements recorded against your Task Group's Action Plan."),
        ("areas_of_concern", "Areas of concern for partnership to note",
         "Please ensure that you only highlight those concerns that your Task Group considers should be drawn to the attention of the Partnership."),
        ("recommendations", "Recommendations to partnership to address concerns",
         "Please ensure that, in connection with the above Areas of Concern, your Task Group sets out its Recommendations to the "
         "Partnership to address these Concerns, so that agreement can be made (where appropriate)."),
        ("publicity", "Any items for publicity", "Please ensure that any items included here for Publicity are not protectively marked."),
    )

    class Meta:
        ordering = ["priority", "-financial_year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["priority", "financial_year", "quarter"], name="report_narrative_unique_quarter"),
            _quarter_check("report_narrative_quarter_1_4"),
        ]

    def __str__(self):
        return f"{self.priority} {self.period.label}"


class Measure(models.Model):
    """A figure the partnership watches for a priority, computed from the casework or entered each quarter."""

    class Source(models.TextChoices):
        NEW_CASES_OPENED = "new_cases_opened", "New cases opened"
        CASES_REFERRED_TO_GROUP = "cases_referred_to_group", "Cases referred to the casework group"
        REPEAT_VICTIMS = "repeat_victims", "Repeat victims (victims on two or more open cases)"
        HIGH_RISK_CASES = "high_risk_cases", "High-risk cases"
        CASE_REVIEW_ACTIVATIONS = "case_review_activations", "ASB Case Review activations"
        INTERVENTIONS_STARTED = "interventions_started", "Interventions started"
        ENTERED = "entered", "Entered each quarter by an analyst"

    class Direction(models.TextChoices):
        LOWER_IS_BETTER = "lower", "Lower is better"
        HIGHER_IS_BETTER = "higher", "Higher is better"

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="measures")
    name = models.CharField(max_length=200, help_text="For example: Dwelling burglary")
    target = models.CharField(max_length=300, blank=True, help_text="The partnership's requirement, for example: Reduction in dwelling burglary below 2008-09 level")
    unit = models.CharField(max_length=60, default="cases", help_text="What is counted, in the plural: offences, cases, people")
    source = models.CharField(max_length=30, choices=Source.choices)
    intervention_type = models.CharField(
        max_length=30, choices=InterventionType.choices, blank=True, help_text="For interventions started: one type, or blank for every type"
    )
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.LOWER_IS_BETTER)
    baseline_year = models.PositiveSmallIntegerField(help_text="The financial year compared against, by the year it starts in: 2008 for 2008-09")
    tolerance_percent = models.PositiveSmallIntegerField(
        default=5, help_text="A change against last year within this many percent either way is 'No change'"
    )
    sort_order = models.PositiveSmallIntegerField(default=100)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["priority", "sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(source="interventions_started") | Q(intervention_type=""), name="report_measure_type_only_for_interventions"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_entered(self) -> bool:
        return self.source == self.Source.ENTERED

    @property
    def baseline_label(self) -> str:
        return financial_year_label(self.baseline_year)


class MeasureValue(QuarterFields):
    """An analyst's figure for an entered measure in one quarter (for example police-recorded dwelling burglaries)."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="values")
    value = models.PositiveIntegerField()
    note = models.CharField(max_length=300, blank=True, help_text="Where the figure comes from")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["measure", "-financial_year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "financial_year", "quarter"], name="report_measure_value_unique_quarter"),
            _quarter_check("report_measure_value_quarter_1_4"),
        ]

    def __str__(self):
        return f"{self.measure} {self.period.label}: {self.value}"


def report_file_path(instance, filename):
    # Random names: the file is only ever served through the permission-checked download.
    return f"reports/{instance.partnership_id}/{uuid.uuid4().hex}.pdf"


class ReportRun(QuarterFields):
    """One generation of a partnership's quarterly report. Every run is kept: a later run is a new version."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "In progress"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    class Via(models.TextChoices):
        BROWSER = "browser", "Asked for in the browser"
        API = "api", "Asked for through the API"
        SCHEDULE = "schedule", "Scheduled at quarter end"
        COMMAND = "command", "Made on the command line"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="report_runs")
    version = models.PositiveIntegerField(help_text="1 for the quarter's first report, 2 for the next, and so on")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done")
    step = models.CharField(max_length=200, blank=True, help_text="What is being done now")
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to=report_file_path, max_length=300, blank=True)
    file_size = models.PositiveIntegerField(null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    requested_via = models.CharField(max_length=10, choices=Via.choices, default=Via.BROWSER)
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    data_cutoff = models.DateTimeField(null=True, blank=True, help_text="The casework figures are as recorded at this moment")

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "financial_year", "quarter", "version"], name="report_run_unique_version"),
            _quarter_check("report_run_quarter_1_4"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_run_progress_0_100"),
        ]
        indexes = [
            models.Index(fields=["partnership", "-requested_at"], name="report_run_partnership_idx"),
            models.Index(fields=["status", "heartbeat_at"], name="report_run_status_idx"),
        ]

    def __str__(self):
        return f"{self.partnership.short_code} {self.period.label} v{self.version}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def download_name(self) -> str:
        return f"{self.partnership.short_code}-Q{self.quarter}-{self.financial_year_label}-v{self.version}.pdf"
