"""Reading a CSV of existing cases: every row checked before anything is written.

Columns, by header name: reference, category, kind, subject_type, opened_on, referred_to_group_on, closed_on,
lead_agency, status, risk_level, summary, postcode. Only category, subject_type, opened_on, lead_agency and summary
must have values; the other columns may be absent or blank.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from agencies.models import Agency
from casework.models import AsbCategory, AsbKind, Case
from casework.postcodes import postcode_is_valid, postcode_normalise

COLUMNS = (
    "reference", "category", "kind", "subject_type", "opened_on", "referred_to_group_on", "closed_on",
    "lead_agency", "status", "risk_level", "summary", "postcode",
)
REQUIRED_COLUMNS = ("category", "subject_type", "opened_on", "lead_agency", "summary")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
REFERENCE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,23}$")
MAX_ROWS = 100_000
# A spreadsheet runs a cell starting with one of these as a formula; exports prefix such text with an apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class RowError:
    line: int
    column: str
    reason: str

    def __str__(self):
        return f"Line {self.line}, {self.column}: {self.reason}"


@dataclass
class ImportRow:
    line: int
    reference: str
    values: dict = field(default_factory=dict)


@dataclass
class ParsedImport:
    rows: list[ImportRow]
    errors: list[RowError]

    @property
    def ok(self) -> bool:
        return not self.errors


def normalise_postcode(raw: str) -> str | None:
    """'cb74ab' -> 'CB7 4AB'; None if it is not a UK postcode."""
    return postcode_normalise(raw) if postcode_is_valid(raw) else None


def _parse_date(raw: str) -> date:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(raw.strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError(f"“{raw}” is not a date: use YYYY-MM-DD or DD/MM/YYYY")


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise ValueError("The file is not a CSV text file (it looks binary: save the spreadsheet as CSV).")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError("The file is not text (UTF-8 or Windows-1252).")


def parse_cases_csv(data: bytes, *, partnership, today: date) -> ParsedImport:
    """Check every row of the file; return the rows ready to apply and every error found (line, column, reason)."""
    errors: list[RowError] = []
    try:
        text = _decode(data)
    except ValueError as exc:
        return ParsedImport([], [RowError(1, "file", str(exc))])
    reader = csv.DictReader(io.StringIO(text, newline=""))
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    if not headers:
        return ParsedImport([], [RowError(1, "file", "The file is empty: the first line must name the columns.")])
    reader.fieldnames = headers
    unknown = [h for h in headers if h not in COLUMNS]
    missing = [c for c in REQUIRED_COLUMNS if c not in headers]
    if unknown:
        errors.append(RowError(1, "header", f"Unknown column(s): {', '.join(unknown)}. Known: {', '.join(COLUMNS)}."))
    if missing:
        errors.append(RowError(1, "header", f"Missing column(s): {', '.join(missing)}."))
    if errors:
        return ParsedImport([], errors)

    agencies = {}
    for agency in Agency.objects.filter(partnerships=partnership):
        agencies[agency.slug.lower()] = agency
        agencies[agency.short_name.lower()] = agency
    kinds = {}
    for kind in AsbKind.objects.all():
        kinds[kind.slug.lower()] = kind
        kinds[kind.name.lower()] = kind
    existing = dict(Case.objects.filter(partnership=partnership).values_list("reference", "pk"))
    elsewhere = set()
    rows: list[ImportRow] = []
    seen_references: dict[str, int] = {}

    for index, raw in enumerate(reader):
        line = index + 2  # the header is line 1
        if index >= MAX_ROWS:
            errors.append(RowError(line, "file", f"More than {MAX_ROWS} rows: split the file."))
            break
        if None in raw:
            errors.append(RowError(line, "row", "More values than columns (check for an unquoted comma)."))
            continue
        cell = {key: (value or "").strip() for key, value in raw.items()}
        if not any(cell.values()):
            continue
        row_errors: list[RowError] = []

        def fail(column, reason):
            row_errors.append(RowError(line, column, reason))

        values: dict = {}
        reference = cell.get("reference", "").upper()
        if reference:
            if not REFERENCE_PATTERN.match(reference):
                fail("reference", "Use capital letters, digits and hyphens only, at most 24 characters.")
            elif reference in seen_references:
                fail("reference", f"Also on line {seen_references[reference]}: each case once per file.")
            else:
                seen_references[reference] = line
                if reference not in existing:
                    elsewhere.add(reference)

        category = cell.get("category", "").lower()
        if category not in AsbCategory.values:
            fail("category", f"“{cell.get('category', '')}” is not one of: {', '.join(AsbCategory.values)}.")
        values["category"] = category

        kind_raw = cell.get("kind", "")
        values["kind"] = None
        if kind_raw:
            kind = kinds.get(kind_raw.lower())
            if kind is None:
                fail("kind", f"“{kind_raw}” is not a known kind of ASB (give its name or slug).")
            elif category in AsbCategory.values and kind.category != category:
                fail("kind", f"“{kind.name}” is a {kind.get_category_display().lower()} kind, not {category}.")
            values["kind"] = kind

        subject_type = cell.get("subject_type", "").lower()
        if subject_type not in Case.SubjectType.values:
            fail("subject_type", f"“{cell.get('subject_type', '')}” is not one of: {', '.join(Case.SubjectType.values)}.")
        values["subject_type"] = subject_type

        for column in ("opened_on", "referred_to_group_on", "closed_on"):
            raw_date = cell.get(column, "")
            values[column] = None
            if not raw_date:
                if column == "opened_on":
                    fail(column, "Give the date the case was opened.")
                continue
            try:
                values[column] = _parse_date(raw_date)
            except ValueError as exc:
                fail(column, str(exc))
                continue
            if values[column] > today:
                fail(column, "The date is in the future.")
        opened = values.get("opened_on")
        for column in ("referred_to_group_on", "closed_on"):
            if opened and values.get(column) and values[column] < opened:
                fail(column, "The date is before the case was opened.")

        lead_raw = cell.get("lead_agency", "")
        lead = agencies.get(lead_raw.lower())
        if lead is None:
            fail("lead_agency", f"“{lead_raw}” is not an agency of {partnership} (give its slug or short name).")
        values["lead_agency"] = lead

        status = cell.get("status", "").lower()
        if not status:
            status = Case.Status.CLOSED if values.get("closed_on") else Case.Status.OPEN
        if status not in Case.Status.values:
            fail("status", f"“{cell.get('status', '')}” is not one of: {', '.join(Case.Status.values)}.")
        elif status == Case.Status.CLOSED and not values.get("closed_on") and not cell.get("closed_on"):
            fail("closed_on", "A closed case needs the date it was closed.")
        elif status != Case.Status.CLOSED and values.get("closed_on"):
            fail("status", f"The case has a closing date but its status is “{status}”.")
        values["status"] = status

        risk = cell.get("risk_level", "").lower() or Case.RiskLevel.NOT_ASSESSED
        if risk not in Case.RiskLevel.values:
            fail("risk_level", f"“{cell.get('risk_level', '')}” is not one of: {', '.join(Case.RiskLevel.values)}.")
        values["risk_level"] = risk

        summary = cell.get("summary", "")
        if summary[:1] == "'" and summary[1:2] in FORMULA_STARTS:
            summary = summary[1:]  # our own export guards formula-like text this way
        if not summary:
            fail("summary", "Give a short summary of the case.")
        elif len(summary) > 300:
            fail("summary", f"At most 300 characters (this has {len(summary)}).")
        values["summary"] = summary

        postcode_raw = cell.get("postcode", "")
        values["postcode"] = ""
        if postcode_raw:
            postcode = normalise_postcode(postcode_raw)
            if postcode is None:
                fail("postcode", f"“{postcode_raw}” is not a UK postcode.")
            values["postcode"] = postcode or ""

        errors.extend(row_errors)
        if not row_errors:
            rows.append(ImportRow(line=line, reference=reference, values=values))

    if elsewhere:
        taken = dict(Case.objects.filter(reference__in=elsewhere).exclude(partnership=partnership).values_list("reference", "partnership__name"))
        for row in rows[:]:
            if row.reference in taken:
                errors.append(RowError(row.line, "reference", f"{row.reference} belongs to a case of {taken[row.reference]}."))
    if not rows and not errors:
        errors.append(RowError(2, "file", "The file has no rows of cases."))
    errors.sort(key=lambda e: (e.line, COLUMNS.index(e.column) if e.column in COLUMNS else -1))
    return ParsedImport(rows, errors)
