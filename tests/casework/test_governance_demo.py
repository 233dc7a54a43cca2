"""The governance demo: old cases due for review, one kept, one anonymised; a subject access request; a chain check."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from audit.models import AuditChainCheck
from casework.demo_governance import ANONYMISED, DEFERRED, HISTORIC_CASES, SAR_REFERENCE
from casework.models import Case, Person, RetentionReview, SubjectAccessRequest
from casework.tasks import subject_access_produce_task
from tests.casework.factories_documents import media_root  # noqa: F401

pytestmark = pytest.mark.usefixtures("media_root")


def test_the_demo_gives_the_coordinator_and_the_dpo_living_pages_and_loads_once(db, client):
    call_command("seed_demo", "--password", "demo-password-123", stdout=io.StringIO())
    counts = (Case.objects.count(), Person.objects.count(), RetentionReview.objects.count(), SubjectAccessRequest.objects.count())
    call_command("seed_demo", "--password", "demo-password-123", stdout=io.StringIO())
    assert (Case.objects.count(), Person.objects.count(), RetentionReview.objects.count(), SubjectAccessRequest.objects.count()) == counts

    reviews = {r.case.summary: r.status for r in RetentionReview.objects.select_related("case")}
    assert sorted(reviews.values()) == ["anonymised", "deferred", "due", "due"]
    assert reviews["[anonymised]"] == "anonymised" and reviews[DEFERRED] == "deferred"
    assert not Case.objects.filter(summary=ANONYMISED).exists()
    assert not Person.objects.filter(last_name="Pearce").exists()  # the person on the anonymised case
    assert len(HISTORIC_CASES) == 4 and AuditChainCheck.objects.filter(first_broken_id__isnull=True).exists()

    request = SubjectAccessRequest.objects.get(request_reference=SAR_REFERENCE)
    assert request.person.last_name == "Whitmore" and request.status == "queued" and request.requested_by.username == "dpo"
    subject_access_produce_task(request.pk)  # what the worker does once the seed has committed
    request.refresh_from_db()
    assert request.status == "done" and request.pdf_file

    assert client.login(username="dpo", password="demo-password-123")
    assert SAR_REFERENCE in client.get(reverse("subject_access_list")).content.decode()
    assert "Intact" in client.get(reverse("audit_chain")).content.decode()
    assert client.get(reverse("audit_search")).status_code == 200
    assert client.login(username="coordinator", password="demo-password-123")
    page = client.get(reverse("retention_list")).content.decode()
    assert "2 cases" in page and "Young people gathering" not in page  # the list shows kinds, not summaries
