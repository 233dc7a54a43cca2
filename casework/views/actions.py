"""The case's Actions tab: what must be done, by whom and when; marking actions done and reopening them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from audit.services import Actor
from casework import permissions
from casework.forms.work import ActionDoneForm, ActionForm
from casework.selectors import actions as selectors
from casework.services.actions import action_create, action_mark_done, action_reopen, action_update
from casework.services.cases import case_view_record
from casework.views.common import case_for_request, case_page_context

TAB = "case_actions"


def _action_form(case, data=None, **kwargs):
    agencies, users = selectors.action_owner_choices(case=case)
    return ActionForm(data, agencies=agencies, users=users, **kwargs)


@require_http_methods(["GET", "POST"])
def case_actions(request, reference):
    if request.method == "GET":
        case = case_for_request(request, reference)
        case_view_record(actor=Actor.from_request(request), case=case, what="Actions")
        form = None
    else:
        case = case_for_request(request, reference, codename=permissions.CONTRIBUTE)
        form = _action_form(case, request.POST)
        if form.is_valid():
            try:
                action = action_create(
                    actor=Actor.from_request(request),
                    case=case,
                    description=form.cleaned_data["description"],
                    due_on=form.cleaned_data["due_on"],
                    **form.owner_fields(),
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, f"Action added: {action.description}")
                return redirect("case_actions", reference=case.reference)
    context = case_page_context(request, case, TAB, actions=selectors.case_actions(case=case))
    if context["can_contribute"]:
        context["form"] = form or _action_form(case, initial={"owner": f"agency:{request.agency.pk}"} if request.agency else None)
    return render(request, "casework/work/actions.html", context)


@require_http_methods(["GET", "POST"])
def case_action_edit(request, reference, pk):
    case = case_for_request(request, reference, codename=permissions.CONTRIBUTE)
    action = selectors.case_action_get(case=case, pk=pk)
    initial = {"description": action.description, "due_on": action.due_on, "owner": ActionForm.owner_value(action)}
    form = _action_form(case, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            action_update(
                actor=Actor.from_request(request),
                action=action,
                description=form.cleaned_data["description"],
                due_on=form.cleaned_data["due_on"],
                **form.owner_fields(),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Action updated.")
            return redirect("case_actions", reference=case.reference)
    return render(request, "casework/work/action_form.html", case_page_context(request, case, TAB, form=form, action=action))


@require_POST
def case_action_done(request, reference, pk):
    case = case_for_request(request, reference, codename=permissions.CONTRIBUTE)
    action = selectors.case_action_get(case=case, pk=pk)
    form = ActionDoneForm(request.POST)
    if form.is_valid():
        try:
            action_mark_done(actor=Actor.from_request(request), action=action, done_on=form.cleaned_data["done_on"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Marked done: {action.description}")
    else:
        messages.error(request, "Enter the date it was done as a real date, or leave it empty for today.")
    return redirect("case_actions", reference=case.reference)


@require_POST
def case_action_reopen(request, reference, pk):
    case = case_for_request(request, reference, codename=permissions.CONTRIBUTE)
    action = selectors.case_action_get(case=case, pk=pk)
    action_reopen(actor=Actor.from_request(request), action=action)
    messages.success(request, f"Reopened: {action.description}")
    return redirect("case_actions", reference=case.reference)
