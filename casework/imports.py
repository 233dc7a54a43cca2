"""Reading a CSV of existing cases: every row checked before anything is written.

Columns, by header name: reference, category, kind, subject_type, opened_on, referred_to_group_on, closed_on,
lead_agency, status, risk_level, summary, postcode. Only category, subject_type, opened_on, lead_agency and summary
must have values; the other columns may be absent or blank.
"""

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from agencies.models import Agency, Partnership
from casework.models import AsbCategory, AsbKind, Case
from casework.postcodes import postcode_is_valid, postcode_normalise
from casework.services.cases import opened_on_problem

COLUMNS = (
    "reference", "category", "kind", "subject_type", "opened_on", "referred_to_group_on", "closed_on",
    "lead_agency", "status", "risk_level", "summary", "postcode",
)
REQUIRED_COLUMNS = ("category", "subject_type", "opened_on", "lead_agency", "summary")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
REFERENCE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,23}$")
OTHER_FORM = re.compile(r"^([A-Z]{2,6})-\d{4}-\d+$")  # a partnership's own form of reference, ECAM-2026-0042
MAX_ROWS = 100_000
# The largest number a reference of the partnership's own form may carry: the reference counter moves past it, and
# must still be able to count on.
MAX_REFERENCE_NUMBER = 999_999
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


def formula_guard(text: str) -> str:
    """A cell a spreadsheet would run as a formula gets an apostrophe in front. Text that already starts with
    apostrophes before a formula character gets one more, so that formula_unguard gives back exactly what was written."""
    return f"'{text}" if text.lstrip("'")[:1] in FORMULA_STARTS else text


def formula_unguard(text: str) -> str:
    """The inverse of formula_guard: one apostrophe is taken off text that is apostrophes then a formula character."""
    return text[1:] if text[:1] == "'" and text.lstrip("'")[:1] in FORMULA_STARTS else text


def _csv_problem(error: csv.Error) -> str:
    """The csv module's complaint, in words for the person who saved the file."""
    message = str(error)
    if "field larger than field limit" in message:
        return f"A value is longer than {csv.field_size_limit():,} characters (check for a double quote that is never closed)."
    if "expected after" in message or "unexpected end of data" in message:
        return "A double quote is not closed, or text follows a closing quote: put quotes only around a whole value, and double any quote inside it."
    return f"The file cannot be read as CSV ({message})."


class _Records:
    """The file's records, each with the line it starts on. Blank lines are skipped, a value may run over several
    lines, and the line is the one a text editor shows, so that every error points at the right place."""

    def __init__(self, text: str):
        self._reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        self.error: RowError | None = None

    def __iter__(self):
        ended = 0  # the last line of the previous record
        while True:
            try:
                values = next(self._reader)
            except StopIteration:
                return
            except csv.Error as exc:
                self.error = RowError(ended + 1, "file", _csv_problem(exc))
                return
            start, ended = ended + 1, self._reader.line_num
            if values:
                yield start, values


def _listed(names, limit: int = 10) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _header_errors(headers: list[str], line: int) -> list[RowError]:
    errors = []
    counts = Counter(headers)
    unnamed = [str(i) for i, h in enumerate(headers, start=1) if not h]
    repeated = sorted(h for h, n in counts.items() if h and n > 1)
    unknown = [h for h in counts if h and h not in COLUMNS]
    missing = [c for c in REQUIRED_COLUMNS if c not in counts]
    if unnamed:
        errors.append(RowError(line, "header", f"Column(s) {_listed(unnamed)} have no name: name them or delete them."))
    if repeated:
        errors.append(RowError(line, "header", f"Column(s) named twice: {_listed(repeated)}."))
    if unknown:
        errors.append(RowError(line, "header", f"Unknown column(s): {_listed(unknown)}. Known: {', '.join(COLUMNS)}."))
    if missing:
        errors.append(RowError(line, "header", f"Missing column(s): {', '.join(missing)}."))
    return errors


def _by_name(objects, *, key: str, alias: str) -> tuple[dict, set]:
    """Objects by their key (a slug) or alias (a short name or name), either in any case. A key always means its own
    object; an alias that is another object's key, or two objects' alias, is ambiguous and means neither."""
    found, ambiguous = {}, set()
    for obj in objects:
        found[getattr(obj, key).lower()] = obj
    aliases: dict = {}
    for obj in objects:
        name = getattr(obj, alias).lower()
        if name in found and found[name] != obj:
            continue  # another object's key: the key wins
        if name in aliases and aliases[name] != obj:
            ambiguous.add(name)
        aliases[name] = obj
    for name, obj in aliases.items():
        if name not in ambiguous:
            found.setdefault(name, obj)
    return found, ambiguous


