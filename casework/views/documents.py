"""The case's Documents tab: list, upload, download and withdraw."""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from audit.models import AuditEvent
from audit.services import Actor, audit_record
from casework import permissions
from casework.documents import ACCEPTED_TYPES, download_name, limit_upload_size, oversized_uploads
from casework.forms.documents import DocumentUploadForm, DocumentWithdrawForm
from casework.models import SecurityMarking
from casework.selectors.documents import document_get, document_list
from casework.services.cases import case_view_record
from casework.services.documents import document_download_record, document_upload, document_withdraw
from casework.views.common import case_for_request, case_page_context

logger = logging.getLogger(__name__)
TYPE_LABELS = {t.content_type: t.label for t in ACCEPTED_TYPES.values()}


def document_for_request(request, case, document_id):
    """The document if the acting agency may see it (by its marking); otherwise a 404, and the attempt is audited."""
    try:
        return document_get(case=case, document_id=document_id, agency=request.agency)
    except Http404:
        audit_record(
            actor=Actor.from_request(request),
            action=AuditEvent.Action.DENIED,
            object_type="document",
            object_id=document_id,
            case_id=case.pk,
            detail=f"Asked for {request.path[:400]}",
        )
        raise


def document_file_response(request, document, *, via: str = "") -> FileResponse:
    """The stored file as an attachment, under its original name, with the type detected when it was uploaded."""
    try:
        handle = document.file.storage.open(document.file.name, "rb")
    except FileNotFoundError:
        logger.error("The file %s of document %s is missing from storage", document.file.name, document.pk)
        raise Http404("The file of this document is missing") from None
    try:
        document_download_record(actor=Actor.from_request(request), document=document, via=via)
    except BaseException:
        handle.close()
        raise
    response = FileResponse(
        handle, as_attachment=True, filename=download_name(document.original_name, document.content_type), content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Never rendered by the browser as a page of ours, never kept in a shared cache.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def _rows(request, context, documents):
    # What case_page_context already found, rather than asking the database again.
    granted = {codename for codename, held in ((permissions.MANAGE, context["can_manage"]), (permissions.CONTRIBUTE, context["can_contribute"])) if held}
    return [
        {
            "document": document,
            "type_label": TYPE_LABELS.get(document.content_type, document.content_type),
            "can_withdraw": permissions.can_withdraw_document(agency=request.agency, document=document, granted=granted),
        }
        for document in documents
    ]


@csrf_exempt
@require_http_methods(["GET", "POST"])
def case_documents(request, reference):
    # The size limit must be in place before anything reads the body, the CSRF check included; that check follows.
    if request.method == "POST":
        limit_upload_size(request)
    return _case_documents(request, reference)


@csrf_protect
def _case_documents(request, reference):
    actor = Actor.from_request(request)
    if request.method == "POST":
        case = case_for_request(request, reference, codename=permissions.CONTRIBUTE)
        form = DocumentUploadForm(request.POST, request.FILES, case=case, agency=request.agency, oversized=oversized_uploads(request))
        if form.is_valid():
            values = form.cleaned_data
            try:
                document = document_upload(
                    actor=actor, case=case, title=values["title"], upload=values["file"], marking=values["marking"],
                    shared_with=list(values["shared_with"]),
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, f"“{document.title}” uploaded")
                return redirect("case_documents", reference=case.reference)
    else:
        case = case_for_request(request, reference)
        form = DocumentUploadForm(case=case, agency=request.agency)
    case_view_record(actor=actor, case=case, what="Documents")
    context = case_page_context(request, case, "case_documents", form=form, sensitive=SecurityMarking.OFFICIAL_SENSITIVE)
    context["rows"] = _rows(request, context, document_list(case=case, agency=request.agency))
    return render(request, "casework/documents/case_documents.html", context)


@require_GET
def document_download(request, reference, document_id):
    case = case_for_request(request, reference)
    document = document_for_request(request, case, document_id)
    return document_file_response(request, document)


@require_http_methods(["GET", "POST"])
def document_withdraw_page(request, reference, document_id):
    case = case_for_request(request, reference)
    document = document_for_request(request, case, document_id)
    granted = permissions.case_permissions(user=request.user, agency=request.agency, case=case)
    if not permissions.can_withdraw_document(agency=request.agency, document=document, granted=granted):
        raise PermissionDenied("Only the lead agency or the agency that uploaded a document may withdraw it.")
    form = DocumentWithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            document_withdraw(actor=Actor.from_request(request), document=document, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, f"“{document.title}” withdrawn")
            return redirect("case_documents", reference=case.reference)
    return render(
        request,
        "casework/documents/document_withdraw.html",
        case_page_context(request, case, "case_documents", document=document, form=form),
    )
