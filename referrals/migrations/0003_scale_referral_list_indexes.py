"""The API's referral lists read from an index on each side, newest first (county scale): a police force receives
twenty thousand referrals, which its first page read, joined and sorted in full (about 110 ms)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("referrals", "0002_scale_referral_answered_indexes")]

    operations = [
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(fields=["to_agency", "-created_at", "-id"], name="referral_received_idx"),
        ),
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(fields=["from_agency", "-created_at", "-id"], name="referral_sent_idx"),
        ),
    ]
