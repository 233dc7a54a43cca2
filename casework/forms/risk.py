"""The victim risk questionnaire as a form: one yes/no question per fieldset, and the date of the assessment."""

from django import forms
from django.core.exceptions import ValidationError

from casework.forms.incidents import GovukFormMixin, date_box, today_initial, date_from_parts

YES_NO = [("yes", "Yes"), ("no", "No")]


class RiskAssessmentForm(GovukFormMixin, forms.Form):
    service_fields = {"assessed_on": "assessed_day"}

    assessed_day = date_box(2)
    assessed_month = date_box(2)
    assessed_year = date_box(4)
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=5000,
        help_text="Anything that explains the answers, or what the victim said about their safety",
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 3}),
    )

    def __init__(self, *args, questions: list, **kwargs):
        kwargs.setdefault("initial", today_initial("assessed"))
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[self.field_name(question)] = forms.ChoiceField(
                label=question.text,
                choices=YES_NO,
                widget=forms.RadioSelect(attrs={"class": "govuk-radios__input"}),
                error_messages={"required": f"Answer yes or no: {question.text}"},
            )

    @staticmethod
    def field_name(question) -> str:
        return f"q_{question.pk}"

    def question_fields(self):
        """(question, bound field) in the questionnaire's order, for the template."""
        return [(question, self[self.field_name(question)]) for question in self.questions]

    def clean(self):
        data = super().clean()
        try:
            data["assessed_on"] = date_from_parts(data.get("assessed_day"), data.get("assessed_month"), data.get("assessed_year"), what="the date of the assessment")
        except ValidationError as error:
            self.add_error("assessed_day", error)
        data["answers"] = {
            question.pk: data[self.field_name(question)] == "yes"
            for question in self.questions
            if data.get(self.field_name(question))
        }
        return data
