"""A schemathesis run over the whole API, as CI runs it: every operation in the OpenAPI schema that /api/schema/ serves,
called over HTTP on a live server with the demo data loaded, as a council caseworker with a personal API token got
through /api/v1/auth/token/ (password and two-factor code), then the reports operations again as the analyst.

It fails on any server error (5xx), any status an operation does not declare, any response whose body breaks the
declared schema or whose content type is not declared, an unsupported method not answered 405, a call without a token
not refused, and the other checks schemathesis runs by default; two are left out, for the reasons in CHECKS_LEFT_OUT.
Whatever the outcome, a summary (operations tested, calls made, statuses, failures, and schemathesis's own) is printed
at the end of the pytest output (tests/api/conftest.py), so that it is in CI's log.

The run is bounded: MAX_EXAMPLES cases per operation in the fuzzing phase, and the stateful phase's few scenarios. The
seed is fixed, so a failure can be repeated; SCHEMATHESIS_SEED, SCHEMATHESIS_MAX_EXAMPLES and SCHEMATHESIS_PHASES
change the run (see PHASES for the full sweep).
"""

import json
import os
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count
from django.test import Client
from django.utils import timezone
from rest_framework.throttling import SimpleRateThrottle

from agencies.models import Agency, Membership
from audit.services import Actor
from casework import permissions
from casework.models import Action, AsbKind, Case, CasePerson, CaseReviewRequest, Document, Intervention, RiskQuestion
from casework.services.case_review import case_review_request_record
from casework.services.documents import document_upload
from meetings.models import Meeting
from referrals.models import Referral
from reports.models import ReportRun
from reports.quarters import quarter_last_completed
from reports.services.runs import report_run_request
from tests.agencies.factories_security import token_request
from tests.api.conftest import SCHEMATHESIS_SUMMARY
from tests.casework.factories_documents import media_root, pdf_bytes, png_bytes, upload  # noqa: F401

PASSWORD = "schemathesis-demo-1"
CASEWORKER = "council-caseworker"
ANALYST = "analyst"
# Who calls what: the caseworker every operation; the reports are for analysts and coordinators only (a caseworker gets
# 403 from each), so the analyst calls those again.
PASSES = [(CASEWORKER, None), (ANALYST, r"^/api/v1/reports/")]
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "10"))
SEED = int(os.environ.get("SCHEMATHESIS_SEED", "20260042"))
# The whole run, schemathesis included, must end well inside CI's time; a hung run fails rather than stalls CI.
RUN_TIMEOUT = 900

# Two of schemathesis's default checks test a contract this API does not make, so they would report the API working as
# designed; every other check stays on.
CHECKS_LEFT_OUT = {
    # "Any request the schema allows must be answered 2xx (or 401/403/404/409)." This API checks more than a schema can
    # say, and answers 400 with a message, as the house rules ask: an agency slug, person id or username must name one
    # that exists and has access to the case; dates must be in order and not in the future; a risk assessment answers
    # every active question. Schema-valid requests that break those rules are rightly refused.
    "positive_data_acceptance": "the API refuses, with a 400 and a message, input that the schema allows but the rules do not",
    # "Any request the schema forbids must be refused." DRF reads input leniently, by design and as documented: a number
    # sent for a text field is taken as its text, 0 or "true" for a boolean as false or true, "" for a related object as
    # null, {} for a list as an empty one, and an empty optional field of a query string or a form as not given. Such
    # requests are outside the schema yet mean one thing, and are taken. (A full run with this check on found nothing
    # else accepted: every other bad input was refused with a 400, and those 400s are checked like any response.)
    "negative_data_rejection": "DRF takes input it can read without doubt (1 for true, 0 for \"0\", \"\" for null), by design",
}
# The coverage phase sends every boundary and wrong-type value of every field: some 4,500 calls here, several minutes
# on the CI machine. The default run fuzzes instead (positive and negative cases, MAX_EXAMPLES per operation); set
# SCHEMATHESIS_PHASES=examples,coverage,fuzzing,stateful for the full sweep.
PHASES = os.environ.get("SCHEMATHESIS_PHASES", "examples,fuzzing,stateful")

pytestmark = pytest.mark.django_db(transaction=True)


