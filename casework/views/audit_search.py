"""Searching and exporting the audit trail (supervisors and DPOs), and checking its chain (DPOs).

These pages live in casework, not audit: who may see which events depends on which cases an agency leads and which
cases a partnership holds, and the audit app, the lowest of all, knows nothing of cases."""

import csv
import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from audit.services import Actor
from casework import permissions
from casework.forms.governance import AuditSearchForm
from casework.imports import FORMULA_STARTS
from casework.pagination import BoundedPaginator
from casework.selectors.governance import audit_chain_checks, audit_event_search
from casework.services.governance import audit_chain_check_queue, audit_export_record, audit_search_record

EVENTS_PER_PAGE = 50
# A search is counted exactly up to this many events; past it, the page says "more than" and lists the newest. A
# county's trail holds millions of events, and counting a partnership's hundred thousand read them all on every page.
EVENTS_COUNT_LIMIT = 1000
WITHHELD = "[withheld: anonymised under the retention policy]"
CSV_COLUMNS = (
    "id", "at", "username", "agency", "action", "object_type", "object_id", "object_repr", "case_reference", "person_id",
    "detail", "changes", "ip_address", "hash",
)


def _require_search(request):
    if not permissions.can_search_audit(membership=request.membership):
        raise PermissionDenied("Only supervisors and data protection officers may search the audit trail.")


def _changes_text(changes: dict) -> str:
    return "; ".join(f"{field}: {values[0]!s} → {values[1]!s}" if isinstance(values, list) and len(values) == 2 else f"{field}: {values!s}"
                     for field, values in changes.items())


def _shown(event) -> dict:
    """What a row of the page or the file shows: the recorded values, unless they are withheld."""
    withheld = event.withheld
    keep_repr = event.object_type == "case"  # a case's repr is its reference, which anonymisation keeps
    return {
        "event": event,
        "object_repr": event.object_repr if (keep_repr or not withheld) else WITHHELD,
        "detail": WITHHELD if withheld and event.detail else event.detail,
        "changes": WITHHELD if withheld and event.changes else _changes_text(event.changes),
        "changes_json": WITHHELD if withheld and event.changes else json.dumps(event.changes, ensure_ascii=False, sort_keys=True),
        "withheld": withheld,
    }


@require_GET
def audit_search(request):
    _require_search(request)
    form = AuditSearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "casework/governance/audit_search.html", {"form": form, "page": None, "rows": []})
    filters = form.cleaned_data if form.is_bound else {}
    events = audit_event_search(membership=request.membership, filters=filters)
    paginator = BoundedPaginator(
        events, EVENTS_PER_PAGE, count_limit=EVENTS_COUNT_LIMIT, rows_for_ids=lambda ids: list(events.filter(pk__in=ids))
    )
    page = paginator.get_page(request.GET.get("page"))
    rows = [_shown(event) for event in page.object_list]
    description = f"{form.describe()}; page {page.number}"
    audit_search_record(
        actor=Actor.from_request(request), description=description, results=paginator.count, more=paginator.count_is_capped
    )
    return render(
        request,
        "casework/governance/audit_search.html",
        {"form": form, "page": page, "rows": rows, "description": form.describe(), "query": request.GET.urlencode()},
    )


class _Echo:
    """csv.writer writes to this and gets each line back, so that the file can be streamed."""

    def write(self, value):
        return value


def _csv_safe(value) -> str:
    """Text a spreadsheet would run as a formula (=, +, -, @ first) is given a leading apostrophe: the import's rule."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in FORMULA_STARTS else text


def _csv_lines(events):
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for event in events.iterator(chunk_size=2000):
        shown = _shown(event)
        yield writer.writerow([_csv_safe(value) for value in (
            event.pk, event.at.isoformat(), event.username, event.agency_name, event.action, event.object_type, event.object_id,
            shown["object_repr"], event.case_reference or "", event.person_id or "", shown["detail"], shown["changes_json"],
            event.ip_address or "", event.hash,
        )])


@require_GET
def audit_export(request):
    """The current search as a CSV file, streamed row by row; the export itself goes into the trail first."""
    _require_search(request)
    form = AuditSearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "casework/governance/audit_search.html", {"form": form, "page": None, "rows": []}, status=400)
    filters = form.cleaned_data if form.is_bound else {}
    events = audit_event_search(membership=request.membership, filters=filters)
    audit_export_record(actor=Actor.from_request(request), description=form.describe())
    response = StreamingHttpResponse(_csv_lines(events), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-trail-{timezone.localtime():%Y%m%d-%H%M}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def audit_chain(request):
    """The latest checks of the audit chain, and a button to run one now (DPOs)."""
    if not permissions.can_check_audit_chain(membership=request.membership):
        raise PermissionDenied("Only data protection officers may check the audit chain.")
    if request.method == "POST":
        audit_chain_check_queue(actor=Actor.from_request(request))
        messages.success(request, "A check of the audit chain has been queued. Its result appears below when it finishes.")
        return redirect("audit_chain")
    return render(request, "casework/governance/audit_chain.html", {"checks": list(audit_chain_checks())})
