"""Reads of victim risk assessments. The case passed in was fetched through case_get, so the user may see it."""

from django.db.models import Prefetch

from casework.models import Case, RiskAnswer, RiskAssessment


def risk_assessment_list(*, case: Case):
    """The case's assessments, newest first, each with its answers (as asked) in one further query."""
    return (
        RiskAssessment.objects.filter(case=case)
        .select_related("assessor", "agency")
        .prefetch_related(Prefetch("answers", queryset=RiskAnswer.objects.order_by("id")))
        .order_by("-assessed_on", "-id")
    )
