from django import forms

from casework.models import AsbCategory, Case


class CaseFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100, help_text="Reference, person's name, postcode or address")
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any")] + Case.Status.choices)
    category = forms.ChoiceField(label="Category", required=False, choices=[("", "Any")] + AsbCategory.choices)
    risk_level = forms.ChoiceField(label="Victim risk", required=False, choices=[("", "Any")] + Case.RiskLevel.choices)
    case_review = forms.BooleanField(label="Over the ASB Case Review threshold", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = {"Select": "govuk-select", "TextInput": "govuk-input", "CheckboxInput": "govuk-checkboxes__input"}
            field.widget.attrs.setdefault("class", css.get(type(field.widget).__name__, ""))
