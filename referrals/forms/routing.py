"""Forms for routing rules and for the case facts that routing looks at. Parsing only: the services check the rules."""

from django import forms

from agencies.models import Agency
from casework.forms.fields import ModelChoiceField, ModelMultipleChoiceField
from casework.models import AsbKind, Case, InterventionType

ANY, YES, NO = "any", "yes", "no"
_TRI_STATE = {ANY: None, YES: True, NO: False}
_TRI_STATE_BACK = {value: key for key, value in _TRI_STATE.items()}


class TriStateField(forms.ChoiceField):
    """Yes, no or any, as radios: a rule condition that is "any" matches every case."""

    widget = forms.RadioSelect

    def __init__(self, *, any_label="Any", **kwargs):
        super().__init__(choices=[(ANY, any_label), (YES, "Yes"), (NO, "No")], initial=ANY, **kwargs)

    def clean(self, value):
        return _TRI_STATE[super().clean(value or ANY)]

    def prepare_value(self, value):
        return _TRI_STATE_BACK.get(value, value) if value in (None, True, False) else value


def _style(form):
    css = {
        "Select": "govuk-select", "TextInput": "govuk-input", "NumberInput": "govuk-input govuk-input--width-4",
        "Textarea": "govuk-textarea", "CheckboxInput": "govuk-checkboxes__input",
        "CheckboxSelectMultiple": "govuk-checkboxes__input", "RadioSelect": "govuk-radios__input",
    }
    for field in form.fields.values():
        field.widget.attrs.setdefault("class", css.get(type(field.widget).__name__, ""))


class RoutingRuleForm(forms.Form):
    name = forms.CharField(max_length=200, label="Name", help_text="Short and plain, for example 'ASB by a housing association tenant'")
    # Every kind, not only those in use for new cases: editing a rule must not silently drop a retired kind.
    kinds = ModelMultipleChoiceField(
        queryset=AsbKind.objects.all(), required=False, widget=forms.CheckboxSelectMultiple,
        label="Kinds of ASB", help_text="The rule applies to cases of any kind you tick. Tick none for any kind.",
    )
    subject_tenure = forms.ChoiceField(
        choices=[("", "Any tenure")] + Case.Tenure.choices, required=False, label="Subject's tenure",
    )
    subject_under_18 = TriStateField(label="Is the subject under 18?", required=False)
    hate_motivated = TriStateField(label="Is it hate-motivated?", required=False, help_text="The kind 'Hate-motivated', or any hate-motivated incident on the case")
    drug_alcohol_related = TriStateField(label="Is it drug or alcohol related?", required=False)
    complex_or_persistent = TriStateField(label="Is it complex, persistent or criminal?", required=False, help_text="The case's complex flag, or the incident count below")
    persistent_incidents = forms.IntegerField(
        min_value=1, max_value=999, required=False, label="Persistent from this many incidents",
        help_text="Optional: this many incidents or more in the period also makes a case persistent",
    )
    persistent_period_days = forms.IntegerField(min_value=1, max_value=3650, required=False, label="In the last this many days")
    lead_agency = ModelChoiceField(queryset=Agency.objects.none(), label="Lead agency", empty_label="Choose an agency")
    supporting_agencies = ModelMultipleChoiceField(
        queryset=Agency.objects.none(), required=False, widget=forms.CheckboxSelectMultiple, label="Supporting agencies",
    )
    suggested_interventions = forms.MultipleChoiceField(
        choices=InterventionType.choices, required=False, widget=forms.CheckboxSelectMultiple, label="Suggested interventions",
    )
    explanation = forms.CharField(
        max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Why",
        help_text="In the working agreement's words, and why the rule sits where it does in the order (300 characters at most)",
    )

    def __init__(self, *args, agencies, rules=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_agency"].queryset = agencies
        self.fields["supporting_agencies"].queryset = agencies
        if editing:
            self.fields["is_active"] = forms.ChoiceField(
                choices=[(YES, "Yes, in use"), (NO, "No, taken out of use")], widget=forms.RadioSelect, label="Is the rule in use?",
            )
        elif rules is not None:
            rules = list(rules)
            self.fields["position"] = forms.TypedChoiceField(
                coerce=int, label="Where in the order", help_text="Rules are tried in order: the first that matches leads",
                choices=[(len(rules) + 1, "At the end")] + [(rule.priority, f"Before rule {rule.priority}: {rule.name}") for rule in rules],
                initial=len(rules) + 1,
            )
        _style(self)

    @classmethod
    def initial_for(cls, rule) -> dict:
        return {
            "name": rule.name, "kinds": list(rule.kinds.all()), "subject_tenure": rule.subject_tenure,
            "subject_under_18": rule.subject_under_18, "hate_motivated": rule.hate_motivated,
            "drug_alcohol_related": rule.drug_alcohol_related, "complex_or_persistent": rule.complex_or_persistent,
            "persistent_incidents": rule.persistent_incidents, "persistent_period_days": rule.persistent_period_days,
            "lead_agency": rule.lead_agency, "supporting_agencies": list(rule.supporting_agencies.all()),
            "suggested_interventions": list(rule.suggested_interventions), "explanation": rule.explanation,
            "is_active": YES if rule.is_active else NO,
        }

    def service_values(self) -> dict:
        values = dict(self.cleaned_data)
        if "is_active" in values:
            values["is_active"] = values["is_active"] == YES
        return values


class RoutingFactsForm(forms.Form):
    """The case facts routing looks at, named as on the case form so that its fields can be sent as they are."""

    kind = ModelChoiceField(queryset=AsbKind.objects.filter(is_active=True), required=False, label="Kind of ASB", empty_label="Not known yet")
    subject_tenure = forms.ChoiceField(choices=Case.Tenure.choices, required=False, initial=Case.Tenure.UNKNOWN, label="Subject's tenure")
    subject_age_band = forms.ChoiceField(choices=Case.AgeBand.choices, required=False, initial=Case.AgeBand.UNKNOWN, label="Subject's age")
    hate_motivated = forms.BooleanField(required=False, label="A hate-motivated incident has been reported")
    is_drug_alcohol_related = forms.BooleanField(required=False, label="Drug or alcohol related")
    is_complex = forms.BooleanField(required=False, label="Complex, persistent or criminal ASB")
    recent_incidents = forms.IntegerField(min_value=0, max_value=999, required=False, label="Incidents reported recently")
    recent_period_days = forms.IntegerField(
        min_value=1, max_value=3650, required=False, label="Over the last this many days",
        help_text="With the number of incidents: some rules count a case with many recent incidents as persistent",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    def clean(self):
        data = super().clean()
        count, days = data.get("recent_incidents"), data.get("recent_period_days")
        if (count is None) != (days is None) and not self.errors:
            field = "recent_period_days" if days is None else "recent_incidents"
            self.add_error(field, "Give both the number of incidents and the number of days, or neither.")
        return data
