"""A caseworker of agency A cannot see, by list, detail or guessed URL, a case only agency B may see."""

from django.urls import reverse

from audit.models import AuditEvent
from audit.services import Actor
from casework import permissions, selectors
from casework.models import CaseAccess
from casework.services.access import case_access_grant, case_access_revoke
from tests.casework.factories import make_case


def test_lead_agency_sees_its_case_and_other_agency_does_not(client, partnership, police, council, police_caseworker, council_caseworker):
    case = make_case(partnership=partnership, lead_agency=police, summary="Harassment of a neighbour")

    client.force_login(police_caseworker)
    assert case.reference in client.get(reverse("case_list")).content.decode()
    assert client.get(reverse("case_detail", args=[case.reference])).status_code == 200

    client.force_login(council_caseworker)
    assert case.reference not in client.get(reverse("case_list")).content.decode()
    response = client.get(reverse("case_detail", args=[case.reference]))
    assert response.status_code == 404, "another agency's case must be not found, not forbidden"
    assert "Harassment of a neighbour" not in response.content.decode()


def test_guessed_reference_that_does_not_exist_is_the_same_404(client, partnership, council_caseworker):
    client.force_login(council_caseworker)
    assert client.get(reverse("case_detail", args=["ECAM-2026-9999"])).status_code == 404


def test_denied_attempt_is_in_the_audit_trail(client, partnership, police, fire_caseworker):
    case = make_case(partnership=partnership, lead_agency=police)
    client.force_login(fire_caseworker)
    client.get(reverse("case_detail", args=[case.reference]))
    denied = AuditEvent.objects.get(action=AuditEvent.Action.DENIED)
    assert denied.user == fire_caseworker
    assert denied.object_repr == case.reference


def test_granting_view_to_agency_group_makes_case_visible_and_revoking_hides_it(client, partnership, police, council, council_caseworker):
    case = make_case(partnership=partnership, lead_agency=police)
    client.force_login(council_caseworker)
    assert client.get(reverse("case_detail", args=[case.reference])).status_code == 404

    case_access_grant(actor=Actor.system(), case=case, agency=council, level=CaseAccess.Level.INFORMATION)
    assert client.get(reverse("case_detail", args=[case.reference])).status_code == 200
    assert case.reference in client.get(reverse("case_list")).content.decode()

    case_access_revoke(actor=Actor.system(), case=case, agency=council, level=CaseAccess.Level.INFORMATION)
    assert client.get(reverse("case_detail", args=[case.reference])).status_code == 404


def test_information_only_access_cannot_contribute_or_change(partnership, police, council, council_caseworker):
    case = make_case(partnership=partnership, lead_agency=police)
    case_access_grant(actor=Actor.system(), case=case, agency=council, level=CaseAccess.Level.INFORMATION)
    granted = permissions.case_permissions(user=council_caseworker, agency=council, case=case)
    assert granted == {permissions.VIEW}


def test_lead_holds_every_permission_and_guardian_agrees(partnership, police, police_caseworker):
    case = make_case(partnership=partnership, lead_agency=police)
    granted = permissions.case_permissions(user=police_caseworker, agency=police, case=case)
    assert granted == {permissions.VIEW, permissions.CONTRIBUTE, permissions.CHANGE, permissions.MANAGE}
    # guardian's own API reads the same direct foreign-key table
    assert police_caseworker.has_perm("casework.view_case", case)


def test_access_periods_record_who_had_access_from_when_to_when(partnership, police, council):
    case = make_case(partnership=partnership, lead_agency=police)
    case_access_grant(actor=Actor.system(), case=case, agency=council, level=CaseAccess.Level.CONTRIBUTOR)
    case_access_revoke(actor=Actor.system(), case=case, agency=council, level=CaseAccess.Level.CONTRIBUTOR)
    periods = list(selectors.case_access_periods(case=case))
    assert [(p.agency, p.level, p.revoked_at is None) for p in periods] == [
        (police, "lead", True),
        (council, "contributor", False),
    ]


def test_granting_twice_keeps_one_open_period(partnership, police, council):
    case = make_case(partnership=partnership, lead_agency=police)
    case_access_grant(actor=Actor.system(), case=case, agency=council, level=CaseAccess.Level.CONTRIBUTOR)
    case_access_grant(actor=Actor.system(), case=case, agency=council, level=CaseAccess.Level.CONTRIBUTOR)
    assert CaseAccess.objects.filter(case=case, agency=council, revoked_at__isnull=True).count() == 1


def test_user_without_agency_sees_nothing(client, partnership, police, db):
    from tests.agencies.factories import UserFactory

    make_case(partnership=partnership, lead_agency=police)
    loner = UserFactory()
    client.force_login(loner)
    assert "0 cases" in client.get(reverse("case_list")).content.decode()


def test_case_list_query_count_does_not_grow_with_cases(client, partnership, police, police_caseworker, django_assert_max_num_queries):
    for n in range(3):
        make_case(partnership=partnership, lead_agency=police, summary=f"Case {n}")
    client.force_login(police_caseworker)
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("case_list"))
    for n in range(20):
        make_case(partnership=partnership, lead_agency=police, summary=f"More {n}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("case_list"))


def test_a_case_read_by_reference_carries_what_its_agency_holds(partnership, police, council, police_caseworker, django_assert_num_queries):
    case = make_case(partnership=partnership, lead_agency=police)
    found = permissions.case_permitted_by_reference(user=police_caseworker, agency=police, reference=case.reference)
    assert found == case
    with django_assert_num_queries(0):
        granted = permissions.case_permissions(user=police_caseworker, agency=police, case=found)
    assert granted == permissions.agency_case_permissions(agency=police, case=case) == {
        permissions.VIEW, permissions.CONTRIBUTE, permissions.CHANGE, permissions.MANAGE
    }
    # Another agency's check on the same object is its own, read afresh.
    assert permissions.agency_case_permissions(agency=council, case=found) == set()
    assert permissions.case_permitted_by_reference(user=police_caseworker, agency=police, reference=case.reference, codename="no_such") is None
    assert permissions.case_permitted_by_reference(user=police_caseworker, agency=police, reference="NO-SUCH-REF") is None


def test_the_map_of_case_permissions_is_read_again_after_migrations(db):
    from django.contrib.auth.models import Permission
    from django.core.management.sql import emit_post_migrate_signal

    view_id = Permission.objects.get(content_type__app_label="casework", codename=permissions.VIEW).pk
    assert permissions._case_codenames({view_id}) == {permissions.VIEW}
    assert permissions._case_permission_ids.cache_info().currsize == 1
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")  # as migrate and a test database's flush do
    assert permissions._case_permission_ids.cache_info().currsize == 0
    assert permissions._case_codenames({view_id}) == {permissions.VIEW}
