import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models.fields import BooleanField as ModelBooleanField
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import dateformat, timezone
from django.views.decorators.http import require_http_methods

from audit.services import Actor, diff
from casework import permissions, selectors
from casework.exports import cases_csv_lines
from casework.forms.cases import CaseCloseForm, CaseEditForm, CaseFilterForm, CaseForm, CaseReopenForm, case_form_data
from casework.models import Case, CaseAccess
from casework.selectors.cases import (
    CASE_ROW_FIELDS, CURRENT, REVIEW_THIS_WEEK, case_access_rows, case_history, case_list_rows_for_slice, case_open_work, case_rows_by_ids, dashboard_summary,
)
from casework.services.cases import (
    CaseVersionConflict,
    case_close,
    case_denied_record,
    case_export_record,
    case_reopen,
    case_search_record,
    case_update,
    case_view_record,
)
from casework.pagination import CasePaginator
from casework.views.common import case_for_request, case_page_context
# Pages may gather from higher apps: opening a case shows and records the partnership's routing rules.
from referrals.forms.routing import RoutingFactsForm
from referrals.selectors.referrals import referrals_waiting_for
from referrals.selectors.routing import case_routing_latest, routing_facts_for_draft, routing_suggest_for_case, routing_suggest_for_facts
from referrals.services.routing import case_open_routed

CASES_PER_PAGE = 25
HISTORY_PER_PAGE = 25
# The referrals app's inbox of referrals waiting for the acting agency; linked from the dashboard once it exists.
REFERRAL_INBOX_URL_NAME = "referral_inbox"


def _case_list_url(**filters) -> str:
    return f"{reverse('case_list')}?{urlencode(filters)}"


def dashboard(request):
    agency = request.agency
    summary = dashboard_summary(user=request.user, agency=agency, also_count={"referrals_waiting": referrals_waiting_for})
    waiting = summary["also"]["referrals_waiting"]
    try:
        waiting_url = reverse(REFERRAL_INBOX_URL_NAME)
    except NoReverseMatch:
        waiting_url = ""
    counts, rows = summary["counts"], summary["rows"]
    panels = [
        {"key": "mine", "title": "Your cases", "hint": "Cases not closed where you are the lead officer",
         "count": counts["mine"], "cases": rows["mine"], "url": _case_list_url(mine="on", status=CURRENT)},
        {"key": "led", "title": "Cases your agency leads", "hint": "Not closed",
         "count": counts["led"], "cases": rows["led"],
         "url": _case_list_url(lead_agency=agency.pk, status=CURRENT) if agency else _case_list_url(status=CURRENT)},
        {"key": "reviews_due", "title": "Reviews due this week", "hint": "Next review within 7 days, or overdue",
         "count": counts["reviews_due"], "cases": rows["reviews_due"], "url": _case_list_url(review_due=REVIEW_THIS_WEEK)},
        {"key": "case_review", "title": "Over the ASB Case Review threshold", "hint": "Not closed",
         "count": counts["case_review"], "cases": rows["case_review"], "url": _case_list_url(case_review="on", status=CURRENT)},
    ]
    for panel in panels:  # an agency-wide panel past the dashboard's count limit says "more than"
        panel["more"] = summary["more"].get(panel["key"], False)
    return render(
        request,
        "casework/dashboard.html",
        {
            "panels": panels,
            "visible_count": counts["visible"],
            "overdue_actions": summary["overdue_actions"],
            "overdue_actions_count": summary["overdue_actions_count"],
            "overdue_actions_more": summary["overdue_actions_more"],
            "overdue_actions_url": _case_list_url(overdue_actions="on"),
            "referrals_waiting": waiting,
            "referrals_waiting_url": waiting_url,
            "today": summary["today"],
            "can_open_case": permissions.can_open_case(membership=request.membership),
        },
    )