def test_schemathesis_run_finds_no_server_error_and_no_response_that_breaks_the_schema(live_server, tmp_path, monkeypatch, media_root):  # noqa: F811
    # The throttles (tested in tests/agencies and tests/test_config.py) would otherwise answer most of the run with
    # 429s: that is a test of the throttle, not of the operations. 429 is declared on every operation all the same.
    for scope in ("user", "anon", "token_obtain"):
        monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, scope, "100000/minute")
    call_command("seed_demo", "--password", PASSWORD, stdout=open(os.devnull, "w"))
    _add_what_the_demo_data_lacks()

    passes = []
    for username, only in PASSES:
        user = get_user_model().objects.get(username=username)
        membership_id, dictionaries, operations = _real_values(user, every_operation=only is None)
        folder = tmp_path / username
        folder.mkdir()
        config = folder / "schemathesis.toml"
        config.write_text(_config(token=_token_through_the_api(user), membership_id=membership_id, dictionaries=dictionaries, operations=operations))
        report = folder / "schemathesis.ndjson"
        command = [
            sys.executable, "-m", "schemathesis.cli", "--config-file", str(config), "--no-color",
            "run", f"{live_server.url}/api/schema/?format=json",
            "--phases", PHASES, "--report", "ndjson", "--report-ndjson-path", str(report),
            *(["--include-path-regex", only] if only else []),
        ]
        env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120"}
        run = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT, stdin=subprocess.DEVNULL)
        passes.append((username, only, run, report))

    SCHEMATHESIS_SUMMARY.extend(_summary(passes))
    failed = [(username, run) for username, _, run, _ in passes if run.returncode != 0]
    assert not failed, "\n\n".join(
        f"schemathesis, as {username}, exited {run.returncode}:\n{run.stdout[-40000:]}\n{run.stderr[-5000:]}" for username, run in failed
    )


def _add_what_the_demo_data_lacks() -> None:
    """Through the services, as people would: documents and an ASB Case Review request on a case the caseworker's agency
    leads (the demo puts them on others' cases, where changing them is not allowed), and two report runs, one made and
    one still waiting for a worker, for the analyst's pass."""
    caseworker = get_user_model().objects.get(username=CASEWORKER)
    agency = Membership.objects.get(user=caseworker).agency
    actor = Actor(user=caseworker, agency=agency)
    case = permissions.cases_permitted(user=caseworker, agency=agency).filter(lead_agency=agency).exclude(status=Case.Status.CLOSED).order_by("id").first()
    for title, name, content, content_type in (
        ("Warning letter", "letter.pdf", pdf_bytes(), "application/pdf"),
        ("Photo of the damage", "damage.png", png_bytes(), "image/png"),
        ("Diary sheets", "diary.pdf", pdf_bytes(), "application/pdf"),
    ):
        document_upload(actor=actor, case=case, title=title, upload=upload(name, content, content_type))
    case_review_request_record(actor=actor, case=case, requested_on=timezone.localdate(), requested_by_description="A neighbour at no. 7")

    analyst = get_user_model().objects.get(username=ANALYST)
    membership = Membership.objects.get(user=analyst)
    quarter = quarter_last_completed(timezone.localdate())
    made = report_run_request(actor=Actor(user=analyst, agency=membership.agency), partnership=membership.partnership, quarter=quarter)
    made.refresh_from_db()
    assert made.status == ReportRun.Status.DONE, made.error  # made at once: the tests run Celery tasks eagerly
    report_run_request(actor=Actor(user=analyst, agency=membership.agency), partnership=membership.partnership, quarter=quarter, enqueue=False)


