"""Files the import properties (test_imports_properties.py) found mishandled, each kept as a plain example."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from agencies.models import Agency, Membership
from audit.services import Actor
from casework.exports import cases_csv_lines
from casework.imports import formula_guard, formula_unguard, parse_cases_csv
from casework.models import Case
from casework.services.imports import cases_import
from tests.agencies.factories import make_agency, make_member
from tests.casework.factories import make_case

HEADER = "reference,category,kind,subject_type,opened_on,referred_to_group_on,closed_on,lead_agency,status,risk_level,summary,postcode"
GOOD = ",nuisance,,individual,2026-01-05,,,ecdc,open,,Loud music,"
BAD = ",weather,,individual,2026-01-05,,,ecdc,open,,Loud music,"
TODAY = date(2026, 5, 1)


def parse(partnership, text: str):
    return parse_cases_csv(text.encode(), partnership=partnership, today=TODAY)


def where(parsed) -> list[tuple[int, str]]:
    return [(e.line, e.column) for e in parsed.errors]


def test_blank_lines_count_in_the_line_numbers(partnership, council):
    parsed = parse(partnership, f"{HEADER}\r\n\r\n{GOOD}\r\n\r\n\r\n{BAD}\r\n")
    assert where(parsed) == [(6, "category")]
    assert [row.line for row in parsed.rows] == [3]


@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"])
def test_a_value_over_several_lines_counts_every_line(partnership, council, newline):
    multi_line = f',nuisance,,individual,2026-01-05,,,ecdc,open,,"First line{newline}second line{newline}third",'
    parsed = parse(partnership, newline.join([HEADER, multi_line, BAD, ""]))
    assert where(parsed) == [(5, "category")]
    assert parsed.rows[0].line == 2 and parsed.rows[0].values["summary"] == f"First line{newline}second line{newline}third"


def test_a_value_past_the_csv_field_limit_is_a_clean_error_everywhere(client, partnership, police, council, tmp_path):
    data = f"{HEADER}\n{GOOD}\n,nuisance,,individual,2026-01-05,,,ecdc,open,,{'x' * 140_000},\n".encode()
    result = cases_import(actor=Actor.system(), partnership=partnership, data=data)
    assert where(result) == [(3, "file")] and "longer than 131,072 characters" in result.errors[0].reason
    assert not Case.objects.exists()
    path = tmp_path / "huge.csv"
    path.write_bytes(data)
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_cases", str(path), "--partnership", partnership.slug)
    client.force_login(make_member(agency=council, partnership=partnership, role=Membership.Role.COORDINATOR, username="coord"))
    page = client.post(reverse("case_import"), {"file": SimpleUploadedFile("huge.csv", data)})
    assert page.status_code == 200 and "longer than 131,072 characters" in page.content.decode()


def test_an_unclosed_quote_is_reported_at_the_row_it_opens_in(partnership, council):
    parsed = parse(partnership, f'{HEADER}\n{GOOD}\n,nuisance,,individual,2026-01-05,,,ecdc,open,,"Never closed,\n{GOOD}\n')
    assert where(parsed) == [(3, "file")] and "double quote is not closed" in parsed.errors[0].reason


def test_text_after_a_closing_quote_is_reported(partnership, council):
    parsed = parse(partnership, f'{HEADER}\n,nuisance,,individual,2026-01-05,,,ecdc,open,,"Quoted" then not,\n')
    assert where(parsed) == [(2, "file")]


def test_a_nul_character_deep_in_the_file_is_refused_not_written(partnership, police, council):
    rows = "\n".join([GOOD] * 100)  # past the first 4 KB, where the binary check looks
    data = f"{HEADER}\n{rows}\n,nuisance,,individual,2026-01-05,,,ecdc,open,,Noise\x00at night,\n".encode()
    result = cases_import(actor=Actor.system(), partnership=partnership, data=data)
    assert where(result) == [(102, "summary")] and "NUL" in result.errors[0].reason
    assert not Case.objects.exists()


def test_a_column_named_twice_or_not_at_all_is_named_in_the_error(partnership, council):
    twice = parse(partnership, f"{HEADER},Summary\n{GOOD},Other summary\n")
    assert where(twice) == [(1, "header")] and "named twice: summary" in twice.errors[0].reason
    unnamed = parse(partnership, f"{HEADER},\n{GOOD},\n")  # a spreadsheet's trailing empty column
    assert where(unnamed) == [(1, "header")] and "Column(s) 13 have no name" in unnamed.errors[0].reason


def test_a_header_of_many_unknown_columns_is_answered_quickly_and_briefly(partnership, council):
    parsed = parse(partnership, ",".join(f"c{n}" for n in range(200_000)) + "\n")
    assert all(len(error.reason) < 500 for error in parsed.errors)
    assert "and 199990 more" in parsed.errors[0].reason


def test_a_slug_means_its_own_agency_even_when_another_has_it_as_short_name(partnership, police, council):
    make_agency(partnerships=[partnership], name="Zeta Patrols", slug="zeta", short_name="cambs-police", kind=Agency.Kind.OTHER)
    parsed = parse(partnership, f"{HEADER}\n,nuisance,,individual,2026-01-05,,,cambs-police,open,,Noise,\n")
    assert parsed.ok and parsed.rows[0].values["lead_agency"] == police


def test_a_short_name_shared_by_two_agencies_asks_for_the_slug(partnership, fire):
    make_agency(partnerships=[partnership], name="Fenland Independent Response Engineers", slug="fire-eng", short_name="FIRE", kind=Agency.Kind.OTHER)
    parsed = parse(partnership, f"{HEADER}\n,nuisance,,individual,2026-01-05,,,fire,open,,Noise,\n")
    assert where(parsed) == [(2, "lead_agency")] and "give the agency’s slug" in parsed.errors[0].reason
    assert parse(partnership, f"{HEADER}\n,nuisance,,individual,2026-01-05,,,fire-eng,open,,Noise,\n").ok


def test_a_reference_number_too_large_for_the_counter_is_refused(partnership, police, council):
    data = f"{HEADER}\nECAM-2025-99999999999999,nuisance,,individual,2026-01-05,,,ecdc,open,,Noise,\n".encode()
    result = cases_import(actor=Actor.system(), partnership=partnership, data=data)
    assert where(result) == [(2, "reference")] and "at most 999999" in result.errors[0].reason
    assert cases_import(actor=Actor.system(), partnership=partnership, data=data.replace(b"99999999999999", b"999999")).ok
    assert make_case(partnership=partnership, lead_agency=council, opened_on=date(2025, 6, 1)).reference == "ECAM-2025-1000000"


def test_a_reference_in_another_partnerships_form_is_refused(partnership, other_partnership, police, council):
    data = f"{HEADER}\nFENL-2026-0001,nuisance,,individual,2026-01-05,,,ecdc,open,,Noise,\n".encode()
    result = cases_import(actor=Actor.system(), partnership=partnership, data=data)
    assert where(result) == [(2, "reference")] and "Fenland CSP" in result.errors[0].reason
    # Fenland's own next case takes that reference without a clash.
    assert make_case(partnership=other_partnership, lead_agency=police, opened_on=date(2026, 1, 5)).reference == "FENL-2026-0001"
    # A legacy reference of no partnership's form is still welcome.
    assert cases_import(actor=Actor.system(), partnership=partnership, data=data.replace(b"FENL-2026-0001", b"LEGACY-42")).ok


@pytest.mark.parametrize("summary", ["=SUM(A1)", "'=SUM(A1)", "''+44 7700 900123", "'quoted'", "'", "@home", "-ish"])
def test_a_summary_exports_and_imports_back_exactly(partnership, police, summary):
    case = make_case(partnership=partnership, lead_agency=police, summary=summary)
    assert formula_unguard(formula_guard(summary)) == summary
    exported = "".join(cases_csv_lines(Case.objects.filter(pk=case.pk).select_related("lead_agency", "kind"))).encode()
    parsed = parse_cases_csv(exported, partnership=partnership, today=TODAY)
    assert parsed.ok and parsed.rows[0].values["summary"] == summary
    assert cases_import(actor=Actor.system(), partnership=partnership, data=exported).unchanged == [case.reference]


def test_a_header_with_no_rows_says_so_on_the_line_after_it(partnership, council):
    parsed = parse(partnership, f"\n\n{HEADER}\n\n")
    assert where(parsed) == [(4, "file")] and "no rows" in parsed.errors[0].reason