def case_list(request):
    form = CaseFilterForm(request.GET or None, partnership=request.partnership)
    filters = form.filters()
    # A row shows a few columns (CASE_ROW_FIELDS), not the case's narrative and the rest: a narrowed list's rows are
    # read by id as plain values (CaseRow).
    cases = selectors.case_list(user=request.user, agency=request.agency, filters=filters).only(*CASE_ROW_FIELDS)
    rows_for_slice = case_list_rows_for_slice(user=request.user, agency=request.agency, filters=filters)
    page = CasePaginator(cases, CASES_PER_PAGE, rows_for_ids=case_rows_by_ids, rows_for_slice=rows_for_slice).get_page(request.GET.get("page"))
    case_search_record(actor=Actor.from_request(request), filters=filters)
    return render(
        request,
        "casework/case_list.html",
        {"form": form, "page": page, "filtered": bool(filters), "can_open_case": permissions.can_open_case(membership=request.membership)},
    )


def case_export(request):
    """The case list's current filter as CSV, for the cases the user may see; audited."""
    form = CaseFilterForm(request.GET or None, partnership=request.partnership)
    filters = form.filters()
    cases = selectors.case_list(user=request.user, agency=request.agency, filters=filters).select_related("lead_agency", "kind")
    case_export_record(actor=Actor.from_request(request), filters=filters, count=cases.count())
    response = StreamingHttpResponse(cases_csv_lines(cases), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cases-{timezone.localdate():%Y-%m-%d}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


def case_detail(request, reference):
    case = case_for_request(request, reference)
    case_view_record(actor=Actor.from_request(request), case=case, what="Summary")
    return render(
        request,
        "casework/case_detail.html",
        case_page_context(
            request, case, "case_detail",
            access_periods=_access_rows(case),
            can_see_history=permissions.can_see_case_history(membership=request.membership, case=case),
            routing_decision=case_routing_latest(case),
            routing_now=_routing_now(case),
        ),
    )


def _access_rows(case) -> list[dict]:
    """The "Who has access" table as plain values: a model per row costs more than the four cells it shows."""
    levels = dict(CaseAccess.Level.choices)
    return [
        {"agency": row["agency__name"], "level": levels.get(row["level"], row["level"]), "granted_at": row["granted_at"], "revoked_at": row["revoked_at"]}
        for row in case_access_rows(case=case)
    ]


def _routing_now(case):
    """When the case's facts have changed so that the rules now suggest another lead, say so (open cases only)."""
    if case.is_closed:
        return None
    suggestion = routing_suggest_for_case(case)
    if suggestion is None or suggestion.lead_agency is None or suggestion.lead_agency.pk == case.lead_agency_id:
        return None
    return suggestion


@require_http_methods(["GET", "POST"])
def case_open_page(request):
    if not permissions.can_open_case(membership=request.membership):
        raise PermissionDenied("Your role may not open cases.")
    partnership = request.partnership
    if request.method == "POST":
        form = CaseForm(request.POST, partnership=partnership, default_lead_agency=request.agency)
        if form.is_valid():
            fields = form.case_fields()
            try:
                # The routing rules are the partnership's: the case and how its lead was chosen are saved together.
                case = case_open_routed(
                    actor=Actor.from_request(request), partnership=partnership,
                    routing_override_reason=form.cleaned_data.get("routing_override_reason", ""), **fields,
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, f"Case {case.reference} opened")
                return redirect("case_detail", case.reference)
    else:
        form = CaseForm(
            partnership=partnership,
            default_lead_agency=request.agency,
            initial={
                "lead_agency": request.agency.pk, "opened_on": timezone.localdate(),
                "subject_type": Case.SubjectType.INDIVIDUAL, "subject_tenure": Case.Tenure.UNKNOWN,
                "subject_age_band": Case.AgeBand.UNKNOWN, "risk_level": Case.RiskLevel.NOT_ASSESSED,
                "security_marking": Case._meta.get_field("security_marking").default,
            },
        )
    return render(
        request,
        "casework/cases/case_form.html",
        {"form": form, "title": "Open a case", "partnership": partnership, "routing_suggestion": _routing_suggestion(form, partnership)},
    )


def _routing_suggestion(form, partnership):
    """What the partnership's rules suggest for the facts on the form: shown without JavaScript, refreshed by htmx."""
    data = form.data if form.is_bound else {key: value.pk if hasattr(value, "pk") else value for key, value in form.initial.items()}
    facts_form = RoutingFactsForm(data)
    if not facts_form.is_valid():
        return None
    return routing_suggest_for_facts(partnership, routing_facts_for_draft(**facts_form.cleaned_data))


def _shown(field_name: str, value) -> str:
    """A stored or typed value as a person reads it: choice labels, Yes/No, dates in words, '(blank)'."""
    if value in (None, ""):
        return "(blank)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if hasattr(value, "get_full_name"):
        return value.get_full_name() or value.get_username()
    try:
        model_field = Case._meta.get_field(field_name)
    except FieldDoesNotExist:  # not a field of the case: show as it is
        return str(value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, datetime.date):
        return dateformat.format(value, "j F Y")
    if isinstance(value, str) and model_field.get_internal_type() == "DateField":
        try:
            return dateformat.format(datetime.date.fromisoformat(value), "j F Y")
        except ValueError:
            return value
    if isinstance(model_field, ModelBooleanField) and isinstance(value, str):
        return "Yes" if value.lower() == "true" else "No"
    return str(value)


def _edit_conflict(request, conflict: CaseVersionConflict, typed: dict):
    """Someone saved the case since this user loaded it. Nothing either typed is lost: a detail this user changed
    keeps their entry; a detail only the other person changed takes the other person's value. The form moves onto
    the current version, so that saving again is a choice made with both in view."""
    case = conflict.case
    data = request.POST.copy()
    data["version"] = str(case.version)
    rows, theirs = [], []
    for name, (before, now) in conflict.changes.items():
        in_form = name in CaseEditForm.base_fields and name != "version"
        untouched = in_form and not diff({name: before}, {name: typed.get(name)})
        if untouched:
            theirs.append(name)
        rows.append({
            "label": _field_label(name),
            "before": _shown(name, before),
            "now": _shown(name, now),
            "yours": _shown(name, typed.get(name)) if in_form else "–",
            "kept": "theirs" if untouched or not in_form else "yours",
        })
    for key, value in case_form_data(case, theirs).items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    form = CaseEditForm(data, case=case)
    form.is_valid()
    return case, rows, form


@require_http_methods(["GET", "POST"])
def case_edit(request, reference):
    case = case_for_request(request, reference, codename=permissions.CHANGE)
    conflict_rows = []
    status = 200
    if request.method == "POST":
        form = CaseEditForm(request.POST, case=case)
        if form.is_valid():
            changes = form.case_fields()
            try:
                case = case_update(
                    actor=Actor.from_request(request), case=case, expected_version=form.cleaned_data["version"], **changes
                )
            except CaseVersionConflict as conflict:
                case, conflict_rows, form = _edit_conflict(request, conflict, changes)
                status = 409
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, f"Case {case.reference} updated")
                return redirect("case_detail", case.reference)
    else:
        form = CaseEditForm(case=case)
        case_view_record(actor=Actor.from_request(request), case=case, what="Edit form")
    context = case_page_context(request, case, "case_edit", form=form, conflict_rows=conflict_rows, title="Change case details")
    return render(request, "casework/cases/case_edit.html", context, status=status)


