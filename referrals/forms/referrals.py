from django import forms
from django.utils import timezone

from casework.forms.fields import ModelChoiceField
from casework.forms.widgets import GovukRadioSelect
from referrals.models import Referral
from referrals.services.referrals import default_respond_by


class _GovukForm(forms.Form):
    CSS = {
        "Select": "govuk-select",
        "TextInput": "govuk-input",
        "_DateInput": "govuk-input govuk-input--width-10",
        "Textarea": "govuk-textarea",
        "GovukRadioSelect": "govuk-radios__input",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", self.CSS.get(type(field.widget).__name__, ""))

    def add_service_errors(self, error) -> None:
        """Put a service's ValidationError on the fields it names (or on the form)."""
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error)


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ReferralSendForm(_GovukForm):
    to_agency = ModelChoiceField(
        label="Refer the case to",
        queryset=None,
        empty_label="Choose an agency",
        error_messages={"required": "Choose the agency to refer the case to."},
    )
    purpose = forms.ChoiceField(
        label="What are you asking them to do?",
        choices=Referral.Purpose.choices,
        widget=GovukRadioSelect,
        error_messages={"required": "Choose what you are asking the agency to do."},
    )
    reason = forms.CharField(
        label="Why are you referring the case?",
        help_text="Say what the other agency needs to know to decide. They see this before they can open the case.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Say why you are referring the case."},
    )
    priority = forms.ChoiceField(
        label="Priority",
        choices=Referral.Priority.choices,
        initial=Referral.Priority.ROUTINE,
        widget=GovukRadioSelect,
        error_messages={"required": "Choose routine or urgent."},
    )
    respond_by = forms.DateField(
        label="Reply by",
        help_text="Five working days from today unless you change it.",
        widget=_DateInput(),
        error_messages={"required": "Enter the date by which the agency should reply.", "invalid": "Enter a real date."},
    )
    former_lead_access = forms.ChoiceField(
        label="If they take the lead, what does your agency keep?",
        help_text="Only used when you ask them to take the lead.",
        choices=Referral.FormerLeadAccess.choices,
        initial=Referral.FormerLeadAccess.CONTRIBUTOR,
        required=False,
        widget=GovukRadioSelect,
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_agency"].queryset = agencies
        self.fields["respond_by"].initial = default_respond_by()

    def clean_respond_by(self):
        value = self.cleaned_data["respond_by"]
        if value < timezone.localdate():
            raise forms.ValidationError("The reply date cannot be in the past.")
        return value

    def clean(self):
        data = super().clean()
        if data.get("purpose") == Referral.Purpose.TAKE_LEAD and not data.get("former_lead_access"):
            self.add_error("former_lead_access", "Choose what your agency keeps once the other agency takes the lead.")
        return data


class ReferralDeclineForm(_GovukForm):
    reason = forms.CharField(
        label="Why are you declining?",
        help_text="The referring agency sees this.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why you are declining the referral."},
    )


class ReferralMessageForm(_GovukForm):
    text = forms.CharField(
        label="Ask a question or answer one",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write your question or answer."},
    )


class GroupReferralForm(_GovukForm):
    reason = forms.CharField(
        label="Why should the group consider the case?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the group should consider the case."},
    )
    referred_on = forms.DateField(
        label="Date of referral",
        widget=_DateInput(),
        error_messages={"required": "Enter the date of referral.", "invalid": "Enter a real date."},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "group")
        super().__init__(*args, **kwargs)
        self.fields["referred_on"].initial = timezone.localdate()
