"""The PDF, read back as text with pdftotext: every number of the group's statistics and of the comparisons, the
marking and page numbers, and nothing about any person."""

from datetime import date

import pytest

from audit.services import Actor
from reports.models import ReportRun
from reports.quarters import Quarter
from reports.services import plan
from reports.services.runs import report_run_request
from tests.casework.factories import make_case
from tests.casework.factories_incidents import make_incident
from tests.casework.factories_people import put_on_case
from tests.reports import known_data
from tests.reports.factories_reports import pdf_text, says, side_by_side

Q1 = Quarter(2010, 1)


def _made(partnership, quarter, django_capture_on_commit_callbacks) -> ReportRun:
    with django_capture_on_commit_callbacks(execute=True):
        run = report_run_request(actor=Actor.system(), partnership=partnership, quarter=quarter)
    run.refresh_from_db()
    assert run.status == ReportRun.Status.DONE, run.error
    return run


def _pdf(run: ReportRun) -> bytes:
    with run.file.open("rb") as pdf:
        data = pdf.read()
    assert data.startswith(b"%PDF-")
    return data


@pytest.fixture
def q1_report(partnership, other_partnership, police, council, pdf_storage, django_capture_on_commit_callbacks):
    priority = known_data.load(partnership=partnership, other_partnership=other_partnership)
    plan.narrative_save(
        actor=Actor.system(), priority=priority, quarter=Q1,
        key_achievements="Multi-agency approach used to deal with a complex case of ASB.",
        areas_of_concern="There were no applicants for the maternity cover of the ASB Caseworker post.",
        recommendations="Contact Cambridge City ASB Team to find out if they can undertake work on a case by case basis.",
        publicity="",
    )
    data = _pdf(_made(partnership, Q1, django_capture_on_commit_callbacks))
    return {"text": pdf_text(data), "layout": pdf_text(data, layout=True)}


def test_the_group_statistics_are_printed_exactly(q1_report):
    text = q1_report["text"]
    assert says(text, "ASB Task Group Stats – Q1")
    assert says(text, "ASB Task Group Stats – Cumulative YTD from April 2009")
    this_quarter, cumulative = side_by_side(q1_report["layout"], "New Cases referred to group this quarter", "New Cases referred to group YTD")
    assert says(this_quarter, "8 New Cases referred to group this quarter")
    assert says(this_quarter, "8 Individuals") and says(this_quarter, "0 Areas") and says(this_quarter, "0 Families")
    assert says(cumulative, "52 New Cases referred to group YTD")
    assert says(cumulative, "32 Individuals") and says(cumulative, "8 Areas") and says(cumulative, "12 Families")


def test_the_comparisons_are_printed_with_counts_percentages_and_status(q1_report):
    text, layout = q1_report["text"], q1_report["layout"]
    assert says(text, "105 offences, 13% lower than last year (120) but 15% higher than 2008-09 (91).")
    assert says(text, "8 cases, 20% lower than last year (10) but 60% higher than 2008-09 (5).")
    # The burglary table row: this quarter, last year, change, baseline, change, status.
    assert says(layout, "105 120 −13% 91 +15% No change or still some concern")
    assert says(layout, "8 10 −20% 5 +60% Worse position")
    # The performance summary and its key.
    assert "Performance Summary" in text and says(text, "Better position") and says(text, "Worse position")
    assert "Areas for concern" in text


def test_the_report_follows_the_task_group_template(q1_report):
    text = q1_report["text"]
    for heading in (
        "Performance Report", "Q1 – 2010-11", "April–June 2010", "Priority 4: Anti-social behaviour", "4.1 Quarterly Progress Report",
        "Lead Officer: Insp Chris Savage", "Key achievements during this quarter", "Areas of concern for partnership to note",
        "Recommendations to partnership to address concerns", "Any items for publicity", "4.2 Quarterly Performance Update",
        "Monthly trends", "Cases opened and closed each month", "How the progress status is decided",
    ):
        assert says(text, heading), heading
    assert says(text, "There were no applicants for the maternity cover of the ASB Caseworker post.")
    assert says(text, "Please ensure that any items included here for Publicity are not protectively marked.")


def test_every_page_is_marked_official_and_numbered(q1_report):
    pages = q1_report["layout"].split("\f")
    pages = [page for page in pages if page.strip()]
    assert len(pages) >= 5
    for number, page in enumerate(pages, start=1):
        assert page.count("OFFICIAL") >= 2, f"page {number} lacks its marking"
        assert f"Page {number} of {len(pages)}" in page


def test_the_report_holds_no_names_addresses_or_descriptions(partnership, police, council, pdf_storage, django_capture_on_commit_callbacks):
    """Demo-like casework full of personal details: none of it reaches the report, only counts."""
    case = make_case(
        partnership=partnership, lead_agency=council, opened_on=date(2010, 5, 4), summary="Doreen Whitmore harassed by Dean Cartwright at Cromwell Court",
        address="Flat 3, Cromwell Court, Silver Street, Ely", postcode="CB7 4AB", ward="Ely East", referred_to_group_on=date(2010, 5, 20),
    )
    second = make_case(partnership=partnership, lead_agency=police, opened_on=date(2010, 6, 1), summary="Dean Cartwright shouting at neighbours in Soham",
                       kind_slug="intimidation-harassment", postcode="CB7 5QT")
    victim = put_on_case(case=case)  # Doreen Whitmore, Flat 3, Cromwell Court, 01353 660 418, partially sighted
    put_on_case(case=second, person=victim.person)
    put_on_case(case=case, role="perpetrator", first_name="Dean", last_name="Cartwright", address="14 Acre Road, Soham", postcode="CB7 5QT",
                phone="07700 900123", date_of_birth=date(1991, 8, 2), vulnerability_notes="")
    make_incident(case=case, on=date(2010, 5, 10), reported_by=victim.person, description="Dean kicked Doreen's door and called her names")
    text = pdf_text(_pdf(_made(partnership, Q1, django_capture_on_commit_callbacks)), layout=True)
    for personal in ("Doreen", "Whitmore", "Dean", "Cartwright", "Cromwell", "Silver Street", "Acre Road", "CB7 4AB", "CB7 5QT", "01353",
                     "07700", "partially sighted", "kicked", "shouting at neighbours", "harassed", "Ely East", "1991", "1947"):
        assert personal.lower() not in text.lower(), f"the report shows “{personal}”"
    # The counts are there.
    assert says(text, "Opened during the quarter 2") and says(text, "Referred to the casework group 1")
    assert says(text, "Intimidation or harassment 1 0") and says(text, "Neighbour noise 1 0")
