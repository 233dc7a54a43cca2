"""Group membership of a case no longer opens its case page: take away the view permission that open group-member
periods gave, where the agency holds no other open access to the case."""

from django.db import migrations

# The levels as they give permissions from this migration on (a frozen copy of casework.permissions.LEVEL_PERMISSIONS).
LEVELS = {
    "lead": {"view_case", "contribute_case", "change_case", "manage_case"},
    "contributor": {"view_case", "contribute_case"},
    "information": {"view_case"},
    "group_member": set(),
}


def forwards(apps, schema_editor):
    CaseAccess = apps.get_model("casework", "CaseAccess")
    CaseGroupObjectPermission = apps.get_model("casework", "CaseGroupObjectPermission")
    Agency = apps.get_model("agencies", "Agency")
    pairs = set(CaseAccess.objects.filter(level="group_member", revoked_at__isnull=True).values_list("case_id", "agency_id"))
    groups = dict(Agency.objects.filter(pk__in={agency for _, agency in pairs}).values_list("pk", "group_id"))
    for case_id, agency_id in sorted(pairs):
        levels = CaseAccess.objects.filter(case_id=case_id, agency_id=agency_id, revoked_at__isnull=True).values_list("level", flat=True)
        wanted = set().union(*(LEVELS.get(level, set()) for level in levels))
        CaseGroupObjectPermission.objects.filter(content_object_id=case_id, group_id=groups[agency_id]).exclude(
            permission__codename__in=wanted
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("casework", "0031_governance_subject_access_retention")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
