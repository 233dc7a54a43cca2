"""Victim risk: the default questionnaire, scoring by the partnership's thresholds, next reviews and the audit."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import Actor
from casework.models import Case, RiskAssessment, RiskQuestion
from casework.services.cases import CaseVersionConflict, case_update
from casework.services.risk import DEFAULT_QUESTIONS, risk_assessment_record, risk_questions_ensure
from tests.casework.factories import make_case


@pytest.fixture
def case(partnership, police):
    return make_case(partnership=partnership, lead_agency=police, summary="Intimidation of an elderly neighbour")


@pytest.fixture
def binary_questions(partnership):
    """Weights 1, 2, 4 and 8: every score from 0 to 15 has exactly one set of answers."""
    return [
        RiskQuestion.objects.create(partnership=partnership, text=f"Question weighing {weight}", weight=weight, sort_order=weight)
        for weight in (1, 2, 4, 8)
    ]


def answers_for(questions, score):
    return {q.pk: bool(score & q.weight) for q in questions}


def test_a_partnership_without_questions_gets_the_default_questionnaire_once(partnership):
    questions = risk_questions_ensure(partnership=partnership)
    assert len(questions) == len(DEFAULT_QUESTIONS) >= 10
    topics = " ".join(q.topic.lower() for q in questions)
    for covered in ("repeat", "hate", "age", "disability", "mental health", "health", "daily life", "reprisal"):
        assert covered in topics
    total = sum(q.weight for q in questions)
    assert partnership.risk_medium_from < partnership.risk_high_from < total
    assert len(risk_questions_ensure(partnership=partnership)) == len(questions)
    assert RiskQuestion.objects.filter(partnership=partnership).count() == len(questions)
    assert AuditEvent.objects.filter(object_type="riskquestion").count() == 1


@pytest.mark.parametrize(
    "score, level",
    [(0, "standard"), (7, "standard"), (8, "medium"), (14, "medium"), (15, "high")],
)
def test_the_score_gives_the_level_by_the_partnerships_thresholds(case, binary_questions, score, level):
    assessment = risk_assessment_record(actor=Actor.system(), case=case, assessed_on=date(2026, 3, 10), answers=answers_for(binary_questions, score))
    assert (assessment.score, assessment.level) == (score, level)
    case.refresh_from_db()
    assert case.risk_level == level


def test_the_partnerships_own_thresholds_are_used(case, binary_questions, partnership):
    partnership.risk_medium_from, partnership.risk_high_from = 4, 6
    partnership.save()
    case.refresh_from_db()
    assessment = risk_assessment_record(actor=Actor.system(), case=case, assessed_on=date(2026, 3, 10), answers=answers_for(binary_questions, 6))
    assert assessment.level == "high"


@pytest.mark.parametrize("score, days", [(15, 14), (8, 28), (3, 56)])
def test_the_next_review_is_counted_from_the_assessment_date(case, binary_questions, score, days):
    risk_assessment_record(actor=Actor.system(), case=case, assessed_on=date(2026, 3, 10), answers=answers_for(binary_questions, score))
    case.refresh_from_db()
    assert case.next_review_on == date(2026, 3, 10) + timedelta(days=days)


def test_recording_changes_the_case_with_an_audited_version_bump(case, binary_questions, police_caseworker, police):
    assert case.version == 1
    actor = Actor(user=police_caseworker, agency=police)
    assessment = risk_assessment_record(actor=actor, case=case, assessed_on=date(2026, 3, 10), answers=answers_for(binary_questions, 9), notes="Afraid to go out")
    case.refresh_from_db()
    assert case.version == 2
    update = AuditEvent.objects.get(case_id=case.pk, action=AuditEvent.Action.UPDATE)
    assert update.changes == {
        "risk_level": ["not_assessed", "medium"],
        "next_review_on": [None, "2026-04-07"],
        "version": [1, 2],
    }
    assert update.username == "police-cw" and update.agency_name == police.name
    created = AuditEvent.objects.get(case_id=case.pk, action=AuditEvent.Action.CREATE, object_type="riskassessment")
    assert created.changes["score"] == [None, 9]
    assert assessment.assessor == police_caseworker and assessment.agency == police

    # Someone editing the case form from version 1 is told what changed.
    with pytest.raises(CaseVersionConflict) as conflict:
        case_update(actor=actor, case=case, expected_version=1, ward="Soham North")
    assert conflict.value.changes["risk_level"] == ["not_assessed", "medium"]


def test_answers_keep_the_question_and_weight_as_asked(case, binary_questions):
    assessment = risk_assessment_record(actor=Actor.system(), case=case, assessed_on=date(2026, 3, 10), answers=answers_for(binary_questions, 8))
    question = binary_questions[3]
    question.text, question.weight = "Reworded later", 1
    question.save()
    answer = assessment.answers.get(question=question)
    assert (answer.question_text, answer.weight, answer.answer) == ("Question weighing 8", 8, True)
    assert [a.answer for a in assessment.answers.all()] == [False, False, False, True]


def test_an_older_assessment_entered_late_does_not_override_the_latest(case, binary_questions):
    risk_assessment_record(actor=Actor.system(), case=case, assessed_on=date(2026, 3, 10), answers=answers_for(binary_questions, 15))
    risk_assessment_record(actor=Actor.system(), case=case, assessed_on=date(2026, 2, 1), answers=answers_for(binary_questions, 2))
    case.refresh_from_db()
    assert (case.risk_level, case.next_review_on, case.version) == ("high", date(2026, 3, 24), 2)
    assert RiskAssessment.objects.filter(case=case).count() == 2


def test_inactive_questions_are_not_asked(case, binary_questions):
    retired = binary_questions[0]
    retired.is_active = False
    retired.save()
    answers = {q.pk: True for q in binary_questions[1:]}
    assessment = risk_assessment_record(actor=Actor.system(), case=case, assessed_on=date(2026, 3, 10), answers=answers)
    assert assessment.score == 14 and assessment.answers.count() == 3


@pytest.mark.parametrize(
    "change, field",
    [
        (lambda answers, qs: answers.pop(qs[0].pk), "answers"),
        (lambda answers, qs: answers.update({999999: True}), "answers"),
    ],
)
def test_every_question_must_be_answered_and_no_others(case, binary_questions, change, field):
    answers = answers_for(binary_questions, 3)
    change(answers, binary_questions)
    with pytest.raises(ValidationError) as refused:
        risk_assessment_record(actor=Actor.system(), case=case, assessed_on=date(2026, 3, 10), answers=answers)
    assert field in refused.value.message_dict
    assert not RiskAssessment.objects.exists()
    case.refresh_from_db()
    assert case.risk_level == Case.RiskLevel.NOT_ASSESSED and case.version == 1


def test_an_assessment_in_the_future_is_refused(case, binary_questions):
    with pytest.raises(ValidationError) as refused:
        risk_assessment_record(actor=Actor.system(), case=case, assessed_on=timezone.localdate() + timedelta(days=1), answers=answers_for(binary_questions, 3))
    assert "assessed_on" in refused.value.message_dict
    assert not RiskAssessment.objects.exists()
