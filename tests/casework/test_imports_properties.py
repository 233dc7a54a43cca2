"""Properties of the CSV import (casework/imports.py and the service, command and page that use it), by Hypothesis.

- Whatever the bytes, parse_cases_csv returns rows or its own errors (a line, a column and a reason): it never raises.
- Every bad row is reported at the line of the file where it starts, in the column that is wrong, and only there.
- A file of well-formed rows parses to exactly those rows; an import exported again and re-imported changes nothing.
- A file with one bad row writes nothing at all.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from agencies.models import Agency, Membership
from audit.models import AuditEvent
from audit.services import Actor
from casework.exports import cases_csv_lines
from casework.imports import COLUMNS, MAX_REFERENCE_NUMBER, REQUIRED_COLUMNS, formula_guard, parse_cases_csv
from casework.models import AsbCategory, AsbKind, Case, CaseAccess, CaseReferenceCounter
from casework.services.imports import cases_import
from tests.agencies.factories import make_member
from tests.properties import DB_READS, db_writes, rolled_back

TODAY = date(2026, 5, 1)
LATEST = date(2025, 12, 31)  # every generated date is in the past, whatever day the suite runs
LINE_BREAK = re.compile(r"\r\n|\r|\n")  # what the csv module (and so the parser) counts as the end of a line
OPTIONAL_COLUMNS = [c for c in COLUMNS if c not in REQUIRED_COLUMNS]
ERROR_COLUMNS = {*COLUMNS, "file", "header", "row"}


# --- Well-formed rows --------------------------------------------------------------------------------------------------

@dataclass
class World:
    """What a row may name: the partnership's agencies and the catalogue's kinds, read once per test."""

    short_code: str
    agencies: list = field(default_factory=list)
    kinds: list = field(default_factory=list)


def world_of(partnership) -> World:
    return World(
        short_code=partnership.short_code,
        agencies=list(Agency.objects.filter(partnerships=partnership).order_by("pk")),
        kinds=list(AsbKind.objects.order_by("pk")),
    )


@dataclass
class GeneratedRow:
    cells: dict  # column -> the text written in the file
    expected: dict  # column -> the value the parser should give
    reference: str = ""


def _spelled(draw, text: str) -> str:
    """The same value as a person might type it: any case, spaces around it."""
    cased = draw(st.sampled_from([text, text.lower(), text.upper()]))
    return draw(st.sampled_from(["", " ", "  "])) + cased + draw(st.sampled_from(["", " ", "\t"]))


def _date_cell(draw, day: date) -> str:
    return draw(st.sampled_from([day.isoformat(), day.strftime("%d/%m/%Y")]))


# A summary a caseworker could have typed: any text but NUL and surrogates, nothing to strip, at most 300 characters.
summaries = (
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), min_size=1, max_size=300)
    .filter(lambda s: s.strip() == s and s != "")
)
# Spreadsheet formulas and the apostrophe that guards them, which the exporter and importer treat specially.
tricky_summaries = st.tuples(st.sampled_from(["", "'", "''"]), st.sampled_from("=+-@'x"), summaries).map(lambda t: (t[0] + t[1] + t[2])[:300].strip()).filter(bool)
postcodes = st.one_of(
    st.just("GIR 0AA"),
    st.tuples(st.from_regex(r"[A-Z]{1,2}[0-9][A-Z0-9]?", fullmatch=True), st.from_regex(r"[0-9][A-Z]{2}", fullmatch=True)).map(" ".join),
)


@st.composite
def references(draw, short_code: str) -> str:
    """Blank (the import numbers the case), one of the partnership's own form, or a legacy system's."""
    return draw(st.one_of(
        st.just(""),
        st.builds(lambda y, n: f"{short_code}-{y}-{n:04d}", st.integers(2000, 2025), st.integers(1, MAX_REFERENCE_NUMBER)),
        st.from_regex(r"[A-Z0-9][A-Z0-9-]{0,23}", fullmatch=True),
    ))


@st.composite
def good_rows(draw, world: World) -> GeneratedRow:
    cells, expected = {}, {}
    reference = draw(references(world.short_code))
    cells["reference"], expected["reference"] = _spelled(draw, reference) if reference else "", reference

    kind = draw(st.none() | st.sampled_from(world.kinds))
    category = kind.category if kind else draw(st.sampled_from(AsbCategory.values))
    cells["category"], expected["category"] = _spelled(draw, category), category
    cells["kind"] = _spelled(draw, draw(st.sampled_from([kind.slug, kind.name]))) if kind else ""
    expected["kind"] = kind

    subject_type = draw(st.sampled_from(Case.SubjectType.values))
    cells["subject_type"], expected["subject_type"] = _spelled(draw, subject_type), subject_type

    opened = draw(st.dates(date(2000, 1, 1), LATEST))
    referred = draw(st.none() | st.dates(opened, LATEST))
    closed = draw(st.none() | st.dates(opened, LATEST))
    for column, day in (("opened_on", opened), ("referred_to_group_on", referred), ("closed_on", closed)):
        cells[column], expected[column] = (_date_cell(draw, day) if day else ""), day

    lead = draw(st.sampled_from(world.agencies))
    cells["lead_agency"], expected["lead_agency"] = _spelled(draw, draw(st.sampled_from([lead.slug, lead.short_name]))), lead

    if closed:
        status = draw(st.sampled_from(["closed", ""]))
    else:
        status = draw(st.sampled_from([s for s in Case.Status.values if s != "closed"] + [""]))
    cells["status"] = _spelled(draw, status) if status else ""
    expected["status"] = status or ("closed" if closed else "open")

    risk = draw(st.sampled_from([*Case.RiskLevel.values, ""]))
    cells["risk_level"], expected["risk_level"] = (_spelled(draw, risk) if risk else ""), risk or "not_assessed"

    summary = draw(st.one_of(summaries, tricky_summaries))
    cells["summary"], expected["summary"] = formula_guard(summary), summary  # written as the exporter writes it

    postcode = draw(st.none() | postcodes)
    if postcode:
        spelled = postcode if draw(st.booleans()) else postcode.replace(" ", "")
        cells["postcode"] = _spelled(draw, spelled)
    else:
        cells["postcode"] = ""
    expected["postcode"] = postcode or ""
    return GeneratedRow(cells=cells, expected=expected, reference=reference)


def unique_references(rows: list[GeneratedRow]) -> list[GeneratedRow]:
    """Each reference once per file (a repeat is an error of its own, tested elsewhere): later repeats become blank."""
    seen = set()
    for row in rows:
        if row.reference and row.reference in seen:
            row.reference = row.cells["reference"] = row.expected["reference"] = ""
        seen.add(row.reference)
    return rows


@dataclass
class GeneratedFile:
    data: bytes
    lines: list[int]  # the line each row starts on, in order
    columns: list[str]


@st.composite
def files_of(draw, rows: list[GeneratedRow], *, must_have=()) -> GeneratedFile:
    """The rows as a file a spreadsheet (or a person) might save: columns in any order and case, optional columns left
    out when no row uses them, any line ending, blank lines between rows, a byte order mark, UTF-8 or Windows-1252."""
    used = {c for row in rows for c in OPTIONAL_COLUMNS if row.cells.get(c)}
    optional = [c for c in OPTIONAL_COLUMNS if c in used or c in must_have or draw(st.booleans())]
    columns = draw(st.permutations([*REQUIRED_COLUMNS, *optional]))
    newline = draw(st.sampled_from(["\r\n", "\n", "\r"]))

    def record(values) -> str:
        out = io.StringIO()
        csv.writer(out).writerow(values)  # quotes any value with a comma, a quote or a line break in it
        return out.getvalue()[: -len("\r\n")]

    header = [_spelled(draw, c) for c in columns]
    text = record(header) + newline
    lines = []
    for row in rows:
        text += newline * draw(st.integers(0, 2))  # blank lines are skipped, but they still count as lines
        lines.append(len(LINE_BREAK.findall(text)) + 1)
        text += record([row.cells.get(c, "") for c in columns]) + newline
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    try:
        data = text.encode(encoding)
        if encoding == "cp1252" and _is_utf8(data) and data.decode("utf-8") != text:
            data = text.encode("utf-8")  # Windows-1252 bytes that happen to be valid UTF-8 can only be read as UTF-8
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    return GeneratedFile(data=data, lines=lines, columns=columns)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def parsed_values(row) -> dict:
    return {"reference": row.reference, **row.values}


# --- Bad cells: each makes exactly one error, in its own column ---------------------------------------------------------

CORRUPTIONS = {
    "reference": ["bad ref!", "X" * 25, "-ABC"],
    "category": ["weather", "nuisance!"],
    "kind": ["no-such-kind"],
    "subject_type": ["robot", ""],
    "opened_on": ["31/02/2024", "2024-13-01", "yesterday", "", "2099-01-01"],
    "lead_agency": ["nobody", ""],
    "status": ["pending"],
    "risk_level": ["extreme"],
    "summary": ["", "x" * 301],
    "postcode": ["ZZ", "12345", "CB7"],
}


@st.composite
def corruptions(draw):
    column = draw(st.sampled_from(sorted(CORRUPTIONS)))
    return column, draw(st.sampled_from(CORRUPTIONS[column]))


def corrupt(row: GeneratedRow, column: str, value: str) -> GeneratedRow:
    cells = {**row.cells, column: value}
    if column == "opened_on" and value in ("", "2099-01-01"):
        # A blank or future opening date is the only error only if no other date of the row compares with it.
        cells["referred_to_group_on"] = cells["closed_on"] = ""
        if cells.get("status", "").strip().lower() == "closed":
            cells["status"] = ""
    if not any(v.strip() for k, v in cells.items() if k != column) and not value:
        cells["summary"] = "x"  # a row left entirely blank is skipped, not an error
    return GeneratedRow(cells=cells, expected=row.expected, reference=row.reference)


# --- The parser on anything ---------------------------------------------------------------------------------------------

cell_junk = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", '"', '""', '"a,b"', "a\"b", ",", "\r", "\n", "\r\n", "\x00", "\ufeff", "'=1+1", "é", "\u2028", "NaN", "0", "-1", "9" * 30]),
    st.sampled_from([*COLUMNS, *AsbCategory.values, *Case.SubjectType.values, *Case.Status.values, *Case.RiskLevel.values]),
    st.sampled_from(["2026-01-05", "05/01/2026", "0001-01-01", "9999-12-31", "31/12/9999", "2026-02-30", "CB7 4AB", "ecdc", "Police", "neighbour-noise"]),
    st.just("x" * 140_000),  # past the csv module's field limit (131,072 characters)
    st.just("y" * 70_000),
)


@st.composite
def csvish_text(draw) -> str:
    """Text shaped like a CSV file, with anything in the cells: quotes left open, stray commas, odd line endings."""
    header = draw(st.lists(st.one_of(st.sampled_from(COLUMNS), st.text(max_size=12)), min_size=0, max_size=14))
    if draw(st.booleans()):
        header = [*REQUIRED_COLUMNS, *header]
    rows = draw(st.lists(st.lists(cell_junk, max_size=15), max_size=6))
    separator = draw(st.sampled_from(["\r\n", "\n", "\r", "\n\n"]))
    quote = draw(st.booleans())

    def cell(value):
        return '"' + value.replace('"', '""') + '"' if quote and draw(st.booleans()) else value

    text = separator.join(",".join(cell(v) for v in line) for line in [header, *rows])
    return draw(st.sampled_from(["", "\ufeff"])) + text + draw(st.sampled_from(["", separator]))


def encoded(text_strategy):
    return st.tuples(text_strategy, st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"])).map(
        lambda pair: pair[0].encode(pair[1], errors="replace")
    )


any_bytes = st.one_of(st.binary(max_size=600), encoded(st.text(max_size=300)), encoded(csvish_text()))


def assert_clean(parsed, data: bytes):
    """The parser's answer is rows or errors, each error a line of the file, a column and a sentence."""
    physical_lines = len(LINE_BREAK.findall(data.decode("utf-8", errors="replace"))) + 1
    assert parsed.ok == (not parsed.errors)
    if parsed.ok:
        assert parsed.rows, "a file that is accepted has rows to import"
    for error in parsed.errors:
        assert isinstance(error.line, int) and 1 <= error.line <= physical_lines + 1, error
        assert error.column in ERROR_COLUMNS, error
        assert isinstance(error.reason, str) and error.reason.strip(), error
        assert str(error).startswith(f"Line {error.line}, {error.column}: ")
    for row in parsed.rows:
        assert 2 <= row.line <= physical_lines


