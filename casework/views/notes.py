"""The case's Notes tab: a timeline of dated entries, each with its security marking. Notes are never edited."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from audit.services import Actor
from casework import permissions
from casework.forms.work import NoteForm
from casework.selectors import notes as selectors
from casework.services.cases import case_view_record
from casework.services.notes import note_write
from casework.views.common import case_for_request, case_page_context

TAB = "case_notes"


@require_http_methods(["GET", "POST"])
def case_notes(request, reference):
    if request.method == "GET":
        case = case_for_request(request, reference)
        case_view_record(actor=Actor.from_request(request), case=case, what="Notes")
        form = None
    else:
        case = case_for_request(request, reference, codename=permissions.CONTRIBUTE)
        form = NoteForm(request.POST, share_choices=selectors.note_share_choices(case=case, agency=request.agency))
        if form.is_valid():
            try:
                note = note_write(actor=Actor.from_request(request), case=case, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, f"{note.get_marking_display()} note added.")
                return redirect("case_notes", reference=case.reference)
    context = case_page_context(request, case, TAB, notes=selectors.case_notes(case=case, agency=request.agency))
    if context["can_contribute"]:
        context["form"] = form or NoteForm(share_choices=selectors.note_share_choices(case=case, agency=request.agency))
    return render(request, "casework/work/notes.html", context)
