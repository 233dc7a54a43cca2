"""The data migration that takes away the case pages group membership used to open, and nothing else."""

import importlib

from django.apps import apps
from django.contrib.auth.models import Permission

from audit.services import Actor
from casework.models import CaseAccess, CaseGroupObjectPermission
from casework.permissions import case_permissions
from casework.services.access import case_access_grant
from tests.casework.factories import make_case

migration = importlib.import_module("casework.migrations.0032_group_members_see_the_agenda_only")


def test_view_given_by_group_membership_alone_is_taken_away_and_other_access_is_kept(
    partnership, police, council, housing, police_caseworker, council_caseworker, housing_caseworker
):
    case = make_case(partnership=partnership, lead_agency=council)
    view = Permission.objects.get(content_type__app_label="casework", codename="view_case")
    for agency in (police, housing):
        case_access_grant(actor=Actor.system(), case=case, agency=agency, level=CaseAccess.Level.GROUP_MEMBER)
        # as group membership granted it before
        CaseGroupObjectPermission.objects.create(content_object=case, group=agency.group, permission=view, case_opened_on=case.opened_on)
    case_access_grant(actor=Actor.system(), case=case, agency=housing, level=CaseAccess.Level.INFORMATION)

    migration.forwards(apps, None)

    assert case_permissions(user=police_caseworker, agency=police, case=case) == set()
    assert case_permissions(user=housing_caseworker, agency=housing, case=case) == {"view_case"}, "information access stays"
    assert case_permissions(user=council_caseworker, agency=council, case=case) == {"view_case", "contribute_case", "change_case", "manage_case"}
    assert CaseAccess.objects.filter(case=case, level=CaseAccess.Level.GROUP_MEMBER, revoked_at__isnull=True).count() == 2