@DB_READS
@given(data=any_bytes)
def test_any_bytes_give_rows_or_clean_errors_never_an_exception(partnership, police, council, data):
    assert_clean(parse_cases_csv(data, partnership=partnership, today=TODAY), data)


# --- Well-formed files --------------------------------------------------------------------------------------------------

@DB_READS
@given(st.data())
def test_a_well_formed_file_parses_to_exactly_its_rows(partnership, police, council, housing, data):
    world = world_of(partnership)
    rows = unique_references(data.draw(st.lists(good_rows(world), min_size=1, max_size=6), label="rows"))
    generated = data.draw(files_of(rows), label="file")
    parsed = parse_cases_csv(generated.data, partnership=partnership, today=TODAY)
    assert parsed.errors == []
    assert [row.line for row in parsed.rows] == generated.lines
    assert [parsed_values(row) for row in parsed.rows] == [row.expected for row in rows]


@DB_READS
@given(st.data())
def test_every_bad_row_is_reported_at_its_line_and_column_and_nowhere_else(partnership, police, council, data):
    world = world_of(partnership)
    rows = unique_references(data.draw(st.lists(good_rows(world), min_size=1, max_size=6), label="rows"))
    bad = data.draw(st.dictionaries(st.integers(0, len(rows) - 1), corruptions(), min_size=1), label="bad cells")
    rows = [corrupt(row, *bad[i]) if i in bad else row for i, row in enumerate(rows)]
    generated = data.draw(files_of(rows, must_have=[column for column, _ in bad.values()]), label="file")
    parsed = parse_cases_csv(generated.data, partnership=partnership, today=TODAY)
    expected = {(generated.lines[i], column) for i, (column, _) in bad.items()}
    assert {(e.line, e.column) for e in parsed.errors} == expected
    assert all(e.reason.strip() for e in parsed.errors)
    assert [row.line for row in parsed.rows] == [line for i, line in enumerate(generated.lines) if i not in bad]


