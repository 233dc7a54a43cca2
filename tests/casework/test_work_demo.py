from django.core.management import call_command
from django.utils import timezone

from casework.demo import DEMO_CASES
from casework.models import Action, Case, Intervention, InterventionType, Note, SecurityMarking


def test_demo_records_interventions_actions_and_notes_once(db):
    call_command("seed_demo", "--password", "demo-password-123")
    counts = (Intervention.objects.count(), Action.objects.count(), Note.objects.count())
    call_command("seed_demo", "--password", "demo-password-123")
    assert (Intervention.objects.count(), Action.objects.count(), Note.objects.count()) == counts

    def types(summary):
        return set(Intervention.objects.filter(case__summary=summary).values_list("type", flat=True))

    assert InterventionType.ABC in types("Group of young people damaging bus shelter")
    assert {InterventionType.CPW, InterventionType.CPN} <= types("Repeated intimidation of elderly neighbour")
    assert InterventionType.PSPO in types("Street drinking in the market square")
    assert InterventionType.MEDIATION in types("Loud music and shouting from flat at all hours")
    warning = Intervention.objects.get(type=InterventionType.CPW)
    assert warning.status == Intervention.Status.BREACHED and warning.breaches.count() == 1

    today = timezone.localdate()
    assert Action.objects.filter(done_on__isnull=True, due_on__lt=today).count() >= 3
    assert Action.objects.filter(done_on__isnull=False).count() >= 3

    sensitive = Note.objects.get(marking=SecurityMarking.OFFICIAL_SENSITIVE)
    assert sensitive.agency.slug == "cambs-police" and not sensitive.shared_with.exists()
    assert sensitive.author.username == "police-caseworker"
    # Every one of the twelve demo cases has something on it.
    for case in Case.objects.filter(partnership__short_code="ECAM", summary__in=[row[0] for row in DEMO_CASES]):
        assert case.actions.exists(), case.summary
