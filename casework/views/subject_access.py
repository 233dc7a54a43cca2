"""Subject access pages: find the person, record the request, follow the pack being produced, download it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import Actor
from casework import permissions
from casework.forms.governance import SubjectAccessPersonSearchForm, SubjectAccessRequestForm
from casework.selectors import governance as selectors
from casework.services.subject_access import (
    subject_access_download_record,
    subject_access_people_search_record,
    subject_access_request_create,
    subject_access_request_retry,
)
from casework.services.people import person_view_record

REQUESTS_PER_PAGE = 25
FILE_KINDS = {"pdf": ("pdf_file", "application/pdf"), "json": ("json_file", "application/json")}


def _require(request):
    if not permissions.can_produce_subject_access(membership=request.membership):
        raise PermissionDenied("Only partnership coordinators and data protection officers handle subject access requests.")


@require_GET
def subject_access_list(request):
    """The partnership's requests, newest first, and a search for the person a new request is about."""
    _require(request)
    search = SubjectAccessPersonSearchForm(request.GET if "last_name" in request.GET else None)
    people = None
    if search.is_bound and search.is_valid():
        values = search.cleaned_data
        people = list(selectors.subject_access_people_find(
            membership=request.membership, last_name=values["last_name"].strip(), first_name=values["first_name"].strip(),
            date_of_birth=values["date_of_birth"],
        ))
        subject_access_people_search_record(actor=Actor.from_request(request), shown=people, last_name=values["last_name"])
    requests = selectors.subject_access_request_list(membership=request.membership)
    page = Paginator(requests, REQUESTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "casework/governance/subject_access_list.html", {"search": search, "people": people, "page": page})


@require_http_methods(["GET", "POST"])
def subject_access_new(request, person_id):
    _require(request)
    person = selectors.subject_access_person_get(membership=request.membership, person_id=person_id)
    form = SubjectAccessRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            sar = subject_access_request_create(
                actor=Actor.from_request(request), membership=request.membership, person=person,
                request_reference=values["request_reference"], received_on=values["received_on"], reason=values["reason"],
                withhold_sensitive=values["withhold_sensitive"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Request {sar.request_reference} recorded. Its pack is made in the background: this page shows when it is ready.")
            return redirect("subject_access_detail", request_id=sar.pk)
    else:
        person_view_record(actor=Actor.from_request(request), person=person, what="Subject access: new request")
    return render(request, "casework/governance/subject_access_new.html", {"person": person, "form": form})


@require_GET
def subject_access_detail(request, request_id):
    _require(request)
    sar = selectors.subject_access_request_get(membership=request.membership, request_id=request_id)
    person_view_record(actor=Actor.from_request(request), person=sar.person, what=f"Subject access request {sar.request_reference}")
    return render(request, "casework/governance/subject_access_detail.html", {"sar": sar})


@require_GET
def subject_access_progress(request, request_id):
    """The status panel alone, which the page polls (htmx) until the pack is ready or has failed."""
    _require(request)
    sar = selectors.subject_access_request_get(membership=request.membership, request_id=request_id)
    return render(request, "casework/governance/includes/subject_access_status.html", {"sar": sar})


@require_POST
def subject_access_retry(request, request_id):
    _require(request)
    sar = selectors.subject_access_request_get(membership=request.membership, request_id=request_id)
    try:
        subject_access_request_retry(actor=Actor.from_request(request), request=sar)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("subject_access_detail", request_id=sar.pk)


@require_GET
def subject_access_download(request, request_id, kind):
    _require(request)
    if kind not in FILE_KINDS:
        raise Http404("No such file")
    sar = selectors.subject_access_request_get(membership=request.membership, request_id=request_id)
    field_name, content_type = FILE_KINDS[kind]
    stored = getattr(sar, field_name)
    if not stored:
        raise Http404("The pack has not been produced")
    try:
        handle = stored.storage.open(stored.name, "rb")
    except FileNotFoundError:
        raise Http404("The file of this pack is missing") from None
    try:
        subject_access_download_record(actor=Actor.from_request(request), request=sar, kind=kind)
    except BaseException:
        handle.close()
        raise
    response = FileResponse(handle, as_attachment=True, filename=f"subject-access-{sar.pk}.{kind}", content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
