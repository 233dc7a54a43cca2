"""Forms for cases: thin parsing and clear messages. The rules themselves live in the services."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.utils import timezone

from agencies.models import Agency
from agencies.selectors import agencies_in_partnership
from casework.forms.fields import ModelChoiceField
from casework.forms.widgets import QuickCheckboxInput, QuickSelect, QuickTextInput
from casework.models import AsbCategory, AsbKind, Case, SecurityMarking
from casework.selectors.cases import CURRENT, REVIEW_OVERDUE, REVIEW_THIS_WEEK, lead_officer_memberships
from casework.services.cases import postcode_normalise

_WIDGET_CSS = {
    "TextInput": ("govuk-input", "govuk-input--error"),
    "NumberInput": ("govuk-input", "govuk-input--error"),
    "Select": ("govuk-select", "govuk-select--error"),
    "QuickSelect": ("govuk-select", "govuk-select--error"),
    "QuickTextInput": ("govuk-input", "govuk-input--error"),
    "QuickCheckboxInput": ("govuk-checkboxes__input", ""),
    "Textarea": ("govuk-textarea", "govuk-textarea--error"),
    "CheckboxInput": ("govuk-checkboxes__input", ""),
    "RadioSelect": ("govuk-radios__input", ""),
}


class GovukFormMixin:
    """GOV.UK classes on widgets, error classes on fields in error, and error-summary anchors that reach the
    first input of radios and date inputs."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = _WIDGET_CSS.get(type(field.widget).__name__)
            if css:
                field.widget.attrs.setdefault("class", css[0])

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self._mark_error(name)

    def _mark_error(self, name):
        widget = self.fields[name].widget
        css = _WIDGET_CSS.get(type(widget).__name__)
        if css and css[1] and css[1] not in widget.attrs.get("class", ""):
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css[1]}".strip()
        if not isinstance(widget, (forms.RadioSelect, forms.MultiWidget, forms.HiddenInput)):
            auto_id = self[name].auto_id
            hint = f"{auto_id}_helptext " if self.fields[name].help_text else ""
            widget.attrs["aria-describedby"] = f"{hint}{auto_id}-error"

    def add_service_errors(self, error: ValidationError) -> None:
        """Put a service's ValidationError on the fields it names (the rest on the form)."""
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                target = name if name in self.fields else None
                for message in messages:
                    self.add_error(target, message)
                if target:
                    self._mark_error(target)
        else:
            for message in error.messages:
                self.add_error(None, message)


class DateBoundField(BoundField):
    """Gives templates the day, month and year as typed (or as held), for the GOV.UK date input."""

    @property
    def parts(self) -> dict:
        value = self.value()
        if isinstance(value, (datetime.date,)):
            return {"day": value.day, "month": value.month, "year": value.year}
        if isinstance(value, (list, tuple)):
            padded = list(value) + ["", "", ""]
            return {"day": padded[0] or "", "month": padded[1] or "", "year": padded[2] or ""}
        return {"day": "", "month": "", "year": ""}


