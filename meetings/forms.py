"""Forms for the meetings pages. They parse input; the services decide what is allowed."""

from datetime import datetime

from django import forms
from django.utils import timezone

from casework.forms.fields import ModelChoiceField
from casework.forms.work import ActionForm, DateInput, GovukForm  # noqa: F401  (ActionForm serves meeting actions too)
from casework.models import Case
from meetings.models import AgendaItem, Attendance, GroupSchedule
from meetings.selectors import previous_meeting


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


def _date(label, required=True, help_text=""):
    return forms.DateField(
        label=label, required=required, widget=DateInput(attrs={"class": "govuk-input govuk-input--width-10"}), help_text=help_text,
        error_messages={"required": f"Enter the {label.lower()}.", "invalid": "Enter a real date."},
    )


def _time(label, required=True):
    return forms.TimeField(
        label=label, required=required, widget=TimeInput(attrs={"class": "govuk-input govuk-input--width-10"}),
        error_messages={"required": f"Enter the {label.lower()}, like 10:00.", "invalid": "Enter a time like 10:00."},
    )


class ScheduleForm(GovukForm):
    week_of_month = forms.TypedChoiceField(label="Week of the month", choices=GroupSchedule.Week.choices, coerce=int)
    weekday = forms.TypedChoiceField(label="Day of the week", choices=GroupSchedule.Weekday.choices, coerce=int)
    starts_at = _time("Start time")
    venue = forms.CharField(label="Venue", required=False, max_length=300, help_text="Leave empty to use the group's usual venue")
    months_ahead = forms.IntegerField(label="Months of meetings to keep in the calendar", min_value=1, max_value=12)
    cut_off_days = forms.IntegerField(label="Agenda cut-off, in days before the meeting", min_value=1, max_value=28)
    first_minute_number = forms.IntegerField(
        label="Number of the group's first minute here", min_value=1,
        help_text="To continue the numbering of minutes kept before, for example 76",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("months_ahead", "cut_off_days", "first_minute_number"):
            self.fields[name].widget.attrs["class"] = "govuk-input govuk-input--width-3"


class MoveForm(GovukForm):
    held_on = _date("New date")
    starts_at = _time("Start time")
    venue = forms.CharField(label="Venue", max_length=300, error_messages={"required": "Enter where the meeting will be held."})
    reason = forms.CharField(label="Why is the meeting moving?", max_length=300, error_messages={"required": "Say why the meeting is moving."})


class CancelForm(GovukForm):
    reason = forms.CharField(label="Why is the meeting cancelled?", max_length=300, error_messages={"required": "Say why the meeting is cancelled."})


class CutOffForm(GovukForm):
    cut_off_on = _date("Cut-off date", help_text="Referrals, incidents and actions up to this moment go on the agenda")
    cut_off_at = _time("Cut-off time")

    def cut_off(self):
        return timezone.make_aware(datetime.combine(self.cleaned_data["cut_off_on"], self.cleaned_data["cut_off_at"]))


class ItemTextForm(GovukForm):
    title = forms.CharField(label="Title", max_length=300, error_messages={"required": "Give the item a title."})
    body = forms.CharField(label="Text", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ProposeClosureForm(GovukForm):
    closure_reason = forms.CharField(
        label="Why could the case close?", max_length=300, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the case could close."},
    )


class AttendanceForm(GovukForm):
    user = ModelChoiceField(label="Person", queryset=None, required=False, empty_label="Not in the list: type their name below")
    name = forms.CharField(label="Name", required=False, max_length=200, help_text="For someone without an account, for example PC Tony Barrios")
    agency = ModelChoiceField(label="On behalf of", queryset=None, empty_label="Choose an agency", error_messages={"required": "Choose the agency they represent."})
    role = forms.CharField(label="Role at the meeting", required=False, max_length=100, help_text="Optional, for example Chair or PPO coordinator")
    status = forms.ChoiceField(label="Present or apologies", choices=Attendance.Status.choices, initial=Attendance.Status.PRESENT, widget=forms.RadioSelect)

    def __init__(self, *args, users, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["user"].label_from_instance = lambda user: user.get_full_name() or user.get_username()
        self.fields["agency"].queryset = agencies


def _choose(options: dict, value, message):
    chosen = options.get(str(value or ""))
    if value and chosen is None:
        raise forms.ValidationError(message)
    return chosen


class DeclarationForm(GovukForm):
    # Choices from lists read once for the whole page, not a query per item.
    attendee = forms.ChoiceField(label="Who declared it", error_messages={"required": "Choose who declared the interest from those present."})
    interest = forms.CharField(label="Interest declared", max_length=300, error_messages={"required": "Say what the interest is."})

    def __init__(self, *args, present, **kwargs):
        super().__init__(*args, **kwargs)
        self._present = {str(row.pk): row for row in present}
        self.fields["attendee"].choices = [("", "Choose someone present")] + [(pk, f"{row.name} ({row.agency.short_name})") for pk, row in self._present.items()]

    def clean_attendee(self):
        return _choose(self._present, self.cleaned_data["attendee"], "Choose who declared the interest from those present.")


class ItemMinutesForm(GovukForm):
    minute_text = forms.CharField(label="Minutes", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    decision = forms.ChoiceField(
        label="Decision", required=False, widget=forms.RadioSelect,
        choices=[("", "No decision")] + AgendaItem.Decision.choices,
    )
    decision_lead_agency = forms.ChoiceField(label="New lead agency", required=False)
    decision_outcome = forms.ChoiceField(label="Outcome if closed", required=False, choices=[("", "Choose an outcome")] + Case.Outcome.choices)
    previous_minutes_approval = forms.ChoiceField(
        label="The previous minutes were", required=False, widget=forms.RadioSelect,
        choices=[("", "Not yet considered"), ("correct", "Accepted as a correct record"), ("subject_to", "Accepted as a correct record, subject to alterations")],
    )
    previous_minutes_alterations = forms.CharField(label="Alterations", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, item: AgendaItem, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        if item.case_id is None:
            for name in ("decision", "decision_lead_agency", "decision_outcome"):
                del self.fields[name]
        else:
            self._agencies = {str(agency.pk): agency for agency in agencies}
            self.fields["decision_lead_agency"].choices = [("", "Choose an agency")] + [(pk, a.name) for pk, a in self._agencies.items()]
        # A group's first meeting has no previous minutes to accept (meetings.selectors.previous_meeting).
        if item.section != AgendaItem.Section.PREVIOUS_MINUTES or previous_meeting(item.meeting) is None:
            del self.fields["previous_minutes_approval"]
            del self.fields["previous_minutes_alterations"]

    def clean_decision_lead_agency(self):
        return _choose(self._agencies, self.cleaned_data["decision_lead_agency"], "Choose an agency from the list.")

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        arguments = {"minute_text": data["minute_text"]}
        if "decision" in self.fields:
            arguments.update(decision=data["decision"], decision_lead_agency=data["decision_lead_agency"], decision_outcome=data["decision_outcome"])
        if "previous_minutes_approval" in self.fields:
            arguments.update(previous_minutes_approval=data["previous_minutes_approval"], previous_minutes_alterations=data["previous_minutes_alterations"])
        return arguments
