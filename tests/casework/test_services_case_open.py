from datetime import date

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from audit.services import Actor
from casework.models import Case
from casework.services.cases import CaseVersionConflict, case_close, case_lead_change, case_update
from tests.casework.factories import make_case


def test_references_follow_partnership_code_year_and_sequence(partnership, police):
    first = make_case(partnership=partnership, lead_agency=police, opened_on=date(2025, 1, 5))
    second = make_case(partnership=partnership, lead_agency=police, opened_on=date(2025, 2, 5))
    next_year = make_case(partnership=partnership, lead_agency=police, opened_on=date(2026, 1, 5))
    assert (first.reference, second.reference, next_year.reference) == ("ECAM-2025-0001", "ECAM-2025-0002", "ECAM-2026-0001")


def test_a_reference_is_never_reused_even_after_a_case_is_deleted(partnership, police):
    first = make_case(partnership=partnership, lead_agency=police)
    Case.objects.filter(pk=first.pk).delete()
    again = make_case(partnership=partnership, lead_agency=police)
    assert again.reference == "ECAM-2026-0002"


def test_lead_agency_must_serve_the_partnership(other_partnership, council):
    with pytest.raises(ValidationError):
        make_case(partnership=other_partnership, lead_agency=council)


def test_opening_is_audited(partnership, police):
    case = make_case(partnership=partnership, lead_agency=police)
    created = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, case_id=case.pk)
    assert created.changes["summary"] == [None, case.summary]


def test_update_records_old_and_new_values(partnership, police, police_caseworker):
    case = make_case(partnership=partnership, lead_agency=police)
    case_update(actor=Actor(user=police_caseworker, agency=police), case=case, expected_version=case.version, postcode="CB7 4AB")
    event = AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE, case_id=case.pk).first()
    assert event.changes == {"postcode": ["", "CB7 4AB"], "version": [1, 2]}
    assert event.user == police_caseworker


def test_a_save_based_on_a_stale_version_is_refused_with_what_changed(partnership, police):
    case = make_case(partnership=partnership, lead_agency=police)
    stale_copy = Case.objects.get(pk=case.pk)
    case_update(actor=Actor.system(), case=case, expected_version=case.version, ward="Ely East")
    with pytest.raises(CaseVersionConflict) as conflict:
        case_update(actor=Actor.system(), case=stale_copy, expected_version=stale_copy.version, ward="Soham")
    assert conflict.value.changes == {"ward": ["", "Ely East"]}
    assert Case.objects.get(pk=case.pk).ward == "Ely East"


def test_closing_needs_an_outcome_and_cannot_predate_opening(partnership, police):
    case = make_case(partnership=partnership, lead_agency=police, opened_on=date(2026, 3, 2))
    with pytest.raises(ValidationError):
        case_close(actor=Actor.system(), case=case, outcome="", reason="")
    with pytest.raises(ValidationError):
        case_close(actor=Actor.system(), case=case, outcome="resolved", reason="", closed_on=date(2026, 1, 1))
    closed = case_close(actor=Actor.system(), case=case, outcome="resolved", reason="Tenant moved", closed_on=date(2026, 4, 1))
    assert closed.status == "closed" and closed.closed_on == date(2026, 4, 1)


def test_lead_change_moves_full_access_and_old_lead_keeps_what_was_chosen(partnership, police, council, council_caseworker, police_caseworker):
    from casework import permissions

    case = make_case(partnership=partnership, lead_agency=council)
    case_lead_change(actor=Actor.system(), case=case, new_lead=police, old_lead_level="information")
    case.refresh_from_db()
    assert case.lead_agency == police
    assert permissions.case_permissions(user=council_caseworker, agency=council, case=case) == {permissions.VIEW}
    assert permissions.MANAGE in permissions.case_permissions(user=police_caseworker, agency=police, case=case)
