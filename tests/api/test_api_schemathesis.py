"""A schemathesis run over the whole API, as CI runs it: every operation in the OpenAPI schema that /api/schema/ serves,
called over HTTP on a live server, as a council caseworker with a personal API token, with the demo data loaded.

It fails on any server error (5xx), any status the operation does not declare, any response body that breaks the
declared schema or content type, invalid input that is accepted, an unsupported method not answered 405, and the
other checks schemathesis runs by default (two are left out, for the reasons in CHECKS_LEFT_OUT). Whatever the outcome, its summary
(operations tested, calls made, statuses, failures) is printed at the end of the pytest run (see tests/api/conftest.py).

The run's size is bounded by MAX_EXAMPLES per operation in the fuzzing phase; the coverage phase adds a fixed set of
boundary and wrong-type inputs per operation, and the stateful phase follows the links schemathesis infers. The seed
is fixed, so a failure is repeatable; SCHEMATHESIS_SEED=<n> runs another one.
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
from rest_framework.throttling import SimpleRateThrottle

from agencies.models import Agency, Membership
from casework import permissions
from casework.models import Action, AsbKind, Case, CasePerson, CaseReviewRequest, Document, Intervention, RiskQuestion
from meetings.models import Meeting
from referrals.models import Referral
from tests.agencies.factories_security import token_request
from tests.api.conftest import SCHEMATHESIS_SUMMARY

PASSWORD = "schemathesis-demo-1"
CASEWORKER = "council-caseworker"
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


def test_schemathesis_run_finds_no_server_error_and_no_response_that_breaks_the_schema(live_server, tmp_path, monkeypatch):
    # The throttles (tested in tests/agencies and tests/test_config.py) would otherwise answer most of the run with
    # 429s: that is a test of the throttle, not of the operations. 429 is declared on every operation all the same.
    for scope in ("user", "anon", "token_obtain"):
        monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, scope, "100000/minute")

    call_command("seed_demo", "--password", PASSWORD, stdout=open(os.devnull, "w"))
    user = get_user_model().objects.get(username=CASEWORKER)
    token = _token_through_the_api(user)
    membership_id, dictionaries, operations = _real_values(user)

    config = tmp_path / "schemathesis.toml"
    config.write_text(_config(token=token, membership_id=membership_id, dictionaries=dictionaries, operations=operations))
    report = tmp_path / "schemathesis.ndjson"
    command = [
        sys.executable, "-m", "schemathesis.cli", "--config-file", str(config), "--no-color",
        "run", f"{live_server.url}/api/schema/?format=json",
        "--phases", PHASES, "--report", "ndjson", "--report-ndjson-path", str(report),
    ]
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120"}
    run = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT, stdin=subprocess.DEVNULL)

    SCHEMATHESIS_SUMMARY.extend(_summary(run.stdout, report))
    assert run.returncode == 0, f"schemathesis exited {run.returncode}:\n{run.stdout[-40000:]}\n{run.stderr[-5000:]}"


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


def _real_values(user) -> tuple[int, dict, list]:
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
    ]
    for regex, parameter, model in CASE_OBJECTS:
        objects = model.objects.filter(case__in=led)
        case = led.filter(pk__in=objects.values("case")).annotate(n=Count("id")).order_by("-n", "id").first() if objects.exists() else None
        assert case is not None, f"the demo data has no {model.__name__} on a case that {agency} leads"
        name = model._meta.model_name
        dictionaries[f"{name}_case"] = [case.reference]
        dictionaries[f"{name}_ids"] = _ids(objects.filter(case=case))
        operations.append((regex, {"path.reference": f"{name}_case", f"path.{parameter}": f"{name}_ids"}))
    empty = [name for name, found in dictionaries.items() if not found]
    assert not empty, f"the demo data has none of: {empty}"
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
        f'"path.reference" = {_binding("references")}',
        *[f'"{key}" = {_binding(name)}' for key, name in BODY_FIELDS.items()],
    ]
    for regex, parameters in operations:
        bound = ", ".join(f'"{key}" = {_binding(name)}' for key, name in parameters.items())
        lines += ["", "[[operations]]", f"include-path-regex = {_toml(regex)}", f"parameters = {{ {bound} }}"]
    return "\n".join(lines) + "\n"


def _summary(stdout: str, report: Path) -> list[str]:
    """What the run did, from its NDJSON report, and schemathesis's own summary."""
    calls, by_phase, statuses, failures = 0, Counter(), Counter(), Counter()
    per_operation = defaultdict(Counter)
    if report.exists():
        for line in report.read_text().splitlines():
            event = json.loads(line)
            finished = event.get("ScenarioFinished")
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
    reached = [label for label in operations if any(200 <= s < 300 for s in per_operation[label] if isinstance(s, int))]
    lines = [
        f"API operations tested: {len(operations)}, of which {len(reached)} answered 2xx at least once",
        f"Calls made: {calls} ({', '.join(f'{phase} {n}' for phase, n in sorted(by_phase.items()))})",
        f"Statuses: {', '.join(f'{status}: {n}' for status, n in sorted(statuses.items(), key=lambda item: str(item[0])))}",
        f"Check failures: {sum(failures.values())}" + (f" ({', '.join(f'{name}: {n}' for name, n in failures.most_common())})" if failures else ""),
        f"Phases: {PHASES}; max examples per operation: {MAX_EXAMPLES}; seed: {SEED}",
        *[f"Check left out: {name} ({why})" for name, why in CHECKS_LEFT_OUT.items()],
    ]
    start = stdout.find("= SUMMARY =")
    if start != -1:
        lines += ["", "schemathesis says:", *stdout[stdout.rfind("\n", 0, start) + 1:].rstrip().splitlines()]
    return lines
