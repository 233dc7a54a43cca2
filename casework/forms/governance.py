"""Forms for the audit search, subject access and retention pages."""

from django import forms

from audit.models import AuditEvent

_CSS = {
    "Select": "govuk-select", "TextInput": "govuk-input", "NumberInput": "govuk-input govuk-input--width-10",
    "DateInput": "govuk-input govuk-input--width-10", "Textarea": "govuk-textarea", "CheckboxInput": "govuk-checkboxes__input",
}


def _date_field(label, **kwargs):
    return forms.DateField(
        label=label, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        error_messages={"invalid": f"Enter a real date for “{label.lower()}”, for example 2026-03-02"}, **kwargs,
    )


class GovukForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", _CSS.get(type(field.widget).__name__, ""))

    def add_service_errors(self, error) -> None:
        """Put a service's ValidationError messages on the matching fields (others on the form)."""
        if hasattr(error, "error_dict"):
            for field, errors in error.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error.messages)


class AuditSearchForm(GovukForm):
    user = forms.CharField(label="User", required=False, max_length=150, help_text="All or part of a username")
    case_reference = forms.CharField(label="Case reference", required=False, max_length=24, help_text="For example ECAM-2026-0042")
    person_id = forms.IntegerField(
        label="Person id", required=False, min_value=1, help_text="The number at the end of a person's page address",
        error_messages={"invalid": "Enter the person id as a whole number", "min_value": "Enter the person id as a whole number"},
    )
    action = forms.ChoiceField(label="Action", required=False, choices=[("", "Any")] + AuditEvent.Action.choices,
                               error_messages={"invalid_choice": "Choose an action from the list"})
    date_from = _date_field("From", required=False)
    date_to = _date_field("To", required=False)

    def clean_case_reference(self):
        return self.cleaned_data["case_reference"].strip().upper()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The “to” date must be the same as or after the “from” date")
        return cleaned

    def describe(self) -> str:
        """The search in words, for the audit trail and the page."""
        if not self.is_bound or not self.is_valid():
            return "no filters"
        values = self.cleaned_data
        parts = []
        if values.get("user"):
            parts.append(f"user contains {values['user']!r}")
        if values.get("case_reference"):
            parts.append(f"case {values['case_reference']}")
        if values.get("person_id"):
            parts.append(f"person {values['person_id']}")
        if values.get("action"):
            parts.append(f"action {values['action']}")
        if values.get("date_from"):
            parts.append(f"from {values['date_from']:%Y-%m-%d}")
        if values.get("date_to"):
            parts.append(f"to {values['date_to']:%Y-%m-%d}")
        return "; ".join(parts) or "no filters"


class SubjectAccessPersonSearchForm(GovukForm):
    last_name = forms.CharField(label="Last name", max_length=100, error_messages={"required": "Enter the person's last name"})
    first_name = forms.CharField(label="First name", required=False, max_length=100)
    date_of_birth = _date_field("Date of birth", required=False)


class SubjectAccessRequestForm(GovukForm):
    request_reference = forms.CharField(
        label="Request reference", max_length=100, help_text="The reference your organisation gave the request, for example SAR-2026-014",
        error_messages={"required": "Enter the reference the request was given, for example SAR-2026-014"},
    )
    received_on = _date_field("Date received", help_text="A reply is due within one month of this date")
    reason = forms.CharField(
        label="About the request", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="How it came in and how the requester's identity was checked",
    )
    withhold_sensitive = forms.BooleanField(
        label="Withhold OFFICIAL-SENSITIVE notes and documents", required=False, initial=True,
        help_text="Untick to include them, each marked for review before disclosure",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].error_messages["required"] = "Enter the date the request was received"


class RetentionDeferForm(GovukForm):
    reason = forms.CharField(label="Why keep the case", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                             error_messages={"required": "Say why the case should be kept"})
    review_on = _date_field("Review again on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review_on"].error_messages["required"] = "Enter the date to review the case again"
