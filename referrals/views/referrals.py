"""Referral pages: the case's Referrals tab, the agency's inbox, and one referral with its thread and answers."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from audit.services import Actor
from casework import permissions as case_permissions
from casework.services.cases import case_view_record
from casework.views.common import case_for_request, case_page_context
from referrals import permissions
from referrals.selectors import referrals as selectors
from referrals.forms.referrals import GroupReferralForm, ReferralDeclineForm, ReferralMessageForm, ReferralSendForm
from referrals.models import GroupReferral, Referral
from referrals.services.referrals import (
    ReferralNotPending,
    group_referral_return,
    group_referral_send,
    referral_accept,
    referral_decline,
    referral_message_write,
    referral_send,
    referral_withdraw,
)


def _day(value) -> str:
    return f"{value.day} {value:%B %Y}"


# The case's Referrals tab


def _case_tab(request, case, *, send_form=None, group_form=None):
    case_view_record(actor=Actor.from_request(request), case=case, what="Referrals")
    may_refer = permissions.can_refer_case(user=request.user, membership=request.membership, case=case)
    group = selectors.group_for_case(case=case)
    group_referrals = list(selectors.group_referrals_for_case(case=case))
    with_group = any(gr.status == GroupReferral.Status.WITH_GROUP and gr.group_id == getattr(group, "pk", None) for gr in group_referrals)
    if may_refer and send_form is None:
        send_form = ReferralSendForm(agencies=selectors.referral_agencies_for_case(case=case, sender=request.agency))
    if may_refer and group is not None and not with_group and group_form is None:
        group_form = GroupReferralForm()
    returnable = {
        gr.pk
        for gr in group_referrals
        if gr.status == GroupReferral.Status.WITH_GROUP
        and permissions.can_return_from_group(user=request.user, membership=request.membership, group_referral=gr)
    }
    context = case_page_context(
        request,
        case,
        "case_referrals",
        referrals=selectors.referrals_for_case(case=case, user=request.user, agency=request.agency),
        group_referrals=group_referrals,
        group=group,
        may_refer=may_refer,
        send_form=send_form if not case.is_closed else None,
        group_form=group_form if not case.is_closed and not with_group else None,
        returnable=returnable,
        form=send_form if send_form is not None and send_form.is_bound else group_form,
    )
    return render(request, "referrals/case_referrals.html", context)


def case_referrals(request, reference):
    """The case's referrals, and (for the lead agency) the form to send one."""
    case = case_for_request(request, reference)
    actor = Actor.from_request(request)
    if request.method == "POST":
        if not permissions.can_refer_case(user=request.user, membership=request.membership, case=case):
            raise PermissionDenied("Only the lead agency may refer this case.")
        form = ReferralSendForm(request.POST, agencies=selectors.referral_agencies_for_case(case=case, sender=request.agency))
        if form.is_valid():
            data = form.cleaned_data
            try:
                referral = referral_send(
                    actor=actor, case=case, to_agency=data["to_agency"], purpose=data["purpose"], reason=data["reason"],
                    priority=data["priority"], respond_by=data["respond_by"],
                    former_lead_access=data["former_lead_access"] or "",
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, f"Referral sent to {referral.to_agency}. They have until {_day(referral.respond_by)} to reply.")
                return redirect("case_referrals", reference=case.reference)
        return _case_tab(request, case, send_form=form)
    return _case_tab(request, case)


