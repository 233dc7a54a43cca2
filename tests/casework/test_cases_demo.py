from django.core.management import call_command
from django.urls import reverse

from audit.models import AuditEvent
from casework.models import Case
from casework.services.imports import CLOSED_BEFORE_IMPORT
from tests.agencies.factories_security import sign_in_with_code


def test_demo_gives_lead_officers_closed_and_reopened_cases_once(db, client):
    call_command("seed_demo", "--password", "demo-password-123")
    events = AuditEvent.objects.count()
    call_command("seed_demo", "--password", "demo-password-123")
    assert AuditEvent.objects.count() == events  # a second run changes nothing

    ecam = Case.objects.filter(partnership__short_code="ECAM")
    # Not the governance demo's old cases, closed years ago and now under retention review, nor the history the
    # reports demo imports.
    assert set(ecam.filter(status="closed", retention_review__isnull=True).exclude(closing_reason=CLOSED_BEFORE_IMPORT).values_list("summary", flat=True)) == {
        "Graffiti on the railway underpass", "Dog fouling on the primary school path",
    }
    reopened = ecam.get(summary="Fly tipping on the drove road")
    assert reopened.status == "open" and AuditEvent.objects.filter(case_id=reopened.pk, detail__startswith="Case reopened").exists()
    assert ecam.get(summary="Repeated intimidation of elderly neighbour").lead_officer.username == "police-caseworker"

    sign_in_with_code(client, "police-caseworker", "demo-password-123")
    page = client.get(reverse("dashboard")).content.decode()
    assert "Repeated intimidation of elderly neighbour" in page.split('data-testid="panel-mine"')[1]
    assert "Repeated intimidation of elderly neighbour" in page.split('data-testid="panel-reviews_due"')[1]
