from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from audit.services import Actor
from casework import permissions
from casework.imports import COLUMNS
from casework.services.imports import cases_import

MAX_IMPORT_BYTES = 20 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text="Comma-separated, first line naming the columns")
    dry_run = forms.BooleanField(label="Check the file only, import nothing", required=False, initial=True)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("The file is larger than 20 MB: split it into several files.")
        return upload


def case_import(request):
    if not permissions.can_import_cases(membership=request.membership):
        raise PermissionDenied
    result = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = cases_import(
            actor=Actor.from_request(request), partnership=request.partnership, data=upload.read(),
            source_name=upload.name[:100], dry_run=form.cleaned_data["dry_run"],
        )
    return render(request, "casework/imports/case_import.html", {"form": form, "result": result, "columns": COLUMNS})
