from datetime import date

from django import forms
from django.core.exceptions import ValidationError

from casework.forms.fields import ModelChoiceField
from casework.forms.widgets import GovukRadioSelect
from casework.models import CasePerson, Person
from casework.postcodes import postcode_compact
from casework.services.people import PERSON_FIELDS


def _text(label, max_length, required=False, help_text="", width=""):
    css = f"govuk-input {width}".strip()
    return forms.CharField(
        label=label, max_length=max_length, required=required, help_text=help_text,
        widget=forms.TextInput(attrs={"class": css}),
        error_messages={"required": f"Enter the person's {label.lower()}.", "max_length": f"{label} must be {max_length} characters or fewer."},
    )


def _date_part(label, css, min_value, max_value):
    return forms.IntegerField(
        label=label, required=False, min_value=min_value, max_value=max_value,
        widget=forms.TextInput(attrs={"class": f"govuk-input govuk-date-input__input {css}", "inputmode": "numeric"}),
        error_messages={"invalid": "Date of birth must be a real date.", "min_value": "Date of birth must be a real date.",
                        "max_value": "Date of birth must be a real date."},
    )


class PersonForm(forms.Form):
    """A person's details. Saving goes through casework.services.people, which also checks them."""

    first_name = _text("First name", 100, required=True, width="govuk-!-width-one-half")
    last_name = _text("Last name", 100, required=True, width="govuk-!-width-one-half")
    aliases = _text("Other names", 300, help_text="Names they use or are known by, separated by commas")
    dob_day = _date_part("Day", "govuk-input--width-2", 1, 31)
    dob_month = _date_part("Month", "govuk-input--width-2", 1, 12)
    dob_year = _date_part("Year", "govuk-input--width-4", 1000, 9999)
    gender = forms.ChoiceField(label="Gender", choices=Person.Gender.choices, initial=Person.Gender.NOT_KNOWN,
                               widget=GovukRadioSelect(attrs={"class": "govuk-radios__input"}),
                               error_messages={"required": "Choose the person's gender, or 'Not known'."})
    address = _text("Address", 300)
    postcode = _text("Postcode", 10, width="govuk-input--width-10")
    phone = _text("Phone", 40, width="govuk-input--width-20")
    email = forms.EmailField(label="Email", required=False, max_length=254,
                             widget=forms.EmailInput(attrs={"class": "govuk-input govuk-!-width-two-thirds", "spellcheck": "false"}),
                             error_messages={"invalid": "Enter an email address like name@example.org."})
    vulnerability_notes = forms.CharField(
        label="Vulnerability", required=False,
        help_text="Anything partners must know to keep the person safe: health, disability, age, language, isolation",
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 4}),
    )

    DATE_PARTS = ("dob_day", "dob_month", "dob_year")

    @classmethod
    def initial_from(cls, person: Person) -> dict:
        initial = {name: getattr(person, name) for name in PERSON_FIELDS if name != "date_of_birth"}
        if person.date_of_birth:
            dob = person.date_of_birth
            initial.update(dob_day=dob.day, dob_month=dob.month, dob_year=dob.year)
        return initial

    def clean(self):
        cleaned = super().clean()
        parts = [cleaned.get(name) for name in self.DATE_PARTS]
        if any(self.has_error(name) for name in self.DATE_PARTS):
            return cleaned
        if all(part is None for part in parts):
            cleaned["date_of_birth"] = None
        elif any(part is None for part in parts):
            self.add_error("dob_day", "Date of birth must include a day, month and year.")
        else:
            try:
                cleaned["date_of_birth"] = date(parts[2], parts[1], parts[0])
            except ValueError:
                self.add_error("dob_day", "Date of birth must be a real date.")
        return cleaned

    @property
    def dob_parts(self) -> list:
        return [self[name] for name in self.DATE_PARTS]

    @property
    def date_errors(self) -> list[str]:
        return [error for name in self.DATE_PARTS for error in self.errors.get(name, [])]

    def person_details(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in PERSON_FIELDS}

    def add_service_errors(self, error: ValidationError) -> None:
        """Put a service's ValidationError against the fields it names (the date of birth against its day box)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, errors in error.error_dict.items():
            target = "dob_day" if field == "date_of_birth" else field
            self.add_error(target if target in self.fields else None, errors)


class CasePersonAddForm(PersonForm):
    role = forms.ChoiceField(label="Role on this case", choices=CasePerson.Role.choices,
                             widget=GovukRadioSelect(attrs={"class": "govuk-radios__input"}),
                             error_messages={"required": "Choose the person's role on this case."})
    notes = forms.CharField(label="How they are involved (optional)", required=False, max_length=300,
                            widget=forms.TextInput(attrs={"class": "govuk-input"}),
                            error_messages={"max_length": "Keep this to 300 characters or fewer."})

    field_order = ["role", *PersonForm.base_fields, "notes"]


class DuplicateDecisionForm(forms.Form):
    """Link one of the possible duplicates, or make a new record."""

    NEW = "new"

    decision = forms.ChoiceField(label="Is this one of these people?", widget=GovukRadioSelect(attrs={"class": "govuk-radios__input"}),
                                 error_messages={"required": "Choose the person, or 'None of these, create a new record'.",
                                                 "invalid_choice": "Choose the person, or 'None of these, create a new record'."})

    def __init__(self, *args, candidates: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        self.fields["decision"].choices = [(str(c["id"]), c["name"]) for c in candidates] + [(self.NEW, "None of these")]

    @property
    def chosen_person_id(self) -> int | None:
        decision = self.cleaned_data["decision"]
        return None if decision == self.NEW else int(decision)


class PersonEditForm(PersonForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def _unchanged_by_user(self, field: str, old) -> bool:
        mine = self.cleaned_data.get(field)
        if isinstance(mine, date):
            mine = mine.isoformat()
        if field == "postcode":
            mine, old = postcode_compact(mine or ""), postcode_compact(old or "")
        return (mine or None) == (old or None)

    def rebased(self, *, changes: dict, version: int, labels: dict) -> tuple["PersonEditForm", list[dict]]:
        """After a stale save was refused: a form on `version` that keeps every field the user changed and takes the
        other save's value for the fields they left alone; and the other save's changes, each marked `yours_kept`."""
        data = self.data.copy()
        data["version"] = version
        marked = []
        for field, (old, new) in changes.items():
            yours_kept = not self._unchanged_by_user(field, old)
            if not yours_kept and field == "date_of_birth":
                dob = date.fromisoformat(new) if new else None
                data.update({"dob_day": dob.day if dob else "", "dob_month": dob.month if dob else "", "dob_year": dob.year if dob else ""})
            elif not yours_kept and field in self.fields:
                data[field] = new or ""
            marked.append({"label": labels.get(field, field), "old": old, "new": new, "yours_kept": yours_kept})
        rebased = PersonEditForm(data)
        rebased.is_valid()
        return rebased, marked


class HouseholdForm(forms.Form):
    name = forms.CharField(label="Household name", max_length=200, help_text="For example: the Reeve household, 14 Station Road",
                           widget=forms.TextInput(attrs={"class": "govuk-input"}),
                           error_messages={"required": "Enter a name for the household."})
    address = forms.CharField(label="Address", max_length=300, required=False, widget=forms.TextInput(attrs={"class": "govuk-input"}))
    postcode = forms.CharField(label="Postcode", max_length=10, required=False,
                               widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}))

    def add_service_errors(self, error: ValidationError) -> None:
        for field, errors in getattr(error, "error_dict", {None: error.error_list}).items():
            self.add_error(field if field in self.fields else None, errors)


class HouseholdMemberAddForm(forms.Form):
    person = ModelChoiceField(label="Person to add", queryset=Person.objects.none(), empty_label="Choose a person",
                                    widget=forms.Select(attrs={"class": "govuk-select"}),
                                    error_messages={"required": "Choose the person to add.", "invalid_choice": "Choose one of the people listed."})

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = choices
