"""The referral inbox's "settled lately" read from an index on each side (county scale)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial")]

    operations = [
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(fields=["from_agency", "-responded_at", "-id"], name="referral_sent_answered_idx"),
        ),
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(fields=["to_agency", "-responded_at", "-id"], name="referral_received_answered_idx"),
        ),
    ]
