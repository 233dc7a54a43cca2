"""Celery tasks for casework: they take ids and call services; each is idempotent and acks late."""

from celery import shared_task

from audit.services import Actor


@shared_task(acks_late=True)
def subject_access_produce_task(request_id: int) -> str:
    from casework.services.subject_access import subject_access_produce

    return subject_access_produce(request_id=request_id).status


@shared_task(acks_late=True)
def retention_review_task() -> int:
    """Monthly: list closed cases past their retention period, and finish anonymisations approved but not yet done
    (their task was lost, or failed and is tried again)."""
    from casework.models import RetentionReview
    from casework.services.retention import retention_reviews_raise

    raised = retention_reviews_raise(actor=Actor.system())
    for review_id in RetentionReview.objects.filter(status=RetentionReview.Status.APPROVED).values_list("pk", flat=True):
        case_anonymise_task.delay(review_id)
    return raised


@shared_task(acks_late=True)
def case_anonymise_task(review_id: int) -> str | None:
    from casework.services.retention import retention_review_anonymise

    review = retention_review_anonymise(review_id=review_id)
    return review.status if review else None
