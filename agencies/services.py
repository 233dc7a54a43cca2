"""Writes for partnerships, agencies and memberships."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from agencies.models import Agency, Membership, Partnership


def _agency_group_name(slug: str) -> str:
    return f"agency:{slug}"


@transaction.atomic
def agency_save(*, agency: Agency) -> Agency:
    """Create or update an agency, keeping its permission group in step with its slug."""
    name = _agency_group_name(agency.slug)
    if agency.group_id is None:
        agency.group, _ = Group.objects.get_or_create(name=name)
    elif agency.group.name != name:
        agency.group.name = name
        agency.group.save(update_fields=["name"])
    agency.full_clean()
    agency.save()
    return agency


@transaction.atomic
def agency_create(*, name: str, short_name: str, slug: str, kind: str, partnerships, is_statutory=True, **fields) -> Agency:
    agency = agency_save(
        agency=Agency(name=name, short_name=short_name, slug=slug, kind=kind, is_statutory=is_statutory, **fields)
    )
    agency.partnerships.set(partnerships)
    return agency


@transaction.atomic
def membership_add(*, user, agency: Agency, partnership: Partnership, role: str) -> Membership:
    """Give a user a role in an agency. The user joins the agency's group so guardian agrees with the policy."""
    if not agency.partnerships.filter(pk=partnership.pk).exists():
        raise ValidationError(f"{agency} does not serve {partnership}.")
    membership, _ = Membership.objects.update_or_create(
        user=user, agency=agency, partnership=partnership, defaults={"role": role, "is_active": True}
    )
    user.groups.add(agency.group)
    return membership


@transaction.atomic
def membership_end(*, membership: Membership) -> None:
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    still_in_agency = Membership.objects.filter(user=membership.user, agency=membership.agency, is_active=True).exists()
    if not still_in_agency:
        membership.user.groups.remove(membership.agency.group)


def user_create(*, username: str, password: str, first_name="", last_name="", email="", **fields):
    User = get_user_model()
    user = User(username=username, first_name=first_name, last_name=last_name, email=email, **fields)
    user.set_password(password)
    user.save()
    return user
