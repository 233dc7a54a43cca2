"""How many cases each agency's group may view, kept with the grants (see casework.services.access), counted once
here from the grants that exist."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count


def count_view_grants(apps, schema_editor):
    Grant = apps.get_model("casework", "CaseGroupObjectPermission")
    VisibleCaseCount = apps.get_model("casework", "VisibleCaseCount")
    counted = (
        Grant.objects.filter(permission__codename="view_case", permission__content_type__app_label="casework")
        .values("group_id")
        .annotate(cases=Count("id"))
        .order_by()
    )
    VisibleCaseCount.objects.bulk_create([VisibleCaseCount(group_id=row["group_id"], cases=row["cases"]) for row in counted])


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("casework", "0032_scale_grant_order"),
    ]

    operations = [
        migrations.CreateModel(
            name="VisibleCaseCount",
            fields=[
                ("group", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name="+", serialize=False, to="auth.group")),
                ("cases", models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(count_view_grants, migrations.RunPython.noop),
    ]
