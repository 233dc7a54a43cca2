"""Indexes for county scale: cases not closed by lead agency and by next review, and those over the Case Review
threshold, for the dashboard's counts and rows."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("casework", "0033_scale_visible_counts")]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(condition=~models.Q(status="closed"), fields=["lead_agency", "-opened_on", "-id"], name="case_current_led_idx"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(condition=~models.Q(status="closed"), fields=["next_review_on", "id"], name="case_current_review_idx"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(case_review_flagged_at__isnull=False) & ~models.Q(status="closed"), fields=["case_review_flagged_at"],
                name="case_current_flagged_idx",
            ),
        ),
    ]