@require_http_methods(["GET", "POST"])
def case_close_page(request, reference):
    case = case_for_request(request, reference, codename=permissions.MANAGE)
    if case.is_closed:
        messages.info(request, f"Case {case.reference} is already closed")
        return redirect("case_detail", case.reference)
    open_work = case_open_work(case=case)
    status = 200
    conflict = None
    if request.method == "POST":
        form = CaseCloseForm(request.POST, case=case, open_work_count=open_work["count"])
        if form.is_valid():
            values = form.cleaned_data
            try:
                case = case_close(
                    actor=Actor.from_request(request), case=case, outcome=values["outcome"], reason=values["reason"],
                    closed_on=values["closed_on"], expected_version=values["version"],
                )
            except CaseVersionConflict as error:
                case, conflict, status = error.case, error, 409
                data = request.POST.copy()
                data["version"] = str(case.version)
                form = CaseCloseForm(data, case=case, open_work_count=open_work["count"])
                form.is_valid()
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, f"Case {case.reference} closed")
                return redirect("case_detail", case.reference)
    else:
        form = CaseCloseForm(case=case, open_work_count=open_work["count"])
        case_view_record(actor=Actor.from_request(request), case=case, what="Close form")
    conflict_rows = [
        {"label": _field_label(name), "before": _shown(name, before), "now": _shown(name, now)}
        for name, (before, now) in (conflict.changes.items() if conflict else [])
    ]
    context = case_page_context(request, case, "case_close", form=form, open_work=open_work, conflict_rows=conflict_rows)
    return render(request, "casework/cases/case_close.html", context, status=status)


