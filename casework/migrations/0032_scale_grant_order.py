"""Each group grant on a case carries the case's opening date, so that the cases an agency may see are listed newest
first straight from an index (see casework.permissions.cases_permitted)."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_opening_dates(apps, schema_editor):
    Case = apps.get_model("casework", "Case")
    Grant = apps.get_model("casework", "CaseGroupObjectPermission")
    Grant.objects.update(case_opened_on=Subquery(Case.objects.filter(pk=OuterRef("content_object_id")).values("opened_on")[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        # After group membership stopped giving case permissions, so that only the grants that stay are dated.
        ("casework", "0032_group_members_see_the_agenda_only"),
    ]

    operations = [
        migrations.AddField(model_name="casegroupobjectpermission", name="case_opened_on", field=models.DateField(null=True)),
        migrations.RunPython(copy_opening_dates, migrations.RunPython.noop),
        migrations.AlterField(model_name="casegroupobjectpermission", name="case_opened_on", field=models.DateField()),
        migrations.AddIndex(
            model_name="casegroupobjectpermission",
            index=models.Index(fields=["group", "permission", "-case_opened_on", "-content_object"], name="case_grant_newest_idx"),
        ),
    ]
