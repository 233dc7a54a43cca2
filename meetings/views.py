"""Pages of the monthly ASB casework group: meetings, agenda, the chair's screen in the room, minutes and packs.

Non-members of a group get a 404 for its meetings and packs; members who are not the chair or administrator get a
403 for the pages that change things."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.models import AuditEvent
from audit.services import Actor, audit_record
from meetings import forms, permissions, selectors
from meetings.models import AgendaItem, Attendance, Declaration, MeetingAction, MeetingDocument
from meetings.services import agenda as agenda_services
from meetings.services import room
from meetings.services.documents import document_download_record, document_is_stale, document_request
from meetings.services.minutes import minutes_publish
from meetings.services.schedule import default_cut_off, group_schedule_set, meeting_cancel, meeting_move

Section = AgendaItem.Section


def _meeting(request, pk):
    """The meeting if the user's agency is a member of its group (or they chair or administer it); otherwise 404."""
    try:
        return selectors.meeting_get(pk=pk, user=request.user, membership=request.membership)
    except Http404:
        audit_record(actor=Actor.from_request(request), action=AuditEvent.Action.DENIED, object_type="meeting", object_id=str(pk)[:64], detail=f"Asked for {request.path[:400]}")
        raise


def _managed(request, pk):
    meeting = _meeting(request, pk)
    if not permissions.can_manage_meeting(user=request.user, meeting=meeting):
        raise PermissionDenied("Only the group's chair or administrator may do this.")
    return meeting


def _item(meeting, pk) -> AgendaItem:
    try:
        return AgendaItem.objects.select_related("meeting", "case", "case__lead_agency").get(meeting=meeting, pk=pk)
    except (AgendaItem.DoesNotExist, ValueError, TypeError):
        raise Http404("No such item") from None


def _record_view(request, meeting, items, what: str) -> None:
    """Viewing an agenda or minutes shows case summaries: one audit event names the cases shown."""
    references = [item.case.reference for item in items if item.case_id]
    audit_record(
        actor=Actor.from_request(request), action=AuditEvent.Action.VIEW, obj=meeting,
        changes={"cases": [None, references]} if references else {}, detail=f"Viewed the {what} of {meeting}",
    )


def _errors(form, error: ValidationError) -> None:
    form.add_service_errors(error)


# The list and the group's schedule -----------------------------------------------------------------------------


@require_GET
def meeting_list(request):
    groups = list(selectors.groups_for_user(user=request.user, membership=request.membership))
    for group in groups:
        group.may_manage = permissions.is_chair_or_administrator(user=request.user, group=group)
    return render(
        request,
        "meetings/list.html",
        {
            "groups": groups,
            "upcoming": selectors.meetings_for_user(user=request.user, membership=request.membership),
            "recent": selectors.meetings_for_user(user=request.user, membership=request.membership, upcoming=False, limit=6),
        },
    )


@require_http_methods(["GET", "POST"])
def group_schedule_edit(request, pk):
    group = selectors.group_get(pk=pk, user=request.user, membership=request.membership)
    if not permissions.is_chair_or_administrator(user=request.user, group=group):
        raise PermissionDenied("Only the group's chair or administrator may set its schedule.")
    schedule = selectors.group_schedule(group)
    initial = (
        {name: getattr(schedule, name) for name in ("week_of_month", "weekday", "starts_at", "venue", "months_ahead", "cut_off_days", "first_minute_number")}
        if schedule
        else {"week_of_month": 2, "weekday": 1, "starts_at": "10:00", "months_ahead": 3, "cut_off_days": 7, "first_minute_number": 1}
    )
    form = forms.ScheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            group_schedule_set(actor=Actor.from_request(request), group=group, **form.cleaned_data)
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, f"Schedule saved. Meetings are in the calendar {form.cleaned_data['months_ahead']} months ahead.")
            return redirect("meeting_list")
    return render(request, "meetings/schedule.html", {"group": group, "form": form, "schedule": schedule})