@require_http_methods(["GET", "POST"])
def case_reopen_page(request, reference):
    case = case_for_request(request, reference, codename=permissions.MANAGE)
    if not case.is_closed:
        messages.info(request, f"Case {case.reference} is not closed")
        return redirect("case_detail", case.reference)
    status = 200
    if request.method == "POST":
        form = CaseReopenForm(request.POST)
        if form.is_valid():
            try:
                case = case_reopen(
                    actor=Actor.from_request(request), case=case, reason=form.cleaned_data["reason"],
                    expected_version=form.cleaned_data["version"],
                )
            except CaseVersionConflict as error:
                case, status = error.case, 409
                data = request.POST.copy()
                data["version"] = str(case.version)
                form = CaseReopenForm(data)
                form.is_valid()
                form.add_error(None, f"{error} Check the case, then reopen it if you still need to.")
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, f"Case {case.reference} reopened")
                return redirect("case_detail", case.reference)
    else:
        form = CaseReopenForm(initial={"version": case.version})
        case_view_record(actor=Actor.from_request(request), case=case, what="Reopen form")
    return render(request, "casework/cases/case_reopen.html", case_page_context(request, case, "case_reopen", form=form), status=status)


def _field_label(name: str) -> str:
    """What the case pages call a field (the form's label), else its model name, else the key."""
    if name in CaseForm.base_fields:
        return str(CaseForm.base_fields[name].label).removesuffix(" (optional)")
    try:
        return str(Case._meta.get_field(name).verbose_name).capitalize()
    except FieldDoesNotExist:  # not a field of the case (an audit key of another record)
        return name.replace("_", " ").capitalize()


def _change_rows(changes: dict) -> list[dict]:
    rows = []
    for name, values in (changes or {}).items():
        if name == "version":
            continue  # bookkeeping for conflicts, not something a reader needs
        old, new = (list(values) + [None, None])[:2] if isinstance(values, (list, tuple)) else (None, values)
        rows.append({"label": _field_label(name), "old": _shown(name, old), "new": _shown(name, new)})
    return rows


def case_history_page(request, reference):
    case = case_for_request(request, reference)
    try:
        events = case_history(case=case, membership=request.membership)
    except Http404:
        case_denied_record(actor=Actor.from_request(request), case=case, what="History")
        raise
    page = Paginator(events, HISTORY_PER_PAGE).get_page(request.GET.get("page"))
    for event in page.object_list:
        event.change_rows = [] if event.withheld else _change_rows(event.changes)  # anonymised since: see docs/security.md
    case_view_record(actor=Actor.from_request(request), case=case, what="History")
    return render(request, "casework/cases/case_history.html", case_page_context(request, case, "case_history", page=page))
