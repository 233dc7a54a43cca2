"""Referring a case to the monthly ASB casework group, and its return."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from agencies.models import CaseworkGroup
from audit.models import AuditEvent
from audit.services import Actor
from casework import permissions as P
from casework.models import Case, CaseAccess
from casework.permissions import case_permissions
from casework.services.access import case_access_grant
from casework.services.group import case_referred_to_group_mark
from referrals.models import GroupReferral, Referral
from referrals.selectors.referrals import cases_with_group
from referrals.services.referrals import group_referral_return, group_referral_send
from tests.casework.factories import make_case
from tests.referrals.factories_referrals import make_group


@pytest.fixture
def group(partnership, police, council, housing):
    return make_group(partnership=partnership, member_agencies=[police, council, housing], default_venue="Sanctuary Housing, AVRO House, Witchford")


@pytest.fixture
def case(partnership, council):
    return make_case(partnership=partnership, lead_agency=council, opened_on=date(2026, 1, 5))


def test_referring_to_the_group_marks_the_case_and_puts_it_before_member_agencies_without_opening_its_pages(case, group, council, police, housing, fire, council_caseworker, police_caseworker, housing_caseworker, fire_caseworker):
    assert case_permissions(user=police_caseworker, agency=police, case=case) == set()
    version = case.version

    group_referral_send(actor=Actor(user=council_caseworker, agency=council), case=case, group=group, reason="Persistent", referred_on=date(2026, 2, 10))

    case.refresh_from_db()
    assert case.referred_to_group_on == date(2026, 2, 10)
    assert case.status == Case.Status.REFERRED_TO_GROUP
    assert case.version == version + 1
    # Members see the case on the group's agenda, as the pack shows it, not its case pages: the period is recorded.
    assert case_permissions(user=police_caseworker, agency=police, case=case) == set()
    assert case_permissions(user=housing_caseworker, agency=housing, case=case) == set()
    assert set(CaseAccess.objects.filter(case=case, level=CaseAccess.Level.GROUP_MEMBER, revoked_at__isnull=True).values_list("agency", flat=True)) == {
        police.pk, council.pk, housing.pk
    }
    assert not CaseAccess.objects.filter(case=case, agency=fire).exists(), "not a member of the group"
    assert case_permissions(user=council_caseworker, agency=council, case=case) == {P.VIEW, P.CONTRIBUTE, P.CHANGE, P.MANAGE}
    assert AuditEvent.objects.filter(case_id=case.pk, action="update", changes__referred_to_group_on=[None, "2026-02-10"]).exists()
    assert list(cases_with_group(group)) == [case]
    assert cases_with_group(group)[0].group_referred_on == date(2026, 2, 10)


def test_returning_ends_group_access_only_and_keeps_other_levels(case, group, council, police, housing, council_caseworker, police_caseworker, housing_caseworker):
    case_access_grant(actor=Actor.system(), case=case, agency=housing, level=CaseAccess.Level.CONTRIBUTOR)
    group_referral = group_referral_send(actor=Actor(user=council_caseworker, agency=council), case=case, group=group, reason="Persistent")

    group_referral_return(actor=Actor(user=council_caseworker, agency=council), group_referral=group_referral)

    group_referral.refresh_from_db()
    case.refresh_from_db()
    assert group_referral.status == GroupReferral.Status.RETURNED and group_referral.returned_on == timezone.localdate()
    assert case.status == Case.Status.ACTIVE
    assert case.referred_to_group_on is not None, "the date of referral stays for the statistics"
    assert case_permissions(user=police_caseworker, agency=police, case=case) == set()
    assert case_permissions(user=housing_caseworker, agency=housing, case=case) == {P.VIEW, P.CONTRIBUTE}
    assert case_permissions(user=council_caseworker, agency=council, case=case) == {P.VIEW, P.CONTRIBUTE, P.CHANGE, P.MANAGE}
    assert not CaseAccess.objects.filter(case=case, level=CaseAccess.Level.GROUP_MEMBER, revoked_at__isnull=True).exists()
    assert CaseAccess.objects.filter(case=case, level=CaseAccess.Level.GROUP_MEMBER).count() == 3, "the periods are kept, ended"
    assert list(cases_with_group(group)) == []
    with pytest.raises(ValidationError, match="already returned"):
        group_referral_return(actor=Actor(user=council_caseworker, agency=council), group_referral=group_referral)


def test_group_access_another_group_still_gives_is_kept(case, partnership, group, council, police, housing, council_caseworker, police_caseworker):
    other = make_group(partnership=partnership, member_agencies=[police], name="Ely Problem Solving Group")
    first = group_referral_send(actor=Actor(user=council_caseworker, agency=council), case=case, group=group, reason="Persistent")
    group_referral_send(actor=Actor(user=council_caseworker, agency=council), case=case, group=other, reason="Local")
    group_referral_return(actor=Actor(user=council_caseworker, agency=council), group_referral=first)
    assert CaseAccess.objects.filter(case=case, agency=police, level=CaseAccess.Level.GROUP_MEMBER, revoked_at__isnull=True).count() == 1
    assert not CaseAccess.objects.filter(case=case, agency=housing, level=CaseAccess.Level.GROUP_MEMBER, revoked_at__isnull=True).exists()
    assert Case.objects.get(pk=case.pk).status == Case.Status.REFERRED_TO_GROUP


def test_the_group_chair_may_return_the_case_but_a_member_agency_may_not(case, group, council, police, housing, council_caseworker, police_caseworker, housing_caseworker):
    group_referral = group_referral_send(actor=Actor(user=council_caseworker, agency=council), case=case, group=group, reason="Persistent")
    with pytest.raises(PermissionDenied):
        group_referral_return(actor=Actor(user=housing_caseworker, agency=housing), group_referral=group_referral)
    group.chair = police_caseworker
    group.save()
    group_referral_return(actor=Actor(user=police_caseworker, agency=police), group_referral=group_referral)
    assert GroupReferral.objects.get(pk=group_referral.pk).status == GroupReferral.Status.RETURNED


def test_the_referral_date_only_moves_forward(case, council_caseworker, council):
    actor = Actor(user=council_caseworker, agency=council)
    case_referred_to_group_mark(actor=actor, case=case, referred_on=date(2026, 3, 1))
    case_referred_to_group_mark(actor=actor, case=case, referred_on=date(2026, 2, 1))
    assert Case.objects.get(pk=case.pk).referred_to_group_on == date(2026, 3, 1)
    case_referred_to_group_mark(actor=actor, case=case, referred_on=date(2026, 4, 1))
    assert Case.objects.get(pk=case.pk).referred_to_group_on == date(2026, 4, 1)


@pytest.mark.parametrize(
    "values, field",
    [
        ({"reason": ""}, "reason"),
        ({"referred_on": timezone.localdate() + timedelta(days=3)}, "referred_on"),
        ({"referred_on": date(2025, 12, 1)}, "referred_on"),
    ],
)
def test_bad_group_referrals_are_refused(case, group, council, council_caseworker, values, field):
    with pytest.raises(ValidationError) as error:
        group_referral_send(actor=Actor(user=council_caseworker, agency=council), case=case, group=group, **{"reason": "Persistent", **values})
    assert field in error.value.message_dict
    assert not GroupReferral.objects.exists()
    assert Case.objects.get(pk=case.pk).referred_to_group_on is None


def test_a_case_already_with_the_group_or_a_group_of_another_partnership_is_refused(case, group, other_partnership, police, council, council_caseworker):
    actor = Actor(user=council_caseworker, agency=council)
    group_referral_send(actor=actor, case=case, group=group, reason="Persistent")
    with pytest.raises(ValidationError, match="already with"):
        group_referral_send(actor=actor, case=case, group=group, reason="Again")
    fenland = make_group(partnership=other_partnership, member_agencies=[police], name="Fenland ASB Group")
    with pytest.raises(ValidationError, match="not an active group"):
        group_referral_send(actor=actor, case=case, group=fenland, reason="Wrong place")


def test_group_referral_and_return_from_the_case_tab(client, case, group, police, council_caseworker, police_caseworker):
    client.force_login(council_caseworker)
    url = reverse("case_referrals", args=[case.reference])
    page = client.get(url).content.decode()
    assert "Refer this case to East Cambridgeshire ASB Casework Group" in page and "AVRO House" in page

    bad = client.post(reverse("case_group_refer", args=[case.reference]), {"group-reason": "", "group-referred_on": "2026-02-01"})
    assert "Say why the group should consider the case." in bad.content.decode()
    response = client.post(reverse("case_group_refer", args=[case.reference]), {"group-reason": "Persistent", "group-referred_on": "2026-02-01"}, follow=True)
    page = response.content.decode()
    assert "It will be on the agenda of the group" in page
    assert "Refer this case to East Cambridgeshire" not in page, "no second referral while it is with the group"
    group_referral = GroupReferral.objects.get()

    page = client.get(url).content.decode()
    assert "With the group" in page and "Return from the group" in page

    # A member agency sees the case on the group's agenda only: its case pages are not found, as for any other agency.
    client.force_login(police_caseworker)
    assert client.get(url).status_code == 404
    assert client.post(reverse("case_group_return", args=[case.reference, group_referral.pk])).status_code == 404

    client.force_login(council_caseworker)
    client.post(reverse("case_group_return", args=[case.reference, group_referral.pk]))
    assert GroupReferral.objects.get().status == GroupReferral.Status.RETURNED
    client.force_login(police_caseworker)
    assert client.get(url).status_code == 404


def test_demo_data_has_the_group_and_referrals_for_the_meetings(db):
    call_command("seed_demo", "--password", "demo-password-123")
    call_command("seed_demo", "--password", "demo-password-123")
    group = CaseworkGroup.objects.get(name="East Cambridgeshire ASB Casework Group")
    assert group.chair.username == "police-chair" and group.default_venue == "Sanctuary Housing, AVRO House, Witchford"
    assert set(group.member_agencies.values_list("slug", flat=True)) == {
        "cambs-police", "ecdc", "sanctuary", "cambs-yos", "cambs-locality", "cambs-daat", "cambs-fire",
    }
    with_group = list(cases_with_group(group))
    assert len(with_group) == 2 and all(c.referred_to_group_on for c in with_group)

    pending = Referral.objects.get(status="pending")
    assert (pending.from_agency.slug, pending.to_agency.slug, pending.case.kind.slug) == ("ecdc", "sanctuary", "neighbour-noise")
    assert pending.messages.count() == 2
    assert Referral.objects.filter(status="accepted").count() == 1
    declined = Referral.objects.get(status="declined")
    assert declined.decline_reason
    assert Referral.objects.count() == 3, "seeding twice adds nothing"
