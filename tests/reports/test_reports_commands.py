"""quarterly_report makes a report on the command line through the same service; bench_report times one."""

import io

import pytest
from django.core.management import CommandError, call_command

from reports.models import ReportRun
from tests.reports import known_data
from tests.reports.factories_reports import pdf_text, says


def test_the_command_writes_the_pdf_and_keeps_the_run_in_the_archive(partnership, police, council, pdf_storage, tmp_path):
    known_data.load(partnership=partnership)
    output = tmp_path / "report.pdf"
    out = io.StringIO()
    call_command("quarterly_report", "--partnership", "east-cambridgeshire", "--financial-year", "2010-11", "--quarter", "1", "--output", str(output), stdout=out)
    assert "Making ECAM Q1 – 2010-11, version 1" in out.getvalue() and f"Wrote {output}" in out.getvalue()
    run = ReportRun.objects.get()
    assert (run.status, run.requested_via, run.requested_by) == ("done", "command", None)
    text = pdf_text(output.read_bytes())
    assert says(text, "8 New Cases referred to group this quarter") and says(text, "52 New Cases referred to group YTD")


def test_the_command_explains_what_is_wrong(partnership, tmp_path):
    with pytest.raises(CommandError, match="No partnership “nowhere”. Known: east-cambridgeshire"):
        call_command("quarterly_report", "--partnership", "nowhere", "--financial-year", "2010-11", "--quarter", "1", "--output", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="is not a financial year"):
        call_command("quarterly_report", "--partnership", "east-cambridgeshire", "--financial-year", "2010-12", "--quarter", "1", "--output", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="has not started yet"):
        call_command("quarterly_report", "--partnership", "east-cambridgeshire", "--financial-year", "2999-00", "--quarter", "1", "--output", str(tmp_path / "x.pdf"))
    assert not ReportRun.objects.exists()


def test_the_benchmark_times_a_report_and_leaves_nothing_behind(partnership, police, council, pdf_storage):
    out = io.StringIO()
    call_command("bench_report", "--cases", "400", "--partnership", "east-cambridgeshire", stdout=out)
    line = out.getvalue()
    assert line.startswith("report_400_cases (ECAM ") and "s for the whole report" in line and "cases opened" in line
    assert not ReportRun.objects.exists()
    from casework.models import Case

    assert not Case.objects.exists()
    assert not any(pdf_storage.rglob("*.pdf"))
