from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from agencies.models import Membership
from audit.models import AuditEvent
from audit.services import Actor, audit_chain_verify
from casework import permissions
from casework.imports import normalise_postcode
from casework.models import Case, CaseAccess
from casework.services.imports import cases_import
from tests.agencies.factories import make_member

HEADER = "reference,category,kind,subject_type,opened_on,referred_to_group_on,closed_on,lead_agency,status,risk_level,summary,postcode\n"
GOOD = (
    HEADER
    + ",nuisance,neighbour-noise,individual,2026-01-05,,,ecdc,open,medium,Loud music at night,cb74ab\n"
    + "ECAM-2025-0107,personal,Intimidation or harassment,family,12/11/2025,2026-01-10,,Police,referred_to_group,high,Threats to neighbours,CB6 1BN\n"
    + ",environmental,fly-tipping,area,2025-06-01,,2025-09-30,ecdc,closed,,Fly tipping on the drove,\n"
)


def _import(partnership, text, **kwargs):
    return cases_import(actor=Actor.system(), partnership=partnership, data=text.encode(), source_name="cases.csv", **kwargs)


def test_a_clean_file_imports_with_access_and_audit(partnership, police, council, council_caseworker, police_caseworker):
    result = _import(partnership, GOOD)
    assert result.ok, result.errors
    assert len(result.created) == 3
    noise = Case.objects.get(summary="Loud music at night")
    assert noise.reference == "ECAM-2026-0001" and noise.postcode == "CB7 4AB" and noise.risk_level == "medium"
    threats = Case.objects.get(reference="ECAM-2025-0107")
    assert threats.referred_to_group_on == date(2026, 1, 10) and threats.lead_agency == police
    closed = Case.objects.get(summary="Fly tipping on the drove")
    assert closed.status == "closed" and closed.closing_outcome == "other"
    # the lead agency gets the access it needs, and nobody else
    assert permissions.MANAGE in permissions.case_permissions(user=police_caseworker, agency=police, case=threats)
    assert permissions.case_permissions(user=council_caseworker, agency=council, case=threats) == set()
    assert CaseAccess.objects.filter(case=threats, agency=police, level="lead", revoked_at__isnull=True).exists()
    assert AuditEvent.objects.filter(action="import", case_id=threats.pk, detail="Imported from cases.csv").exists()
    assert audit_chain_verify().ok


def test_a_given_reference_moves_the_counter_so_it_is_never_reused(partnership, police, council):
    _import(partnership, GOOD)
    from tests.casework.factories import make_case

    later = make_case(partnership=partnership, lead_agency=police, opened_on=date(2025, 12, 1))
    assert later.reference == "ECAM-2025-0109"  # 0107 imported, 0108 taken by the fly-tipping row


def test_one_bad_row_imports_nothing_and_names_every_problem(partnership, police, council):
    bad = GOOD + ",weather,,individual,31/02/2026,,,nobody,open,extreme,,ZZ\n"
    result = _import(partnership, bad)
    assert not result.ok
    assert Case.objects.count() == 0
    found = {(e.line, e.column) for e in result.errors}
    assert {(5, "category"), (5, "opened_on"), (5, "lead_agency"), (5, "risk_level"), (5, "summary"), (5, "postcode")} <= found
    assert all(e.line == 5 for e in result.errors)


def test_reimporting_updates_rather_than_duplicates(partnership, police, council):
    _import(partnership, GOOD)
    changed = GOOD.replace("Threats to neighbours", "Threats and criminal damage").replace(",Police,", ",ecdc,")
    result = _import(partnership, changed)
    assert result.ok and result.updated == ["ECAM-2025-0107"]
    assert Case.objects.filter(reference="ECAM-2025-0107").count() == 1
    case = Case.objects.get(reference="ECAM-2025-0107")
    assert case.summary == "Threats and criminal damage" and case.lead_agency == council
    again = _import(partnership, changed)
    assert again.unchanged == ["ECAM-2025-0107"] and not again.updated


