"""Cases as CSV, in the columns the import reads, so that an export can be edited and imported again."""

import csv

from casework.imports import COLUMNS, formula_guard


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value):
        return value


def cases_csv_lines(cases):
    """The header, then one line per case. `cases` should select_related lead_agency and kind."""
    writer = csv.writer(_Echo())
    yield writer.writerow(COLUMNS)
    for case in cases.iterator(chunk_size=2000):
        yield writer.writerow([
            case.reference, case.category, case.kind.slug if case.kind else "", case.subject_type,
            case.opened_on.isoformat(), case.referred_to_group_on.isoformat() if case.referred_to_group_on else "",
            case.closed_on.isoformat() if case.closed_on else "", case.lead_agency.slug, case.status, case.risk_level,
            formula_guard(case.summary), case.postcode,
        ])

