"""Schedule the check for stale report runs in django-celery-beat's own tables (the beat scheduler is the database
one), every five minutes, so that a run whose worker vanished is marked failed even if nobody opens the archive."""

from django.db import migrations

TASK_NAME = "Reports: mark stale report runs failed"


def schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_five, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    PeriodicTask.objects.update_or_create(
        name=TASK_NAME,
        defaults={"task": "reports.tasks.report_runs_stale_check_task", "interval": every_five, "enabled": True,
                  "description": "Marks failed, with the reason, any report run whose worker went quiet or that no worker started."},
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