# One meeting -------------------------------------------------------------------------------------------------------


@require_GET
def meeting_detail(request, pk):
    meeting = _meeting(request, pk)
    may_manage = permissions.can_manage_meeting(user=request.user, meeting=meeting)
    context = {
        "meeting": meeting,
        "may_manage": may_manage,
        "changes": selectors.meeting_changes(meeting),
        "attendance": selectors.meeting_attendance(meeting),
        "pack": selectors.meeting_document(meeting, MeetingDocument.Kind.AGENDA_PACK),
        "may_see_minutes": permissions.can_see_minutes(user=request.user, membership=request.membership, meeting=meeting),
        "outline": None,
    }
    if permissions.can_see_agenda(user=request.user, membership=request.membership, meeting=meeting):
        items = selectors.visible_items(meeting, user=request.user, agency=request.agency)
        for item in items:
            item.may_propose = permissions.can_propose_closure(user=request.user, agency=request.agency, item=item, meeting=meeting)
        context["outline"] = selectors.agenda_outline(items)
        _record_view(request, meeting, items, "agenda")
    return render(request, "meetings/detail.html", context)


@require_http_methods(["GET", "POST"])
def meeting_move_view(request, pk):
    meeting = _managed(request, pk)
    form = forms.MoveForm(request.POST or None, initial={"held_on": meeting.held_on, "starts_at": meeting.starts_at, "venue": meeting.venue})
    if request.method == "POST" and form.is_valid():
        try:
            meeting_move(actor=Actor.from_request(request), meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, "Meeting moved. The change will be noted on the next agenda.")
            return redirect("meeting_detail", pk=meeting.pk)
    return render(request, "meetings/move.html", {"meeting": meeting, "form": form})


@require_http_methods(["GET", "POST"])
def meeting_cancel_view(request, pk):
    meeting = _managed(request, pk)
    form = forms.CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting_cancel(actor=Actor.from_request(request), meeting=meeting, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, "Meeting cancelled. The cancellation will be noted on the next agenda.")
            return redirect("meeting_detail", pk=meeting.pk)
    return render(request, "meetings/cancel.html", {"meeting": meeting, "form": form})


# The agenda editor (chair or administrator) -------------------------------------------------------------------


def _agenda_editor(request, meeting, *, cut_off_form=None, add_form=None, item_forms=None, status=200):
    items = selectors.meeting_items(meeting)
    item_forms = item_forms or {}
    for item in items:
        item.form = item_forms.get(item.pk) or forms.ItemTextForm(initial={"title": item.title, "body": item.body}, prefix=f"item-{item.pk}")
    cut_off = meeting.agenda_cut_off or default_cut_off(meeting, selectors.group_schedule(meeting.group))
    context = {
        "meeting": meeting,
        "outline": selectors.agenda_outline(items) if meeting.agenda_built_at else None,
        "cut_off_form": cut_off_form or forms.CutOffForm(initial={"cut_off_on": timezone.localtime(cut_off).date(), "cut_off_at": timezone.localtime(cut_off).time()}),
        "add_form": add_form or forms.ItemTextForm(prefix="add"),
        "pack": selectors.meeting_document(meeting, MeetingDocument.Kind.AGENDA_PACK),
    }
    return render(request, "meetings/agenda_edit.html", context, status=status)


@require_GET
def agenda_edit(request, pk):
    meeting = _managed(request, pk)
    return _agenda_editor(request, meeting)


@require_POST
def agenda_build_view(request, pk):
    meeting = _managed(request, pk)
    form = forms.CutOffForm(request.POST)
    if form.is_valid():
        try:
            agenda_services.agenda_build(actor=Actor.from_request(request), meeting=meeting, cut_off=form.cut_off())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Agenda built from the cases with the group at the cut-off. Check it, then issue it.")
            return redirect("meeting_agenda", pk=meeting.pk)
    return _agenda_editor(request, meeting, cut_off_form=form)