# --- Through the database: the service, the exporter, the command and the page -----------------------------------------

def _import(partnership, data: bytes, **kwargs):
    return cases_import(actor=Actor.system(), partnership=partnership, data=data, source_name="generated.csv", **kwargs)


def _snapshot(partnership) -> dict:
    """Everything an import writes, to show that a refused import wrote nothing."""
    return {
        "cases": sorted(Case.objects.values_list("reference", "summary", "status", "lead_agency_id", "version")),
        "audit": AuditEvent.objects.count(),
        "access": CaseAccess.objects.count(),
        "counters": sorted(CaseReferenceCounter.objects.values_list("partnership_id", "year", "last_number")),
    }


def _case_values(case: Case) -> dict:
    return {name: getattr(case, name) for name in ("reference", "category", "kind", "subject_type", "opened_on", "referred_to_group_on",
                                                   "closed_on", "lead_agency", "status", "risk_level", "summary", "postcode")}


@db_writes(25)
@given(st.data())
def test_imported_cases_export_and_import_again_unchanged(partnership, police, council, housing, data):
    world = world_of(partnership)
    rows = unique_references(data.draw(st.lists(good_rows(world), min_size=1, max_size=5), label="rows"))
    generated = data.draw(files_of(rows), label="file")
    with rolled_back():
        result = _import(partnership, generated.data)
        assert result.ok, result.errors
        assert len(result.created) == len(rows)
        cases = Case.objects.filter(partnership=partnership).select_related("lead_agency", "kind").order_by("pk")
        for case, row in zip(cases, rows, strict=True):
            assert _case_values(case) == {**row.expected, "reference": row.reference or case.reference}
        exported = "".join(cases_csv_lines(cases)).encode()
        parsed = parse_cases_csv(exported, partnership=partnership, today=TODAY)
        assert parsed.errors == []
        assert [parsed_values(row) for row in parsed.rows] == [_case_values(case) for case in cases]
        before = _snapshot(partnership)
        again = _import(partnership, exported)
        assert again.ok and sorted(again.unchanged) == sorted(c.reference for c in cases) and not again.created and not again.updated
        assert _snapshot(partnership) == before


