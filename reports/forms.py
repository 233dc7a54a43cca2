"""Forms for the reports pages. Parsing only: the services hold the rules (the publicity check is both here, to say
why at once, and in the service, so that no other way in can skip it)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from casework.forms.fields import ModelChoiceField
from casework.models import InterventionType
from reports.marking import publicity_marking_error
from reports.models import QUARTER_CHOICES, Measure
from reports.quarters import Quarter, financial_year_label, financial_year_parse, quarter_last_completed

CSS = {
    "Select": "govuk-select", "TextInput": "govuk-input", "NumberInput": "govuk-input govuk-input--width-5",
    "Textarea": "govuk-textarea", "CheckboxInput": "govuk-checkboxes__input", "RadioSelect": "govuk-radios__input",
    "DateInput": "govuk-input govuk-input--width-10",
}


class GovukForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", CSS.get(type(field.widget).__name__, ""))


class FinancialYearField(forms.CharField):
    """A financial year typed as 2010-11; cleaned to the year it starts in (2010)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 9)
        super().__init__(**kwargs)
        self.widget.attrs.update({"class": "govuk-input govuk-input--width-5", "spellcheck": "false"})

    def prepare_value(self, value):
        return financial_year_label(value) if isinstance(value, int) else value

    def clean(self, value):
        value = super().clean(value)
        try:
            return financial_year_parse(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class ReportRequestForm(GovukForm):
    financial_year = FinancialYearField(label="Financial year", help_text="For example, 2010-11 (April 2010 to March 2011)")
    quarter = forms.TypedChoiceField(choices=QUARTER_CHOICES, coerce=int, widget=forms.RadioSelect, label="Quarter")

    @classmethod
    def initial_for(cls, today) -> dict:
        last = quarter_last_completed(today)
        return {"financial_year": financial_year_label(last.year), "quarter": last.number}

    def clean(self):
        data = super().clean()
        if "financial_year" in data and "quarter" in data:
            quarter = Quarter(data["financial_year"], data["quarter"])
            if quarter.start > timezone.localdate():
                self.add_error("quarter", f"{quarter.label} has not started yet: choose a quarter up to the current one.")
            data["period"] = quarter
        return data


class PriorityForm(GovukForm):
    number = forms.IntegerField(min_value=1, max_value=99, label="Priority number", help_text="Its number in the report, for example 4")
    title = forms.CharField(max_length=200, label="Priority area", help_text="For example: Anti-social behaviour")
    task_group = forms.CharField(max_length=200, required=False, label="Task group", help_text="For example: ASB Task Group")
    lead_officer_name = forms.CharField(max_length=200, label="Lead officer, as printed", help_text="For example: Insp Chris Savage")
    lead_officer = ModelChoiceField(
        queryset=get_user_model().objects.none(), required=False, label="Lead officer's user account",
        help_text="They write the quarter's narrative and action updates. Coordinators can too.", empty_label="None",
    )
    aims = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Aims for the performance summary", help_text="One per line")
    shows_group_stats = forms.BooleanField(required=False, label="Print the casework group's statistics in this priority")
    is_active = forms.BooleanField(required=False, initial=True, label="In this year's reports")

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_officer"].queryset = (
            get_user_model().objects.filter(memberships__partnership=partnership, memberships__is_active=True).distinct().order_by("last_name", "first_name")
        )
        self.fields["lead_officer"].label_from_instance = lambda user: f"{user.get_full_name() or user.username} ({user.username})"


class PlanActionForm(GovukForm):
    number = forms.CharField(max_length=12, label="Action number", help_text="For example 4.1")
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Action")
    milestones = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, label="Milestones", help_text="One per line, for example: 4.1a Group to meet monthly")
    lead_agency = forms.CharField(max_length=200, label="Lead agency", help_text="For example: Police – Insp Chris Savage")
    other_partners = forms.CharField(max_length=300, required=False, label="Other partners")
    sort_order = forms.IntegerField(min_value=0, max_value=999, initial=100, label="Position in the plan", help_text="Lower numbers come first")


class ActionUpdateForm(GovukForm):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), label="Update for the quarter", help_text="What was done against this action and its milestones")
    updated_on = forms.DateField(label="Date of the update", help_text="For example, 30/06/2010", widget=forms.DateInput(format="%d/%m/%Y"))


class NarrativeForm(GovukForm):
    key_achievements = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), required=False, label="Key achievements during this quarter",
                                       help_text="Only notable achievements recorded against your task group's action plan. One point per line.")
    areas_of_concern = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False, label="Areas of concern for partnership to note",
                                       help_text="Only concerns your task group considers should be drawn to the partnership's attention.")
    recommendations = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, label="Recommendations to partnership to address concerns",
                                      help_text="For each concern above, what the partnership should agree to do.")
    publicity = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Any items for publicity",
                                help_text="Must not be protectively marked (no OFFICIAL-SENSITIVE, RESTRICTED, CONFIDENTIAL, SECRET or PROTECT material). Leave empty for none.")

    def clean_publicity(self):
        text = self.cleaned_data["publicity"]
        problem = publicity_marking_error(text)
        if problem:
            raise forms.ValidationError(problem)
        return text


class MeasureForm(GovukForm):
    name = forms.CharField(max_length=200, label="Name", help_text="For example: Dwelling burglary")
    target = forms.CharField(max_length=300, required=False, label="Requirement", help_text="For example: Reduction in dwelling burglary below 2008-09 level")
    unit = forms.CharField(max_length=60, initial="cases", label="What is counted", help_text="In the plural: offences, cases, people")
    source = forms.ChoiceField(choices=Measure.Source.choices, widget=forms.RadioSelect, label="Where the figure comes from")
    intervention_type = forms.ChoiceField(choices=[("", "Every type")] + InterventionType.choices, required=False, label="Intervention type",
                                          help_text="Only for interventions started")
    direction = forms.ChoiceField(choices=Measure.Direction.choices, widget=forms.RadioSelect, label="Which way is better")
    baseline_year = FinancialYearField(label="Baseline year", help_text="The financial year to compare with, for example 2008-09")
    tolerance_percent = forms.IntegerField(min_value=0, max_value=100, initial=5, label="Tolerance (percent)",
                                           help_text="A change against last year within this many percent either way is 'No change'")
    sort_order = forms.IntegerField(min_value=0, max_value=999, initial=100, label="Position among the priority's measures")
    is_active = forms.BooleanField(required=False, initial=True, label="In the reports")

    def clean(self):
        data = super().clean()
        if data.get("source") != Measure.Source.INTERVENTIONS_STARTED and data.get("intervention_type"):
            self.add_error("intervention_type", "Choose an intervention type only for a measure of interventions started.")
        return data


class MeasureValueForm(GovukForm):
    value = forms.IntegerField(min_value=0, max_value=10_000_000, label="Figure for the quarter")
    note = forms.CharField(max_length=300, required=False, label="Source of the figure", help_text="For example: police recorded crime")