@require_POST
def agenda_item_edit_view(request, pk, item):
    meeting = _managed(request, pk)
    item = _item(meeting, item)
    form = forms.ItemTextForm(request.POST, prefix=f"item-{item.pk}")
    if form.is_valid():
        try:
            agenda_services.agenda_item_update(actor=Actor.from_request(request), item=item, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Item saved.")
            return redirect(reverse("meeting_agenda", args=[meeting.pk]) + f"#item-{item.pk}")
    return _agenda_editor(request, meeting, item_forms={item.pk: form})


@require_POST
def agenda_item_move_view(request, pk, item):
    meeting = _managed(request, pk)
    item = _item(meeting, item)
    try:
        agenda_services.agenda_item_move(actor=Actor.from_request(request), item=item, direction=request.POST.get("direction", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("meeting_agenda", args=[meeting.pk]) + f"#item-{item.pk}")


@require_POST
def agenda_item_remove_view(request, pk, item):
    meeting = _managed(request, pk)
    item = _item(meeting, item)
    try:
        agenda_services.agenda_item_remove(actor=Actor.from_request(request), item=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Removed from the agenda: {item.title}")
    return redirect("meeting_agenda", pk=meeting.pk)


@require_POST
def agenda_item_add_view(request, pk):
    meeting = _managed(request, pk)
    form = forms.ItemTextForm(request.POST, prefix="add")
    if form.is_valid():
        try:
            agenda_services.agenda_item_add(actor=Actor.from_request(request), meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Added to any other business: {form.cleaned_data['title']}")
            return redirect("meeting_agenda", pk=meeting.pk)
    return _agenda_editor(request, meeting, add_form=form)


@require_POST
def agenda_issue_view(request, pk):
    meeting = _managed(request, pk)
    try:
        agenda_services.agenda_issue(actor=Actor.from_request(request), meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("meeting_agenda", pk=meeting.pk)
    messages.success(request, "Agenda issued: member agencies can read it and download the pack.")
    return redirect("meeting_detail", pk=meeting.pk)


@require_http_methods(["GET", "POST"])
def agenda_item_propose_closure_view(request, pk, item):
    meeting = _meeting(request, pk)
    if not permissions.can_see_agenda(user=request.user, membership=request.membership, meeting=meeting):
        raise Http404("No agenda")
    item = _item(meeting, item)
    if not permissions.can_propose_closure(user=request.user, agency=request.agency, item=item, meeting=meeting):
        raise PermissionDenied("Only the lead agency or the chair may propose this case for closure.")
    form = forms.ProposeClosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agenda_services.agenda_item_propose_closure(actor=Actor.from_request(request), item=item, reason=form.cleaned_data["closure_reason"])
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{item.case.reference} is proposed for closure at this meeting.")
            return redirect("meeting_detail", pk=meeting.pk)
    return render(request, "meetings/propose_closure.html", {"meeting": meeting, "item": item, "form": form})


# The pack and the minutes as PDFs ----------------------------------------------------------------------------------


def _serve(request, document):
    document_download_record(actor=Actor.from_request(request), document=document)
    name = f"{document.kind.replace('_', '-')}-{document.meeting.held_on.isoformat()}.pdf"
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=name, content_type="application/pdf")


def _document_page(request, meeting, document, *, kind_label):
    context = {"meeting": meeting, "document": document, "kind_label": kind_label}
    if request.htmx:
        return render(request, "meetings/includes/document_status.html", context)
    return render(request, "meetings/document.html", context)


@require_GET
def pack_download(request, pk):
    """The agenda pack, for member agencies' users once the agenda is issued; everyone else gets a 404."""
    meeting = _meeting(request, pk)
    if not permissions.can_see_agenda(user=request.user, membership=request.membership, meeting=meeting) or meeting.agenda_issued_at is None:
        raise Http404("No pack")
    document = selectors.meeting_document(meeting, MeetingDocument.Kind.AGENDA_PACK)
    if document is None:
        raise Http404("No pack")
    if document.status == MeetingDocument.Status.READY and document_is_stale(document, cases_with_group_ids=selectors.cases_with_group_ids(meeting.group)):
        document = document_request(actor=Actor.from_request(request), meeting=meeting, kind=MeetingDocument.Kind.AGENDA_PACK)
        document.refresh_from_db()
    if document.status == MeetingDocument.Status.READY and request.GET.get("status") is None:
        return _serve(request, document)
    return _document_page(request, meeting, document, kind_label="agenda pack")


@require_GET
def minutes_download(request, pk):
    meeting = _meeting(request, pk)
    if not permissions.can_see_minutes(user=request.user, membership=request.membership, meeting=meeting):
        raise Http404("No minutes")
    document = selectors.meeting_document(meeting, MeetingDocument.Kind.MINUTES)
    if document is None:
        raise Http404("No minutes")
    if document.status == MeetingDocument.Status.READY and request.GET.get("status") is None:
        return _serve(request, document)
    return _document_page(request, meeting, document, kind_label="minutes")


# In the room: the chair's screen -------------------------------------------------------------------------------------


def _item_forms(meeting, item, *, agencies, bound=None):
    """The item's minute form, and its forms to add an action or a declaration when they come back with an error."""
    bound = bound or {}
    item.minutes_form = bound.get("minutes") or forms.ItemMinutesForm(
        initial={
            "minute_text": item.minute_text, "decision": item.decision, "decision_lead_agency": item.decision_lead_agency_id,
            "decision_outcome": item.decision_outcome, "previous_minutes_approval": meeting.previous_minutes_approval,
            "previous_minutes_alterations": meeting.previous_minutes_alterations,
        },
        item=item, agencies=agencies, prefix=f"item-{item.pk}",
    )
    if "action" in bound or "declaration" in bound:
        _item_add_forms(item, bound=bound)
    item.saved = bound.get("saved", False)


def _item_add_forms(item, *, bound=None):
    """The item's forms to add an action (owners: selectors.item_owner_choices) and a declaration of interest."""
    bound = bound or {}
    agencies, users = selectors.item_owner_choices(item)
    present = selectors.present_attendees(item.meeting)
    item.declaration_form = bound.get("declaration") or forms.DeclarationForm(present=present, prefix=f"item-{item.pk}-declaration")
    item.action_form = bound.get("action") or forms.ActionForm(agencies=agencies, users=users, prefix=f"item-{item.pk}-action")


def _run_context(request, meeting, *, bound=None, attendance_form=None, forms_for=None):
    """The chair's screen. forms_for: the pks of the items whose forms are made, every item's unless given. A response
    that shows one item, or the attendance alone, need not make the forms of sixty items.

    The forms to add an action or a declaration are not on the page: each item's load when the chair opens them
    (run_item_add_forms), unless they come back with an error. Each action form offers every person with access to
    the case, some 400 in a county: on every item of a 60-case agenda that was 29,000 options, 2.7 MB of page."""
    bound = bound or {}
    items = selectors.meeting_items(meeting)
    numbers = selectors.minute_numbers(meeting, items)
    outline = selectors.agenda_outline(items, numbers)
    attendance = selectors.meeting_attendance(meeting)
    agencies = list(selectors.partnership_agencies(meeting))
    for item in items:
        if forms_for is None or item.pk in forms_for:
            _item_forms(meeting, item, agencies=agencies, bound=bound.get(item.pk))
    return {
        "meeting": meeting,
        "outline": outline,
        "attendance": attendance,
        "attendance_form": attendance_form or forms.AttendanceForm(users=selectors.meeting_user_choices(meeting), agencies=selectors.partnership_agencies(meeting), prefix="attendance"),
        "matters_arising": selectors.outstanding_non_case_actions(meeting),
        "published": meeting.minutes_published_at is not None,
    }


def _run_item_response(request, meeting, item, *, bound, status=200):
    """After saving one item: the item's block for htmx, the whole page (at the item) without JavaScript."""
    if request.htmx:
        context = _run_context(request, meeting, bound={item.pk: bound}, forms_for={item.pk})
        block = next(i for section in context["outline"] for i in ([section["standing"]] if section["standing"] else []) + section["items"] if i.pk == item.pk)
        return render(request, "meetings/includes/run_item.html", {**context, "item": block}, status=status)
    if status == 200 and bound.get("saved"):
        return redirect(reverse("meeting_run", args=[meeting.pk]) + f"#item-{item.pk}")
    return render(request, "meetings/run.html", _run_context(request, meeting, bound={item.pk: bound}), status=status)


def _run_meeting(request, pk):
    meeting = _managed(request, pk)
    if meeting.agenda_built_at is None:
        raise Http404("Build the agenda first")
    return meeting


@require_GET
def run_meeting(request, pk):
    meeting = _run_meeting(request, pk)
    return render(request, "meetings/run.html", _run_context(request, meeting))


@require_GET
def run_item_add_forms(request, pk, item):
    """The item's forms to add an action or a declaration: into the item when the chair opens them (htmx), or on a page
    of their own without JavaScript. Both forms post to the chair's screen's own views."""
    meeting = _run_meeting(request, pk)
    if meeting.minutes_published_at is not None:
        raise Http404("The minutes are published: nothing more is added")
    item = _item(meeting, item)
    _item_add_forms(item)
    template = "meetings/includes/run_item_add_forms.html" if request.htmx else "meetings/run_item_add.html"
    return render(request, template, {"meeting": meeting, "item": item})


@require_POST
def run_item_save(request, pk, item):
    meeting = _run_meeting(request, pk)
    item = _item(meeting, item)
    form = forms.ItemMinutesForm(request.POST, item=item, agencies=selectors.partnership_agencies(meeting), prefix=f"item-{item.pk}")
    if form.is_valid():
        try:
            room.item_minutes_save(actor=Actor.from_request(request), item=item, **form.service_arguments())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return _run_item_response(request, meeting, item, bound={"saved": True})
    return _run_item_response(request, meeting, item, bound={"minutes": form})


@require_POST
def run_declaration_add(request, pk, item):
    meeting = _run_meeting(request, pk)
    item = _item(meeting, item)
    present = selectors.present_attendees(meeting)
    form = forms.DeclarationForm(request.POST, present=present, prefix=f"item-{item.pk}-declaration")
    if form.is_valid():
        try:
            room.declaration_record(actor=Actor.from_request(request), item=item, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return _run_item_response(request, meeting, item, bound={"saved": True})
    return _run_item_response(request, meeting, item, bound={"declaration": form})


@require_POST
def run_declaration_remove(request, pk, declaration):
    meeting = _run_meeting(request, pk)
    try:
        declaration = Declaration.objects.select_related("item").get(pk=declaration, item__meeting=meeting)
    except (Declaration.DoesNotExist, ValueError):
        raise Http404("No such declaration") from None
    try:
        room.declaration_remove(actor=Actor.from_request(request), declaration=declaration)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _run_item_response(request, meeting, declaration.item, bound={"saved": True})


@require_POST
def run_action_add(request, pk, item):
    meeting = _run_meeting(request, pk)
    item = _item(meeting, item)
    agencies, users = selectors.item_owner_choices(item)
    form = forms.ActionForm(request.POST, agencies=agencies, users=users, prefix=f"item-{item.pk}-action")
    if form.is_valid():
        try:
            room.meeting_action_add(
                actor=Actor.from_request(request), item=item, description=form.cleaned_data["description"],
                due_on=form.cleaned_data["due_on"], **form.owner_fields(),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return _run_item_response(request, meeting, item, bound={"saved": True})
    return _run_item_response(request, meeting, item, bound={"action": form})


@require_POST
def run_action_remove(request, pk, action):
    meeting = _run_meeting(request, pk)
    try:
        action = MeetingAction.objects.select_related("item").get(pk=action, item__meeting=meeting)
    except (MeetingAction.DoesNotExist, ValueError):
        raise Http404("No such action") from None
    try:
        room.meeting_action_remove(actor=Actor.from_request(request), action=action)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _run_item_response(request, meeting, action.item, bound={"saved": True})


@require_POST
def run_action_done(request, pk, action):
    """Matters arising: an earlier meeting's action that was not on a case is done."""
    meeting = _run_meeting(request, pk)
    try:
        action = MeetingAction.objects.get(pk=action, item__meeting__group=meeting.group, item__meeting__held_on__lt=meeting.held_on)
    except (MeetingAction.DoesNotExist, ValueError):
        raise Http404("No such action") from None
    try:
        room.meeting_action_mark_done(actor=Actor.from_request(request), action=action)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Marked done: {action.description}")
    return redirect(reverse("meeting_run", args=[meeting.pk]) + "#matters-arising")


@require_POST
def run_attendance_add(request, pk):
    meeting = _run_meeting(request, pk)
    agencies = selectors.partnership_agencies(meeting)
    form = forms.AttendanceForm(request.POST, users=selectors.meeting_user_choices(meeting), agencies=agencies, prefix="attendance")
    if form.is_valid():
        try:
            room.attendance_record(actor=Actor.from_request(request), meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            if request.htmx:
                return render(request, "meetings/includes/run_attendance.html", _run_context(request, meeting, forms_for=set()))
            return redirect(reverse("meeting_run", args=[meeting.pk]) + "#attendance")
    context = _run_context(request, meeting, attendance_form=form, forms_for=set() if request.htmx else None)
    if request.htmx:
        return render(request, "meetings/includes/run_attendance.html", context)
    return render(request, "meetings/run.html", context)


@require_POST
def run_attendance_remove(request, pk, attendance):
    meeting = _run_meeting(request, pk)
    try:
        row = Attendance.objects.get(pk=attendance, meeting=meeting)
    except (Attendance.DoesNotExist, ValueError):
        raise Http404("No such attendance") from None
    try:
        room.attendance_remove(actor=Actor.from_request(request), attendance=row)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    if request.htmx:
        return render(request, "meetings/includes/run_attendance.html", _run_context(request, meeting, forms_for=set()))
    return redirect(reverse("meeting_run", args=[meeting.pk]) + "#attendance")


# Minutes ------------------------------------------------------------------------------------------------------------


@require_GET
def minutes_page(request, pk):
    meeting = _meeting(request, pk)
    if not permissions.can_see_minutes(user=request.user, membership=request.membership, meeting=meeting):
        raise Http404("No minutes")
    items = selectors.meeting_items(meeting)
    numbers = selectors.minute_numbers(meeting, items)
    outline = selectors.agenda_outline(items, numbers)
    minuted = [i for section in outline for i in ([section["standing"]] if section["standing"] else []) + section["items"] if i.minute_no]
    _record_view(request, meeting, items, "minutes")
    return render(
        request,
        "meetings/minutes.html",
        {
            "meeting": meeting,
            "attendance": selectors.meeting_attendance(meeting),
            "minuted": minuted,
            "previous": selectors.previous_meeting(meeting),
            "may_manage": permissions.can_manage_meeting(user=request.user, meeting=meeting),
            "document": selectors.meeting_document(meeting, MeetingDocument.Kind.MINUTES),
        },
    )


@require_POST
def minutes_publish_view(request, pk):
    meeting = _managed(request, pk)
    try:
        minutes_publish(actor=Actor.from_request(request), meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Minutes published: actions are on their cases and decisions applied.")
    return redirect("meeting_minutes", pk=meeting.pk)