@db_writes(15)
@given(st.data())
def test_importing_changed_rows_again_updates_the_cases_to_them(partnership, police, council, housing, data):
    world = world_of(partnership)
    first = unique_references(data.draw(st.lists(good_rows(world), min_size=1, max_size=4), label="first"))
    with rolled_back():
        assert _import(partnership, data.draw(files_of(first), label="first file").data).ok
        cases = list(Case.objects.filter(partnership=partnership).order_by("pk"))
        second = [data.draw(good_rows(world), label="changed row") for _ in cases]
        for case, row in zip(cases, second, strict=True):
            row.reference = row.cells["reference"] = row.expected["reference"] = case.reference
        result = _import(partnership, data.draw(files_of(second), label="second file").data)
        assert result.ok, result.errors
        assert not result.created
        for case, row in zip(cases, second, strict=True):
            case.refresh_from_db()
            assert _case_values(case) == row.expected


@db_writes(20)
@given(st.data())
def test_a_file_with_one_bad_row_writes_nothing(partnership, police, council, housing, data):
    world = world_of(partnership)
    rows = unique_references(data.draw(st.lists(good_rows(world), min_size=1, max_size=6), label="rows"))
    position = data.draw(st.integers(0, len(rows) - 1), label="the row to spoil")
    rows[position] = corrupt(rows[position], *data.draw(corruptions(), label="bad cell"))
    generated = data.draw(files_of(rows, must_have=CORRUPTIONS), label="file")
    with rolled_back():
        before = _snapshot(partnership)
        result = _import(partnership, generated.data)
        assert not result.ok and result.errors
        assert {e.line for e in result.errors} == {generated.lines[position]}
        assert _snapshot(partnership) == before


