"""Forms for incidents and ASB Case Review requests, with GOV.UK date inputs (day, month, year)."""

import re
from datetime import date, datetime, time

from django import forms
from django.forms.boundfield import BoundField
from django.core.exceptions import ValidationError
from django.utils import timezone

from casework.models import CaseReviewRequest, Incident

TIME_PATTERN = re.compile(r"^\s*(\d{1,2})\s*[:.]\s*(\d{2})\s*$")


def _number(value: str) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


def date_from_parts(day: str, month: str, year: str, *, what: str) -> date:
    """A date from the three boxes of a GOV.UK date input, with the Design System's messages."""
    parts = {"day": (day or "").strip(), "month": (month or "").strip(), "year": (year or "").strip()}
    if not any(parts.values()):
        raise ValidationError(f"Enter {what}")
    missing = [name for name, value in parts.items() if not value]
    if missing:
        raise ValidationError(f"{what[0].upper()}{what[1:]} must include a {' and a '.join(missing)}")
    d, m, y = _number(parts["day"]), _number(parts["month"]), _number(parts["year"])
    if None in (d, m, y) or len(parts["year"]) != 4:
        raise ValidationError(f"{what[0].upper()}{what[1:]} must be a real date")
    try:
        return date(y, m, d)
    except ValueError:
        raise ValidationError(f"{what[0].upper()}{what[1:]} must be a real date") from None


def time_from_text(value: str, *, what: str) -> time:
    match = TIME_PATTERN.match(value or "")
    if not (value or "").strip():
        raise ValidationError(f"Enter {what}")
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValidationError(f"Enter {what} as hours and minutes on the 24-hour clock, for example 21:30")
    return time(int(match[1]), int(match[2]))


def date_box(width: int):
    return forms.CharField(
        required=False,
        max_length=4,
        widget=forms.TextInput(attrs={"class": f"govuk-input govuk-date-input__input govuk-input--width-{width}", "inputmode": "numeric"}),
    )


def today_initial(prefix: str) -> dict:
    today = timezone.localdate()
    return {f"{prefix}_day": today.day, f"{prefix}_month": today.month, f"{prefix}_year": today.year}


def person_choices(people: list) -> list[tuple[str, str]]:
    """(id, "Name (roles)") for the people on a case, from selectors.incidents.case_people_who_may_report."""
    return [(str(person.pk), f"{person.first_name} {person.last_name} ({roles})") for person, roles in people]


ERROR_CLASSES = {"govuk-input": "govuk-input--error", "govuk-select": "govuk-select--error", "govuk-textarea": "govuk-textarea--error"}
DATE_PART_SUFFIXES = ("_month", "_year")


class GovukBoundField(BoundField):
    """A field whose input is styled as in error when it (or, for a date's month and year boxes, its day) has one."""

    def _in_error(self) -> bool:
        if self.errors:
            return True
        for suffix in DATE_PART_SUFFIXES:
            if self.name.endswith(suffix):
                return bool(self.form.errors.get(self.name.removesuffix(suffix) + "_day"))
        return False

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if self._in_error():
            classes = (widget or self.field.widget).attrs.get("class", "").split()
            extra = [ERROR_CLASSES[name] for name in classes if name in ERROR_CLASSES]
            if extra:
                attrs["class"] = " ".join(classes + extra)
        return attrs


class GovukFormMixin:
    """GOV.UK habits: no browser validation (the server's messages are clearer), inputs marked in error, and a
    service's ValidationError put on the form's fields (`service_fields` maps service names to form fields)."""

    use_required_attribute = False
    bound_field_class = GovukBoundField
    service_fields: dict[str, str] = {}

    def add_service_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                field = self.service_fields.get(name, name)
                for message in (m for e in errors for m in e.messages):
                    self.add_error(field if field in self.fields else None, message)
        else:
            for message in error.messages:
                self.add_error(None, message)


class _PersonChoiceMixin:
    def _person_from(self, value: str):
        return self._people.get(value) if value else None


