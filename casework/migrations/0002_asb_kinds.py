from django.db import migrations

from casework.catalogue import ASB_KINDS


def load_kinds(apps, schema_editor):
    AsbKind = apps.get_model("casework", "AsbKind")
    for order, (slug, name, category) in enumerate(ASB_KINDS):
        AsbKind.objects.get_or_create(slug=slug, defaults={"name": name, "category": category, "sort_order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("casework", "0001_initial")]
    operations = [migrations.RunPython(load_kinds, migrations.RunPython.noop)]
