"""A real Celery worker process takes a task from Redis and completes it against the test database."""

import pytest

from audit.models import AuditChainCheck
from audit.services import Actor, audit_record
from audit.tasks import audit_chain_verify_task
from tests.celery_worker import celery_worker_process, wait_until


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_takes_a_task_from_redis_and_completes_it():
    with celery_worker_process() as (queue, poll):
        for n in range(3):
            audit_record(actor=Actor.system(), action="view", object_type="case", object_id=n)
        audit_chain_verify_task.apply_async(queue=queue)
        assert wait_until(AuditChainCheck.objects.exists, poll=poll, seconds=60), "the worker did not complete the task within 60 seconds"
        check = AuditChainCheck.objects.first()
        assert check.ok and check.rows_checked == 3
