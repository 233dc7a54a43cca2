from django import forms

from casework import permissions
from casework.documents import ACCEPTED_TYPES, MAX_DOCUMENT_LABEL, TOO_LARGE_MESSAGE
from casework.forms.fields import ModelMultipleChoiceField
from casework.models import SecurityMarking


class DocumentUploadForm(forms.Form):
    """The fields of an upload. Size and type (from the content) are checked by the service, for the API too."""

    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter a title for the document", "max_length": "The title must be 200 characters or fewer"}
    )
    file = forms.FileField(
        label="File",
        help_text=f"PDF, Word, a photo or image (JPEG, PNG, GIF, TIFF, HEIC) or an e-mail (.eml, .msg). Up to {MAX_DOCUMENT_LABEL}.",
        allow_empty_file=True,
        error_messages={"required": "Select a file to upload"},
        widget=forms.FileInput(
            attrs={"class": "govuk-file-upload", "accept": ",".join(ext for t in ACCEPTED_TYPES.values() for ext in t.extensions)}
        ),
    )
    marking = forms.ChoiceField(
        label="Security marking",
        choices=SecurityMarking.choices,
        initial=SecurityMarking.OFFICIAL,
        error_messages={"required": "Choose the security marking", "invalid_choice": "Choose the security marking"},
    )
    shared_with = ModelMultipleChoiceField(
        label="Share with",
        queryset=None,
        required=False,
        help_text="OFFICIAL-SENSITIVE documents are seen only by your agency and the agencies you share them with.",
        error_messages={"invalid_choice": "Choose agencies that can see this case"},
    )

    def __init__(self, *args, case, agency, oversized=(), **kwargs):
        super().__init__(*args, **kwargs)
        others = permissions.agencies_with_case_access(case=case).order_by("name")
        self.fields["shared_with"].queryset = others.exclude(pk=agency.pk) if agency else others
        self.file_too_large = "file" in oversized
        if self.file_too_large:
            # The upload handler skipped the file for its size: say so, rather than that no file was chosen.
            self.fields["file"].required = False
        self.fields["title"].widget.attrs["class"] = "govuk-input"

    def shared_with_options(self) -> list[dict]:
        """The agencies to offer as checkboxes, each with whether it is ticked; the first carries the field's id."""
        ticked = {str(value) for value in (self["shared_with"].value() or [])}
        return [
            {"id": "id_shared_with" if index == 0 else f"id_shared_with_{index}", "value": agency.pk, "label": agency.name,
             "checked": str(agency.pk) in ticked}
            for index, agency in enumerate(self.fields["shared_with"].queryset)
        ]

    def clean_file(self):
        if self.file_too_large:
            raise forms.ValidationError(TOO_LARGE_MESSAGE)
        return self.cleaned_data["file"]

    def add_service_errors(self, error) -> None:
        """Show a service's ValidationError against the fields it names."""
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)


class DocumentWithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why are you withdrawing it? (optional)",
        required=False,
        max_length=300,
        help_text="Kept in the case's audit trail with the document's title and fingerprint.",
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 3}),
        error_messages={"max_length": "The reason must be 300 characters or fewer"},
    )
