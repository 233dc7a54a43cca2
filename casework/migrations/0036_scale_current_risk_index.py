"""County scale: the cases not closed, by risk level, for the case list's most used filter."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("casework", "0035_scale_search_indexes")]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=~models.Q(status="closed"), fields=["risk_level", "-opened_on", "-id"], name="case_current_risk_idx"
            ),
        ),
    ]