def _token_through_the_api(user) -> str:
    """A personal token, got as a script gets one: username, password and the code from the user's authenticator."""
    response = Client().post("/api/v1/auth/token/", token_request(user, password=PASSWORD, name="schemathesis"), content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()["token"]


# Operations on one object of a case, with the model of the object and the name of its id in the path. A made-up pair of
# reference and id almost never matches, so each of these draws from one case that has such objects, and its ids.
CASE_OBJECTS = [
    (r"^/api/v1/cases/\{reference\}/interventions/\{id\}/", "id", Intervention),
    (r"^/api/v1/cases/\{reference\}/actions/\{id\}/", "id", Action),
    (r"^/api/v1/cases/\{reference\}/case-review-requests/\{id\}/", "id", CaseReviewRequest),
    (r"^/api/v1/cases/\{reference\}/documents/\{document_id\}/", "document_id", Document),
    (r"^/api/v1/cases/\{reference\}/people/\{link_id\}/", "link_id", CasePerson),
]
# Request bodies' fields that name something in the data, and the dictionary they draw from.
BODY_FIELDS = {
    "body.lead_agency": "agency_slugs",
    "body.to_agency": "agency_slugs",
    "body.delivering_agency": "agency_slugs",
    "body.owner_agency": "agency_slugs",
    "body.shared_with[*]": "agency_slugs",
    "body.owner_user": "usernames",
    "body.kind": "kind_slugs",
    "body.case": "references",
    "body.person": "person_ids",
    "body.reported_by": "person_ids",
    "body.requested_by": "person_ids",
    "body.answers[*].question": "risk_question_ids",
}


def _real_values(user, *, every_operation: bool = True) -> tuple[int, dict, list]:
    """Ids, references and slugs that exist and that the caseworker may see, so that the run reaches the operations'
    own logic and not only their 404s. Returns the caseworker's membership id, the dictionaries (name: values), and
    per-operation bindings (path regex, {parameter: dictionary}). Schemathesis draws from a dictionary some of the time
    and generates a value otherwise."""
    membership = Membership.objects.get(user=user)
    agency, partnership = membership.agency, membership.partnership
    visible = permissions.cases_permitted(user=user, agency=agency)
    led = visible.filter(lead_agency=agency).exclude(status=Case.Status.CLOSED)
    richest = visible.annotate(
        n=Count("interventions", distinct=True) + Count("actions", distinct=True) + Count("documents", distinct=True)
        + Count("case_people", distinct=True) + Count("case_review_requests", distinct=True)
    ).order_by("-n", "id")
    cases = [
        *richest.filter(pk__in=led)[:3],  # led: full access
        *richest.exclude(lead_agency=agency).exclude(status=Case.Status.CLOSED)[:1],  # seen, not led
        *richest.filter(lead_agency=agency, status=Case.Status.CLOSED)[:1],  # closed
    ]
    hidden = Case.objects.exclude(pk__in=visible.values("pk")).order_by("id").first()  # exists, but not for this agency
    agencies = list(Agency.objects.filter(partnerships=partnership).order_by("slug").values_list("slug", flat=True))
    dictionaries = {
        "references": [case.reference for case in cases] + ([hidden.reference] if hidden else []),
        "person_ids": _ids(CasePerson.objects.filter(case__in=cases), "person_id"),
        "referral_ids": _ids(Referral.objects.filter(from_agency=agency) | Referral.objects.filter(to_agency=agency)),
        "meeting_ids": _ids(Meeting.objects.filter(group__partnership=partnership)),
        "risk_question_ids": _ids(RiskQuestion.objects.filter(is_active=True)),
        "report_run_ids": _ids(ReportRun.objects.filter(partnership=partnership)),
        "agency_slugs": agencies,
        "kind_slugs": list(AsbKind.objects.filter(is_active=True).order_by("slug").values_list("slug", flat=True)),
        "usernames": list(
            Membership.objects.filter(partnership=partnership, agency__slug__in=agencies).order_by("user__username")
            .values_list("user__username", flat=True).distinct()[:12]
        ),
    }
    operations = [
        (r"^/api/v1/referrals/\{id\}/", {"path.id": "referral_ids"}),
        (r"^/api/v1/meetings/\{id\}/", {"path.id": "meeting_ids"}),
        (r"^/api/v1/people/\{person_id\}/", {"path.person_id": "person_ids"}),
        (r"^/api/v1/reports/runs/\{id\}/", {"path.id": "report_run_ids"}),
    ]
    for regex, parameter, model in CASE_OBJECTS:
        # A case the caseworker's agency leads (so that changes are allowed too), or else one it may see.
        having = model.objects.filter(case__in=visible).values("case")
        case = next((found for found in (led.filter(pk__in=having).first(), visible.filter(pk__in=having).first()) if found), None)
        if case is None:
            assert not every_operation, f"the demo data has no {model.__name__} on a case that {agency} may see"
            continue
        objects = model.objects.filter(case=case)
        name = model._meta.model_name
        dictionaries[f"{name}_case"] = [case.reference]
        dictionaries[f"{name}_ids"] = _ids(objects)
        operations.append((regex, {"path.reference": f"{name}_case", f"path.{parameter}": f"{name}_ids"}))
    empty = [name for name, found in dictionaries.items() if not found]
    assert not (every_operation and empty), f"the demo data has none of: {empty}"
    dictionaries = {name: found for name, found in dictionaries.items() if found}
    operations = [(regex, bound) for regex, bound in operations if all(name in dictionaries for name in bound.values())]
    return membership.pk, dictionaries, operations


def _ids(queryset, field: str = "pk", limit: int = 12) -> list[int]:
    return list(queryset.order_by(field).values_list(field, flat=True).distinct()[:limit])


def _toml(value) -> str:
    return json.dumps(value)  # JSON strings, numbers and arrays are TOML too


def _binding(dictionary: str, probability: float = 0.75) -> str:
    return f'{{ dictionary = "{dictionary}", probability = {probability} }}'


def _config(*, token: str, membership_id: int, dictionaries: dict, operations: list) -> str:
    """schemathesis.toml for this run. A parameter bound to a dictionary takes one of its values with the given
    probability and is generated otherwise (and, in negative cases, only values the schema forbids are used)."""
    lines = [
        f"seed = {SEED}",
        "max-failures = 50",
        f"headers = {{ Authorization = {_toml('Token ' + token)} }}",
        "",
        "[generation]",
        f"max-examples = {MAX_EXAMPLES}",
        'database = "none"',
        # An undeclared header, query parameter or body field is not a negative case: HTTP says to ignore header fields
        # one does not know (RFC 9110, 5.1), and DRF ignores parameters and fields an operation does not take.
        "allow-extra-parameters = false",
        "",
        "[checks]",
        *[f"{name}.enabled = false" for name in CHECKS_LEFT_OUT],
        "",
        "[dictionaries]",
        *[f"{name} = {{ values = {_toml(values)} }}" for name, values in dictionaries.items()],
        "",
        "[parameters]",
        # The caseworker's one membership, always: a wrong X-Acting-Membership is a 400 before anything else happens, so
        # generating it would make most calls test that one check (tested on its own in tests/api/test_api_shared.py).
        f'"header.X-Acting-Membership" = {_toml(str(membership_id))}',
        # Only dictionaries the caller has values for: an analyst, who opens no case, has no references or people.
        *[f'"{key}" = {_binding(name)}' for key, name in {"path.reference": "references", **BODY_FIELDS}.items() if name in dictionaries],
    ]
    for regex, parameters in operations:
        bound = ", ".join(f'"{key}" = {_binding(name)}' for key, name in parameters.items())
        lines += ["", "[[operations]]", f"include-path-regex = {_toml(regex)}", f"parameters = {{ {bound} }}"]
    return "\n".join(lines) + "\n"


def _summary(passes) -> list[str]:
    """What the run did, from the NDJSON reports of its passes, and schemathesis's own summary of each."""
    calls, by_phase, statuses, failures = 0, Counter(), Counter(), Counter()
    per_operation = defaultdict(Counter)
    for _, _, _, report in passes:
        if not report.exists():
            continue
        for line in report.read_text().splitlines():
            finished = json.loads(line).get("ScenarioFinished")
            if not finished:
                continue
            recorder = finished["recorder"]
            for interaction in recorder.get("interactions", {}).values():
                status = (interaction.get("response") or {}).get("status_code", "no response")
                calls += 1
                by_phase[finished["phase"]] += 1
                statuses[status] += 1
                per_operation[recorder["label"]][status] += 1
            for results in recorder.get("checks", {}).values():
                failures.update(result["name"] for result in results if result["status"] == "failure")
    operations = [label for label in per_operation if label != "Stateful tests"]
    reached = [label for label in operations if any(isinstance(s, int) and 200 <= s < 300 for s in per_operation[label])]
    lines = [
        f"API operations tested: {len(operations)}, of which {len(reached)} answered 2xx at least once",
        f"Calls made: {calls} ({', '.join(f'{phase} {n}' for phase, n in sorted(by_phase.items()))})",
        f"Statuses: {', '.join(f'{status}: {n}' for status, n in sorted(statuses.items(), key=lambda item: str(item[0])))}",
        f"Check failures: {sum(failures.values())}" + (f" ({', '.join(f'{name}: {n}' for name, n in failures.most_common())})" if failures else ""),
        f"Passes: {'; '.join(f'as {username}, ' + (f'operations matching {only}' if only else 'every operation') for username, only, _, _ in passes)}",
        f"Phases: {PHASES}; max examples per operation: {MAX_EXAMPLES}; seed: {SEED}",
        *[f"Check left out: {name} ({why})" for name, why in CHECKS_LEFT_OUT.items()],
    ]
    for username, _, run, _ in passes:
        start = run.stdout.find("= SUMMARY =")
        if start != -1:
            lines += ["", f"schemathesis, as {username}, says:", *run.stdout[run.stdout.rfind("\n", 0, start) + 1:].rstrip().splitlines()]
    return lines
