"""Each answer to a referral does what it says to access, checked through casework.permissions before and after."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import Actor
from casework import permissions as P
from casework.models import Case, CaseAccess
from casework.permissions import case_permissions
from casework.services.cases import case_close, case_lead_change
from referrals.models import Referral, ReferralMessage
from referrals.services.referrals import (
    ReferralNotPending,
    referral_accept,
    referral_decline,
    referral_message_write,
    referral_send,
    referral_withdraw,
)
from tests.casework.factories import make_case
from tests.referrals.factories_referrals import make_referral

LEAD = {P.VIEW, P.CONTRIBUTE, P.CHANGE, P.MANAGE}


@pytest.fixture
def case(partnership, council):
    return make_case(partnership=partnership, lead_agency=council, summary="Noise from the flat above", address="4 Fore Hill, Ely")


def perms(user, agency, case):
    return case_permissions(user=user, agency=agency, case=case)


def as_(user, agency):
    return Actor(user=user, agency=agency)


def test_a_referral_gives_nothing_until_it_is_accepted_and_contribute_then_gives_contributor(case, council, housing, council_caseworker, housing_caseworker):
    referral = make_referral(case=case, from_agency=council, to_agency=housing, by=council_caseworker, purpose=Referral.Purpose.CONTRIBUTE)
    assert referral.status == Referral.Status.PENDING
    assert perms(housing_caseworker, housing, case) == set()

    referral_accept(actor=as_(housing_caseworker, housing), referral=referral)

    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED and referral.responded_by == housing_caseworker
    assert perms(housing_caseworker, housing, case) == {P.VIEW, P.CONTRIBUTE}
    assert perms(council_caseworker, council, case) == LEAD
    assert CaseAccess.objects.get(case=case, agency=housing, revoked_at__isnull=True).level == CaseAccess.Level.CONTRIBUTOR


def test_accepting_information_only_gives_view_only(case, council, housing, council_caseworker, housing_caseworker):
    referral = make_referral(case=case, from_agency=council, to_agency=housing, by=council_caseworker, purpose=Referral.Purpose.INFORMATION)
    referral_accept(actor=as_(housing_caseworker, housing), referral=referral)
    assert perms(housing_caseworker, housing, case) == {P.VIEW}


@pytest.mark.parametrize(
    "kept, expected",
    [
        (Referral.FormerLeadAccess.CONTRIBUTOR, {P.VIEW, P.CONTRIBUTE}),
        (Referral.FormerLeadAccess.INFORMATION, {P.VIEW}),
        (Referral.FormerLeadAccess.NONE, set()),
    ],
)
def test_after_a_lead_transfer_the_old_leads_caseworker_sees_exactly_what_the_referrer_chose(
    case, council, housing, council_caseworker, housing_caseworker, kept, expected
):
    referral = make_referral(
        case=case, from_agency=council, to_agency=housing, by=council_caseworker, purpose=Referral.Purpose.TAKE_LEAD,
        former_lead_access=kept,
    )
    assert perms(council_caseworker, council, case) == LEAD

    referral_accept(actor=as_(housing_caseworker, housing), referral=referral)

    case.refresh_from_db()
    assert case.lead_agency == housing
    assert perms(housing_caseworker, housing, case) == LEAD
    assert perms(council_caseworker, council, case) == expected
    lead_periods = CaseAccess.objects.filter(case=case, level=CaseAccess.Level.LEAD).order_by("granted_at", "id")
    assert [(p.agency_id, p.revoked_at is None) for p in lead_periods] == [(council.pk, False), (housing.pk, True)]


def test_declined_leaves_access_exactly_as_it_was(case, council, housing, police, council_caseworker, housing_caseworker, police_caseworker):
    referral = make_referral(case=case, from_agency=council, to_agency=housing, by=council_caseworker, purpose=Referral.Purpose.TAKE_LEAD)
    before = {agency.pk: perms(user, agency, case) for user, agency in [(council_caseworker, council), (housing_caseworker, housing)]}
    periods_before = list(CaseAccess.objects.filter(case=case).values_list("agency", "level", "revoked_at"))

    with pytest.raises(ValidationError) as error:
        referral_decline(actor=as_(housing_caseworker, housing), referral=referral, reason="   ")
    assert "reason" in error.value.message_dict
    referral_decline(actor=as_(housing_caseworker, housing), referral=referral, reason="Not one of our tenants")

    referral.refresh_from_db()
    assert referral.status == Referral.Status.DECLINED and referral.decline_reason == "Not one of our tenants"
    after = {agency.pk: perms(user, agency, case) for user, agency in [(council_caseworker, council), (housing_caseworker, housing)]}
    assert after == before
    assert list(CaseAccess.objects.filter(case=case).values_list("agency", "level", "revoked_at")) == periods_before
    assert Case.objects.get(pk=case.pk).lead_agency == council


def test_withdrawn_leaves_access_as_it_was_and_only_the_sender_may_withdraw(case, council, housing, council_caseworker, housing_caseworker):
    referral = make_referral(case=case, from_agency=council, to_agency=housing, by=council_caseworker)
    with pytest.raises(PermissionDenied):
        referral_withdraw(actor=as_(housing_caseworker, housing), referral=referral)
    referral_withdraw(actor=as_(council_caseworker, council), referral=referral)
    referral.refresh_from_db()
    assert referral.status == Referral.Status.WITHDRAWN
    assert perms(housing_caseworker, housing, case) == set()
    with pytest.raises(ReferralNotPending, match="withdrawn"):
        referral_accept(actor=as_(housing_caseworker, housing), referral=referral)
    assert perms(housing_caseworker, housing, case) == set()


def test_a_question_and_its_answer_change_no_access(case, council, housing, council_caseworker, housing_caseworker):
    referral = make_referral(case=case, from_agency=council, to_agency=housing, by=council_caseworker)
    referral_message_write(actor=as_(housing_caseworker, housing), referral=referral, text="Is the tenant aware of the complaints?")
    referral_message_write(actor=as_(council_caseworker, council), referral=referral, text="Not yet.")
    thread = list(ReferralMessage.objects.filter(referral=referral).values_list("agency", "text"))
    assert thread == [(housing.pk, "Is the tenant aware of the complaints?"), (council.pk, "Not yet.")]
    assert perms(housing_caseworker, housing, case) == set()
    assert Referral.objects.get(pk=referral.pk).status == Referral.Status.PENDING
    with pytest.raises(ValidationError):
        referral_message_write(actor=as_(housing_caseworker, housing), referral=referral, text=" ")


def test_a_third_agency_cannot_write_in_the_thread_or_answer(case, council, housing, fire, council_caseworker, fire_caseworker):
    referral = make_referral(case=case, from_agency=council, to_agency=housing, by=council_caseworker)
    with pytest.raises(PermissionDenied):
        referral_message_write(actor=as_(fire_caseworker, fire), referral=referral, text="Hello")
    with pytest.raises(PermissionDenied):
        referral_accept(actor=as_(fire_caseworker, fire), referral=referral)
    with pytest.raises(PermissionDenied):
        referral_accept(actor=as_(council_caseworker, council), referral=referral)
    assert perms(fire_caseworker, fire, case) == set()


def test_only_the_lead_agency_may_refer(case, partnership, council, housing, police, police_caseworker, housing_caseworker):
    from casework.services.access import case_access_grant

    case_access_grant(actor=Actor.system(), case=case, agency=police, level=CaseAccess.Level.CONTRIBUTOR)
    with pytest.raises(PermissionDenied):
        referral_send(actor=as_(police_caseworker, police), case=case, to_agency=housing, purpose="contribute", reason="x")
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    "change, field",
    [
        ({"reason": "  "}, "reason"),
        ({"purpose": "adopt"}, "purpose"),
        ({"respond_by": "yesterday"}, "respond_by"),
        ({"purpose": "take_lead", "former_lead_access": "everything"}, "former_lead_access"),
    ],
)
def test_bad_referrals_are_refused_naming_the_field(case, council, housing, council_caseworker, change, field):
    values = {"to_agency": housing, "purpose": "contribute", "reason": "Tenancy matter", **change}
    if values.get("respond_by") == "yesterday":
        values["respond_by"] = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        referral_send(actor=as_(council_caseworker, council), case=case, **values)
    assert field in error.value.message_dict
    assert not Referral.objects.exists()


def test_the_default_reply_date_is_five_working_days_and_a_second_pending_referral_to_the_same_agency_is_refused(
    case, council, housing, council_caseworker, today
):
    today(date(2026, 4, 2))  # the Thursday before Easter
    referral = make_referral(case=case, from_agency=council, to_agency=housing, by=council_caseworker)
    # Good Friday and Easter Monday are bank holidays: 7, 8, 9, 10, 13 April.
    assert referral.respond_by == date(2026, 4, 13)
    with pytest.raises(ValidationError) as error:
        make_referral(case=case, from_agency=council, to_agency=housing, by=council_caseworker)
    assert "already waiting" in error.value.message_dict["to_agency"][0]


def test_agency_not_serving_the_partnership_and_the_sender_itself_are_refused(case, other_partnership, council, council_caseworker):
    from tests.agencies.factories import make_agency

    elsewhere = make_agency(partnerships=[other_partnership], slug="fenland-dc")
    for to in (elsewhere, council):
        with pytest.raises(ValidationError) as error:
            referral_send(actor=as_(council_caseworker, council), case=case, to_agency=to, purpose="contribute", reason="x")
        assert "to_agency" in error.value.message_dict


def test_accepting_after_the_lead_moved_elsewhere_or_the_case_closed_is_refused_and_grants_nothing(
    case, council, housing, police, council_caseworker, housing_caseworker
):
    referral = make_referral(case=case, from_agency=council, to_agency=housing, by=council_caseworker)
    case_lead_change(actor=Actor.system(), case=case, new_lead=police, old_lead_level=None)
    with pytest.raises(ValidationError, match="no longer leads"):
        referral_accept(actor=as_(housing_caseworker, housing), referral=referral)
    assert Referral.objects.get(pk=referral.pk).status == Referral.Status.PENDING
    assert perms(housing_caseworker, housing, case) == set()

    other = make_case(partnership=case.partnership, lead_agency=council)
    referral = make_referral(case=other, from_agency=council, to_agency=housing, by=council_caseworker)
    case_close(actor=Actor.system(), case=other, outcome="resolved", reason="Moved away")
    with pytest.raises(ValidationError, match="closed"):
        referral_accept(actor=as_(housing_caseworker, housing), referral=referral)
    assert perms(housing_caseworker, housing, other) == set()


def test_every_state_change_is_audited_with_the_case(case, council, housing, council_caseworker, housing_caseworker):
    referral = make_referral(case=case, from_agency=council, to_agency=housing, by=council_caseworker)
    referral_accept(actor=as_(housing_caseworker, housing), referral=referral)
    events = AuditEvent.objects.filter(case_id=case.pk, object_type="referral").order_by("id")
    assert [(e.action, e.username, e.agency_name) for e in events] == [
        ("create", council_caseworker.username, council.name),
        ("update", housing_caseworker.username, housing.name),
    ]
    assert events.last().changes == {"status": ["pending", "accepted"]}
    assert AuditEvent.objects.filter(case_id=case.pk, action="grant", agency_name=housing.name).count() == 1
