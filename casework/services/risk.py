"""Victim risk: the partnership's weighted questionnaire, and assessments that set the case's risk and next review."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import Actor, audit_record, diff
from casework.models import Case, RiskAnswer, RiskAssessment, RiskQuestion

# The default questionnaire: (topic, question, weight). Weights total 30, against the partnership's defaults of
# medium risk from 8 and high from 15: repeat targeting with fear of reprisal and a health impact (8) is medium;
# add a vulnerability such as a mental health condition and escalating threats (14), then isolation, and it is high.
DEFAULT_QUESTIONS = [
    ("Repeat targeting", "Has the victim been targeted more than once in the last three months?", 3),
    ("Hate motivation", "Does the victim believe they are targeted because of their race, religion, disability, sexual orientation or gender identity?", 3),
    ("Escalation", "Has the behaviour got worse recently, or included threats or violence?", 3),
    ("Vulnerability: age", "Is the victim aged 65 or over, or under 18?", 2),
    ("Vulnerability: disability", "Does the victim have a physical disability, a learning disability or a long-term illness?", 2),
    ("Vulnerability: mental health", "Does the victim have a mental health condition, or has the ASB affected their mental health?", 3),
    ("Impact on health", "Is the ASB affecting the victim's physical health, for example their sleep or eating?", 2),
    ("Impact on daily life", "Has the victim changed their routine, stopped going out or stayed away from home because of the ASB?", 2),
    ("Fear of reprisal", "Is the victim afraid of reprisals if they report the ASB or give evidence?", 3),
    ("Isolation", "Does the victim live alone, or have no support from family, friends or neighbours?", 2),
    ("Harm to self", "Has the victim said they have thought about harming themselves, or feel they cannot cope?", 4),
    ("Other household members", "Are children or other vulnerable people in the household affected?", 1),
]


def risk_questions_ensure(*, partnership, actor: Actor | None = None) -> list[RiskQuestion]:
    """The partnership's active questions, creating the default questionnaire the first time it has none at all."""
    if not RiskQuestion.objects.filter(partnership=partnership).exists():
        _create_default_questions(partnership=partnership, actor=actor)
    return list(RiskQuestion.objects.filter(partnership=partnership, is_active=True).order_by("sort_order", "id"))


@transaction.atomic
def _create_default_questions(*, partnership, actor: Actor | None) -> None:
    # Two first visits at once must not both create the questionnaire: lock the partnership and look again.
    locked = type(partnership).objects.select_for_update().get(pk=partnership.pk)
    if not RiskQuestion.objects.filter(partnership=locked).exists():
        RiskQuestion.objects.bulk_create(
            RiskQuestion(partnership=locked, topic=topic, text=text, weight=weight, sort_order=(number + 1) * 10)
            for number, (topic, text, weight) in enumerate(DEFAULT_QUESTIONS)
        )
        audit_record(
            actor=actor or Actor.system(),
            action=AuditEvent.Action.CREATE,
            object_type="riskquestion",
            object_repr=f"Victim risk questionnaire of {locked}"[:200],
            detail=f"Default questionnaire of {len(DEFAULT_QUESTIONS)} questions created",
        )


def risk_level_for(*, partnership, score: int) -> str:
    if score >= partnership.risk_high_from:
        return Case.RiskLevel.HIGH
    if score >= partnership.risk_medium_from:
        return Case.RiskLevel.MEDIUM
    return Case.RiskLevel.STANDARD


def next_review_for(*, partnership, level: str, assessed_on: date) -> date:
    days = {
        Case.RiskLevel.HIGH: partnership.review_days_high,
        Case.RiskLevel.MEDIUM: partnership.review_days_medium,
        Case.RiskLevel.STANDARD: partnership.review_days_standard,
    }[level]
    return assessed_on + timedelta(days=days)


@transaction.atomic
def risk_assessment_record(
    *, actor: Actor, case: Case, assessed_on: date, answers: dict[int, bool], notes: str = ""
) -> RiskAssessment:
    """Record an assessment: every active question answered yes or no, by question id.

    The total of the weights answered yes gives the level by the partnership's thresholds. When this is the latest
    assessment of the case, the case takes its risk level and a next review date counted from the assessment date.
    """
    partnership = case.partnership
    questions = risk_questions_ensure(partnership=partnership, actor=actor)
    errors = {}
    if assessed_on > timezone.localdate():
        errors["assessed_on"] = "The date of the assessment must be today or in the past."
    asked = {question.pk for question in questions}
    unknown = set(answers) - asked
    missing = [question for question in questions if question.pk not in answers]
    if unknown:
        errors["answers"] = f"These are not questions of this partnership's questionnaire: {', '.join(map(str, sorted(unknown)))}."
    elif missing:
        errors["answers"] = f"Answer every question. Not answered: {'; '.join(q.text for q in missing)}"[:1000]
    if errors:
        raise ValidationError(errors)

    score = sum(question.weight for question in questions if answers[question.pk])
    level = risk_level_for(partnership=partnership, score=score)
    assessment = RiskAssessment.objects.create(
        case=case,
        assessed_on=assessed_on,
        assessor=actor.user if actor.user is not None and actor.user.is_authenticated else None,
        agency=actor.agency,
        score=score,
        level=level,
        notes=notes or "",
    )
    RiskAnswer.objects.bulk_create(
        RiskAnswer(assessment=assessment, question=q, question_text=q.text, weight=q.weight, answer=bool(answers[q.pk]))
        for q in questions
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=assessment,
        object_repr=f"Victim risk assessment on {case.reference}",
        case_id=case.pk,
        changes={"assessed_on": [None, assessed_on.isoformat()], "score": [None, score], "level": [None, level]},
        detail=f"Victim risk assessment: score {score}, {Case.RiskLevel(level).label.lower()} risk",
    )
    _case_take_latest_assessment(actor=actor, case=case, assessment=assessment)
    return assessment


def _case_take_latest_assessment(*, actor: Actor, case: Case, assessment: RiskAssessment) -> None:
    """Set the case's risk and next review from its latest assessment, with the old and new values audited."""
    current = Case.objects.select_for_update().select_related("partnership").get(pk=case.pk)
    latest = RiskAssessment.objects.filter(case=current).order_by("-assessed_on", "-id").first()
    if latest.pk != assessment.pk:
        return  # an older assessment entered late does not override a newer one
    fields = ("risk_level", "next_review_on")
    before = {name: getattr(current, name) for name in fields}
    current.risk_level = assessment.level
    current.next_review_on = next_review_for(partnership=current.partnership, level=assessment.level, assessed_on=assessment.assessed_on)
    changed = diff(before, {name: getattr(current, name) for name in fields})
    if not changed:
        return
    changed["version"] = [current.version, current.version + 1]
    current.version += 1
    current.save(update_fields=[*fields, "version", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=current,
        case_id=current.pk,
        changes=changed,
        detail="Victim risk assessment recorded",
    )
    for name in (*fields, "version"):
        setattr(case, name, getattr(current, name))
