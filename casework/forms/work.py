"""Forms for interventions, actions and notes. They parse input; the services decide what is allowed."""

from django import forms
from django.core.exceptions import ValidationError

from casework import intervention_rules
from casework.forms.fields import ModelChoiceField, ModelMultipleChoiceField
from casework.forms.widgets import QuickSelect
from casework.models import Intervention, InterventionType, SecurityMarking

CSS = {
    "Select": "govuk-select",
    "QuickSelect": "govuk-select",
    "TextInput": "govuk-input",
    "DateInput": "govuk-input govuk-input--width-10",
    "Textarea": "govuk-textarea",
    "RadioSelect": "govuk-radios__input",
    "CheckboxSelectMultiple": "govuk-checkboxes__input",
}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class GovukForm(forms.Form):
    """Adds the GOV.UK classes to each widget, and ties hints to their inputs for screen readers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("class", CSS.get(type(field.widget).__name__, ""))
            if field.help_text:
                field.widget.attrs.setdefault("aria-describedby", f"id_{name}_helptext")

    def add_service_errors(self, error: ValidationError) -> None:
        """Show a service's refusal beside the fields it names (or at the top)."""
        if hasattr(error, "error_dict"):
            for field_name, errors in error.error_dict.items():
                target = field_name if field_name in self.fields else None
                for message in (m for e in errors for m in e.messages):
                    self.add_error(target, message)
        else:
            for message in error.messages:
                self.add_error(None, message)


def _date_field(label, help_text="", required=False):
    return forms.DateField(label=label, required=required, widget=DateInput(), help_text=help_text)


class InterventionForm(GovukForm):
    type = forms.ChoiceField(label="Type of intervention", choices=[("", "Choose a type")] + InterventionType.choices)
    delivering_agency = ModelChoiceField(label="Delivering agency", queryset=None, empty_label="Choose an agency")
    person = ModelChoiceField(
        label="Person it applies to",
        queryset=None,
        required=False,
        empty_label="No one in particular (area-wide, for example a PSPO or a dispersal direction)",
        help_text="People linked to this case. Leave empty for an order that covers a place.",
    )
    start_on = _date_field("Start date")
    review_on = _date_field("Review date")
    end_on = _date_field("End date")
    status = forms.ChoiceField(
        label="Status",
        choices=[(value, label) for value, label in Intervention.Status.choices if value != Intervention.Status.BREACHED],
        initial=Intervention.Status.PROPOSED,
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, agencies, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delivering_agency"].queryset = agencies
        self.fields["person"].queryset = people
        self.legal_rules = intervention_rules.all_rules()


class InterventionUpdateForm(GovukForm):
    status = forms.ChoiceField(label="Status", choices=Intervention.Status.choices, widget=forms.RadioSelect)
    start_on = _date_field("Start date")
    review_on = _date_field("Review date")
    end_on = _date_field("End date")
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 4}))


class BreachForm(GovukForm):
    occurred_on = _date_field("Date of the breach", required=True)
    notes = forms.CharField(label="What happened", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ActionForm(GovukForm):
    description = forms.CharField(label="What needs to be done", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ChoiceField(
        label="Owner",
        # Every member of every agency with access, an option each: written in Python, not a template per option.
        widget=QuickSelect,
        help_text="A person or an agency with access to this case",
        error_messages={"required": "Choose an owner.", "invalid_choice": "Choose an owner from the list."},
    )
    due_on = _date_field("Due date")

    def __init__(self, *args, agencies, users, **kwargs):
        super().__init__(*args, **kwargs)
        self._agencies = {str(a.pk): a for a in agencies}
        self._users = {str(u.pk): u for u in users}
        self.fields["owner"].choices = [
            ("", "Choose an owner"),
            ("Agencies", [(f"agency:{pk}", a.name) for pk, a in self._agencies.items()]),
            ("People", [(f"user:{pk}", _user_label(u)) for pk, u in self._users.items()]),
        ]

    def clean_owner(self):
        kind, _, pk = self.cleaned_data["owner"].partition(":")
        chosen = {"agency": self._agencies, "user": self._users}.get(kind, {}).get(pk)
        if chosen is None:
            raise ValidationError("Choose an owner from the list.")
        return chosen

    def owner_fields(self) -> dict:
        owner = self.cleaned_data["owner"]
        is_agency = owner in self._agencies.values()
        return {"owner_agency": owner if is_agency else None, "owner_user": None if is_agency else owner}

    @staticmethod
    def owner_value(action) -> str:
        return f"user:{action.owner_user_id}" if action.owner_user_id else f"agency:{action.owner_agency_id}"


def _user_label(user) -> str:
    agencies = ", ".join(sorted({m.agency.short_name for m in getattr(user, "case_memberships", [])}))
    name = user.get_full_name() or user.username
    return f"{name} ({agencies})" if agencies else name


class ActionDoneForm(GovukForm):
    done_on = _date_field("Date done", help_text="Leave empty for today")


class NoteForm(GovukForm):
    text = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 5}))
    marking = forms.ChoiceField(
        label="Security marking",
        choices=SecurityMarking.choices,
        initial=SecurityMarking.OFFICIAL,
        widget=forms.RadioSelect,
    )
    shared_with = ModelMultipleChoiceField(
        label="Share an OFFICIAL-SENSITIVE note with",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only your agency and the agencies you tick will see it. An OFFICIAL note is seen by every agency with access.",
    )

    def __init__(self, *args, share_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shared_with"].queryset = share_choices
