"""agencies.selectors.memberships_for_user reads every request's memberships by hand-written SQL: it must give what
the ORM's select_related query gives, models and order alike."""

from django.contrib.auth.models import AnonymousUser
from django.forms.models import model_to_dict

from agencies.models import Agency, Membership, Partnership
from agencies.selectors import memberships_for_user
from tests.agencies.factories import every_field, make_member


def orm_memberships(user):
    return list(
        Membership.objects.filter(user=user, is_active=True).select_related("agency", "partnership").order_by("partnership__name", "agency__name")
    )


def test_it_gives_the_orms_memberships_in_the_orms_order(partnership, other_partnership, police, fire, council, django_assert_num_queries):
    user = make_member(agency=police, partnership=partnership, username="many-hats")
    Membership.objects.create(user=user, agency=fire, partnership=other_partnership, role=Membership.Role.SUPERVISOR)
    Membership.objects.create(user=user, agency=police, partnership=other_partnership, role=Membership.Role.CASEWORKER)
    Membership.objects.create(user=user, agency=council, partnership=partnership, role=Membership.Role.CASEWORKER, is_active=False)
    expected = orm_memberships(user)
    assert len(expected) == 3
    with django_assert_num_queries(1):
        found = memberships_for_user(user=user)
        # The agency and the partnership come with each membership, as select_related would bring them.
        shown = [(m.agency.name, m.partnership.name, m.get_role_display()) for m in found]
    assert [m.pk for m in found] == [m.pk for m in expected]
    assert shown == [(m.agency.name, m.partnership.name, m.get_role_display()) for m in expected]
    for mine, theirs in zip(found, expected, strict=True):
        assert every_field(mine) == every_field(theirs)
        assert every_field(mine.agency) == every_field(theirs.agency)
        assert every_field(mine.partnership) == every_field(theirs.partnership)
        assert not mine._state.adding and mine._state.db == theirs._state.db
        assert isinstance(mine.agency, Agency) and isinstance(mine.partnership, Partnership)


def test_the_models_it_gives_save_and_compare_as_the_orms_do(partnership, police):
    user = make_member(agency=police, partnership=partnership, username="saver")
    (membership,) = memberships_for_user(user=user)
    assert membership == Membership.objects.get(user=user)
    membership.agency.sharing_agreement_signed_on = None
    membership.agency.save(update_fields=["sharing_agreement_signed_on"])
    assert model_to_dict(Agency.objects.get(pk=police.pk))["name"] == police.name


def test_no_memberships_for_a_user_without_any_or_for_no_one(db, partnership, police):
    user = make_member(agency=police, partnership=partnership, username="leaver")
    Membership.objects.filter(user=user).update(is_active=False)
    assert memberships_for_user(user=user) == []
    assert memberships_for_user(user=AnonymousUser()) == []