class IncidentForm(GovukFormMixin, _PersonChoiceMixin, forms.Form):
    service_fields = {"occurred_at": "occurred_day", "reported_on": "reported_day"}

    occurred_day = date_box(2)
    occurred_month = date_box(2)
    occurred_year = date_box(4)
    occurred_time = forms.CharField(
        label="Time it happened",
        required=False,
        max_length=5,
        help_text="Use the 24-hour clock, for example 21:30. Give your best estimate if the exact time is not known.",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-5", "autocomplete": "off"}),
    )
    reported_day = date_box(2)
    reported_month = date_box(2)
    reported_year = date_box(4)
    reported_by = forms.ChoiceField(
        label="Who reported it",
        required=False,
        help_text="Only a report by someone on the case counts as a complaint towards the ASB Case Review threshold. Add people on the People tab.",
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    channel = forms.ChoiceField(
        label="How was it reported?",
        choices=Incident.Channel.choices,
        widget=forms.RadioSelect(attrs={"class": "govuk-radios__input"}),
        error_messages={"required": "Choose how it was reported"},
    )
    description = forms.CharField(
        label="What happened",
        max_length=5000,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 5}),
        error_messages={"required": "Describe what happened"},
    )
    is_hate_motivated = forms.BooleanField(
        label="The victim or anyone else thinks it was motivated by hostility or prejudice (a hate incident)",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
    )
    other_references = forms.CharField(
        label="Other agencies' reference numbers (optional)",
        required=False,
        max_length=200,
        help_text="For example a police incident number: CC-20260314-0412",
        widget=forms.TextInput(attrs={"class": "govuk-input"}),
    )

    def __init__(self, *args, people: list, **kwargs):
        kwargs.setdefault("initial", today_initial("reported"))
        super().__init__(*args, **kwargs)
        self._people = {str(person.pk): person for person, _ in people}
        self.fields["reported_by"].choices = [("", "Not known, or not a person on this case")] + person_choices(people)

    def clean(self):
        data = super().clean()
        try:
            occurred_on = date_from_parts(data.get("occurred_day"), data.get("occurred_month"), data.get("occurred_year"), what="the date it happened")
        except ValidationError as error:
            self.add_error("occurred_day", error)
            occurred_on = None
        try:
            at = time_from_text(data.get("occurred_time"), what="the time it happened")
        except ValidationError as error:
            self.add_error("occurred_time", error)
            at = None
        try:
            data["reported_on"] = date_from_parts(data.get("reported_day"), data.get("reported_month"), data.get("reported_year"), what="the date it was reported")
        except ValidationError as error:
            self.add_error("reported_day", error)
        if occurred_on and at:
            data["occurred_at"] = timezone.make_aware(datetime.combine(occurred_on, at))
        data["reporter"] = self._person_from(data.get("reported_by"))
        return data


class CaseReviewRequestForm(GovukFormMixin, _PersonChoiceMixin, forms.Form):
    service_fields = {"requested_on": "requested_day"}

    requested_day = date_box(2)
    requested_month = date_box(2)
    requested_year = date_box(4)
    requested_by = forms.ChoiceField(label="Who asked for the review", required=False, widget=forms.Select(attrs={"class": "govuk-select"}))
    requested_by_description = forms.CharField(
        label="Or describe who asked",
        required=False,
        max_length=200,
        help_text="If they are not on the case: for example, ward councillor on the victim's behalf",
        widget=forms.TextInput(attrs={"class": "govuk-input"}),
    )
    notes = forms.CharField(label="Notes (optional)", required=False, max_length=5000, widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 3}))

    def __init__(self, *args, people: list, **kwargs):
        kwargs.setdefault("initial", today_initial("requested"))
        super().__init__(*args, **kwargs)
        self._people = {str(person.pk): person for person, _ in people}
        self.fields["requested_by"].choices = [("", "Someone not on the case")] + person_choices(people)

    def clean(self):
        data = super().clean()
        try:
            data["requested_on"] = date_from_parts(data.get("requested_day"), data.get("requested_month"), data.get("requested_year"), what="the date the review was requested")
        except ValidationError as error:
            self.add_error("requested_day", error)
        data["requester"] = self._person_from(data.get("requested_by"))
        return data


class CaseReviewDecisionForm(GovukFormMixin, forms.Form):
    service_fields = {"decision_on": "decision_day"}

    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[(value, label) for value, label in CaseReviewRequest.Outcome.choices if value != CaseReviewRequest.Outcome.PENDING],
        widget=forms.RadioSelect(attrs={"class": "govuk-radios__input"}),
        error_messages={"required": "Choose the outcome of the decision"},
    )
    decision_day = date_box(2)
    decision_month = date_box(2)
    decision_year = date_box(4)
    notes = forms.CharField(label="Notes (optional)", required=False, max_length=5000, widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 3}))

    def clean(self):
        data = super().clean()
        try:
            data["decision_on"] = date_from_parts(data.get("decision_day"), data.get("decision_month"), data.get("decision_year"), what="the date of the decision")
        except ValidationError as error:
            self.add_error("decision_day", error)
        return data
