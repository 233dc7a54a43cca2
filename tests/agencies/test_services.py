import pytest
from django.core.exceptions import ValidationError

from agencies.models import Membership
from agencies.services import agency_save, membership_add, membership_end
from tests.agencies.factories import UserFactory, make_agency


def test_each_agency_gets_its_own_permission_group(police, council):
    assert police.group.name == "agency:cambs-police"
    assert police.group != council.group


def test_renaming_an_agency_slug_renames_its_group(police):
    police.slug = "cambs-constabulary"
    agency_save(agency=police)
    police.group.refresh_from_db()
    assert police.group.name == "agency:cambs-constabulary"


def test_membership_puts_user_in_agency_group_and_ending_it_takes_them_out(police, partnership):
    user = UserFactory()
    membership = membership_add(user=user, agency=police, partnership=partnership, role=Membership.Role.CASEWORKER)
    assert police.group in user.groups.all()
    membership_end(membership=membership)
    assert police.group not in user.groups.all()


def test_membership_must_be_in_a_partnership_the_agency_serves(council, other_partnership):
    with pytest.raises(ValidationError):
        membership_add(user=UserFactory(), agency=council, partnership=other_partnership, role="caseworker")


def test_county_agency_serves_several_partnerships(partnership, other_partnership):
    fire = make_agency(partnerships=[partnership, other_partnership], slug="fire")
    assert set(fire.partnerships.all()) == {partnership, other_partnership}
