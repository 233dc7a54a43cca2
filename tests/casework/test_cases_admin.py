import pytest
from django.urls import reverse

from audit.models import AuditEvent
from casework.models import AsbKind
from tests.agencies.factories import UserFactory
from tests.casework.factories import make_case


@pytest.fixture
def superuser(db):
    return UserFactory(username="root-admin", is_staff=True, is_superuser=True)


def test_administrators_edit_the_catalogue_of_kinds_and_it_is_audited(client, superuser):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:casework_asbkind_add"),
        {"name": "Nuisance parking", "slug": "nuisance-parking", "category": "nuisance", "is_active": "on", "sort_order": "50"},
    )
    assert response.status_code == 302
    kind = AsbKind.objects.get(slug="nuisance-parking")
    assert AuditEvent.objects.filter(action="create", object_type="asbkind", object_id=str(kind.pk)).exists()
    client.post(
        reverse("admin:casework_asbkind_change", args=[kind.pk]),
        {"name": "Nuisance parking", "slug": "nuisance-parking", "category": "nuisance", "sort_order": "50"},
    )
    kind.refresh_from_db()
    assert kind.is_active is False
    assert AuditEvent.objects.filter(action="update", object_type="asbkind").latest("id").changes == {"is_active": [True, False]}
    assert client.get(reverse("admin:casework_asbkind_delete", args=[kind.pk])).status_code == 403


def test_a_retired_kind_is_no_longer_offered_for_new_cases(client, police_caseworker):
    AsbKind.objects.filter(slug="littering").update(is_active=False)
    client.force_login(police_caseworker)
    page = client.get(reverse("case_open")).content.decode()
    assert "Littering" not in page and "Fly tipping" in page


def test_administrators_see_a_read_only_list_of_cases(client, superuser, partnership, police):
    case = make_case(partnership=partnership, lead_agency=police)
    client.force_login(superuser)
    response = client.get(reverse("admin:casework_case_changelist"))
    page = response.content.decode()
    assert response.status_code == 200 and case.reference in page
    assert reverse("admin:casework_case_change", args=[case.pk]) not in page
    assert client.get(reverse("admin:casework_case_change", args=[case.pk])).status_code == 403
    assert client.get(reverse("admin:casework_case_add")).status_code == 403
    client.get(reverse("admin:casework_case_changelist"), {"q": case.reference})
    assert AuditEvent.objects.filter(action="search", detail=f"Case search: admin_reference={case.reference}").exists()


def test_staff_who_are_not_superusers_do_not_see_cases(client, partnership, police):
    make_case(partnership=partnership, lead_agency=police)
    staff = UserFactory(username="staff", is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("admin:casework_case_changelist")).status_code == 403