@pytest.fixture
def coordinator_client(client, council, partnership):
    client.force_login(make_member(agency=council, partnership=partnership, role=Membership.Role.COORDINATOR, username="import-coordinator"))
    return client


@db_writes(15)
@given(data=any_bytes, dry_run=st.booleans())
def test_the_upload_page_answers_any_file_with_a_page_not_an_error(coordinator_client, partnership, police, council, data, dry_run):
    with rolled_back():
        before = _snapshot(partnership)
        upload = SimpleUploadedFile("anything.csv", data, content_type="text/csv")
        response = coordinator_client.post(reverse("case_import"), {"file": upload, **({"dry_run": "on"} if dry_run else {})})
        assert response.status_code == 200
        parsed = parse_cases_csv(data, partnership=partnership, today=date.today())
        if not parsed.ok or dry_run:
            assert _snapshot(partnership) == before


@db_writes(15)
@given(data=any_bytes)
def test_the_import_command_either_imports_or_says_why_not(partnership, police, council, tmp_path_factory, data):
    path = tmp_path_factory.mktemp("import") / "anything.csv"
    path.write_bytes(data)
    with rolled_back():
        before = _snapshot(partnership)
        try:
            call_command("import_cases", str(path), "--partnership", partnership.slug, stdout=io.StringIO(), stderr=io.StringIO())
        except CommandError as error:
            assert str(error).startswith("Nothing imported")
            assert _snapshot(partnership) == before
