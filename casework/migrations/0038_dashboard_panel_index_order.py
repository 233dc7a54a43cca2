"""County scale: the dashboard's review and Case Review panels read their cases in index order, ids from the index
(next review or first flag, then newest id), instead of a heap read and a sort per panel."""

from django.db import migrations, models

NOT_CLOSED = ~models.Q(status="closed")


class Migration(migrations.Migration):
    dependencies = [("casework", "0037_search_indexes")]

    operations = [
        migrations.RemoveIndex(model_name="case", name="case_current_review_idx"),
        migrations.RemoveIndex(model_name="case", name="case_current_flagged_idx"),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(condition=NOT_CLOSED, fields=["next_review_on", "-id"], name="case_current_review_idx"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(case_review_flagged_at__isnull=False) & NOT_CLOSED,
                fields=["case_review_flagged_at", "-id"],
                name="case_current_flagged_idx",
            ),
        ),
    ]