def test_dry_run_writes_nothing(partnership, police, council):
    result = _import(partnership, GOOD, dry_run=True)
    assert result.ok and len(result.created) == 3
    assert Case.objects.count() == 0


def test_a_reference_of_another_partnership_is_refused(partnership, other_partnership, police, council):
    from tests.casework.factories import make_case

    theirs = make_case(partnership=other_partnership, lead_agency=police)
    result = _import(partnership, HEADER + f"{theirs.reference},nuisance,,individual,2026-01-05,,,ecdc,open,,x,\n")
    assert [(e.column, "belongs to a case of" in e.reason) for e in result.errors] == [("reference", True)]


@pytest.mark.parametrize(
    "content, column",
    [
        (b"", "file"),
        (b"\xff\xfe\x00\x00garbage\x00", "file"),
        (b"summary,colour\nx,red\n", "header"),
        (HEADER.encode() + b",nuisance,,individual,2026-01-05,,,ecdc,open,,x,,extra\n", "row"),
        (HEADER.encode() + b",nuisance,dog-fouling,individual,2026-01-05,,,ecdc,open,,x,\n", "kind"),
        (HEADER.encode() + b",nuisance,,individual,2026-01-05,,2025-01-01,ecdc,,,x,\n", "closed_on"),
        (HEADER.encode() + b",nuisance,,individual,2099-01-05,,,ecdc,open,,x,\n", "opened_on"),
        (HEADER.encode() + b",nuisance,,individual,2026-01-05,,,ecdc,closed,,x,\n", "closed_on"),
    ],
)
def test_malformed_files_get_a_clear_reason_not_a_crash(partnership, police, council, content, column):
    result = cases_import(actor=Actor.system(), partnership=partnership, data=content)
    assert not result.ok
    assert column in {e.column for e in result.errors}
    assert Case.objects.count() == 0


def test_windows_spreadsheet_encoding_and_bom_are_read(partnership, police, council):
    text = HEADER + ",nuisance,,individual,05/01/2026,,,ecdc,open,,Noise from the café,\n"
    result = cases_import(actor=Actor.system(), partnership=partnership, data=text.encode("cp1252"))
    assert result.ok and Case.objects.get().summary == "Noise from the café"
    Case.objects.all().delete()
    result = cases_import(actor=Actor.system(), partnership=partnership, data=("\ufeff" + text).encode("utf-8"))
    assert result.ok


def test_command_imports_and_reports_bad_rows(partnership, police, council, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_text(GOOD)
    call_command("import_cases", str(good), "--partnership", partnership.slug)
    assert Case.objects.count() == 3
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + ",nuisance,,individual,2026-13-01,,,ecdc,open,,x,\n")
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_cases", str(bad), "--partnership", partnership.slug)
    assert "Line 2, opened_on" in capsys.readouterr().err


def test_coordinator_imports_from_the_upload_page_and_others_may_not(client, partnership, police, council, council_caseworker):
    coordinator = make_member(agency=council, partnership=partnership, role=Membership.Role.COORDINATOR, username="coord")
    client.force_login(council_caseworker)
    assert client.get(reverse("case_import")).status_code == 403
    client.force_login(coordinator)
    upload = SimpleUploadedFile("cases.csv", GOOD.encode(), content_type="text/csv")
    page = client.post(reverse("case_import"), {"file": upload}).content.decode()
    assert "Imported 3 new case(s)" in page
    bad = SimpleUploadedFile("bad.csv", (GOOD + ",x,,individual,2026-01-05,,,ecdc,open,,y,\n").encode())
    page = client.post(reverse("case_import"), {"file": bad}).content.decode()
    assert "Nothing was imported" in page and "is not one of: personal, nuisance, environmental" in page


@pytest.mark.parametrize("raw, expected", [("cb74ab", "CB7 4AB"), ("CB7  4AB", "CB7 4AB"), ("sw1a 1aa", "SW1A 1AA"), ("CB7", None), ("12345", None)])
def test_postcodes_are_normalised(raw, expected):
    assert normalise_postcode(raw) == expected