@require_POST
def case_group_refer(request, reference):
    case = case_for_request(request, reference)
    if not permissions.can_refer_case(user=request.user, membership=request.membership, case=case):
        raise PermissionDenied("Only the lead agency may refer this case to the group.")
    group = selectors.group_for_case(case=case)
    if group is None:
        messages.error(request, f"{case.partnership} has no active casework group to refer the case to.")
        return redirect("case_referrals", reference=case.reference)
    form = GroupReferralForm(request.POST)
    if form.is_valid():
        try:
            group_referral_send(
                actor=Actor.from_request(request), case=case, group=group, reason=form.cleaned_data["reason"],
                referred_on=form.cleaned_data["referred_on"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"The case was referred to {group}. It will be on the agenda of the group's next meeting for its member agencies.")
            return redirect("case_referrals", reference=case.reference)
    return _case_tab(request, case, group_form=form)


@require_POST
def case_group_return(request, reference, pk):
    case = case_for_request(request, reference)
    group_referral = GroupReferral.objects.select_related("group", "case").filter(case=case, pk=pk).first()
    if group_referral is None:
        raise Http404("No such referral to the group")
    if not permissions.can_return_from_group(user=request.user, membership=request.membership, group_referral=group_referral):
        raise PermissionDenied("Only the lead agency or the group's chair may return the case.")
    try:
        group_referral_return(actor=Actor.from_request(request), group_referral=group_referral)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The case was returned from {group_referral.group}. Member agencies' group access has ended.")
    return redirect("case_referrals", reference=case.reference)


# The inbox and one referral


def _page_number(request, name: str) -> int:
    try:
        return max(1, min(int(request.GET.get(name, 1)), 10_000))
    except ValueError:
        return 1


def referral_inbox(request):
    boxes = selectors.referral_inbox(
        user=request.user, agency=request.agency, waiting_page=_page_number(request, "waiting"), sent_page=_page_number(request, "sent")
    )
    return render(request, "referrals/inbox.html", {**boxes, "today": timezone.localdate()})


FORMER_LEAD_KEEPS = {
    "contributor": "stays a contributor",
    "information": "keeps information-only access",
    "none": "keeps no access",
}


def _detail(request, referral, *, decline_form=None, message_form=None):
    membership = request.membership
    pending = referral.status == referral.Status.PENDING
    can_respond = pending and permissions.can_respond(membership=membership, referral=referral)
    context = {
        "referral": referral,
        "case": referral.case,
        "former_lead_keeps": FORMER_LEAD_KEEPS.get(referral.former_lead_access, ""),
        "thread": selectors.referral_messages(referral=referral),
        "can_open_case": case_permissions.can_view_case(user=request.user, agency=request.agency, case=referral.case),
        "can_respond": can_respond,
        "can_withdraw": pending and permissions.can_withdraw(membership=membership, referral=referral),
        "can_write": permissions.can_write_message(membership=membership, referral=referral),
        "decline_form": decline_form or (ReferralDeclineForm() if can_respond else None),
        "message_form": message_form or ReferralMessageForm(),
        "form": decline_form if decline_form is not None and decline_form.errors else message_form,
    }
    return render(request, "referrals/detail.html", context)


def referral_detail(request, pk):
    """What the receiving agency needs to decide, before it has any access to the case."""
    referral = selectors.referral_get(pk=pk, user=request.user, agency=request.agency)
    case_view_record(actor=Actor.from_request(request), case=referral.case, what=f"Referral {referral.pk}")
    return _detail(request, referral)


def _not_pending(request, error: ReferralNotPending):
    messages.info(request, str(error))
    return redirect("referral_detail", pk=error.referral.pk)


@require_POST
def referral_accept_view(request, pk):
    referral = selectors.referral_get(pk=pk, user=request.user, agency=request.agency)
    if not permissions.can_respond(membership=request.membership, referral=referral):
        raise PermissionDenied("Only the agency the case was referred to may accept it.")
    try:
        referral = referral_accept(actor=Actor.from_request(request), referral=referral)
    except ReferralNotPending as error:
        return _not_pending(request, error)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("referral_detail", pk=referral.pk)
    messages.success(request, f"You accepted the referral: {referral.to_agency} now has {referral.get_purpose_display().lower()} on this case.")
    return redirect("case_detail", reference=referral.case.reference)


@require_POST
def referral_decline_view(request, pk):
    referral = selectors.referral_get(pk=pk, user=request.user, agency=request.agency)
    if not permissions.can_respond(membership=request.membership, referral=referral):
        raise PermissionDenied("Only the agency the case was referred to may decline it.")
    form = ReferralDeclineForm(request.POST)
    if form.is_valid():
        try:
            referral_decline(actor=Actor.from_request(request), referral=referral, reason=form.cleaned_data["reason"])
        except ReferralNotPending as error:
            return _not_pending(request, error)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"You declined the referral. {referral.from_agency} has been told.")
            return redirect("referral_inbox")
    return _detail(request, referral, decline_form=form)


@require_POST
def referral_withdraw_view(request, pk):
    referral = selectors.referral_get(pk=pk, user=request.user, agency=request.agency)
    if not permissions.can_withdraw(membership=request.membership, referral=referral):
        raise PermissionDenied("Only the agency that sent the referral may withdraw it.")
    try:
        referral_withdraw(actor=Actor.from_request(request), referral=referral)
    except ReferralNotPending as error:
        return _not_pending(request, error)
    messages.success(request, f"You withdrew the referral. {referral.to_agency} has been told.")
    return redirect("case_referrals", reference=referral.case.reference)


@require_POST
def referral_message_view(request, pk):
    referral = selectors.referral_get(pk=pk, user=request.user, agency=request.agency)
    if not permissions.can_write_message(membership=request.membership, referral=referral):
        raise PermissionDenied("Your role may not write in referral threads.")
    form = ReferralMessageForm(request.POST)
    if form.is_valid():
        try:
            referral_message_write(actor=Actor.from_request(request), referral=referral, text=form.cleaned_data["text"])
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Your message was added. The other agency has been told.")
            return redirect("referral_detail", pk=referral.pk)
    return _detail(request, referral, message_form=form)
