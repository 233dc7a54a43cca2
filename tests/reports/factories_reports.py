"""Factories for the reports tests: cases in bulk through the import service, and the plan through its services."""

import os
import re
import shutil
import subprocess
from datetime import date

import pytest

from audit.services import Actor
from casework.imports import COLUMNS
from casework.services.imports import cases_import
from reports.models import Measure
from reports.quarters import Quarter
from reports.services import plan

PDFTOTEXT = shutil.which("pdftotext")


def import_cases(*, partnership, rows: list[dict]) -> list[str]:
    """Import cases given as dicts of the import's columns (opened_on, referred_to_group_on… as dates)."""
    lines = [",".join(COLUMNS)]
    for row in rows:
        values = {"category": "nuisance", "kind": "neighbour-noise", "subject_type": "individual", "lead_agency": "ecdc", "summary": "Noise", **row}
        lines.append(",".join(v.isoformat() if isinstance(v, date) else str(v) for v in (values.get(column, "") for column in COLUMNS)))
    result = cases_import(actor=Actor.system(), partnership=partnership, data=("\n".join(lines) + "\n").encode(), source_name="test.csv")
    assert result.ok, result.errors
    return result.created


def referred_cases(*, on: date, subject: str = "individual", count: int = 1, **row) -> list[dict]:
    """`count` cases opened ten days before they went to the group on `on`."""
    from datetime import timedelta

    return [{"opened_on": on - timedelta(days=10), "referred_to_group_on": on, "subject_type": subject, **row} for _ in range(count)]


def make_priority(*, partnership, number=4, title="Anti-social behaviour", lead_officer_name="Insp Chris Savage", **fields):
    return plan.priority_create(
        actor=Actor.system(), partnership=partnership, number=number, title=title, task_group=fields.pop("task_group", "ASB Task Group"),
        lead_officer_name=lead_officer_name, shows_group_stats=fields.pop("shows_group_stats", True), **fields,
    )


def make_measure(*, priority, name="Dwelling burglary", source=Measure.Source.ENTERED, direction=Measure.Direction.LOWER_IS_BETTER,
                 baseline_year=2008, tolerance_percent=5, unit="offences", **fields):
    return plan.measure_create(
        actor=Actor.system(), priority=priority, name=name, source=source, direction=direction, baseline_year=baseline_year,
        tolerance_percent=tolerance_percent, unit=unit, **fields,
    )


def enter_values(*, measure, number: int, values: dict[int, int]) -> None:
    for year, value in values.items():
        plan.measure_value_save(actor=Actor.system(), measure=measure, quarter=Quarter(year, number), value=value)


def pdf_text(data: bytes, *, layout: bool = False) -> str:
    """The PDF's text in reading order, by poppler's pdftotext. Skipped (with the reason) where poppler is missing,
    unless REQUIRE_BROWSER=1 or CI=true says the check must run."""
    if not PDFTOTEXT:
        message = "pdftotext (poppler-utils) is not installed, so the PDF's text cannot be read back"
        if os.environ.get("REQUIRE_BROWSER") == "1" or os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    done = subprocess.run([PDFTOTEXT, "-enc", "UTF-8", *(["-layout"] if layout else []), "-", "-"], input=data, capture_output=True, check=True)
    return done.stdout.decode()


def says(text: str, phrase: str) -> bool:
    """Whether `phrase` is in the text as written (whitespace-insensitive), not as the tail of a longer number."""
    pattern = r"(?<![\d.])" + r"\s+".join(re.escape(word) for word in phrase.split())
    return re.search(pattern, text) is not None


def side_by_side(layout_text: str, left_marker: str, right_marker: str, lines: int = 6) -> tuple[str, str]:
    """The two columns of a two-column box in pdftotext's layout output, from the line holding both markers."""
    rows = layout_text.splitlines()
    start = next(n for n, row in enumerate(rows) if left_marker in row and right_marker in row)
    split = rows[start].index(right_marker)
    split = rows[start].rindex("  ", 0, split) + 2  # back to the start of the right column's first word (its number)
    block = rows[start:start + lines]
    return "\n".join(row[:split] for row in block), "\n".join(row[split:] for row in block)