def parse_cases_csv(data: bytes, *, partnership, today: date) -> ParsedImport:
    """Check every row of the file; return the rows ready to apply and every error found (line, column, reason)."""
    try:
        text = _decode(data)
    except ValueError as exc:
        return ParsedImport([], [RowError(1, "file", str(exc))])
    records = _Records(text)
    lines = iter(records)
    first = next(lines, None)
    if first is None:
        return ParsedImport([], [records.error or RowError(1, "file", "The file is empty: the first line must name the columns.")])
    header_line, raw_headers = first
    headers = [h.strip().lower() for h in raw_headers]
    errors = _header_errors(headers, header_line)
    if errors:
        return ParsedImport([], errors)

    agencies, ambiguous_agencies = _by_name(list(Agency.objects.filter(partnerships=partnership)), key="slug", alias="short_name")
    kinds, _ = _by_name(list(AsbKind.objects.all()), key="slug", alias="name")
    existing = dict(Case.objects.filter(partnership=partnership).values_list("reference", "pk"))
    own_reference = re.compile(rf"^{re.escape(partnership.short_code)}-\d{{4}}-(\d+)$")
    elsewhere = set()
    rows: list[ImportRow] = []
    seen_references: dict[str, int] = {}

    for index, (line, values_in_order) in enumerate(lines):
        if index >= MAX_ROWS:
            errors.append(RowError(line, "file", f"More than {MAX_ROWS} rows: split the file."))
            break
        if len(values_in_order) > len(headers):
            errors.append(RowError(line, "row", "More values than columns (check for an unquoted comma)."))
            continue
        cell = {key: value.strip() for key, value in zip(headers, values_in_order)}
        if not any(cell.values()):
            continue
        row_errors: list[RowError] = []

        def fail(column, reason):
            row_errors.append(RowError(line, column, reason))

        for column, value in cell.items():
            if "\x00" in value:
                fail(column, "Contains a NUL character, which is not text: the file may be damaged.")
        if row_errors:
            errors.extend(row_errors)
            continue

        values: dict = {}
        reference = cell.get("reference", "").upper()
        if reference:
            own = own_reference.match(reference)
            if not REFERENCE_PATTERN.match(reference):
                fail("reference", "Use capital letters, digits and hyphens only, at most 24 characters.")
            elif reference in seen_references:
                fail("reference", f"Also on line {seen_references[reference]}: each case once per file.")
            elif own and int(own.group(1)) > MAX_REFERENCE_NUMBER:
                fail("reference", f"The number after the year is at most {MAX_REFERENCE_NUMBER}.")
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
            if column == "opened_on" and (problem := opened_on_problem(values[column], today=today)):
                fail(column, problem)
            elif values[column] > today:
                fail(column, "The date is in the future.")
        opened = values.get("opened_on")
        for column in ("referred_to_group_on", "closed_on"):
            if opened and values.get(column) and values[column] < opened:
                fail(column, "The date is before the case was opened.")

        lead_raw = cell.get("lead_agency", "")
        lead = agencies.get(lead_raw.lower())
        if lead_raw.lower() in ambiguous_agencies:
            fail("lead_agency", f"“{lead_raw}” is the short name of more than one agency: give the agency’s slug.")
        elif lead is None:
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

        summary = formula_unguard(cell.get("summary", ""))  # our own export guards formula-like text
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

    if records.error:
        errors.append(records.error)
    if elsewhere:
        taken = dict(Case.objects.filter(reference__in=elsewhere).exclude(partnership=partnership).values_list("reference", "partnership__name"))
        other_codes = dict(Partnership.objects.exclude(pk=partnership.pk).values_list("short_code", "name"))
        for row in rows:
            if row.reference in taken:
                errors.append(RowError(row.line, "reference", f"{row.reference} belongs to a case of {taken[row.reference]}."))
            elif row.reference in elsewhere and (theirs := OTHER_FORM.match(row.reference)) and theirs.group(1) in other_codes:
                # That partnership's counter would hand out the same reference to a new case of its own one day.
                errors.append(RowError(row.line, "reference", f"{row.reference} is in the form of {other_codes[theirs.group(1)]}’s references: leave it blank and the case is given one of this partnership’s."))
    if not rows and not errors:
        errors.append(RowError(header_line + 1, "file", "The file has no rows of cases."))
    errors.sort(key=lambda e: (e.line, COLUMNS.index(e.column) if e.column in COLUMNS else -1))
    return ParsedImport(rows, errors)
