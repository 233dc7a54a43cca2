"""The demo incidents and risk assessments: the intimidation case over the threshold, risks as the demo says."""

import io

from django.core.management import call_command

from agencies import demo
from agencies.models import Agency, Partnership
from casework import demo_incidents
from casework.models import Case, CaseReviewRequest, Incident, RiskAssessment
from tests.casework.factories_incidents import make_person_on_case


def _seed_cases_only(monkeypatch):
    monkeypatch.setattr(demo, "FURTHER_DEMO_MODULES", ["casework.demo"])
    call_command("seed_demo", "--password", "demo-password-123", stdout=io.StringIO())


def _seed_incidents():
    out = io.StringIO()
    demo_incidents.seed(
        partnerships={p.slug: p for p in Partnership.objects.all()},
        agencies={a.slug: a for a in Agency.objects.all()},
        stdout=out,
    )
    return out.getvalue()


def test_with_a_victim_on_the_case_the_intimidation_case_is_over_the_threshold(db, monkeypatch):
    _seed_cases_only(monkeypatch)
    for case in Case.objects.all():
        make_person_on_case(case=case, first_name="Victim", last_name=case.reference)
    output = _seed_incidents()

    flagged = Case.objects.filter(case_review_flagged_at__isnull=False)
    assert [case.summary for case in flagged] == [demo_incidents.THRESHOLD_CASE]
    intimidation = flagged.get()
    assert intimidation.case_review_rule.startswith("3 complaints in 6 months (")
    assert intimidation.reference in output
    request = CaseReviewRequest.objects.get(case=intimidation)
    assert request.requested_by is not None and request.decision_due_on > request.requested_on
    assert Incident.objects.filter(is_hate_motivated=True, case__summary="Racist abuse shouted at shop owner").count() == 2
    assert Incident.objects.filter(created_by__username="police-caseworker").exists()


def test_demo_risk_assessments_agree_with_the_demo_risk_levels_and_reviews(db, monkeypatch):
    _seed_cases_only(monkeypatch)
    planned = {case.pk: (case.risk_level, case.next_review_on) for case in Case.objects.all()}
    _seed_incidents()
    for case in Case.objects.all():
        latest = RiskAssessment.objects.filter(case=case).order_by("-assessed_on", "-id").first()
        assert latest is not None, case.summary
        assert latest.level == case.risk_level == planned[case.pk][0], case.summary
        assert case.next_review_on == planned[case.pk][1], case.summary
    history = RiskAssessment.objects.filter(case__summary=demo_incidents.THRESHOLD_CASE).order_by("assessed_on")
    assert [a.level for a in history] == ["medium", "high"]


def test_without_victims_incidents_have_no_reporter_and_nothing_is_flagged(db, monkeypatch):
    _seed_cases_only(monkeypatch)
    output = _seed_incidents()
    assert Incident.objects.exists() and not Incident.objects.filter(reported_by__isnull=False).exists()
    assert not Case.objects.filter(case_review_flagged_at__isnull=False).exists()
    assert "not flagged" in output


def test_the_whole_demo_is_idempotent(db):
    call_command("seed_demo", "--password", "demo-password-123", stdout=io.StringIO())
    counts = (Incident.objects.count(), RiskAssessment.objects.count(), CaseReviewRequest.objects.count())
    call_command("seed_demo", "--password", "demo-password-123", stdout=io.StringIO())
    assert (Incident.objects.count(), RiskAssessment.objects.count(), CaseReviewRequest.objects.count()) == counts
    assert counts[0] > 20 and counts[1] >= 12