class DateInputWidget(forms.MultiWidget):
    def __init__(self, attrs=None):
        numeric = {"inputmode": "numeric"}
        super().__init__([forms.TextInput(attrs=numeric), forms.TextInput(attrs=numeric), forms.TextInput(attrs=numeric)], attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return ["", "", ""]


class GovukDateField(forms.MultiValueField):
    """A date typed as day, month and year, with the GOV.UK messages ('must be a real date')."""

    widget = DateInputWidget

    def __init__(self, *, not_in_future: bool = False, **kwargs):
        self.not_in_future = not_in_future
        label = kwargs.get("label", "Date")
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault("required", f"Enter {label[0].lower() + label[1:]}")
        parts = (forms.CharField(required=False), forms.CharField(required=False), forms.CharField(required=False))
        super().__init__(parts, require_all_fields=False, **kwargs)

    def get_bound_field(self, form, field_name):
        return DateBoundField(form, self, field_name)

    def compress(self, values):
        day, month, year = [str(v or "").strip() for v in (list(values) + ["", "", ""])[:3]]
        if not (day or month or year):
            return None
        missing = [name for name, value in (("day", day), ("month", month), ("year", year)) if not value]
        if missing:
            raise ValidationError(f"{self.label} must include a {' and a '.join(missing)}")
        if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
            raise ValidationError(f"{self.label} must be a real date")
        try:
            value = datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(f"{self.label} must be a real date") from None
        if self.not_in_future and value > timezone.localdate():
            raise ValidationError(f"{self.label} must be today or in the past")
        return value


def _choice_label(user) -> str:
    return user.get_full_name() or user.username


class CaseForm(GovukFormMixin, forms.Form):
    """Opening a case. CaseEditForm below changes the details of an existing one."""

    summary = forms.CharField(
        label="Summary", max_length=300, help_text="One line that partners will recognise. Avoid names.",
        error_messages={"required": "Enter a summary of the case"},
    )
    kind = ModelChoiceField(
        label="Kind of ASB", queryset=AsbKind.objects.none(), required=False, empty_label="Choose a kind",
        help_text="A kind belongs to a category, so you need not choose both",
    )
    category = forms.ChoiceField(label="Category", choices=AsbCategory.choices, widget=forms.RadioSelect, required=False)
    subject_type = forms.ChoiceField(
        label="Who or what is the case about?", choices=Case.SubjectType.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose who or what the case is about"},
    )
    subject_tenure = forms.ChoiceField(
        label="Subject's housing", choices=Case.Tenure.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose the subject's housing, or Unknown"},
    )
    subject_age_band = forms.ChoiceField(
        label="Subject's age", choices=Case.AgeBand.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose the subject's age, or Unknown"},
    )
    is_drug_alcohol_related = forms.BooleanField(label="Drug or alcohol related", required=False)
    is_complex = forms.BooleanField(label="Complex, persistent or criminal ASB", required=False)
    lead_agency = ModelChoiceField(
        label="Lead agency", queryset=None, empty_label=None, required=False,
        help_text="The agency that will lead the case; it gets full access",
        error_messages={"invalid_choice": "Choose an agency that serves the partnership"},
    )
    routing_override_reason = forms.CharField(
        label="If you choose a lead other than the one suggested, say why", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: reported to the council's front office; the council will investigate first",
    )
    lead_officer = forms.TypedChoiceField(
        label="Lead officer (optional)", coerce=int, required=False, empty_value=None,
        help_text="Someone in the lead agency", error_messages={"invalid_choice": "Choose a lead officer from the list"},
    )
    risk_level = forms.ChoiceField(
        label="Risk to the victim", choices=Case.RiskLevel.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose the risk to the victim, or Not assessed"},
    )
    security_marking = forms.ChoiceField(
        label="Security marking", choices=SecurityMarking.choices, widget=forms.RadioSelect,
        help_text="OFFICIAL-SENSITIVE if harm would follow were it lost",
        error_messages={"required": "Choose a security marking"},
    )
    address = forms.CharField(label="Address or location", max_length=300, required=False)
    postcode = forms.CharField(
        label="Postcode", max_length=10, required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10", "autocomplete": "off", "spellcheck": "false"}),
    )
    ward = forms.CharField(
        label="Ward", max_length=100, required=False, widget=forms.TextInput(attrs={"class": "govuk-input govuk-!-width-one-half"})
    )
    latitude = forms.DecimalField(
        label="Latitude (optional)", max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10", "inputmode": "decimal", "spellcheck": "false"}),
        error_messages={"invalid": "Latitude must be a number, like 52.398", "min_value": "Latitude must be between -90 and 90",
                        "max_value": "Latitude must be between -90 and 90", "max_decimal_places": "Latitude can have at most 6 decimal places",
                        "max_digits": "Latitude must be between -90 and 90", "max_whole_digits": "Latitude must be between -90 and 90"},
    )
    longitude = forms.DecimalField(
        label="Longitude (optional)", max_digits=9, decimal_places=6, min_value=-180, max_value=180, required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10", "inputmode": "decimal", "spellcheck": "false"}),
        error_messages={"invalid": "Longitude must be a number, like 0.263", "min_value": "Longitude must be between -180 and 180",
                        "max_value": "Longitude must be between -180 and 180", "max_decimal_places": "Longitude can have at most 6 decimal places",
                        "max_digits": "Longitude must be between -180 and 180", "max_whole_digits": "Longitude must be between -180 and 180"},
    )
    opened_on = GovukDateField(label="Date opened", not_in_future=True, help_text="For example, 27 3 2026")
    next_review_on = GovukDateField(label="Next review date", required=False, help_text="For example, 24 4 2026")

    def __init__(self, *args, partnership, kind=None, default_lead_agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        self.default_lead_agency = default_lead_agency
        kinds = AsbKind.objects.filter(is_active=True)
        if kind is not None:
            kinds = AsbKind.objects.filter(pk=kind.pk) | kinds  # a kind since retired stays choosable on its case
        self.fields["kind"].queryset = kinds.order_by("sort_order", "name")
        if "lead_agency" in self.fields:
            self.fields["lead_agency"].queryset = agencies_in_partnership(partnership=partnership)
        self._officers = {}
        self.fields["lead_officer"].choices = self._officer_choices(self._officer_agency_ids())

    def _officer_agency_ids(self):
        return None  # any agency in the partnership; the lead agency is checked in clean()

    def _officer_choices(self, agency_ids):
        groups: dict[str, list] = {}
        for membership in lead_officer_memberships(partnership=self.partnership, agency_ids=agency_ids):
            self._officers.setdefault(membership.user_id, (membership.user, set()))[1].add(membership.agency_id)
            groups.setdefault(membership.agency.name, []).append((membership.user_id, _choice_label(membership.user)))
        return [("", "No lead officer yet")] + list(groups.items())

    def clean_postcode(self):
        try:
            return postcode_normalise(self.cleaned_data["postcode"])
        except ValidationError as error:
            raise ValidationError(error.message_dict["postcode"]) from None

    def clean_lead_agency(self):
        lead = self.cleaned_data.get("lead_agency") or self.default_lead_agency
        if lead is None:
            raise ValidationError("Choose the lead agency")
        return lead

    def _lead_agency(self):
        return self.cleaned_data.get("lead_agency")

    def _opened_on(self):
        return self.cleaned_data.get("opened_on")

    def clean(self):
        cleaned = super().clean()
        kind, category = cleaned.get("kind"), cleaned.get("category")
        if kind is not None and category and kind.category != category:
            self.add_error(
                "kind",
                f"{kind.name} is a kind of {kind.get_category_display().lower()} ASB: choose the "
                f"{kind.get_category_display()} category or another kind",
            )
        elif kind is not None:
            cleaned["category"] = kind.category
        elif not category and "kind" not in self.errors:
            self.add_error("category", "Choose a category, or a kind of ASB")
        officer_id, lead = cleaned.get("lead_officer"), self._lead_agency()
        if officer_id is not None:
            user, agency_ids = self._officers[officer_id]
            if lead is not None and lead.pk not in agency_ids:
                self.add_error("lead_officer", f"{_choice_label(user)} is not in {lead.name}: choose someone in the lead agency")
            cleaned["lead_officer"] = user
        opened, review = self._opened_on(), cleaned.get("next_review_on")
        if opened and review and review < opened:
            self.add_error("next_review_on", "Next review date must be on or after the date opened")
        return cleaned

    def case_fields(self) -> dict:
        """The cleaned values, named as the services take them."""
        return {name: self.cleaned_data[name] for name in self.fields if name not in {"version", "routing_override_reason"}}


class CaseEditForm(CaseForm):
    """Changing a case's details. The version it was loaded at travels in a hidden field."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, case: Case, **kwargs):
        self.case = case
        kwargs.setdefault("initial", {})
        if not args or args[0] is None:
            kwargs["initial"] = {**case_initial(case), **kwargs["initial"]}
        super().__init__(*args, partnership=case.partnership, kind=case.kind, **kwargs)
        del self.fields["lead_agency"]
        del self.fields["opened_on"]
        del self.fields["routing_override_reason"]

    def _officer_agency_ids(self):
        return [self.case.lead_agency_id]

    def _lead_agency(self):
        return self.case.lead_agency

    def _opened_on(self):
        return self.case.opened_on


def case_form_data(case: Case, names) -> dict:
    """The case's current values for `names`, as the edit form posts them (a date as three inputs, a ticked box
    as 'on', a link as its id)."""
    initial = case_initial(case)
    data = {}
    for name in names:
        value = initial.get(name)
        field = CaseEditForm.base_fields.get(name)
        if isinstance(field, GovukDateField):
            parts = [value.day, value.month, value.year] if value else ["", "", ""]
            data.update({f"{name}_{index}": str(part) for index, part in enumerate(parts)})
        elif isinstance(field, forms.BooleanField):
            data[name] = "on" if value else None
        else:
            data[name] = "" if value is None else str(value)
    return data


def case_initial(case: Case) -> dict:
    return {
        "summary": case.summary, "kind": case.kind_id, "category": case.category, "subject_type": case.subject_type,
        "subject_tenure": case.subject_tenure, "subject_age_band": case.subject_age_band,
        "is_drug_alcohol_related": case.is_drug_alcohol_related, "is_complex": case.is_complex,
        "lead_officer": case.lead_officer_id, "risk_level": case.risk_level, "security_marking": case.security_marking,
        "address": case.address, "postcode": case.postcode, "ward": case.ward, "latitude": case.latitude,
        "longitude": case.longitude, "next_review_on": case.next_review_on, "version": case.version,
    }


class CaseCloseForm(GovukFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome", choices=Case.Outcome.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome of the case"},
    )
    reason = forms.CharField(
        label="Why is the case closing?", widget=forms.Textarea(attrs={"rows": 4}), max_length=2000,
        error_messages={"required": "Say why the case is closing"},
    )
    closed_on = GovukDateField(label="Date closed", not_in_future=True, help_text="For example, 27 3 2026")
    acknowledge = forms.BooleanField(
        label="I understand that the open actions and interventions above stay as they are", required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, case: Case, open_work_count: int, **kwargs):
        self.case = case
        self.open_work_count = open_work_count
        kwargs.setdefault("initial", {"closed_on": timezone.localdate(), "version": case.version})
        super().__init__(*args, **kwargs)
        if not open_work_count:
            del self.fields["acknowledge"]

    def clean(self):
        cleaned = super().clean()
        if self.open_work_count and not cleaned.get("acknowledge"):
            self.add_error("acknowledge", "Tick to confirm you understand that open actions and interventions stay open")
        closed_on = cleaned.get("closed_on")
        if closed_on and closed_on < self.case.opened_on:
            self.add_error("closed_on", "Date closed must be on or after the date the case was opened")
        return cleaned


class CaseReopenForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why reopen the case?", widget=forms.Textarea(attrs={"rows": 4}), max_length=400,
        error_messages={"required": "Say why the case is being reopened"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


REVIEW_DUE_CHOICES = [("", "Any"), (REVIEW_OVERDUE, "Review overdue"), (REVIEW_THIS_WEEK, "Review due within a week (or overdue)")]


class CaseFilterForm(GovukFormMixin, forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100, widget=QuickTextInput, help_text="Reference, person's name, postcode or address")
    status = forms.ChoiceField(
        label="Status", required=False, widget=QuickSelect, choices=[("", "Any"), (CURRENT, "Not closed")] + Case.Status.choices,
        error_messages={"invalid_choice": "Choose a status from the list"},
    )
    category = forms.ChoiceField(
        label="Category", required=False, widget=QuickSelect, choices=[("", "Any")] + AsbCategory.choices,
        error_messages={"invalid_choice": "Choose a category from the list"},
    )
    risk_level = forms.ChoiceField(
        label="Victim risk", required=False, widget=QuickSelect, choices=[("", "Any")] + Case.RiskLevel.choices,
        error_messages={"invalid_choice": "Choose a risk level from the list"},
    )
    lead_agency = ModelChoiceField(
        label="Lead agency", required=False, widget=QuickSelect, queryset=None, empty_label="Any",
        error_messages={"invalid_choice": "Choose a lead agency from the list"},
    )
    review_due = forms.ChoiceField(
        label="Review due", required=False, widget=QuickSelect, choices=REVIEW_DUE_CHOICES,
        error_messages={"invalid_choice": "Choose when the review is due from the list"},
    )
    case_review = forms.BooleanField(label="Over the ASB Case Review threshold", required=False, widget=QuickCheckboxInput)
    mine = forms.BooleanField(label="I am the lead officer", required=False, widget=QuickCheckboxInput)
    overdue_actions = forms.BooleanField(label="With an overdue action for me or my agency", required=False, widget=QuickCheckboxInput)

    def __init__(self, *args, partnership=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_agency"].queryset = (
            agencies_in_partnership(partnership=partnership) if partnership is not None else Agency.objects.none()
        )

    def filters(self) -> dict:
        """The filters that were valid (an invalid one is reported and left out, never a 500)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "", False)}
