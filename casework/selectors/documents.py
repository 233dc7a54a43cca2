"""Reads of a case's documents for an agency, already narrowed by the security marking policy."""

from django.http import Http404

from casework import permissions
from casework.models import Case, Document


def document_list(*, case: Case, agency):
    """The documents on the case that the agency may see, newest first, with what a list row needs."""
    documents = Document.objects.filter(case=case).select_related("agency", "uploaded_by").prefetch_related("shared_with")
    return permissions.marked_items_visible(documents, agency=agency).order_by("-uploaded_at", "-id")


def document_get(*, case: Case, document_id: int, agency) -> Document:
    """One document on the case, if the agency may see it; otherwise 404, so that its existence does not leak."""
    try:
        return document_list(case=case, agency=agency).get(pk=document_id)
    except Document.DoesNotExist:
        raise Http404("No document found") from None
