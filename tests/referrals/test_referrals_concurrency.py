"""Two people accepting the same referral: one succeeds, the other is told it was already accepted; one grant."""

import os
import threading
import time

import pytest
from django.db import connection, connections
from django.urls import reverse

from audit.models import AuditEvent
from audit.services import Actor
from casework.models import CaseAccess
from referrals.services import referrals as services
from referrals.models import Referral
from referrals.services.referrals import ReferralNotPending, referral_accept
from tests.agencies.factories import make_member
from tests.casework.factories import make_case
from tests.referrals.factories_referrals import make_referral

REQUIRED = os.environ.get("REQUIRE_SERVICES") == "1"


def _postgresql_or_skip():
    if connection.vendor != "postgresql":
        message = "two connections racing for a row lock need PostgreSQL (SQLite serialises every write)"
        if REQUIRED:
            pytest.fail(f"REQUIRE_SERVICES=1 but {message}")
        pytest.skip(message)


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_users_accepting_at_once_one_wins_and_access_is_granted_once(partnership, council, housing, council_caseworker, monkeypatch):
    _postgresql_or_skip()
    first = make_member(agency=housing, partnership=partnership, username="housing-1")
    second = make_member(agency=housing, partnership=partnership, username="housing-2")
    case = make_case(partnership=partnership, lead_agency=council)
    referral = make_referral(case=case, from_agency=council, to_agency=housing, by=council_caseworker)

    # Whoever takes the lock holds it a moment, so that the other is certainly waiting on it.
    real_grant = services.case_access_grant

    def slow_grant(**kwargs):
        time.sleep(0.3)
        return real_grant(**kwargs)

    monkeypatch.setattr(services, "case_access_grant", slow_grant)
    barrier = threading.Barrier(2)
    outcomes = {}

    def accept(user):
        try:
            barrier.wait()
            referral_accept(actor=Actor(user=user, agency=housing), referral=Referral.objects.get(pk=referral.pk))
            outcomes[user.username] = "accepted"
        except ReferralNotPending as error:
            outcomes[user.username] = str(error)
        except Exception as error:  # noqa: BLE001 - reported in the assertion below
            outcomes[user.username] = f"error: {error!r}"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(user,)) for user in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert list(outcomes.values()).count("accepted") == 1, outcomes
    loser = [value for value in outcomes.values() if value != "accepted"]
    assert len(loser) == 1 and loser[0].startswith("This referral was already accepted by Sanctuary Housing"), outcomes
    assert CaseAccess.objects.filter(case=case, agency=housing).count() == 1
    assert AuditEvent.objects.filter(case_id=case.pk, action="grant", detail__contains="Sanctuary Housing").count() == 1
    assert AuditEvent.objects.filter(object_type="referral", changes__status=["pending", "accepted"]).count() == 1


def test_accepting_again_is_told_it_was_already_accepted_and_grants_nothing_more(
    client, partnership, council, housing, council_caseworker, housing_caseworker, housing_supervisor
):
    case = make_case(partnership=partnership, lead_agency=council)
    referral = make_referral(case=case, from_agency=council, to_agency=housing, by=council_caseworker)
    referral_accept(actor=Actor(user=housing_caseworker, agency=housing), referral=referral)

    with pytest.raises(ReferralNotPending) as error:
        referral_accept(actor=Actor(user=housing_supervisor, agency=housing), referral=referral)
    assert str(error.value).startswith("This referral was already accepted by Sanctuary Housing on ")

    client.force_login(housing_supervisor)
    response = client.post(reverse("referral_accept", args=[referral.pk]), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("referral_detail", args=[referral.pk])
    assert "This referral was already accepted by Sanctuary Housing" in response.content.decode()

    assert CaseAccess.objects.filter(case=case, agency=housing).count() == 1
    assert AuditEvent.objects.filter(case_id=case.pk, action="grant", detail__contains="Sanctuary Housing").count() == 1
