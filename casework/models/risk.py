from django.conf import settings
from django.db import models

from agencies.models import Partnership
from casework.models.cases import Case


class RiskQuestion(models.Model):
    """One weighted yes/no question of a partnership's victim risk questionnaire."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="risk_questions")
    text = models.CharField(max_length=300)
    topic = models.CharField(max_length=60, blank=True, help_text="For example: repeat targeting, vulnerability")
    weight = models.PositiveSmallIntegerField(default=1)
    sort_order = models.PositiveSmallIntegerField(default=100)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["partnership", "sort_order", "id"]

    def __str__(self):
        return self.text


class RiskAssessment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="risk_assessments")
    assessed_on = models.DateField()
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    agency = models.ForeignKey("agencies.Agency", null=True, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField()
    level = models.CharField(max_length=20, choices=Case.RiskLevel.choices)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-id"]


class RiskAnswer(models.Model):
    """An answer, keeping the question's wording and weight as they were when asked."""

    assessment = models.ForeignKey(RiskAssessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(RiskQuestion, null=True, on_delete=models.SET_NULL, related_name="+")
    question_text = models.CharField(max_length=300)
    weight = models.PositiveSmallIntegerField()
    answer = models.BooleanField()

    class Meta:
        ordering = ["id"]
